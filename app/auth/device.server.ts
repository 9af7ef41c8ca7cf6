/**
 * Device cookies, as OWASP's "Slow Down Online Guessing Attacks with Device Cookies" describes
 * them: a browser that signed in to an account carries a token for that account, signed with a key
 * derived from the app's secret. Sign-in trusts a browser that shows a genuine, unexpired token for
 * the very account it signs in to: such a browser has a lockout count of its own and is not held up
 * by failures from elsewhere (app/services/commands/accounts.server.ts).
 *
 * A token is `<user id>.<issued, epoch seconds in base 36>.<nonce>.<HMAC-SHA256, base64url>`; the
 * nonce names the device for its lockout count. Every successful sign-in replaces the account's
 * token with a new one. The cookie holds the tokens of the last few accounts signed in with the
 * browser (a shared computer), separated by "~".
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "~db/client";
import { derivedKey } from "./secret.server";
import { generateSessionToken, isHttps, readCookie } from "./session.server";

export const DEVICE_COOKIE = "jamboree_device";
/** Over HTTPS the device cookie is `__Host-` as the session cookie is: only this host, only over HTTPS, path `/`. */
export const SECURE_DEVICE_COOKIE = `__Host-${DEVICE_COOKIE}`;

function deviceCookieName(request: Request) {
  return isHttps(request) ? SECURE_DEVICE_COOKIE : DEVICE_COOKIE;
}
export const DEVICE_TOKEN_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;
const ACCOUNTS_PER_BROWSER = 5;
const TOKEN = /^(\d{1,12})\.([0-9a-z]{1,12})\.([a-z2-7]{32})\.([A-Za-z0-9_-]{43})$/;

async function signature(conn: Db, payload: string): Promise<Buffer> {
  return createHmac("sha256", await derivedKey(conn, "device-cookie")).update(payload).digest();
}

/** A new device token for the account. */
export async function issueDeviceToken(conn: Db, userId: number, now: number): Promise<string> {
  const payload = `${userId}.${Math.floor(now / 1000).toString(36)}.${generateSessionToken()}`;
  return `${payload}.${(await signature(conn, payload)).toString("base64url")}`;
}

function tokens(cookie: string | null | undefined): string[] {
  return cookie ? cookie.split("~").filter((t) => TOKEN.test(t)) : [];
}

/**
 * The device (its nonce) when `cookie` holds a genuine, unexpired token for `userId`; otherwise
 * null: the browser is untrusted for that account.
 */
export async function trustedDevice(conn: Db, cookie: string | null | undefined, userId: number, now: number): Promise<string | null> {
  for (const token of tokens(cookie)) {
    const [, id, issued, nonce, mac] = TOKEN.exec(token)!;
    if (Number(id) !== userId) continue;
    const issuedAt = parseInt(issued!, 36) * 1000;
    if (issuedAt > now || now - issuedAt >= DEVICE_TOKEN_LIFETIME_MS) continue;
    // Compared as text: a different spelling of the same bytes (base64's last character carries
    // spare bits) is not the token that was issued.
    const expected = (await signature(conn, `${id}.${issued}.${nonce}`)).toString("base64url");
    if (timingSafeEqual(Buffer.from(mac!), Buffer.from(expected))) return nonce!;
  }
  return null;
}

/** The cookie's value with `token` in place of any older token of the same account, newest first. */
export function withDeviceToken(cookie: string | null | undefined, token: string): string {
  const account = token.slice(0, token.indexOf(".") + 1);
  return [token, ...tokens(cookie).filter((t) => !t.startsWith(account))].slice(0, ACCOUNTS_PER_BROWSER).join("~");
}

export function readDeviceCookie(request: Request): string | null {
  return readCookie(request, deviceCookieName(request));
}

/** Sent only to this site's own pages (SameSite=Strict), never readable by scripts. */
export function deviceCookie(request: Request, value: string): string {
  const parts = [`${deviceCookieName(request)}=${value}`, "HttpOnly", "SameSite=Strict", "Path=/", `Max-Age=${Math.floor(DEVICE_TOKEN_LIFETIME_MS / 1000)}`];
  if (isHttps(request)) parts.push("Secure");
  return parts.join("; ");
}
