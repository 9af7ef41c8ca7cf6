import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, preparedQuery, transaction, type Db } from "~db/client";
import { sessions, users, type User } from "~db/schema";

/**
 * Sessions as Lucia's guide describes them: a random token (160 bits) lives only
 * in the cookie; the database holds its SHA-256. Expiry slides with use (7 days
 * idle) under an absolute cap (30 days from sign-in).
 */
export const SESSION_COOKIE = "jamboree_session";
/**
 * The cookie's name over HTTPS: a browser keeps a `__Host-` cookie only when it is Secure, for
 * Path=/ and without a Domain, so no other host (a sibling subdomain, a plain-http page) can set or
 * shadow it. Plain http (localhost, tests, the quick start) keeps SESSION_COOKIE.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 7 * DAY;
export const SESSION_ABSOLUTE_MS = 30 * DAY;

export type SessionUser = Pick<User, "id" | "name" | "email" | "role" | "departmentId">;

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

function slidingExpiry(createdAt: number, now: number) {
  return Math.min(now + SESSION_IDLE_MS, createdAt + SESSION_ABSOLUTE_MS);
}

/** Writes a new session for the user (call inside the sign-in transaction). */
export async function insertSession(tx: Db, userId: number, now: number): Promise<string> {
  const token = generateSessionToken();
  await tx
    .insert(sessions)
    .values({ id: sessionIdFromToken(token), userId, createdAt: now, expiresAt: slidingExpiry(now, now) })
    .run();
  return token;
}

const sessionWithUser = preparedQuery((conn) =>
  conn
    .select({
      expiresAt: sessions.expiresAt,
      createdAt: sessions.createdAt,
      user: { id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // A deactivated account has no sessions (deactivating deletes them); this refuses one that raced it.
    .where(and(eq(sessions.id, sql.placeholder("id")), isNull(users.deactivatedAt)))
    .prepare(),
);

export async function validateSessionToken(token: string, now = Date.now()): Promise<SessionUser | null> {
  const id = sessionIdFromToken(token);
  const row = await sessionWithUser(db()).get({ id });
  if (!row) return null;
  if (now >= row.expiresAt) {
    await transaction(async (tx) => await tx.delete(sessions).where(eq(sessions.id, id)).run());
    return null;
  }
  // Slide the expiry once half the idle window has passed (one write a few days at most).
  if (row.expiresAt - now < SESSION_IDLE_MS / 2) {
    await transaction(async (tx) => await tx.update(sessions).set({ expiresAt: slidingExpiry(row.createdAt, now) }).where(eq(sessions.id, id)).run());
  }
  return row.user;
}

export async function invalidateSession(conn: Db, token: string) {
  await conn.delete(sessions).where(eq(sessions.id, sessionIdFromToken(token))).run();
}

/**
 * Served over HTTPS: directly, or through a proxy TRUST_PROXY trusts (the server then builds the
 * request's address from X-Forwarded-Proto; without it that header is ignored).
 */
export function isHttps(request: Request) {
  return new URL(request.url).protocol === "https:";
}

/** The session cookie's name for this request: `__Host-jamboree_session` over HTTPS. */
function sessionCookieName(request: Request) {
  return isHttps(request) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

function cookieAttributes(request: Request, maxAgeSeconds: number) {
  return ["HttpOnly", "SameSite=Lax", "Path=/", `Max-Age=${maxAgeSeconds}`, ...(isHttps(request) ? ["Secure"] : [])];
}

export function sessionCookie(request: Request, token: string): string {
  return [`${sessionCookieName(request)}=${token}`, ...cookieAttributes(request, Math.floor(SESSION_ABSOLUTE_MS / 1000))].join("; ");
}

export function clearedSessionCookie(request: Request): string {
  return [`${sessionCookieName(request)}=`, ...cookieAttributes(request, 0)].join("; ");
}

/** A request's cookies by name (the first of a repeated name). */
function cookies(request: Request): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name && !found.has(name)) found.set(name, rest.join("="));
  }
  return found;
}

/**
 * Over HTTPS, a session cookie under the plain name (set before the `__Host-` name, or by anyone
 * who could write one) is never read: its holder signs in again. This is the Set-Cookie that
 * removes it from the browser, or null when the request carries none.
 */
export function staleSessionCookie(request: Request): string | null {
  if (!isHttps(request) || !cookies(request).has(SESSION_COOKIE)) return null;
  return [`${SESSION_COOKIE}=`, ...cookieAttributes(request, 0)].join("; ");
}

export function readSessionToken(request: Request): string | null {
  const value = cookies(request).get(sessionCookieName(request));
  return value !== undefined && /^[a-z2-7]{32}$/.test(value) ? value : null;
}

/** The value of the request's cookie `name` (the first one sent), or null. */
export function readCookie(request: Request, name: string): string | null {
  return cookies(request).get(name) ?? null;
}
