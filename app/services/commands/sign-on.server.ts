/**
 * Signing in with a company account (OpenID Connect): starting an attempt, finishing it when the
 * provider sends the browser back, and who that makes signed in. Accounts are found by their
 * (issuer, subject) key, never by e-mail: a provider account whose e-mail already belongs to a
 * password account is refused, and that person connects the two from their own settings while
 * signed in with their password. See docs/decisions/014-sign-on-accounts-keyed-on-issuer-and-subject.md.
 */
import { and, count, eq, inArray, isNull, lt, notExists, sql } from "drizzle-orm";
import { safeRedirect } from "~/auth/guard.server";
import { authorizationRequest, redeemAuthorizationCode, refusalOf } from "~/auth/oidc.server";
import { insertSession, type SessionUser } from "~/auth/session.server";
import { attemptIdFromToken, newAttemptToken, signOnStatus, type SignOnSettings } from "~/auth/sign-on.server";
import {
  directoryIds,
  fallbackName,
  identityKey,
  profileFromClaims,
  SIGN_ON_ATTEMPT_MS,
  tenantAllowed,
  type Claims,
  type IdentityKey,
  type SignOnProfile,
  type SignOnRefusal,
} from "~/domain/sign-on";
import { db, transaction, type Db } from "~db/client";
import { signOnAttempts, signOnIdentities, users } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { ensureDepartment } from "~/services/commands/directory.server";
import { Forbidden, ServiceError } from "~/services/errors";
import { passwordsAllowed } from "~/services/lookups/sign-on.server";

export interface SignOnMeta {
  ip: string | null;
  now?: number;
}

export type SignOnPurpose = "sign_in" | "connect";

/** Refuses a password sign-in or sign-up (403) when passwords are turned off, and audits it. */
export async function requirePasswordSignIn(conn: Db, what: "sign_in" | "sign_up", subject: string | null, meta: SignOnMeta) {
  if (await passwordsAllowed(conn)) return;
  // The audit row is a write: its own transaction (joined when the caller has one open).
  await transaction(async (tx) => await recordAudit(tx, { action: "password_sign_in_refused", subject, ip: meta.ip, at: meta.now ?? Date.now(), detail: { what } }));
  throw new ServiceError("Passwords are turned off here: sign in with your company account.", 403);
}

/**
 * Starts a sign-on attempt: its state, nonce and PKCE verifier go to the database under the hash of
 * a new random token (the browser's cookie), with where to go afterwards; the browser goes to the
 * returned address at the provider. It replaces the attempt this browser had pending
 * (`previousToken`), and sweeps out expired ones. `connect` needs the signed-in person.
 */
export async function beginSignOn(
  input: { purpose: SignOnPurpose; user: SessionUser | null; returnTo?: unknown; redirectUri: string; previousToken: string | null },
  meta: SignOnMeta,
): Promise<{ ok: true; token: string; url: string } | { ok: false; reason: SignOnRefusal }> {
  const status = signOnStatus();
  if (status.state !== "on") {
    await transaction(async (tx) => await recordAudit(tx, { action: "sign_on_refused", actorId: input.user?.id ?? null, ip: meta.ip, at: meta.now ?? Date.now(), detail: { reason: "not_configured" } }));
    return { ok: false, reason: "not_configured" };
  }
  if (input.purpose === "connect" && !input.user) throw new Forbidden("Sign in first to connect your company account.");
  let request: Awaited<ReturnType<typeof authorizationRequest>>;
  try {
    request = await authorizationRequest(status.settings, input.redirectUri);
  } catch (error) {
    console.error("sign-on: the provider's discovery failed:", error instanceof Error ? error.message : error);
    await transaction(async (tx) => await recordAudit(tx, { action: "sign_on_refused", actorId: input.user?.id ?? null, ip: meta.ip, at: meta.now ?? Date.now(), detail: { reason: "unavailable" } }));
    return { ok: false, reason: "unavailable" };
  }
  const now = meta.now ?? Date.now();
  const token = newAttemptToken();
  const returnTo = input.purpose === "connect" ? "/me?tab=sessions" : safeRedirect(typeof input.returnTo === "string" ? input.returnTo : null);
  await transaction(async (tx) => {
    await tx.delete(signOnAttempts).where(lt(signOnAttempts.expiresAt, now)).run();
    if (input.previousToken) await tx.delete(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(input.previousToken))).run();
    await tx.insert(signOnAttempts)
      .values({
        id: attemptIdFromToken(token),
        state: request.secrets.state,
        nonce: request.secrets.nonce,
        codeVerifier: request.secrets.codeVerifier,
        redirectUri: input.redirectUri,
        returnTo,
        purpose: input.purpose,
        userId: input.purpose === "connect" ? input.user!.id : null,
        createdAt: now,
        expiresAt: now + SIGN_ON_ATTEMPT_MS,
      })
      .run();
  });
  return { ok: true, token, url: request.url.href };
}

export type SignOnOutcome =
  | { kind: "signed_in"; sessionToken: string; user: SessionUser; created: boolean; returnTo: string }
  | { kind: "connected"; returnTo: string }
  | { kind: "refused"; reason: SignOnRefusal; purpose: SignOnPurpose };

/**
 * Finishes an attempt when the provider sends the browser back to `callback` (the request's
 * address): takes the attempt of the browser's token (once: it is deleted as it is read, so a
 * replayed callback finds nothing), checks its age and state, redeems the code (PKCE, nonce and
 * the ID token's checks), then signs the person in, creates them on their first sign-in, or
 * connects the account to the signed-in `user`. Every refusal is audited with its reason.
 */
export async function completeSignOn(
  input: { token: string | null; callback: URL; user: SessionUser | null },
  meta: SignOnMeta,
): Promise<SignOnOutcome> {
  const now = meta.now ?? Date.now();
  const guess: SignOnPurpose = input.user ? "connect" : "sign_in";
  const conn = db();
  const refuse = async (reason: SignOnRefusal, purpose: SignOnPurpose, detail: Record<string, unknown> = {}): Promise<SignOnOutcome> => {
    await transaction(async (tx) => await recordAudit(tx, { action: "sign_on_refused", actorId: input.user?.id ?? null, ip: meta.ip, at: now, detail: { reason, purpose, ...detail } }));
    return { kind: "refused", reason, purpose };
  };
  const status = signOnStatus();
  if (status.state !== "on") return await refuse("not_configured", guess);
  if (!input.token) return await refuse("no_attempt", guess);
  const attempt = await conn.delete(signOnAttempts).where(eq(signOnAttempts.id, attemptIdFromToken(input.token))).returning().get();
  if (!attempt) return await refuse("no_attempt", guess);
  const purpose = attempt.purpose;
  if (attempt.expiresAt <= now) return await refuse("expired", purpose);
  if (input.callback.searchParams.get("state") !== attempt.state) return await refuse("state_mismatch", purpose);

  // The address the code was issued for, with the provider's answer on it.
  const callback = new URL(attempt.redirectUri);
  callback.search = input.callback.search;
  let claims: Claims;
  try {
    claims = await redeemAuthorizationCode(status.settings, callback, {
      state: attempt.state,
      nonce: attempt.nonce,
      codeVerifier: attempt.codeVerifier,
    });
  } catch (error) {
    const reason = refusalOf(error);
    if (reason !== "declined") console.error("sign-on: the provider's answer was refused:", error instanceof Error ? error.message : error);
    const provider = input.callback.searchParams.get("error");
    return await refuse(reason, purpose, provider ? { providerError: provider.slice(0, 100) } : {});
  }
  return await admitClaims(conn, claims, attempt, input.user, status.settings, { ip: meta.ip, now });
}

/**
 * What the provider's verified claims make of an attempt: the organisation checked, then the
 * person signed in (or created), or the account connected to `user`, in one transaction.
 */
export async function admitClaims(conn: Db, 
  claims: Claims,
  attempt: { purpose: SignOnPurpose; userId: number | null; returnTo: string },
  user: SessionUser | null,
  settings: Pick<SignOnSettings, "allowedTenants" | "departmentClaim">,
  meta: SignOnMeta,
): Promise<SignOnOutcome> {
  const now = meta.now ?? Date.now();
  const refuse: Refuse = async (conn, reason, purpose, detail = {}) => {
    await transaction(async (tx) => await recordAudit(tx, { action: "sign_on_refused", actorId: user?.id ?? null, ip: meta.ip, at: now, detail: { reason, purpose, ...detail } }));
    return { kind: "refused", reason, purpose };
  };
  if (!tenantAllowed(claims, settings.allowedTenants)) {
    return await refuse(conn, "tenant", attempt.purpose, { tenant: typeof claims.tid === "string" ? claims.tid.slice(0, 100) : null });
  }
  const key = identityKey(claims);
  const profile = profileFromClaims(claims, settings.departmentClaim);
  return await transaction(async (tx) =>
    attempt.purpose === "connect"
      ? await connectIdentity(tx, key, attempt.userId, user, attempt.returnTo, refuse, meta.ip, now)
      : await signInWithIdentity(tx, key, directoryIds(claims), profile, attempt.returnTo, refuse, meta.ip, now),
  );
}

type Refuse = (conn: Db, reason: SignOnRefusal, purpose: SignOnPurpose, detail?: Record<string, unknown>) => Promise<SignOnOutcome>;

async function identityRow(tx: Db, key: IdentityKey) {
  return await tx
    .select()
    .from(signOnIdentities)
    .where(and(eq(signOnIdentities.issuer, key.issuer), eq(signOnIdentities.subject, key.subject)))
    .get();
}

/** Connects the company account to the person who started connecting, if they are still the one signed in. */
async function connectIdentity(
  tx: Db,
  key: IdentityKey,
  startedBy: number | null,
  user: SessionUser | null,
  returnTo: string,
  refuse: Refuse,
  ip: string | null,
  now: number,
): Promise<SignOnOutcome> {
  if (!user || startedBy === null || user.id !== startedBy) return refuse(tx, "connect_signed_out", "connect", {});
  const existing = await identityRow(tx, key);
  if (existing && existing.userId !== user.id) {
    return refuse(tx, "identity_taken", "connect", { issuer: key.issuer, subject: key.subject });
  }
  if (!existing) {
    await tx.insert(signOnIdentities).values({ issuer: key.issuer, subject: key.subject, userId: user.id, createdAt: now, lastSignInAt: now }).run();
    await recordAudit(tx, { action: "sign_on_connected", actorId: user.id, subject: user.email, ip, at: now, detail: { issuer: key.issuer, subject: key.subject } });
  }
  return { kind: "connected", returnTo };
}

/** The id of the department named `name` (matched without regard to case), created when new. */
/** The department a sign-in's claim names (an archived one is brought back, a new one made), as directory sync does. */
async function departmentNamed(tx: Db, name: string, ip: string | null, now: number): Promise<number> {
  return (await ensureDepartment(tx, name, { actorId: null, actor: "company sign-on", ip, at: now })).id;
}

const SESSION_USER = { id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId };

/**
 * Signs in the person of the account `key`. A known account: refused when its person was
 * deactivated or erased; otherwise name and department follow the provider's claims. An unknown
 * account creates its person (just in time), unless its e-mail already belongs to someone here:
 * then nobody is signed in and nothing is created or joined.
 */
async function signInWithIdentity(
  tx: Db,
  key: IdentityKey,
  directoryIdsOfPerson: string[],
  profile: SignOnProfile,
  returnTo: string,
  refuse: Refuse,
  ip: string | null,
  now: number,
): Promise<SignOnOutcome> {
  let identity = await identityRow(tx, key);
  const keyDetail = { issuer: key.issuer, subject: key.subject };
  if (!identity) {
    // Someone the company directory provisioned (no password, its id for them as external id)
    // signs on for the first time: their account is connected by the directory's id, never by e-mail.
    const provisioned = await provisionedPerson(tx, key.issuer, directoryIdsOfPerson);
    if (provisioned) {
      identity = await tx
        .insert(signOnIdentities)
        .values({ issuer: key.issuer, subject: key.subject, userId: provisioned.id, createdAt: now, lastSignInAt: now })
        .returning()
        .get();
      await recordAudit(
        tx, { action: "sign_on_connected", actorId: provisioned.id, subject: `user:${provisioned.id}`, ip, at: now, detail: { ...keyDetail, via: "directory id" } },
      );
    }
  }
  if (identity) {
    const person = (await tx.select().from(users).where(eq(users.id, identity.userId)).get())!;
    if (person.erasedAt != null) return refuse(tx, "erased", "sign_in", { ...keyDetail, userId: person.id });
    if (person.deactivatedAt != null) return refuse(tx, "deactivated", "sign_in", { ...keyDetail, userId: person.id });
    const changes: { name?: string; departmentId?: number } = {};
    if (profile.name && profile.name !== person.name) changes.name = profile.name;
    if (profile.department) {
      const departmentId = await departmentNamed(tx, profile.department, ip, now);
      if (departmentId !== person.departmentId) {
        changes.departmentId = departmentId;
        await recordAudit(
          tx, { action: "department_changed", actorId: person.id, subject: `user:${person.id}`, ip, at: now, detail: { from: person.departmentId, to: departmentId, by: "sign_on" } },
        );
      }
    }
    const user = Object.keys(changes).length > 0 ? (await tx.update(users).set(changes).where(eq(users.id, person.id)).returning(SESSION_USER).get())! : pick(person);
    await tx.update(signOnIdentities).set({ lastSignInAt: now }).where(eq(signOnIdentities.id, identity.id)).run();
    await recordAudit(tx, { action: "sign_on", actorId: user.id, subject: user.email, ip, at: now, detail: keyDetail });
    return { kind: "signed_in", sessionToken: await insertSession(tx, user.id, now), user, created: false, returnTo };
  }

  if (!profile.email) return refuse(tx, "no_email", "sign_in", keyDetail);
  const sameEmail = await tx.select({ id: users.id }).from(users).where(eq(users.email, profile.email)).get();
  const emailTaken = async () =>
    refuse(tx, await passwordsAllowed(tx) ? "email_taken" : "email_taken_passwords_off", "sign_in", { ...keyDetail, email: profile.email, userId: sameEmail?.id ?? null });
  if (sameEmail) return await emailTaken();
  const isFirst = ((await tx.select({ n: count() }).from(users).get())?.n ?? 0) === 0;
  const role = isFirst ? "admin" : "participant";
  const user = await tx
    .insert(users)
    .values({
      name: profile.name ?? fallbackName(profile.email),
      email: profile.email,
      // No password can match an empty hash: this person signs in only through sign-on.
      passwordHash: "",
      role,
      departmentId: profile.department ? await departmentNamed(tx, profile.department, ip, now) : null,
      emailVerifiedAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: users.email })
    .returning(SESSION_USER)
    .get();
  if (!user) return await emailTaken();
  await tx.insert(signOnIdentities).values({ issuer: key.issuer, subject: key.subject, userId: user.id, createdAt: now, lastSignInAt: now }).run();
  await recordAudit(tx, { action: "sign_on_account_created", actorId: user.id, subject: user.email, ip, at: now, detail: { ...keyDetail, role } });
  await recordAudit(tx, { action: "sign_on", actorId: user.id, subject: user.email, ip, at: now, detail: keyDetail });
  return { kind: "signed_in", sessionToken: await insertSession(tx, user.id, now), user, created: true, returnTo };
}

/**
 * The person the directory provisioned under one of `ids`: no password (so nobody ever signed in
 * as them another way), not erased, and with no company account of this issuer connected yet.
 */
async function provisionedPerson(tx: Db, issuer: string, ids: string[]) {
  if (ids.length === 0) return undefined;
  return await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inArray(users.externalId, ids),
        eq(users.passwordHash, ""),
        isNull(users.erasedAt),
        notExists(
          tx.select({ one: sql`1` }).from(signOnIdentities).where(and(eq(signOnIdentities.userId, users.id), eq(signOnIdentities.issuer, issuer))),
        ),
      ),
    )
    .get();
}

function pick(person: typeof users.$inferSelect): SessionUser {
  const { id, name, email, role, departmentId } = person;
  return { id, name, email, role, departmentId };
}

export type { SignOnSettings };
