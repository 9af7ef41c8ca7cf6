import { and, count, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { isCommonPassword } from "~/auth/common-passwords.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "~/auth/password.server";
import { issueDeviceToken, trustedDevice, withDeviceToken } from "~/auth/device.server";
import { insertSession, invalidateSession, sessionIdFromToken, type SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { ROLES, type Role } from "~/domain/permissions";
import { db, transaction, type Db } from "~db/client";
import { departments, liveStreams, sessions, users } from "~db/schema";
import { passwordWeakness } from "~/domain/password-rules";
import { SIGN_IN_LIMITS, SIGN_UP_LIMITS, signInThrottledMessage, signUpThrottledMessage } from "~/domain/rate-limits";
import { recordAudit } from "~/services/effects/audit.server";
import { queueEmailCheck } from "~/services/commands/email-check.server";
import { Conflict, Invalid, NotFound, validate } from "~/services/errors";
import { countAttempt, forgetAttempts, rateLimitsEnabled, recordAttempt, uncountAttempt, type AttemptCheck } from "~/services/effects/rate-limiter.server";
import { readableText } from "~/domain/text";
import { requirePasswordSignIn } from "~/services/commands/sign-on.server";
import { requireCapability } from "~/services/lookups/guards.server";

export interface RequestMeta {
  ip: string | null;
  now?: number;
}

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@company.com." }));

export const SignUpInput = z.object({
  name: readableText(
    z
      .string({ error: "Enter your name." })
      .trim()
      .min(1, "Enter your name.")
      .max(LIMITS.personName, `Keep your name under ${LIMITS.personName} characters.`)
  ),
  email,
  password: z
    .string({ error: "Choose a password." })
    .min(LIMITS.password.min, `Use at least ${LIMITS.password.min} characters.`)
    .max(LIMITS.password.max, `Use at most ${LIMITS.password.max} characters.`),
  departmentId: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce.number({ error: "Choose your team." }).int("Choose your team.").positive("Choose your team.").optional(),
  ),
}).superRefine((data, ctx) => {
  const weakness = passwordWeakness(data.password, data, isCommonPassword);
  if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
});

export const SignInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(LIMITS.password.max),
});

/**
 * Creates an account; the very first of an empty instance is an admin. Refused (403) when
 * passwords are turned off (app/services/commands/sign-on.server.ts). A new account gets a mail with a link
 * to check its address (app/services/commands/email-check.server.ts). It signs nobody in, and
 * the route answers the same whether or not the email already had an account (then nothing
 * changes, and the attempt is audited): the answer must not tell a stranger who has an account.
 * `user` is the new account, or null when the email was taken (for seeds and tests, never shown).
 * Sign-ups are counted per address in the shared store before the password is hashed.
 */
export async function signUp(input: unknown, meta: RequestMeta): Promise<{ user: SessionUser | null }> {
  await requirePasswordSignIn(db(), "sign_up", emailOf(input), meta);
  const data = validate(SignUpInput, input);
  const now = meta.now ?? Date.now();
  if (meta.ip && rateLimitsEnabled()) {
    await countAttempt([{ key: `sign-up:address:${meta.ip}`, limits: SIGN_UP_LIMITS, message: signUpThrottledMessage }], now);
  }
  const passwordHash = await hashPassword(data.password);
  return await transaction(async (tx) => {
    // Teams are required once any exist; a brand-new instance has none yet.
    const hasDepartments = ((await tx.select({ n: count() }).from(departments).where(isNull(departments.archivedAt)).get())?.n ?? 0) > 0;
    if (hasDepartments) {
      const department = data.departmentId
        ? await tx.select().from(departments).where(and(eq(departments.id, data.departmentId), isNull(departments.archivedAt))).get()
        : undefined;
      if (!department) throw new Invalid({ departmentId: ["Choose your team from the list."] });
    }
    const isFirst = ((await tx.select({ n: count() }).from(users).get())?.n ?? 0) === 0;
    const role: Role = isFirst ? "admin" : "participant";
    const user = await tx
      .insert(users)
      .values({ name: data.name, email: data.email, passwordHash, role, departmentId: data.departmentId ?? null, createdAt: now })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get();
    if (!user) {
      await recordAudit(tx, { action: "sign_up_email_taken", subject: data.email, ip: meta.ip, at: now });
      return { user: null };
    }
    await recordAudit(tx, { action: "sign_up", actorId: user.id, subject: data.email, ip: meta.ip, at: now, detail: { role } });
    // A link to check the address (the outbox sends it after this commits); jam mail waits for it.
    await queueEmailCheck(tx, user, now);
    return { user };
  });
}

/** The email a form carried, for the audit of a refused one (cut short; not validated). */
function emailOf(input: unknown): string | null {
  const value = typeof input === "object" && input !== null ? (input as Record<string, unknown>).email : null;
  return typeof value === "string" ? value.trim().toLowerCase().slice(0, 254) : null;
}

/** An account's row, or undefined, by its (normalized) email. */
async function accountByEmail(conn: Db, address: string) {
  return await conn.select().from(users).where(eq(users.email, address)).get();
}

/**
 * Signs a person in. A browser with a device cookie for this account (`meta.device`, the cookie's
 * value) is trusted: it has a lockout count of its own. Every other browser shares the account's
 * count and its address's. The attempt is counted before the password is checked, in one
 * transaction across processes, and given back when the password is right, so only failures stay
 * counted (limits in app/domain/rate-limits.ts). Returns the session token and the device cookie's
 * new value, with a new token for this account.
 */
export async function signIn(
  input: unknown,
  meta: RequestMeta & { device?: string | null },
): Promise<{ token: string; user: SessionUser; device: string }> {
  await requirePasswordSignIn(db(), "sign_in", emailOf(input), meta);
  const data = validate(SignInInput, input);
  const now = meta.now ?? Date.now();
  const user = await accountByEmail(db(), data.email);
  const device = user ? await trustedDevice(db(), meta.device, user.id, now) : null;
  const checks: AttemptCheck[] = device
    ? [{ key: `sign-in:device:${device}`, limits: SIGN_IN_LIMITS.device, message: (s) => signInThrottledMessage("device", s) }]
    : [
        { key: `sign-in:account:${data.email}`, limits: SIGN_IN_LIMITS.account, message: (s) => signInThrottledMessage("account", s) },
        // An address is shared (a company's NAT): its limit refuses once failures reach it, but an
        // attempt counts there only once it failed, so a crowd signing in at 9:00 is never refused.
        ...(meta.ip
          ? [
              {
                key: `sign-in:address:${meta.ip}`,
                limits: SIGN_IN_LIMITS.address,
                message: (s: number) => signInThrottledMessage("address", s),
                checkOnly: true,
              },
            ]
          : []),
      ];
  await countAttempt(checks, now);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), data.password);
  if (!user || !ok) {
    for (const check of checks) if (check.checkOnly) await recordAttempt(check.key, check.limits, now);
    await transaction(async (tx) => await recordAudit(tx, { action: "sign_in_failed", subject: data.email, ip: meta.ip, at: now, detail: { trustedBrowser: device !== null } }));
    throw new Invalid({ form: ["That email and password do not match an account."] });
  }
  // The right password: this attempt was no failure, and a trusted browser starts its count again.
  if (device) await forgetAttempts(checks[0]!.key, now);
  else await uncountAttempt(checks.filter((c) => !c.checkOnly).map((c) => c.key), now);
  const signedIn = await transaction(async (tx) => {
    // Read again here: an admin may have deactivated the account while the password was checked.
    const current = await tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, user.id)).get();
    if (current?.deactivatedAt != null) {
      await recordAudit(tx, { action: "sign_in_refused_deactivated", actorId: user.id, subject: data.email, ip: meta.ip, at: now });
      return null;
    }
    await recordAudit(tx, { action: "sign_in", actorId: user.id, subject: data.email, ip: meta.ip, at: now });
    const token = await insertSession(tx, user.id, now);
    const { id, name, email: address, role, departmentId } = user;
    return { token, user: { id, name, email: address, role, departmentId }, device: withDeviceToken(meta.device, await issueDeviceToken(tx, user.id, now)) };
  });
  // Said only to someone who knows the password.
  if (!signedIn) throw new Invalid({ form: ["This account has been deactivated. Ask an admin if you need it again."] });
  return signedIn;
}

export async function signOut(token: string | null, user: SessionUser | null, meta: RequestMeta) {
  if (!token) return;
  await transaction(async (tx) => {
    await invalidateSession(tx, token);
    if (user) await recordAudit(tx, { action: "sign_out", actorId: user.id, ip: meta.ip, at: meta.now ?? Date.now() });
  });
}

/** "Sign out everywhere else": ends every session of the person but the one of `token`. */
export async function endOtherSessions(user: SessionUser, token: string | null, meta: RequestMeta): Promise<{ ended: number }> {
  const here = token ? sessionIdFromToken(token) : "";
  return await transaction(async (tx) => {
    const ended = (await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, here))).run()).changes;
    if (ended > 0) {
      await recordAudit(tx, { action: "other_sessions_ended", actorId: user.id, ip: meta.ip, at: meta.now ?? Date.now(), detail: { ended } });
    }
    return { ended };
  });
}

export async function recordRefusedAccess(user: SessionUser | null, path: string, meta: RequestMeta) {
  await transaction(async (tx) => await recordAudit(tx, { action: "access_refused", actorId: user?.id ?? null, subject: path, ip: meta.ip, at: meta.now ?? Date.now() }));
}

export const UpdatePersonInput = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES, { error: "Choose a role from the list." }),
  departmentId: z.coerce.number().int().positive("Choose a team from the list."),
});

/** Changes a person's role and team; each change is audited. An admin cannot demote themself. */
export async function updatePerson(actor: SessionUser, input: unknown, meta: RequestMeta) {
  requireCapability(actor, "administerPeople");
  const data = validate(UpdatePersonInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const person = await tx.select().from(users).where(eq(users.id, data.userId)).get();
    if (!person) throw new NotFound("No such person.");
    if (person.id === actor.id && data.role !== "admin") {
      throw new Invalid({ role: ["You cannot remove your own admin role; ask another admin."] });
    }
    const department = await tx.select().from(departments).where(and(eq(departments.id, data.departmentId), isNull(departments.archivedAt))).get();
    if (!department) throw new Invalid({ departmentId: ["Choose a team from the list."] });
    if (person.role !== data.role) {
      await tx.update(users).set({ role: data.role, updatedAt: now }).where(eq(users.id, person.id)).run();
      await recordAudit(
        tx, { action: "role_changed", actorId: actor.id, subject: `user:${person.id}`, ip: meta.ip, at: now, detail: { from: person.role, to: data.role } },
      );
    }
    if (person.departmentId !== data.departmentId) {
      await tx.update(users).set({ departmentId: data.departmentId, updatedAt: now }).where(eq(users.id, person.id)).run();
      await recordAudit(
        tx, { action: "department_changed", actorId: actor.id, subject: `user:${person.id}`, ip: meta.ip, at: now, detail: { from: person.departmentId, to: data.departmentId } },
      );
    }
    return { id: person.id, role: data.role, departmentId: data.departmentId };
  });
}

export const PersonInput = z.object({ userId: z.coerce.number({ error: "Choose a person." }).int().positive("Choose a person.") });

/** Who changes a person, for the audit: an admin (their id), or the company directory (`actor`). */
export interface ChangedBy {
  actorId: number | null;
  /** Who acted when no account did, or how an admin did ("directory sync", "CSV import"). */
  actor?: string;
  ip: string | null;
  at: number;
  /** More to record with the change (an import's id, say). */
  detail?: Record<string, unknown>;
}

/** The audit detail of a change made by `by`, with `extra`. */
export function auditDetail(by: ChangedBy, extra?: Record<string, unknown>): Record<string, unknown> | undefined {
  const detail = { ...extra, ...(by.actor ? { actor: by.actor } : {}), ...by.detail };
  return Object.keys(detail).length > 0 ? detail : undefined;
}

export const LAST_ADMIN_MESSAGE = "This is the last active admin: make another person an admin before deactivating this one.";

/**
 * Deactivates (`active: false`) or reactivates person `personId`, inside the caller's transaction.
 * A deactivated person cannot sign in, and every session of theirs ends here, so the very next
 * request of an open one is signed out (an open live stream ends at its next check); what they
 * wrote stays, under their name. The last active admin is never deactivated (Invalid). A change
 * that is already so writes nothing and returns false; each real change is audited.
 */
export async function setPersonActiveIn(tx: Db, personId: number, active: boolean, by: ChangedBy): Promise<boolean> {
  if (active) {
    // An erased account stays closed: it is nobody's any more (app/services/commands/erasure.server.ts).
    const erased = (await tx.select({ at: users.erasedAt }).from(users).where(eq(users.id, personId)).get())?.at ?? null;
    if (erased !== null) throw new Conflict("An erased account cannot be reactivated.");
  }
  if (!active) {
    const person = await tx.select({ role: users.role }).from(users).where(and(eq(users.id, personId), isNull(users.deactivatedAt))).get();
    if (person?.role === "admin") {
      const others =
        (await tx
          .select({ n: count() })
          .from(users)
          .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), isNull(users.erasedAt), ne(users.id, personId)))
          .get())?.n ?? 0;
      if (others === 0) throw new Invalid({ form: [LAST_ADMIN_MESSAGE] });
    }
  }
  const changed = (await tx
    .update(users)
    .set({ deactivatedAt: active ? null : by.at, updatedAt: by.at })
    .where(and(eq(users.id, personId), active ? isNotNull(users.deactivatedAt) : isNull(users.deactivatedAt)))
    .run()).changes;
  if (changed === 0) return false;
  const sessionsEnded = active ? 0 : (await tx.delete(sessions).where(eq(sessions.userId, personId)).run()).changes;
  await recordAudit(
    tx, {
      action: active ? "person_reactivated" : "person_deactivated",
      actorId: by.actorId,
      subject: `user:${personId}`,
      ip: by.ip,
      at: by.at,
      detail: auditDetail(by, active ? undefined : { sessionsEnded }),
    },
  );
  return true;
}

/**
 * An admin deactivates (`active: false`) or reactivates a person (setPersonActiveIn). An admin
 * cannot deactivate themself.
 */
async function setPersonActive(actor: SessionUser, input: unknown, active: boolean, meta: RequestMeta) {
  requireCapability(actor, "administerPeople");
  const { userId } = validate(PersonInput, input);
  if (!active && userId === actor.id) {
    throw new Invalid({ form: ["You cannot deactivate your own account; ask another admin."] });
  }
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const person = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId)).get();
    if (!person) throw new NotFound("No such person.");
    await setPersonActiveIn(tx, person.id, active, { actorId: actor.id, ip: meta.ip, at: now });
    return { ...person, active };
  });
}

/**
 * What deactivating does, in the caller's transaction: the account is marked deactivated (no
 * sign-in) and every session of theirs ends at once, so the next request of an open page is
 * signed out; their open live streams give up their places and end at their next check (every
 * LIVE_RECHECK_MS, and at every change to the jam). Erasure goes through here too.
 */
export async function deactivateIn(tx: Db, personId: number, now: number): Promise<{ changed: boolean; sessionsEnded: number }> {
  const changed =
    (await tx.update(users).set({ deactivatedAt: now, updatedAt: now }).where(and(eq(users.id, personId), isNull(users.deactivatedAt))).run()).changes > 0;
  const sessionsEnded = (await tx.delete(sessions).where(eq(sessions.userId, personId)).run()).changes;
  await tx.delete(liveStreams).where(eq(liveStreams.userId, personId)).run();
  return { changed, sessionsEnded };
}

export async function deactivatePerson(actor: SessionUser, input: unknown, meta: RequestMeta) {
  return await setPersonActive(actor, input, false, meta);
}

export async function reactivatePerson(actor: SessionUser, input: unknown, meta: RequestMeta) {
  return await setPersonActive(actor, input, true, meta);
}

export const DepartmentInput = z.object({
  name: readableText(z.string({ error: "Name the team." }).trim().min(1, "Name the team.").max(80, "Keep the name under 80 characters.")),
});

/** Admins add teams/departments; names are unique. */
export async function createDepartment(actor: SessionUser, input: unknown) {
  requireCapability(actor, "administerPeople");
  const data = validate(DepartmentInput, input);
  return await transaction(async (tx) => {
    const created = await tx.insert(departments).values({ name: data.name }).onConflictDoNothing().returning().get();
    if (!created) throw new Invalid({ name: [`A team called “${data.name}” already exists.`] });
    return created;
  });
}
