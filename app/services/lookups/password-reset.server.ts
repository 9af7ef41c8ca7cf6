import { encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { eq } from "drizzle-orm";
import type { ResetLinkState } from "~/services/commands/password-reset.server";
import type { Db } from "~db/client";
import { passwordResetTokens, users } from "~db/schema";

/** A token as a link carries it: 43 base64url characters. Anything else is not one of ours. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function readResetLink(conn: Db, token: string | null, now: number): Promise<ResetLinkState> {
  if (!token || !TOKEN.test(token)) return { state: "invalid" };
  const row = await conn
    .select({ usedAt: passwordResetTokens.usedAt, expiresAt: passwordResetTokens.expiresAt, email: users.email, name: users.name, deactivatedAt: users.deactivatedAt, erasedAt: users.erasedAt })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.id, tokenId(token)))
    .get();
  if (!row || row.deactivatedAt !== null || row.erasedAt !== null) return { state: "invalid" };
  if (row.usedAt !== null) return { state: "used" };
  if (row.expiresAt <= now) return { state: "expired" };
  return { state: "ok", email: row.email, name: row.name };
}

export const RESET_LINK_REFUSALS = {
  invalid: "This reset link is not valid: it may have been cut short or changed. Ask for a new one.",
  used: "This reset link has already been used (or a newer one was). Ask for a new one if you need it.",
  expired: "This reset link has expired: links work for 30 minutes. Ask for a new one.",
} as const;

export function tokenId(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
