/**
 * Directory sync (SCIM 2.0) through its routes, with the request shapes Entra ID and Okta send,
 * and the attacks on it: no or a wrong token, a participant's cookie, huge and malformed bodies,
 * duplicates, the last admin.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertSession, sessionCookie, validateSessionToken } from "~/auth/session.server";
import { signIn } from "~/services/commands/accounts.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { db } from "~db/client";
import { auditLog, departments, users } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser, TEST_PASSWORD } from "../factories";
import { ENTERPRISE, GROUP_SCHEMA, PATCH_OP, scim, SCIM_TEST_TOKEN, USER_SCHEMA, type ScimCall } from "./helpers/scim";
import { mapInOrder } from "~/domain/in-order";

const row = async (id: number | string) => (await db().select().from(users).where(eq(users.id, Number(id))).get())!;
const peopleWith = async (email: string) => (await db().select({ n: count() }).from(users).where(eq(users.email, email)).get())!.n;
const auditRows = async () => (await db().select({ n: count() }).from(auditLog).get())!.n;
let seq = 0;
const address = (name: string) => `${name}.${Date.now().toString(36)}${++seq}@contoso.test`;

beforeEach(() => {
  process.env.SCIM_TOKEN = SCIM_TEST_TOKEN;
});
afterEach(() => {
  delete process.env.SCIM_TOKEN;
});

// The admins of this file's database: the last-admin test counts on these two alone.
let firstAdmin: { id: number };
let secondAdmin: { id: number };
beforeAll(async () => {
  firstAdmin = await makeUser({ role: "admin" });
  secondAdmin = await makeUser({ role: "admin" });
});

describe("discovery", () => {
  it("describes itself: ServiceProviderConfig, ResourceTypes and Schemas, as application/scim+json", async () => {
    const spc = await scim("GET", "/ServiceProviderConfig");
    expect(spc.status).toBe(200);
    expect(spc.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    expect(spc.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
    const types = await scim("GET", "/ResourceTypes");
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(["User", "Group"]);
    expect((await scim("GET", "/ResourceTypes/Group")).body).toMatchObject({ endpoint: "/Groups", schema: GROUP_SCHEMA });
    const schemas = await scim("GET", "/Schemas");
    expect(schemas.body.totalResults).toBe(3);
    expect((await scim("GET", `/Schemas/${USER_SCHEMA}`)).body.attributes.map((a: { name: string }) => a.name)).toContain("userName");
    expect((await scim("GET", "/Schemas/urn:nothing")).status).toBe(404);
    expect((await scim("GET", "/Bulk")).body).toMatchObject({ status: "404", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
  });
});

describe("the token", () => {
  it("without SCIM_TOKEN (or with one too short to be safe), every address answers 404", async () => {
    delete process.env.SCIM_TOKEN;
    expect((await scim("GET", "/ServiceProviderConfig")).status).toBe(404);
    expect((await scim("POST", "/Users", { userName: address("nobody") })).status).toBe(404);
    process.env.SCIM_TOKEN = "short-token";
    expect((await scim("GET", "/Users", undefined, { token: "short-token" })).status).toBe(404);
  });

  it("no token, a wrong one or a participant's session cookie gets 401, and nothing changes", async () => {
    const person = await makeUser();
    const token = await insertSession(db(), person.id, Date.now());
    const cookie = sessionCookie(new Request("http://jamboree.test/"), token).split(";")[0]!;
    const before = await auditRows();
    const attempts: ScimCall[] = [
      { token: null },
      { token: "wrong-token-0123456789abcdef0123456789abcd" },
      { token: `${SCIM_TEST_TOKEN}x` },
      { token: null, headers: { Cookie: cookie } },
      { token: null, headers: { Authorization: `Basic ${Buffer.from(`x:${SCIM_TEST_TOKEN}`).toString("base64")}` } },
    ];
    for (const call of attempts) {
      const created = await scim("POST", "/Users", { userName: address("intruder") }, call);
      expect(created.status).toBe(401);
      expect(created.headers.get("www-authenticate")).toBe('Bearer realm="SCIM"');
      expect(created.body).toMatchObject({ status: "401" });
      const deactivated = await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] }, call);
      expect(deactivated.status).toBe(401);
      expect((await scim("GET", "/Users", undefined, call)).status).toBe(401);
    }
    expect((await row(person.id)).deactivatedAt).toBeNull();
    expect(await validateSessionToken(token)).toMatchObject({ id: person.id });
    expect(await auditRows()).toBe(before);
  });
});

describe("people, as Okta sends them", () => {
  it("looks a person up by userName, creates them, replaces them with PUT and deactivates them with a path-less replace", async () => {
    const email = address("Okta.User");
    const lookup = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`);
    expect(lookup.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await scim("POST", "/Users", {
      schemas: [USER_SCHEMA],
      userName: email,
      name: { givenName: "Okta", familyName: "User" },
      emails: [{ primary: true, value: email, type: "work" }],
      displayName: "Okta User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "ignored-1234",
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.headers.get("location")).toBe(`http://jamboree.test/scim/v2/Users/${id}`);
    expect(created.headers.get("etag")).toMatch(/^W\/".+"$/);
    expect(created.body).toMatchObject({
      schemas: [USER_SCHEMA],
      id: expect.stringMatching(/^\d+$/),
      userName: email.toLowerCase(),
      externalId: "00ujl29u0le5T6Aj10h7",
      name: { formatted: "Okta User" },
      emails: [{ value: email.toLowerCase(), primary: true }],
      active: true,
      meta: { resourceType: "User", location: `http://jamboree.test/scim/v2/Users/${id}`, version: created.headers.get("etag") },
    });
    expect(created.body.meta.created).toBe(created.body.meta.lastModified);
    // Made without a password (they sign in through company sign-on), their address vouched for.
    expect(await row(id)).toMatchObject({ passwordHash: "", role: "participant", externalId: "00ujl29u0le5T6Aj10h7" });
    expect((await row(id)).emailVerifiedAt).not.toBeNull();

    // Matched again case-insensitively, as a directory writes the login.
    const found = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });

    const replaced = await scim("PUT", `/Users/${id}`, {
      schemas: [USER_SCHEMA],
      id,
      userName: email,
      name: { givenName: "Okta", familyName: "Renamed" },
      emails: [{ primary: true, value: email, type: "work" }],
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: { formatted: "Okta Renamed" }, active: true });
    expect(Date.parse(replaced.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(replaced.body.meta.created));

    const deactivated = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await row(id)).deactivatedAt).not.toBeNull();

    const reactivated = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] });
    expect(reactivated.body.active).toBe(true);
    expect((await row(id)).deactivatedAt).toBeNull();
  });
});

describe("people, as Entra ID sends them", () => {
  it("creates a person with a directory id and an enterprise department, then changes them with Entra's PATCH shapes", async () => {
    const email = address("entra");
    const lookup = await scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "8f4c-entra-1"')}`);
    expect(lookup.body.totalResults).toBe(0);
    const created = await scim("POST", "/Users", {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: "8f4c-entra-1",
      userName: email,
      active: true,
      addresses: [{ primary: true, type: "work", country: "NZ" }],
      displayName: "Ellen Reckert",
      emails: [{ primary: true, type: "work", value: email }],
      meta: { resourceType: "User" },
      name: { familyName: "Reckert", givenName: "Ellen" },
      title: "Analyst",
      [ENTERPRISE]: { department: "Human Resources", employeeNumber: "100009" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ name: { formatted: "Ellen Reckert" }, [ENTERPRISE]: { department: "Human Resources" }, groups: [{ display: "Human Resources" }] });

    const patched = await scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "name.givenName", value: "Helen" },
        { op: "Add", path: 'emails[type eq "work"].value', value: email },
        { op: "Replace", path: `${ENTERPRISE}:department`, value: "People Operations" },
        { op: "Replace", path: "title", value: "Lead analyst" },
        { op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "+64 4 000 000" },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: { formatted: "Helen Reckert" }, [ENTERPRISE]: { department: "People Operations" } });
    expect((await row(id)).departmentId).toBe((await db().select().from(departments).where(eq(departments.name, "People Operations")).get())!.id);

    // Entra finds people by the work e-mail too.
    const byEmail = await scim("GET", `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${email}"`)}`);
    expect(byEmail.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    const byValue = await scim("GET", `/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`);
    expect(byValue.body.totalResults).toBe(1);
  });

  it("PATCH active \"False\" ends the person's sessions at once and refuses their sign-in, and what they wrote stays", async () => {
    const person = await makeUser({ name: "Sam Signedin" });
    const { challengeIds } = await makeJam();
    const idea = await makeIdea(person, challengeIds[0]!, { title: "A library of shared tools" });
    const laptop = await signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.9" });
    const phone = await insertSession(db(), person.id, Date.now());
    expect(await validateSessionToken(laptop.token)).toMatchObject({ id: person.id });

    const answer = await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(answer.status).toBe(200);
    expect(answer.body.active).toBe(false);
    expect(await validateSessionToken(laptop.token)).toBeNull();
    expect(await validateSessionToken(phone)).toBeNull();
    const refused = await signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.9" }).catch((e: unknown) => e);
    expect((refused as { fieldErrors: Record<string, string[]> }).fieldErrors.form).toEqual(["This account has been deactivated. Ask an admin if you need it again."]);
    expect((await ideaDetail(await makeUser(), idea.id)).idea).toMatchObject({ title: "A library of shared tools", author: { id: person.id, name: "Sam Signedin" } });

    // Audited as directory sync, not as any account.
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "person_deactivated"), eq(auditLog.subject, `user:${person.id}`)))
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, ip: "192.0.2.44" });
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ sessionsEnded: 2, actor: "directory sync" });

    // The same request again changes nothing more.
    await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect((await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "person_deactivated"), eq(auditLog.subject, `user:${person.id}`))).get())!.n).toBe(1);

    // "True" brings them back.
    const back = await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] });
    expect(back.body.active).toBe(true);
    await expect(signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.9" })).resolves.toMatchObject({ user: { id: person.id } });
  });

  it("DELETE deactivates the person; the resource stays, with active false", async () => {
    const person = await makeUser();
    const session = await insertSession(db(), person.id, Date.now());
    expect((await scim("DELETE", `/Users/${person.id}`)).status).toBe(204);
    expect(await validateSessionToken(session)).toBeNull();
    expect((await scim("GET", `/Users/${person.id}`)).body).toMatchObject({ id: String(person.id), active: false });
  });
});

describe("lists and filters", () => {
  it("pages with startIndex and count, and filters on what people are kept by", async () => {
    const team = `Paging ${Date.now()}`;
    const emails = Array.from({ length: 5 }, (_, i) => address(`page${i}`));
    for (const email of emails) {
      expect((await scim("POST", "/Users", { userName: email, displayName: team, [ENTERPRISE]: { department: team } })).status).toBe(201);
    }
    const filter = encodeURIComponent(`${ENTERPRISE}:department eq "${team}"`);
    const first = await scim("GET", `/Users?filter=${filter}&startIndex=1&count=2`);
    expect(first.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 2 });
    const third = await scim("GET", `/Users?filter=${filter}&startIndex=5&count=2`);
    expect(third.body).toMatchObject({ totalResults: 5, startIndex: 5, itemsPerPage: 1 });
    expect(third.body.Resources[0].userName).toBe(emails[4]);
    const none = await scim("GET", `/Users?filter=${filter}&count=0`);
    expect(none.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const tooMany = await scim("GET", `/Users?count=100000`);
    expect(tooMany.body.itemsPerPage).toBeLessThanOrEqual(200);

    const both = await scim("GET", `/Users?filter=${encodeURIComponent(`(userName eq "${emails[0]}" or userName eq "${emails[1]}") and active eq true`)}`);
    expect(both.body.totalResults).toBe(2);
    const starts = await scim("GET", `/Users?filter=${encodeURIComponent(`displayName sw "${team.slice(0, 8).toUpperCase()}"`)}&attributes=userName`);
    expect(starts.body.totalResults).toBeGreaterThanOrEqual(5);
    expect(Object.keys(starts.body.Resources[0]).sort()).toEqual(["id", "meta", "schemas", "userName"]);
    // A LIKE wildcard in the value matches only itself.
    expect((await scim("GET", `/Users?filter=${encodeURIComponent('userName co "%"')}`)).body.totalResults).toBe(0);
  });

  it("refuses a filter it cannot read, or on an attribute it does not keep, with 400 invalidFilter", async () => {
    for (const filter of ['userName eq "unclosed', "userName eq", 'title eq "Lead"', 'name.givenName eq "Ann"', "active eq \"maybe\"", 'userName eq "a" ) or (', "x".repeat(1_001)]) {
      const answer = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(answer.status, filter).toBe(400);
      expect(answer.body, filter).toMatchObject({ status: "400", scimType: "invalidFilter" });
    }
  });
});

describe("attacks and mistakes", () => {
  it("a create with a userName already taken is 409 uniqueness, and the same POST twice (even at once) makes one person", async () => {
    const email = address("twice");
    const body = { schemas: [USER_SCHEMA], userName: email, name: { givenName: "Two", familyName: "Times" }, externalId: `ext-${email}` };
    const answers = await Promise.all([scim("POST", "/Users", body), scim("POST", "/Users", body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    const again = await scim("POST", "/Users", { ...body, userName: email.toUpperCase(), externalId: undefined });
    expect(again.status).toBe(409);
    expect(await peopleWith(email)).toBe(1);
    const sameExternal = await scim("POST", "/Users", { ...body, userName: address("other") });
    expect(sameExternal).toMatchObject({ status: 409, body: { scimType: "uniqueness" } });
    // Changing someone's userName to another person's is refused too.
    const other = (await scim("POST", "/Users", { userName: address("third") })).body.id;
    const clash = await scim("PATCH", `/Users/${other}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "userName", value: email }] });
    expect(clash).toMatchObject({ status: 409, body: { scimType: "uniqueness" } });
  });

  it("malformed JSON is 400 invalidSyntax, a huge body 413, a bad value 400 invalidValue, an unknown id 404", async () => {
    expect(await scim("POST", "/Users", undefined, { raw: '{"userName": ' })).toMatchObject({ status: 400, body: { scimType: "invalidSyntax" } });
    expect(await scim("POST", "/Users", undefined, { raw: "" })).toMatchObject({ status: 400, body: { scimType: "invalidSyntax" } });
    const huge = JSON.stringify({ userName: address("huge"), displayName: "x".repeat(2 * 1024 * 1024) });
    const before = await auditRows();
    expect(await scim("POST", "/Users", undefined, { raw: huge })).toMatchObject({ status: 413, body: { status: "413" } });
    expect(await scim("POST", "/Users", undefined, { raw: huge, headers: { "Content-Length": String(huge.length) } })).toMatchObject({ status: 413 });
    expect(await auditRows()).toBe(before);
    expect(await scim("POST", "/Users", { userName: "not-an-address" })).toMatchObject({ status: 400, body: { scimType: "invalidValue" } });
    expect(await scim("PATCH", "/Users/999999", { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] })).toMatchObject({ status: 404 });
    expect(await scim("GET", "/Users/not-a-number")).toMatchObject({ status: 404 });
    expect(await scim("PATCH", `/Users/${firstAdmin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "jump", path: "active" }] })).toMatchObject({
      status: 400,
      body: { scimType: "invalidSyntax" },
    });
  });

  it("a change at a version the person is no longer at is refused with 412", async () => {
    const id = (await scim("POST", "/Users", { userName: address("etag") })).body.id;
    const read = await scim("GET", `/Users/${id}`);
    const etag = read.headers.get("etag")!;
    const first = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "One" }] }, { headers: { "If-Match": etag } });
    expect(first.status).toBe(200);
    const stale = await scim("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "Two" }] }, { headers: { "If-Match": etag } });
    expect(stale.status).toBe(412);
    expect((await row(id)).name).toBe("One");
  });

  it("an admin can be deactivated by the directory, but never the last active admin", async () => {
    const fine = await scim("PATCH", `/Users/${secondAdmin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(fine.status).toBe(200);
    expect((await row(secondAdmin.id)).deactivatedAt).not.toBeNull();
    const admins = (await db().select({ n: count() }).from(users).where(and(eq(users.role, "admin"), isNull(users.deactivatedAt))).get())!.n;
    expect(admins).toBe(1);
    for (const attempt of [
      () => scim("PATCH", `/Users/${firstAdmin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] }),
      () => scim("DELETE", `/Users/${firstAdmin.id}`),
      async () => scim("PUT", `/Users/${firstAdmin.id}`, { userName: (await row(firstAdmin.id)).email, displayName: "Renamed Admin", active: false }),
    ]) {
      const refused = await attempt();
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("last active admin") });
    }
    // Nothing of the refused PUT was written, its rename included.
    expect(await row(firstAdmin.id)).toMatchObject({ deactivatedAt: null });
    expect((await row(firstAdmin.id)).name).not.toBe("Renamed Admin");
    await scim("PATCH", `/Users/${secondAdmin.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: true }] });
  });
});

describe("groups are departments", () => {
  it("creates a group as Entra ID does, finds it by name, and adds and removes members in Entra's and Okta's shapes", async () => {
    const name = `Engineering ${Date.now()}`;
    const [ann, bo, cy] = [await makeUser(), await makeUser(), await makeUser()];
    const lookup = await scim("GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}"`)}`);
    expect(lookup.body.totalResults).toBe(0);
    const created = await scim("POST", "/Groups", { schemas: [GROUP_SCHEMA], externalId: "grp-eng-1", displayName: name, members: [] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ schemas: [GROUP_SCHEMA], displayName: name, externalId: "grp-eng-1", members: [], meta: { resourceType: "Group" } });
    expect((await scim("POST", "/Groups", { displayName: name.toUpperCase() })).body).toMatchObject({ status: "409", scimType: "uniqueness" });

    const added = await scim("PATCH", `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ value: String(ann.id) }, { value: String(bo.id) }, { value: String(cy.id) }] }],
    });
    expect(added.status).toBe(204);
    expect(await mapInOrder([ann, bo, cy], async (p) => (await row(p.id)).departmentId)).toEqual([Number(id), Number(id), Number(id)]);

    // Entra ID's membership check.
    const check = await scim("GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`id eq "${id}" and members[value eq "${ann.id}"]`)}`);
    expect(check.body.totalResults).toBe(1);
    expect(check.body.Resources[0].members).toBeUndefined();

    await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ value: String(ann.id) }] }] });
    await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${bo.id}"]` }] });
    expect((await row(ann.id)).departmentId).toBeNull();
    expect((await row(bo.id)).departmentId).toBeNull();
    const read = await scim("GET", `/Groups/${id}`);
    expect(read.body.members).toEqual([{ value: String(cy.id), display: cy.name, type: "User", $ref: `http://jamboree.test/scim/v2/Users/${cy.id}` }]);
    expect((await scim("GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`id eq "${id}" and members[value eq "${ann.id}"]`)}`)).body.totalResults).toBe(0);

    // Okta renames with a path-less replace, and replaces members outright.
    await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { id, displayName: `${name} EMEA` } }] });
    await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "members", value: [{ value: String(ann.id), display: ann.name }] }] });
    expect((await db().select().from(departments).where(eq(departments.id, Number(id))).get())!.name).toBe(`${name} EMEA`);
    expect((await row(ann.id)).departmentId).toBe(Number(id));
    expect((await row(cy.id)).departmentId).toBeNull();

    // A member who is no one is refused, and nothing of that PATCH happens.
    const unknown = await scim("PATCH", `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: String(bo.id) }, { value: "999999" }] }] });
    expect(unknown).toMatchObject({ status: 400, body: { scimType: "invalidValue" } });
    expect((await row(bo.id)).departmentId).toBeNull();
  });

  it("a person in two groups is in the one whose membership came last; the enterprise department gives way to a group", async () => {
    const person = await makeUser();
    const first = (await scim("POST", "/Groups", { displayName: `First ${Date.now()}`, members: [{ value: String(person.id) }] })).body.id;
    const second = (await scim("POST", "/Groups", { displayName: `Second ${Date.now()}` })).body.id;
    await scim("PATCH", `/Groups/${second}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: String(person.id) }] }] });
    expect((await row(person.id)).departmentId).toBe(Number(second));
    // Leaving the first group, which they are no longer in, changes nothing.
    await scim("PATCH", `/Groups/${first}`, { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${person.id}"]` }] });
    expect((await row(person.id)).departmentId).toBe(Number(second));
    // In a directory group, the department attribute does not move them.
    await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: `${ENTERPRISE}:department`, value: "Somewhere Else" }] });
    expect((await row(person.id)).departmentId).toBe(Number(second));
    // In a team an admin made, it does.
    const admin = await makeDepartment();
    await db().update(users).set({ departmentId: admin.id }).where(eq(users.id, person.id)).run();
    await scim("PATCH", `/Users/${person.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: `${ENTERPRISE}:department`, value: "Somewhere Else" }] });
    expect((await db().select().from(departments).where(eq(departments.id, (await row(person.id)).departmentId!)).get())!.name).toBe("Somewhere Else");
  });

  it("DELETE takes everyone out and archives the department; a group of that name made later brings it back", async () => {
    const person = await makeUser();
    const name = `Temporary ${Date.now()}`;
    const id = (await scim("POST", "/Groups", { displayName: name, members: [{ value: String(person.id) }] })).body.id;
    expect((await scim("DELETE", `/Groups/${id}`)).status).toBe(204);
    expect((await row(person.id)).departmentId).toBeNull();
    expect((await scim("GET", `/Groups/${id}`)).status).toBe(404);
    expect((await scim("GET", `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`)).body.totalResults).toBe(0);
    const again = await scim("POST", "/Groups", { displayName: name });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(id);
  });

  it("PUT renames a group and sets its members when it lists them", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const id = (await scim("POST", "/Groups", { displayName: `Put ${Date.now()}`, members: [{ value: String(a.id) }] })).body.id;
    const put = await scim("PUT", `/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: `Put renamed ${Date.now()}`, members: [{ value: String(b.id) }] });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([String(b.id)]);
    expect((await row(a.id)).departmentId).toBeNull();
    expect(
      (await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "department_changed"), eq(auditLog.subject, `user:${b.id}`)))
        .all())
        .map((r) => JSON.parse(r.detail!).actor),
    ).toEqual(["directory sync"]);
  });
});
