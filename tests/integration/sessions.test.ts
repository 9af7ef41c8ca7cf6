import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  validateSessionToken,
  type SessionUser,
} from "~/auth/session.server";
import { signIn, signOut, signUp, updatePerson } from "~/services/commands/accounts.server";
import { listPeople } from "~/services/pages/people-admin.server";
import { Forbidden, Invalid } from "~/services/errors";
import { db } from "~db/client";
import { auditLog, sessions, users } from "~db/schema";
import { makeDepartment, makeUser } from "../factories";

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60_000;

function sha256Hex(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

async function sessionRow(token: string) {
  return await db().select().from(sessions).where(eq(sessions.id, sha256Hex(token))).get();
}

async function allSessionText() {
  return JSON.stringify(await db().all(sql`SELECT * FROM sessions`));
}

let ipCounter = 0;
/** A fresh address per test, so the per-address throttle of one test never touches another. */
function freshIp() {
  ipCounter += 1;
  return `192.0.2.${ipCounter}`;
}

let departmentId: number;
beforeAll(async () => {
  departmentId = (await makeDepartment()).id;
});

async function newAccount(email = `someone-${Math.random().toString(36).slice(2)}@example.test`) {
  const password = "a-long-enough-password";
  const { user } = await signUp({ name: "Someone", email, password, departmentId }, { ip: freshIp() });
  const { token } = await signIn({ email, password }, { ip: freshIp() });
  return { token, user: user!, email, password };
}

describe("sessions", () => {
  it("a session token has at least 128 bits and only its SHA-256 is stored", async () => {
    const { token, user } = await newAccount();
    expect(token).toMatch(/^[a-z2-7]{26,}$/); // base32: 5 bits a character
    expect(token.length * 5).toBeGreaterThanOrEqual(128);
    const row = await sessionRow(token);
    expect(row).toMatchObject({ id: sha256Hex(token), userId: user.id });
    expect(row!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await allSessionText()).not.toContain(token);
    expect(await validateSessionToken(token)).toMatchObject({ id: user.id });
  });

  it("sign-in returns a new token every time and stores only its SHA-256", async () => {
    const { email, password, user } = await newAccount();
    const ip = freshIp();
    const a = await signIn({ email, password }, { ip });
    const b = await signIn({ email: email.toUpperCase(), password }, { ip });
    expect(a.user.id).toBe(user.id);
    expect(a.token).not.toBe(b.token);
    for (const t of [a.token, b.token]) {
      expect(await sessionRow(t)).toMatchObject({ id: sha256Hex(t), userId: user.id });
    }
    const text = await allSessionText();
    expect(text).not.toContain(a.token);
    expect(text).not.toContain(b.token);
    expect(JSON.stringify(await db().select().from(auditLog).all())).not.toContain(a.token);
    const ids = await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id)).all();
    expect(ids).toHaveLength(3); // the first sign-in's and two more
  });

  it("sign-out deletes the session row and the token stops working", async () => {
    const { token, user } = await newAccount();
    const other = await signIn({ email: user.email, password: "a-long-enough-password" }, { ip: freshIp() });
    expect(await sessionRow(token)).toBeDefined();
    await signOut(token, user, { ip: "192.0.2.250" });
    expect(await sessionRow(token)).toBeUndefined();
    expect(await validateSessionToken(token)).toBeNull();
    // Only that session ends.
    expect(await validateSessionToken(other.token)).toMatchObject({ id: user.id });
    const audited = await db().select().from(auditLog).where(and(eq(auditLog.action, "sign_out"), eq(auditLog.actorId, user.id))).all();
    expect(audited).toHaveLength(1);
  });

  it("an unknown token is not a session", async () => {
    expect(await validateSessionToken("a".repeat(32))).toBeNull();
    expect(await validateSessionToken("")).toBeNull();
  });

  it("an expired session is refused and deleted", async () => {
    const { token } = await newAccount();
    const row = (await sessionRow(token))!;
    expect(row.expiresAt - row.createdAt).toBe(SESSION_IDLE_MS);
    expect(await validateSessionToken(token, row.expiresAt)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
    // And it stays gone, even if the clock were turned back.
    expect(await validateSessionToken(token, row.createdAt + 1)).toBeNull();
  });

  it("a session used after half its idle window slides forward, and a fresh one does not move", async () => {
    const t0 = Date.now();
    const { email, password } = await newAccount();
    const { token } = await signIn({ email, password }, { ip: freshIp(), now: t0 });
    expect((await sessionRow(token))!.expiresAt).toBe(t0 + SESSION_IDLE_MS);

    // More than half the idle window left: no write.
    expect(await validateSessionToken(token, t0 + DAY)).not.toBeNull();
    expect((await sessionRow(token))!.expiresAt).toBe(t0 + SESSION_IDLE_MS);

    // Less than half left: slides to a full idle window from now.
    const at = t0 + SESSION_IDLE_MS / 2 + MINUTE;
    expect(await validateSessionToken(token, at)).not.toBeNull();
    expect((await sessionRow(token))!.expiresAt).toBe(at + SESSION_IDLE_MS);
  });

  it("a session kept in use never lives past its absolute cap", async () => {
    const t0 = Date.now();
    const { email, password } = await newAccount();
    const { token } = await signIn({ email, password }, { ip: freshIp(), now: t0 });
    const cap = t0 + SESSION_ABSOLUTE_MS;
    let slid = 0;
    for (let t = t0 + 4 * DAY; t < cap; t += 2 * DAY) {
      const before = (await sessionRow(token))!.expiresAt;
      expect(await validateSessionToken(token, t), `day ${(t - t0) / DAY}`).not.toBeNull();
      const after = (await sessionRow(token))!.expiresAt;
      expect(after).toBeLessThanOrEqual(cap);
      if (after !== before) slid += 1;
    }
    expect(slid).toBeGreaterThan(3);
    expect((await sessionRow(token))!.expiresAt).toBe(cap);
    expect(await validateSessionToken(token, cap - 1)).not.toBeNull();
    expect((await sessionRow(token))!.expiresAt).toBe(cap);
    expect(await validateSessionToken(token, cap)).toBeNull();
    expect(await sessionRow(token)).toBeUndefined();
  });
});

describe("passwords", () => {
  it("are stored as argon2id hashes with OWASP's parameters", async () => {
    const { user, password } = await newAccount();
    const { passwordHash } = (await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get())!;
    expect(passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(passwordHash).toContain("m=19456,t=2,p=1");
    expect(passwordHash).not.toContain(password);
  });

  it("a wrong password and an unknown email give the same answer", async () => {
    const { email } = await newAccount();
    const ip = freshIp();
    const wrong = await signIn({ email, password: "not-the-password" }, { ip }).catch((e: unknown) => e);
    const unknown = await signIn({ email: "nobody-at-all@example.test", password: "not-the-password" }, { ip }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(Invalid);
    expect(unknown).toBeInstanceOf(Invalid);
    expect((wrong as Invalid).fieldErrors).toEqual((unknown as Invalid).fieldErrors);
  });
});

describe("people administration", () => {
  let admin: SessionUser;
  beforeAll(async () => {
    admin = await makeUser({ role: "admin" });
  });

  it("a role change is audited as role_changed", async () => {
    const person = await makeUser();
    const result = await updatePerson(admin, { userId: person.id, role: "facilitator", departmentId: person.departmentId }, { ip: "198.51.100.7" });
    expect(result.role).toBe("facilitator");
    expect((await db().select({ role: users.role }).from(users).where(eq(users.id, person.id)).get())!.role).toBe("facilitator");
    const rows = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "role_changed"), eq(auditLog.subject, `user:${person.id}`)))
      .all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, ip: "198.51.100.7" });
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ from: "participant", to: "facilitator" });
  });

  it("saving a person without changing their role writes no role_changed row", async () => {
    const person = await makeUser();
    await updatePerson(admin, { userId: person.id, role: "participant", departmentId: person.departmentId }, { ip: null });
    const rows = await db().select().from(auditLog).where(eq(auditLog.subject, `user:${person.id}`)).all();
    expect(rows).toEqual([]);
  });

  it("an admin cannot remove their own admin role", async () => {
    await expect(async () => await updatePerson(admin, { userId: admin.id, role: "participant", departmentId: admin.departmentId }, { ip: null })).rejects.toThrow(Invalid);
  });

  it("a participant or facilitator cannot list or change people", async () => {
    const target = await makeUser();
    for (const role of ["participant", "facilitator", "leader"] as const) {
      const actor = await makeUser({ role });
      await expect(async () => await listPeople(actor, {})).rejects.toThrow(Forbidden);
      await expect(async () => await updatePerson(actor, { userId: target.id, role: "admin", departmentId: target.departmentId }, { ip: null })).rejects.toThrow(Forbidden);
      await expect(async () => await updatePerson(actor, { userId: actor.id, role: "admin", departmentId: actor.departmentId }, { ip: null })).rejects.toThrow(Forbidden);
    }
    expect((await db().select({ role: users.role }).from(users).where(eq(users.id, target.id)).get())!.role).toBe("participant");
  });

  it("an admin can list and search people", async () => {
    await makeUser({ name: "Findable Fernanda" });
    const found = await listPeople(admin, { q: "Fernanda" });
    expect(found.people.map((p) => p.name)).toEqual(["Findable Fernanda"]);
    expect(found.people[0]).not.toHaveProperty("passwordHash");
  });
});
