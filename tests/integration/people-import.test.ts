/**
 * The CSV import on the People page: preview, apply in one transaction, report; what is applied
 * is what was previewed; bad rows stop it; applying twice or the same file again changes nothing.
 */
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertSession, sessionCookie, validateSessionToken, type SessionUser } from "~/auth/session.server";
import { action, loader } from "~/routes/admin.people";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { applyImport, previewImport } from "~/services/commands/people-import.server";
import { importView } from "~/services/pages/people-admin.server";
import { db } from "~db/client";
import { auditLog, departments, peopleImports, users } from "~db/schema";
import { makeDepartment, makeUser } from "../factories";

const meta = { ip: "192.0.2.70" };
let admin: SessionUser;
beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
});

const personBy = async (email: string) => await db().select().from(users).where(eq(users.email, email)).get();
const departmentNamed = async (name: string) => await db().select().from(departments).where(eq(departments.name, name)).get();
const audits = async () => (await db().select({ n: count() }).from(auditLog).get())!.n;
let seq = 0;
const tag = () => `${Date.now().toString(36)}${++seq}`;

async function previewAndView(csv: string, fileName: string | null = "people.csv", by = admin) {
  const { id } = await previewImport(by, { csv, fileName }, meta);
  return await importView(by, id);
}

describe("previewing and applying an import", () => {
  it("shows what would change without changing anything, then applies it all and reports it", async () => {
    const t = tag();
    const existing = await makeUser({ name: "Old Name" });
    const leaving = await makeUser();
    const session = await insertSession(db(), leaving.id, Date.now());
    const sales = await makeDepartment(`Sales ${t}`);
    const csv = [
      "\uFEFFemail,name,department,role,external_id,active",
      `new.${t}@x.test,"Lee, Ann",Design ${t},facilitator,ext-${t},`,
      `${existing.email},"New ""Nick"" Name",sales ${t},,,`,
      `${leaving.email},,,,,false`,
      `second.${t}@x.test,Second Person,Design ${t},,,`,
    ].join("\r\n");
    const before = await audits();
    const view = await previewAndView(csv);
    expect(await audits()).toBe(before);
    expect(await personBy(`new.${t}@x.test`)).toBeUndefined();
    expect(view.preview.counts).toEqual({ creates: 2, updates: 1, deactivations: 1, reactivations: 0, newDepartments: 1, unchanged: 0, errors: 0 });
    expect(view.preview.updates[0]!.changes).toEqual([
      { field: "name", from: "Old Name", to: 'New "Nick" Name' },
      { field: "department", from: expect.any(String), to: sales.name },
    ]);
    expect(view.changes).toBe(5);

    expect(await applyImport(admin, { importId: view.id, digest: view.digest }, meta)).toEqual({ outcome: "applied" });
    const created = (await personBy(`new.${t}@x.test`))!;
    expect(created).toMatchObject({ name: "Lee, Ann", role: "facilitator", externalId: `ext-${t}`, passwordHash: "", deactivatedAt: null });
    expect(created.departmentId).toBe((await departmentNamed(`Design ${t}`))!.id);
    expect((await personBy(`second.${t}@x.test`))!.departmentId).toBe(created.departmentId);
    expect(await personBy(existing.email)).toMatchObject({ name: 'New "Nick" Name', departmentId: sales.id });
    expect((await personBy(leaving.email))!.deactivatedAt).not.toBeNull();
    expect(await validateSessionToken(session)).toBeNull();

    const after = await importView(admin, view.id);
    expect(after.appliedAt).not.toBeNull();
    expect(after.report!.counts).toEqual(view.preview.counts);
    // The file's text is not kept once applied.
    expect((await db().select().from(peopleImports).where(eq(peopleImports.id, view.id)).get())!.csv).toBe("");
    const applied = (await db().select().from(auditLog).where(eq(auditLog.subject, `import:${view.id}`)).get())!;
    expect(applied).toMatchObject({ action: "people_import_applied", actorId: admin.id });
    const createdAudit = (await db().select().from(auditLog).where(and(eq(auditLog.action, "person_created"), eq(auditLog.subject, `user:${created.id}`))).get())!;
    expect(JSON.parse(createdAudit.detail!)).toMatchObject({ via: "CSV import", import: view.id });
    const updated = async (action: string) =>
      (await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.subject, `user:${existing.id}`)))
        .all())
        .map((r) => ({ actorId: r.actorId, detail: JSON.parse(r.detail!) }));
    expect(await updated("person_updated")).toEqual([
      { actorId: admin.id, detail: { changes: { name: { from: "Old Name", to: 'New "Nick" Name' } }, via: "CSV import", import: view.id } },
    ]);
    expect(await updated("department_changed")).toEqual([
      { actorId: admin.id, detail: { from: existing.departmentId, to: sales.id, via: "CSV import", import: view.id } },
    ]);
    expect(await updated("person_deactivated")).toEqual([]);
  });

  it("applying twice applies once, and the same file again changes nothing", async () => {
    const t = tag();
    const csv = `email,name,department\nonce.${t}@x.test,Once ${t},Once ${t}\n`;
    const view = await previewAndView(csv);
    await applyImport(admin, { importId: view.id, digest: view.digest }, meta);
    const after = await audits();
    expect(await applyImport(admin, { importId: view.id, digest: view.digest }, meta)).toEqual({ outcome: "applied" });
    expect(await audits()).toBe(after);

    const again = await previewAndView(csv);
    expect(again.changes).toBe(0);
    expect(again.preview.counts.unchanged).toBe(1);
    await applyImport(admin, { importId: again.id, digest: again.digest }, meta);
    expect(await audits()).toBe(after + 1); // only the import's own record
    expect((await db().select({ n: count() }).from(users).where(eq(users.email, `once.${t}@x.test`)).get())!.n).toBe(1);
  });

  it("a bad row stops the whole import", async () => {
    const t = tag();
    const view = await previewAndView(`email,name\ngood.${t}@x.test,Good\nbad-address,Bad\n`);
    expect(view.preview.errors).toEqual([{ row: 3, message: "“bad-address” is not an e-mail address." }]);
    expect(view.csv).toContain("bad-address");
    await expect(async () => await applyImport(admin, { importId: view.id, digest: view.digest }, meta)).rejects.toThrow(Invalid);
    expect(await personBy(`good.${t}@x.test`)).toBeUndefined();
  });

  it("refuses a file it cannot read as a whole, saying why", async () => {
    const failure = await (async () => {
      try {
        await previewImport(admin, { csv: "name\nAnn\n" }, meta);
      } catch (error) {
        return error as Invalid;
      }
    })();
    expect(failure).toBeInstanceOf(Invalid);
    expect(failure!.fieldErrors.csv![0]).toMatch(/“email” column/);
  });
});

describe("what is applied is what was previewed", () => {
  it("a digest other than the preview's is refused, and nothing is applied", async () => {
    const t = tag();
    const view = await previewAndView(`email,name\nforged.${t}@x.test,Forged\n`);
    await expect(async () => await applyImport(admin, { importId: view.id, digest: "0".repeat(64) }, meta)).rejects.toThrow(Invalid);
    expect(await personBy(`forged.${t}@x.test`)).toBeUndefined();
  });

  it("when people changed since the preview, nothing is applied and the new plan becomes the preview", async () => {
    const t = tag();
    const person = await makeUser({ name: `Before ${t}` });
    const view = await previewAndView(`email,name\n${person.email},Renamed ${t}\n`);
    await db().update(users).set({ name: `Renamed ${t}` }).where(eq(users.id, person.id)).run(); // someone else did it first
    expect(await applyImport(admin, { importId: view.id, digest: view.digest }, meta)).toEqual({ outcome: "changed" });
    const fresh = await importView(admin, view.id);
    expect(fresh.appliedAt).toBeNull();
    expect(fresh.digest).not.toBe(view.digest);
    expect(fresh.changes).toBe(0);
    // The old preview's digest no longer applies anything.
    await expect(async () => await applyImport(admin, { importId: view.id, digest: view.digest }, meta)).rejects.toThrow(Invalid);
  });

  it("only the admin who previewed an import sees or applies it; a participant neither", async () => {
    const other = await makeUser({ role: "admin" });
    const view = await previewAndView(`email,name\nmine.${tag()}@x.test,Mine\n`);
    await expect(async () => await importView(other, view.id)).rejects.toThrow(NotFound);
    await expect(async () => await applyImport(other, { importId: view.id, digest: view.digest }, meta)).rejects.toThrow(NotFound);
    await expect(async () => await previewImport(await makeUser(), { csv: "email\na@x.test\n" }, meta)).rejects.toThrow(Forbidden);
  });
});

describe("the People page's import, through its route", () => {
  const post = async (form: FormData, as: SessionUser = admin) => {
    const token = await insertSession(db(), as.id, Date.now());
    const cookie = sessionCookie(new Request("http://jamboree.test/"), token).split(";")[0]!;
    const request = new Request("http://jamboree.test/admin/people", { method: "POST", body: form, headers: { Cookie: cookie } });
    try {
      return (await action({ request, params: {}, context: { ip: "192.0.2.71", nonce: "" } } as never)) as unknown;
    } catch (thrown) {
      return thrown;
    }
  };

  it("previews an uploaded file (BOM, CRLF, quotes) and redirects to the preview; apply carries no file, so it cannot swap one in", async () => {
    const t = tag();
    const form = new FormData();
    form.set("intent", "previewImport");
    form.set("file", new File([`\uFEFFemail,name,department\r\nup.${t}@x.test,"Up, Loaded",Uploads ${t}\r\n`], "people.csv", { type: "text/csv" }));
    const answer = (await post(form)) as Response;
    expect(answer.status).toBe(302);
    const location = answer.headers.get("location")!;
    const id = /import=([0-9a-f]{32})/.exec(location)![1]!;
    expect(location).toBe(`/admin/people?import=${id}#import`);
    const view = await importView(admin, id);
    expect(view).toMatchObject({ fileName: "people.csv", changes: 2 });

    const apply = new FormData();
    apply.set("intent", "applyImport");
    apply.set("importId", id);
    apply.set("digest", view.digest);
    // Whatever else a forged form carries is never read.
    apply.set("csv", `email,name,role\n${admin.email},x,participant\nevil.${t}@x.test,Evil,admin\n`);
    const applied = (await post(apply)) as Response;
    expect(applied.headers.get("location")).toBe(`/admin/people?import=${id}#import`);
    expect(await personBy(`up.${t}@x.test`)).toMatchObject({ name: "Up, Loaded" });
    expect(await personBy(`evil.${t}@x.test`)).toBeUndefined();
    expect((await personBy(admin.email))!.role).toBe("admin");

    // The page then shows the report.
    const token = await insertSession(db(), admin.id, Date.now());
    const cookie = sessionCookie(new Request("http://jamboree.test/"), token).split(";")[0]!;
    const page = await loader({ request: new Request(`http://jamboree.test${location.replace("#import", "")}`, { headers: { Cookie: cookie } }), params: {}, context: { ip: null, nonce: "" } } as never);
    expect((page as { imported: { report: { counts: { creates: number } } } }).imported.report.counts.creates).toBe(1);
  });

  it("says so when a file is too large, and keeps pasted text when it cannot be read", async () => {
    const big = new FormData();
    big.set("intent", "previewImport");
    big.set("file", new File(["x".repeat(5 * 1024 * 1024 + 1)], "big.csv", { type: "text/csv" }));
    const refused = (await post(big)) as { init: { status: number }; data: { fieldErrors: { csv: string[] } } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.fieldErrors.csv[0]).toMatch(/larger than 5 MB/);

    const pasted = new FormData();
    pasted.set("intent", "previewImport");
    pasted.set("csv", "name,department\nAnn,Sales\n");
    const failed = (await post(pasted)) as { init: { status: number }; data: { fieldErrors: { csv: string[] }; values: { csv: string } } };
    expect(failed.init.status).toBe(400);
    expect(failed.data.fieldErrors.csv[0]).toMatch(/“email” column/);
    // As a browser sends it: a form's line breaks travel as CRLF.
    expect(failed.data.values.csv.replace(/\r\n/g, "\n")).toBe("name,department\nAnn,Sales\n");
  });

  it("a participant's import is refused", async () => {
    const form = new FormData();
    form.set("intent", "previewImport");
    form.set("csv", "email,name,role\nme@x.test,Me,admin\n");
    const answer = (await post(form, await makeUser())) as Response;
    expect(answer.status).toBe(403);
    expect(await personBy("me@x.test")).toBeUndefined();
  });
});
