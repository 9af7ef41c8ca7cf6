import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { composeMail } from "~/domain/mail";
import { TEST_MAIL_LIMITS, mailThrottledMessage } from "~/domain/rate-limits";
import { absoluteUrl } from "~/mail/config.server";
import { queueMail } from "~/mail/outbox.server";
import type { RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { countAttempt } from "~/services/effects/rate-limiter.server";
import { Invalid, validate } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { mailTransportSummary } from "~/services/lookups/mail.server";
import { transaction } from "~db/client";
import { mailOutbox } from "~db/schema";

/**
 * Queues a test e-mail to the admin themself (always at once, whatever their choices), so they can
 * see that mail leaves and how it looks. At most 5 in 10 minutes. Returns the message's id.
 */
export async function sendTestMail(actor: SessionUser, meta: RequestMeta): Promise<{ id: number; to: string }> {
  requireCapability(actor, "administerPeople");
  const now = meta.now ?? Date.now();
  await countAttempt([{ key: `mail-test:${actor.id}`, limits: TEST_MAIL_LIMITS, message: (s) => mailThrottledMessage("test", s) }], now);
  const transport = mailTransportSummary();
  return await transaction(async (tx) => {
    const { text, html } = composeMail({
      greeting: `Hello ${actor.name},`,
      paragraphs: [
        "This is a test e-mail from Jamboree. If you are reading it in your inbox, mail reaches people.",
        transport.smtp ? `It went out through ${transport.smtp}, from ${transport.from}.` : "No SMTP_URL is set, so it stays in Jamboree's local outbox.",
      ],
      action: { label: "Open the mail page", url: absoluteUrl("/admin/mail") },
    });
    const result = await queueMail(
      tx,
      { userId: actor.id, kind: "test", subject: "Test e-mail from Jamboree", text, html, dedupeKey: `test:${now}:${Math.random().toString(36).slice(2, 10)}` },
      now,
    );
    if (result.outcome !== "queued") throw new Invalid({ form: ["Your account cannot get e-mail (it is deactivated)."] });
    await recordAudit(tx, { action: "mail_test_queued", actorId: actor.id, subject: `mail:${result.outboxId}`, ip: meta.ip, at: now });
    return { id: result.outboxId, to: actor.email };
  });
}

export const RetryInput = z.object({ messageId: z.coerce.number({ error: "Choose a message." }).int().positive("Choose a message.") });

/** Tries a failed message again from its first attempt, with the same Message-ID. Only a failed one. */
export async function retryMessage(actor: SessionUser, input: unknown, meta: RequestMeta) {
  requireCapability(actor, "administerPeople");
  const { messageId } = validate(RetryInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const changed = (await tx
      .update(mailOutbox)
      .set({ status: "queued", attempts: 0, nextAttemptAt: now, claimedBy: null, claimedUntil: null })
      .where(and(eq(mailOutbox.id, messageId), eq(mailOutbox.status, "failed")))
      .run()).changes;
    if (changed === 0) throw new Invalid({ form: ["Only a message that failed can be sent again; this one is not failed (any more)."] });
    await recordAudit(tx, { action: "mail_retried", actorId: actor.id, subject: `mail:${messageId}`, ip: meta.ip, at: now });
    return { id: messageId };
  });
}
