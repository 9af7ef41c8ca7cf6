/**
 * Accounts an admin deactivates and reactivates, and a person ending their other sessions.
 */
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertSession, validateSessionToken, type SessionUser } from "~/auth/session.server";
import {
  deactivatePerson,
  endOtherSessions,
  reactivatePerson,
  signIn,
} from "~/services/commands/accounts.server";
import { listPeople } from "~/services/pages/people-admin.server";
import { otherSessionCount } from "~/services/pages/me.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideaDetail } from "~/services/pages/idea.server";
import { db } from "~db/client";
import { auditLog, sessions } from "~db/schema";
import { makeIdea, makeJam, makeUser, TEST_PASSWORD } from "../factories";

const signInAs = (person: SessionUser) => signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.80" });
const sessionsOf = async (userId: number) => (await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, userId)).get())!.n;
const audited = async (action: string, subject: string) =>
  await db().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.subject, subject))).all();

let admin: SessionUser;
beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
});

describe("an admin deactivating a person", () => {
  it("ends every session of theirs at once, refuses their sign-in with a clear message, and leaves what they wrote visible", async () => {
    const { jam, challengeIds } = await makeJam();
    const person = await makeUser();
    const idea = await makeIdea(person, challengeIds[0]!, { title: "Quiet rooms on every floor" });
    const laptop = await signInAs(person);
    const phone = await signInAs(person);
    expect(await validateSessionToken(laptop.token)).toMatchObject({ id: person.id });

    const result = await deactivatePerson(admin, { userId: String(person.id) }, { ip: "198.51.100.9" });
    expect(result).toMatchObject({ id: person.id, name: person.name, active: false });

    // Every open session is over: the very next request of each is signed out.
    expect(await validateSessionToken(laptop.token)).toBeNull();
    expect(await validateSessionToken(phone.token)).toBeNull();
    expect(await sessionsOf(person.id)).toBe(0);

    // The right password no longer signs in, and says why (only to someone who knows the password).
    const refused = await signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.80", device: laptop.device }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Invalid);
    expect((refused as Invalid).fieldErrors.form).toEqual(["This account has been deactivated. Ask an admin if you need it again."]);
    const wrong = await signIn({ email: person.email, password: "not-the-password" }, { ip: "192.0.2.80" }).catch((e: unknown) => e);
    expect((wrong as Invalid).fieldErrors.form).toEqual(["That email and password do not match an account."]);
    expect(await sessionsOf(person.id)).toBe(0);

    // What they wrote stays, under their name.
    const reader = await makeUser();
    expect((await ideaDetail(reader, idea.id)).idea).toMatchObject({ title: "Quiet rooms on every floor", author: { id: person.id, name: person.name } });
    expect(jam.id).toBeGreaterThan(0);

    // The People page shows them as deactivated.
    expect((await listPeople(admin, { q: person.email })).people[0]).toMatchObject({ id: person.id, active: false });

    const rows = await audited("person_deactivated", `user:${person.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, ip: "198.51.100.9" });
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ sessionsEnded: 2 });
    expect(await audited("sign_in_refused_deactivated", person.email)).toHaveLength(1);
  });

  it("a session that reaches the database after the deactivation is still refused", async () => {
    const person = await makeUser();
    await deactivatePerson(admin, { userId: person.id }, { ip: null });
    const token = await insertSession(db(), person.id, Date.now()); // as if a sign-in had raced the deactivation
    expect(await validateSessionToken(token)).toBeNull();
  });

  it("reactivating lets them sign in again; both changes happen once however often they are asked for", async () => {
    const person = await makeUser();
    await deactivatePerson(admin, { userId: person.id }, { ip: null });
    await deactivatePerson(admin, { userId: person.id }, { ip: null });
    expect(await audited("person_deactivated", `user:${person.id}`)).toHaveLength(1);
    expect(await reactivatePerson(admin, { userId: person.id }, { ip: null })).toMatchObject({ id: person.id, active: true });
    await reactivatePerson(admin, { userId: person.id }, { ip: null });
    expect(await audited("person_reactivated", `user:${person.id}`)).toHaveLength(1);
    const back = await signInAs(person);
    expect(await validateSessionToken(back.token)).toMatchObject({ id: person.id });
    expect((await listPeople(admin, { q: person.email })).people[0]).toMatchObject({ active: true });
  });

  it("an admin cannot deactivate themself; only admins can deactivate or reactivate; an unknown person is not found", async () => {
    await expect(async () => await deactivatePerson(admin, { userId: admin.id }, { ip: null })).rejects.toThrow(Invalid);
    expect(await validateSessionToken(await insertSession(db(), admin.id, Date.now()))).toMatchObject({ id: admin.id });
    const target = await makeUser();
    for (const role of ["participant", "facilitator", "leader"] as const) {
      const actor = await makeUser({ role });
      await expect(async () => await deactivatePerson(actor, { userId: target.id }, { ip: null })).rejects.toThrow(Forbidden);
      await expect(async () => await reactivatePerson(actor, { userId: target.id }, { ip: null })).rejects.toThrow(Forbidden);
    }
    await expect(async () => await deactivatePerson(admin, { userId: 999_999 }, { ip: null })).rejects.toThrow(NotFound);
    await expect(async () => await deactivatePerson(admin, { userId: "nobody" }, { ip: null })).rejects.toThrow(Invalid);
    expect(await audited("person_deactivated", `user:${target.id}`)).toHaveLength(0);
  });
});

describe("signing out everywhere else", () => {
  it("ends every other session of the person, keeps this one, touches nobody else's, and is audited", async () => {
    const person = await makeUser();
    const other = await makeUser();
    const here = await signInAs(person);
    const laptop = await signInAs(person);
    const phone = await signInAs(person);
    const theirs = await signInAs(other);
    expect(await otherSessionCount(person, here.token)).toBe(2);

    expect(await endOtherSessions(person, here.token, { ip: "192.0.2.81" })).toEqual({ ended: 2 });
    expect(await validateSessionToken(here.token)).toMatchObject({ id: person.id });
    expect(await validateSessionToken(laptop.token)).toBeNull();
    expect(await validateSessionToken(phone.token)).toBeNull();
    expect(await validateSessionToken(theirs.token)).toMatchObject({ id: other.id });
    expect(await otherSessionCount(person, here.token)).toBe(0);

    const rows = await db().select().from(auditLog).where(and(eq(auditLog.action, "other_sessions_ended"), eq(auditLog.actorId, person.id))).all();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ ended: 2 });
    // Nothing else to end: no second audit row.
    expect(await endOtherSessions(person, here.token, { ip: null })).toEqual({ ended: 0 });
    expect(await db().select().from(auditLog).where(and(eq(auditLog.action, "other_sessions_ended"), eq(auditLog.actorId, person.id))).all()).toHaveLength(1);
  });
});
