import { describe, expect, it } from "vitest";
import { planImport, readImport, type CurrentPerson } from "./people-import";

const read = (text: string) => {
  const result = readImport(text);
  if (!result.ok) throw new Error(result.message);
  return result;
};

const person = (overrides: Partial<CurrentPerson> & { id: number; email: string }): CurrentPerson => ({
  name: `Person ${overrides.id}`,
  role: "participant",
  departmentId: 1,
  externalId: null,
  active: true,
  erased: false,
  ...overrides,
});
const departments = [
  { id: 1, name: "Sales" },
  { id: 2, name: "Engineering" },
];
const ADMIN = 99;

describe("reading an import file", () => {
  it("takes columns in any order and any case, with only email required", () => {
    const { rows, errors } = read("\uFEFFName,EMAIL,External ID,Active\r\nAnn Lee,Ann@X.test,e-1,yes\r\n,bo@x.test,,\r\n");
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { row: 2, email: "ann@x.test", name: "Ann Lee", externalId: "e-1", active: true },
      { row: 3, email: "bo@x.test" },
    ]);
    expect(read("email\nc@x.test\n").rows).toEqual([{ row: 2, email: "c@x.test" }]);
  });

  it("refuses a file it cannot use as a whole, saying why", () => {
    expect(readImport("")).toMatchObject({ ok: false, message: expect.stringContaining("empty") });
    expect(readImport("name,department\nAnn,Sales\n")).toMatchObject({ ok: false, message: expect.stringContaining("“email” column") });
    expect(readImport("email,title\na@x.test,Boss\n")).toMatchObject({ ok: false, message: expect.stringContaining("“title”") });
    expect(readImport("email,Email\na@x.test,b@x.test\n")).toMatchObject({ ok: false, message: expect.stringContaining("twice") });
    expect(readImport("email\n")).toMatchObject({ ok: false, message: expect.stringContaining("no people") });
    expect(readImport('email\n"a@x.test\n')).toMatchObject({ ok: false, message: expect.stringContaining("never closed") });
    expect(readImport(`email\n${"a@x.test\n".repeat(50_001)}`)).toMatchObject({ ok: false, message: expect.stringContaining("more than 50,000") });
    expect(readImport(`email,name\n${"x".repeat(5 * 1024 * 1024)}`)).toMatchObject({ ok: false, message: expect.stringContaining("larger than 5 MB") });
  });

  it("numbers each bad row as a spreadsheet does and says what is wrong with it", () => {
    const { rows, errors } = read(
      [
        "email,name,role,active,department",
        "ok@x.test,Fine,,,",
        "not-an-address,Bad,,,",
        "dup@x.test,One,,,",
        "dup@x.test,Two,boss,maybe,",
        '"multi@x.test","Line\nbreak",,,',
        "extra@x.test,A,participant,true,Ops,surplus",
      ].join("\r\n"),
    );
    expect(rows.map((r) => r.email)).toEqual(["ok@x.test", "dup@x.test"]);
    expect(errors).toEqual([
      { row: 3, message: "“not-an-address” is not an e-mail address." },
      { row: 5, message: "“boss” is not a role (participant, leader, facilitator or admin); “maybe” in active is neither true nor false; dup@x.test is also on row 4." },
      { row: 6, message: "The name: remove the control characters (such as NUL or line breaks) from the text." },
      { row: 7, message: "It has 6 cells but the header has 5 columns." },
    ]);
  });
});

describe("planning an import", () => {
  const people = [
    person({ id: 1, email: "ann@x.test", name: "Ann Lee", externalId: "e-1" }),
    person({ id: 2, email: "bo@x.test", name: "Bo Chan", active: false }),
    person({ id: 3, email: "cy@x.test", role: "admin" }),
    person({ id: ADMIN, email: "me@x.test", role: "admin" }),
    person({ id: 5, email: "gone@x.test", erased: true }),
  ];
  const plan = (text: string) => {
    const { rows, errors } = read(text);
    return planImport(rows, errors, people, departments, ADMIN);
  };

  it("creates, updates field by field, deactivates, reactivates and names new departments", () => {
    const result = plan(
      [
        "email,name,department,role,external_id,active",
        "new@x.test,New Person,Design,,e-9,",
        "ann@x.test,Ann Lee-Smith,engineering,leader,,",
        "bo@x.test,,,,,true",
        "cy@x.test,,,,,false",
        "renamed@x.test,,,,e-1,",
      ].join("\n"),
    );
    expect(result.errors).toEqual([{ row: 6, message: "ann@x.test is also on row 3." }]);
    const clean = plan(["email,name,department,role,external_id,active", "new@x.test,New Person,Design,,e-9,", "ann@x.test,Ann Lee-Smith,engineering,leader,,", "bo@x.test,,,,,true", "cy@x.test,,design,,,false"].join("\n"));
    expect(clean).toEqual({
      creates: [{ row: 2, email: "new@x.test", name: "New Person", department: "Design", role: "participant", externalId: "e-9", active: true }],
      updates: [
        {
          row: 3,
          personId: 1,
          email: "ann@x.test",
          changes: [
            { field: "name", from: "Ann Lee", to: "Ann Lee-Smith" },
            { field: "department", from: "Sales", to: "Engineering" },
            { field: "role", from: "participant", to: "leader" },
          ],
        },
        { row: 5, personId: 3, email: "cy@x.test", changes: [{ field: "department", from: "Sales", to: "Design" }] },
      ],
      deactivations: [{ row: 5, personId: 3, email: "cy@x.test", name: "Person 3" }],
      reactivations: [{ row: 4, personId: 2, email: "bo@x.test", name: "Bo Chan" }],
      newDepartments: ["Design"],
      unchanged: 0,
      errors: [],
    });
  });

  it("matches by directory id first, so a person's e-mail can change", () => {
    expect(plan("email,external_id\nann.lee@x.test,e-1\n").updates).toEqual([
      { row: 2, personId: 1, email: "ann@x.test", changes: [{ field: "email", from: "ann@x.test", to: "ann.lee@x.test" }] },
    ]);
  });

  it("changes nothing for a file that says what already is", () => {
    expect(plan("email,name,department,external_id,active\nann@x.test,Ann Lee,sales,e-1,true\n")).toMatchObject({ unchanged: 1, creates: [], updates: [], errors: [] });
  });

  it("refuses rows it must not apply", () => {
    const result = plan(
      [
        "email,name,role,external_id,active",
        "stranger@x.test,,,,",
        "ann@x.test,,,e-2,",
        "bo@x.test,,,e-1,",
        "me@x.test,,participant,,",
        "gone@x.test,,,,",
        "bo@x.test,,,,", // a repeat: caught when the file is read
      ].join("\n"),
    );
    expect(result.errors).toEqual([
      { row: 2, message: "stranger@x.test is new: give their name." },
      { row: 3, message: "ann@x.test already has external_id e-1, not e-2." },
      { row: 4, message: "External_id e-1 belongs to ann@x.test, but bo@x.test is another person." },
      { row: 5, message: "This is you: you cannot change your own role; ask another admin." },
      { row: 6, message: "This person's account was erased; it cannot be changed." },
      { row: 7, message: "bo@x.test is also on row 4." },
    ]);
    expect(plan("email,active\nme@x.test,false\n").errors).toEqual([{ row: 2, message: "This is you: you cannot deactivate your own account; ask another admin." }]);
    expect(plan("email,external_id\nbo@x.test,e-1\n").errors).toHaveLength(1);
    expect(plan("email\nann@x.test\n").errors).toEqual([]);
    // Taking another person's e-mail is refused.
    expect(plan("email,external_id\nbo@x.test,e-1\n").errors[0]!.message).toMatch(/another person/);
  });
});
