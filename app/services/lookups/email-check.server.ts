import { eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { smtpUrl } from "~/mail/config.server";
import type { CheckLinkState } from "~/services/commands/email-check.server";
import { tokenId } from "~/services/lookups/password-reset.server";
import type { Db } from "~db/client";
import { users, emailCheckTokens } from "~db/schema";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function readEmailCheckStatus(conn: Db, viewer: Pick<SessionUser, "id">): Promise<{ needsCheck: boolean; email: string; mailLeaves: boolean }> {
  const mailLeaves = smtpUrl() !== null;
  const person = await conn.select({ email: users.email, passwordHash: users.passwordHash, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, viewer.id)).get();
  if (!person) return { needsCheck: false, email: "", mailLeaves };
  return { needsCheck: person.passwordHash !== "" && person.emailVerifiedAt === null, email: person.email, mailLeaves };
}

export async function readCheckLink(conn: Db, token: string | null, now: number): Promise<CheckLinkState> {
  if (!token || !TOKEN.test(token)) return { state: "invalid" };
  const row = await conn
    .select({ email: emailCheckTokens.email, usedAt: emailCheckTokens.usedAt, expiresAt: emailCheckTokens.expiresAt, current: users.email, verifiedAt: users.emailVerifiedAt })
    .from(emailCheckTokens)
    .innerJoin(users, eq(users.id, emailCheckTokens.userId))
    .where(eq(emailCheckTokens.id, tokenId(token)))
    .get();
  // A link for an address the account no longer has checks nothing.
  if (!row || row.email !== row.current) return { state: "invalid" };
  if (row.usedAt !== null || row.verifiedAt !== null) return { state: "done", email: row.email };
  if (row.expiresAt <= now) return { state: "expired" };
  return { state: "ok", email: row.email };
}
