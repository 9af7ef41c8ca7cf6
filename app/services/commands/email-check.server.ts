/**
 * Checking the address of a password account: sign-up mails a link (`/email/check?t=…`, 7 days,
 * once, only its SHA-256 kept, tied to the address it was sent to); the page it opens has one
 * button that marks the address checked (`users.email_verified_at`; opening the page changes
 * nothing, so a mail scanner following the link checks nothing). Until then the person sees a
 * banner on My activity with "Send it again" (3 an hour), and gets no jam mail
 * (app/domain/mail.ts, addressMayReceive). Accounts of the company's sign-on need no check.
 */
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { composeMail } from "~/domain/mail";
import { EMAIL_CHECK_LIMITS, mailThrottledMessage } from "~/domain/rate-limits";
import { absoluteUrl } from "~/mail/config.server";
import { queueMail } from "~/mail/outbox.server";
import { db, transaction, type Db } from "~db/client";
import { emailCheckTokens, mailOutbox, users } from "~db/schema";
import type { RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { newLinkToken } from "~/services/commands/password-reset.server";
import { tokenId } from "~/services/lookups/password-reset.server";
import { countAttempt } from "~/services/effects/rate-limiter.server";
import { readEmailCheckStatus, readCheckLink } from "~/services/lookups/email-check.server";

export const CHECK_LINK_MS = 7 * 24 * 60 * 60_000;

/** Queues the check mail for a person's address inside the caller's transaction. */
export async function queueEmailCheck(tx: Db, person: { id: number; name: string; email: string }, now: number) {
  const { token, id } = newLinkToken();
  await tx.insert(emailCheckTokens).values({ id, userId: person.id, email: person.email, createdAt: now, expiresAt: now + CHECK_LINK_MS }).run();
  const { text, html } = composeMail({
    greeting: `Hello ${person.name},`,
    paragraphs: [
      `Please confirm that ${person.email} is your address, so Jamboree can send you invitations to jams and news of your ideas.`,
      "The link works for 7 days.",
    ],
    action: { label: "Confirm my address", url: absoluteUrl(`/email/check?t=${token}`) },
    after: ["If you did not create a Jamboree account, you can ignore this e-mail: nothing more will be sent to you."],
  });
  return await queueMail(tx, { userId: person.id, kind: "email_check", subject: "Confirm your e-mail address for Jamboree", text, html, dedupeKey: `email_check:${id}` }, now);
}

/** "Send it again" from the banner: a new link (the old ones keep working until they expire). Limited to 3 an hour. */
export async function sendEmailCheckAgain(viewer: Pick<SessionUser, "id">, meta: RequestMeta): Promise<{ sent: boolean; email: string }> {
  const now = meta.now ?? Date.now();
  const status = await readEmailCheckStatus(db(), viewer);
  if (!status.needsCheck) return { sent: false, email: status.email };
  await countAttempt([{ key: `email-check:${viewer.id}`, limits: EMAIL_CHECK_LIMITS, message: (s) => mailThrottledMessage("check", s) }], now);
  return await transaction(async (tx) => {
    const person = (await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, viewer.id)).get())!;
    await queueEmailCheck(tx, person, now);
    await recordAudit(tx, { action: "email_check_sent", actorId: person.id, subject: person.email, ip: meta.ip, at: now });
    return { sent: true, email: person.email };
  });
}

export type CheckLinkState = { state: "ok" | "done"; email: string } | { state: "expired" | "invalid" };

/** The page's button: marks the address checked, once (a second press finds it done). */
export async function confirmEmail(token: string | null, meta: RequestMeta): Promise<CheckLinkState> {
  const now = meta.now ?? Date.now();
  const state = await readCheckLink(db(), token, now);
  if (state.state !== "ok") return state;
  return await transaction(async (tx) => {
    const spent = await tx
      .update(emailCheckTokens)
      .set({ usedAt: now })
      .where(and(eq(emailCheckTokens.id, tokenId(token!)), isNull(emailCheckTokens.usedAt), gt(emailCheckTokens.expiresAt, now)))
      .returning({ userId: emailCheckTokens.userId, email: emailCheckTokens.email })
      .get();
    if (!spent) return { state: "done", email: state.email } as const;
    const changed = (await tx
      .update(users)
      .set({ emailVerifiedAt: now })
      .where(and(eq(users.id, spent.userId), eq(users.email, spent.email), isNull(users.emailVerifiedAt)))
      .run()).changes;
    if (changed > 0) await recordAudit(tx, { action: "email_checked", actorId: spent.userId, subject: spent.email, ip: meta.ip, at: now });
    return { state: "done", email: spent.email } as const;
  });
}

/**
 * Marks addresses as checked without a mail (the demo company's accounts, whose addresses are made
 * up), and takes back their check mails not sent yet.
 */
export async function markAddressesChecked(userIds: number[], now = Date.now()) {
  if (userIds.length === 0) return;
  await transaction(async (tx) => {
    for (let i = 0; i < userIds.length; i += 500) {
      const some = userIds.slice(i, i + 500);
      await tx.update(users).set({ emailVerifiedAt: now }).where(and(inArray(users.id, some), isNull(users.emailVerifiedAt))).run();
      await tx.delete(mailOutbox).where(and(inArray(mailOutbox.userId, some), eq(mailOutbox.kind, "email_check"), eq(mailOutbox.status, "queued"))).run();
    }
  });
}
