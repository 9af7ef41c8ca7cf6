import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { ENTERPRISE_USER } from "./filter";
import { readGroupPatch, readOperations, readUserPatch, readUserResource, resolveName } from "./patch";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
};

describe("a person's PATCH", () => {
  it("reads Entra ID's shapes: capitalised ops, booleans as strings, filtered and extension paths", () => {
    const ops = readOperations(
      patch(
        { op: "Replace", path: "active", value: "False" },
        { op: "Add", path: "name.givenName", value: "Annie" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "annie@x.test" },
        { op: "Add", path: `${ENTERPRISE_USER}:department`, value: "Finance" },
        { op: "Replace", path: "title", value: "Clerk" },
      ),
    );
    expect(readUserPatch(ops, "Ann Smith")).toEqual({
      active: false,
      name: "Annie Smith",
      department: "Finance",
      ignored: ['emails[type eq "work"].value', "title"],
    });
  });

  it("reads Okta's replace without a path, and Entra's dotted keys in one", () => {
    expect(readUserPatch(readOperations(patch({ op: "replace", value: { active: false } })), "Ann")).toEqual({ active: false, ignored: [] });
    expect(
      readUserPatch(readOperations(patch({ op: "Replace", value: { "name.familyName": "Jones", displayName: "Ann J", [ENTERPRISE_USER]: { department: "Ops" } } })), "Ann Smith"),
    ).toEqual({ name: "Ann Jones", department: "Ops", ignored: [] });
  });

  it("takes the name from formatted, else given and family name, else displayName", () => {
    expect(resolveName({ formatted: "A B", givenName: "C", displayName: "D" })).toBe("A B");
    expect(resolveName({ givenName: "C", familyName: "E", displayName: "D" })).toBe("C E");
    expect(resolveName({ displayName: "D" })).toBe("D");
    expect(resolveName({ familyName: "Ng" }, "Mary Ann Smith")).toBe("Mary Ng");
    expect(resolveName({})).toBeUndefined();
  });

  it("refuses what it cannot do, with the SCIM type a client reads", () => {
    expect(refusal(() => readOperations({ Operations: [] })).scimType).toBe("invalidSyntax");
    expect(refusal(() => readOperations(patch({ op: "move", path: "active", value: true }))).scimType).toBe("invalidSyntax");
    expect(refusal(() => readOperations(patch({ op: "remove" }))).scimType).toBe("noTarget");
    expect(refusal(() => readUserPatch(readOperations(patch({ op: "replace", path: "active", value: "maybe" })), "A")).scimType).toBe("invalidValue");
    expect(refusal(() => readUserPatch(readOperations(patch({ op: "replace", path: "userName", value: "not an address" })), "A")).scimType).toBe("invalidValue");
    expect(refusal(() => readUserPatch(readOperations(patch({ op: "remove", path: "active" })), "A")).scimType).toBe("invalidValue");
    expect(refusal(() => readOperations(patch(...Array.from({ length: 1_001 }, () => ({ op: "add", path: "title", value: "x" }))))).scimType).toBe("invalidValue");
  });
});

describe("a person's full resource (POST, PUT)", () => {
  it("reads Okta's user and Entra's, lower-casing the e-mail", () => {
    expect(
      readUserResource({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "Ann.Smith@Example.com",
        name: { givenName: "Ann", familyName: "Smith" },
        emails: [{ primary: true, value: "ann.smith@example.com", type: "work" }],
        displayName: "Ann Smith",
        active: true,
      }),
    ).toEqual({ userName: "ann.smith@example.com", name: "Ann Smith", externalId: null, active: true });
    expect(
      readUserResource({ userName: "b@x.test", externalId: "e-1", active: "True", [ENTERPRISE_USER]: { department: "Sales" } }),
    ).toEqual({ userName: "b@x.test", name: "b", externalId: "e-1", active: true, department: "Sales" });
  });

  it("refuses a user name that is not an e-mail address, and text that hides what it says", () => {
    expect(refusal(() => readUserResource({ userName: "ann" })).scimType).toBe("invalidValue");
    expect(refusal(() => readUserResource({})).scimType).toBe("invalidValue");
    expect(refusal(() => readUserResource({ userName: "a@x.test", displayName: "A\u202Eevil" })).scimType).toBe("invalidValue");
  });
});

describe("a group's PATCH", () => {
  const current = { displayName: "Sales", externalId: null, members: ["1", "2", "3"] };
  it("adds, removes by filter or by value list, replaces members, and renames", () => {
    const result = readGroupPatch(
      readOperations(
        patch(
          { op: "Add", path: "members", value: [{ value: "4" }, { value: "5" }] },
          { op: "remove", path: 'members[value eq "1"]' },
          { op: "Remove", path: "members", value: [{ value: "2" }] },
          { op: "Replace", path: "displayName", value: "Sales EMEA" },
        ),
      ),
      current,
    );
    expect([...result.members].sort()).toEqual(["3", "4", "5"]);
    expect(result.displayName).toBe("Sales EMEA");
    expect([...readGroupPatch(readOperations(patch({ op: "replace", path: "members", value: [{ value: "9" }] })), current).members]).toEqual(["9"]);
    // Okta renames with a replace whose value carries the id too.
    expect(readGroupPatch(readOperations(patch({ op: "replace", value: { id: "7", displayName: "Renamed" } })), current)).toMatchObject({ displayName: "Renamed", ignored: [] });
  });

  it("refuses a member without a value and an empty name", () => {
    expect(refusal(() => readGroupPatch(readOperations(patch({ op: "add", path: "members", value: [{ display: "x" }] })), current)).scimType).toBe("invalidValue");
    expect(refusal(() => readGroupPatch(readOperations(patch({ op: "replace", path: "displayName", value: "  " })), current)).scimType).toBe("invalidValue");
  });
});
