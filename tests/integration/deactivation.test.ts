/**
 * Accounts an admin deactivates and reactivates, and a person ending their other sessions.
 */
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertSession, validateSessionToken, type SessionUser } from "~/auth/session.server";
import {
  deactivatePerson,
  endOtherSessions,
  listPeople,
  otherSessionCount,
  reactivatePerson,
  signIn,
} from "~/services/accounts.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideaDetail } from "~/services/ideas.server";
import { db } from "~db/client";
import { auditLog, sessions } from "~db/schema";
import { makeIdea, makeJam, makeUser, TEST_PASSWORD } from "../factories";

const signInAs = (person: SessionUser) => signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.80" });
const sessionsOf = (userId: number) => db().select({ n: count() }).from(sessions).where(eq(sessions.userId, userId)).get()!.n;
const audited = (action: string, subject: string) =>
  db().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.subject, subject))).all();

let admin: SessionUser;
beforeAll(() => {
  admin = makeUser({ role: "admin" });
});

describe("an admin deactivating a person", () => {
  it("ends every session of theirs at once, refuses their sign-in with a clear message, and leaves what they wrote visible", async () => {
    const { jam, challengeIds } = makeJam();
    const person = makeUser();
    const idea = makeIdea(person, challengeIds[0]!, { title: "Quiet rooms on every floor" });
    const laptop = await signInAs(person);
    const phone = await signInAs(person);
    expect(validateSessionToken(laptop.token)).toMatchObject({ id: person.id });

    const result = deactivatePerson(admin, { userId: String(person.id) }, { ip: "198.51.100.9" });
    expect(result).toMatchObject({ id: person.id, name: person.name, active: false });

    // Every open session is over: the very next request of each is signed out.
    expect(validateSessionToken(laptop.token)).toBeNull();
    expect(validateSessionToken(phone.token)).toBeNull();
    expect(sessionsOf(person.id)).toBe(0);

    // The right password no longer signs in, and says why (only to someone who knows the password).
    const refused = await signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "192.0.2.80", device: laptop.device }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Invalid);
    expect((refused as Invalid).fieldErrors.form).toEqual(["This account has been deactivated. Ask an admin if you need it again."]);
    const wrong = await signIn({ email: person.email, password: "not-the-password" }, { ip: "192.0.2.80" }).catch((e: unknown) => e);
    expect((wrong as Invalid).fieldErrors.form).toEqual(["That email and password do not match an account."]);
    expect(sessionsOf(person.id)).toBe(0);

    // What they wrote stays, under their name.
    const reader = makeUser();
    expect(ideaDetail(reader, idea.id).idea).toMatchObject({ title: "Quiet rooms on every floor", author: { id: person.id, name: person.name } });
    expect(jam.id).toBeGreaterThan(0);

    // The People page shows them as deactivated.
    expect(listPeople(admin, { q: person.email }).people[0]).toMatchObject({ id: person.id, active: false });

    const rows = audited("person_deactivated", `user:${person.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, ip: "198.51.100.9" });
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ sessionsEnded: 2 });
    expect(audited("sign_in_refused_deactivated", person.email)).toHaveLength(1);
  });

  it("a session that reaches the database after the deactivation is still refused", () => {
    const person = makeUser();
    deactivatePerson(admin, { userId: person.id }, { ip: null });
    const token = insertSession(db(), person.id, Date.now()); // as if a sign-in had raced the deactivation
    expect(validateSessionToken(token)).toBeNull();
  });

  it("reactivating lets them sign in again; both changes happen once however often they are asked for", async () => {
    const person = makeUser();
    deactivatePerson(admin, { userId: person.id }, { ip: null });
    deactivatePerson(admin, { userId: person.id }, { ip: null });
    expect(audited("person_deactivated", `user:${person.id}`)).toHaveLength(1);
    expect(reactivatePerson(admin, { userId: person.id }, { ip: null })).toMatchObject({ id: person.id, active: true });
    reactivatePerson(admin, { userId: person.id }, { ip: null });
    expect(audited("person_reactivated", `user:${person.id}`)).toHaveLength(1);
    const back = await signInAs(person);
    expect(validateSessionToken(back.token)).toMatchObject({ id: person.id });
    expect(listPeople(admin, { q: person.email }).people[0]).toMatchObject({ active: true });
  });

  it("an admin cannot deactivate themself; only admins can deactivate or reactivate; an unknown person is not found", () => {
    expect(() => deactivatePerson(admin, { userId: admin.id }, { ip: null })).toThrow(Invalid);
    expect(validateSessionToken(insertSession(db(), admin.id, Date.now()))).toMatchObject({ id: admin.id });
    const target = makeUser();
    for (const role of ["participant", "facilitator", "leader"] as const) {
      const actor = makeUser({ role });
      expect(() => deactivatePerson(actor, { userId: target.id }, { ip: null })).toThrow(Forbidden);
      expect(() => reactivatePerson(actor, { userId: target.id }, { ip: null })).toThrow(Forbidden);
    }
    expect(() => deactivatePerson(admin, { userId: 999_999 }, { ip: null })).toThrow(NotFound);
    expect(() => deactivatePerson(admin, { userId: "nobody" }, { ip: null })).toThrow(Invalid);
    expect(audited("person_deactivated", `user:${target.id}`)).toHaveLength(0);
  });
});

describe("signing out everywhere else", () => {
  it("ends every other session of the person, keeps this one, touches nobody else's, and is audited", async () => {
    const person = makeUser();
    const other = makeUser();
    const here = await signInAs(person);
    const laptop = await signInAs(person);
    const phone = await signInAs(person);
    const theirs = await signInAs(other);
    expect(otherSessionCount(person, here.token)).toBe(2);

    expect(endOtherSessions(person, here.token, { ip: "192.0.2.81" })).toEqual({ ended: 2 });
    expect(validateSessionToken(here.token)).toMatchObject({ id: person.id });
    expect(validateSessionToken(laptop.token)).toBeNull();
    expect(validateSessionToken(phone.token)).toBeNull();
    expect(validateSessionToken(theirs.token)).toMatchObject({ id: other.id });
    expect(otherSessionCount(person, here.token)).toBe(0);

    const rows = db().select().from(auditLog).where(and(eq(auditLog.action, "other_sessions_ended"), eq(auditLog.actorId, person.id))).all();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ ended: 2 });
    // Nothing else to end: no second audit row.
    expect(endOtherSessions(person, here.token, { ip: null })).toEqual({ ended: 0 });
    expect(db().select().from(auditLog).where(and(eq(auditLog.action, "other_sessions_ended"), eq(auditLog.actorId, person.id))).all()).toHaveLength(1);
  });
});
