import { count, and, eq, ne } from "drizzle-orm";
import { type SessionUser, sessionIdFromToken } from "~/auth/session.server";
import { signOnStatus } from "~/auth/sign-on.server";
import { readEmailCheckStatus } from "~/services/lookups/email-check.server";
import { myActivity } from "~/services/pages/activity.server";
import { myCalendarFeed } from "~/services/pages/jellies.server";
import { db } from "~db/client";
import { sessions, signOnIdentities } from "~db/schema";

/** How many sessions the person has besides the one of `token` (other browsers and devices). */
export async function otherSessionCount(user: SessionUser, token: string | null): Promise<number> {
  const here = token ? sessionIdFromToken(token) : "";
  return (await db().select({ n: count() }).from(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, here))).get())?.n ?? 0;
}

/**
 * Whether the viewer's address still needs checking (a password account not checked yet), and
 * whether mail leaves at all: without SMTP_URL the check mail waits in the local outbox, where only
 * an admin reads it, so the banner that asks the person to follow it is not shown.
 */
export async function emailCheckStatus(viewer: Pick<SessionUser, "id">) {
  return await readEmailCheckStatus(db(), viewer);
}

/** The person's connected company accounts (for their own settings), and whether connecting is possible here. */
export async function companyAccountOf(user: SessionUser) {
  const status = signOnStatus();
  const connected = (await db()
    .select({ issuer: signOnIdentities.issuer, since: signOnIdentities.createdAt })
    .from(signOnIdentities)
    .where(eq(signOnIdentities.userId, user.id))
    .all())
    .map((i) => ({ provider: providerName(i.issuer), since: i.since }));
  return { available: status.state === "on", connected };
}

/** A provider's host, for people to recognise ("login.microsoftonline.com"). */
function providerName(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** Everything /me shows, in one call: one's activity tab, sessions elsewhere, company account, e-mail check and calendar feed. */
export async function mePage(viewer: SessionUser, input: { tab: string | null; page: string | null; sessionToken: string | null }) {
  return {
    name: viewer.name,
    ...(await myActivity(viewer, { tab: input.tab, page: input.page })),
    otherSessions: await otherSessionCount(viewer, input.sessionToken),
    companyAccount: await companyAccountOf(viewer),
    emailCheck: await emailCheckStatus(viewer),
    calendarFeed: await myCalendarFeed(viewer),
  };
}
