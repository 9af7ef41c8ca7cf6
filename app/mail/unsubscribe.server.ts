/**
 * One-click unsubscribe links (RFC 8058): `/mail/unsubscribe?t=TOKEN`, where the token names a
 * person and what to stop (a kind, a digest, or all mail they can switch off) and is signed with
 * HMAC-SHA256 under a key derived from the app's secret. No session is needed, so a mail client
 * can post it on its own; the signature is what makes it the person's. Links do not expire: a
 * message can sit in an inbox for years and its unsubscribe link must still work.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "~/auth/secret.server";
import type { Db } from "~db/client";
import { CHOOSABLE_MAIL_KINDS, type UnsubscribeScope } from "~/domain/mail";
import { absoluteUrl } from "./config.server";

const SCOPES: readonly string[] = [...CHOOSABLE_MAIL_KINDS, "daily_digest", "weekly_digest", "all"];

async function mac(conn: Db, payload: string): Promise<string> {
  return createHmac("sha256", await derivedKey(conn, "mail-unsubscribe")).update(payload).digest("base64url");
}

/** The token for `userId` and `scope`: `userId.scope.signature`. */
export async function unsubscribeToken(conn: Db, userId: number, scope: UnsubscribeScope): Promise<string> {
  const payload = `${userId}.${scope}`;
  return `${payload}.${await mac(conn, payload)}`;
}

/** The link a message carries (List-Unsubscribe and its footer). */
export async function unsubscribeUrl(conn: Db, userId: number, scope: UnsubscribeScope): Promise<string> {
  return absoluteUrl(`/mail/unsubscribe?t=${encodeURIComponent(await unsubscribeToken(conn, userId, scope))}`);
}

/** Who and what a token names, or null when it is malformed, altered or forged. */
export async function readUnsubscribeToken(conn: Db, token: string | null | undefined): Promise<{ userId: number; scope: UnsubscribeScope } | null> {
  if (typeof token !== "string" || token.length > 200) return null;
  const match = /^([1-9][0-9]{0,11})\.([a-z_]{1,20})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, id, scope, signature] = match as unknown as [string, string, string, string];
  if (!SCOPES.includes(scope)) return null;
  const expected = Buffer.from(await mac(conn, `${id}.${scope}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { userId: Number(id), scope: scope as UnsubscribeScope };
}
