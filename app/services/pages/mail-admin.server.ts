/**
 * The admin's view of the outbox (/admin/mail): every message queued, sent, failed or cancelled,
 * newest first, a page at a time; one message with its headers and both parts; sending a failed
 * message again (same Message-ID); and a test e-mail to oneself. Without SMTP_URL this is where
 * mail is delivered: the local outbox.
 */
import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { OUTBOX_KIND_LABELS, OUTBOX_STATUSES, type OutboxStatus } from "~/domain/mail";
import { db } from "~db/client";
import { mailOutbox, users } from "~db/schema";
import { NotFound } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { mailTransportSummary } from "~/services/lookups/mail.server";

export const MAIL_PAGE = 25;

export const OutboxQuery = z.object({
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/** A page of the outbox, newest first, optionally of one status; with the count of each status. */
export async function mailOutboxPage(actor: SessionUser, input: unknown) {
  requireCapability(actor, "administerPeople");
  const { status, before } = OutboxQuery.parse(input);
  const conn = db();
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const row of await conn.select({ status: mailOutbox.status, n: count() }).from(mailOutbox).groupBy(mailOutbox.status).all()) counts[row.status] = row.n;
  const rows = await conn
    .select({
      id: mailOutbox.id,
      toAddress: mailOutbox.toAddress,
      kind: mailOutbox.kind,
      subject: mailOutbox.subject,
      status: mailOutbox.status,
      transport: mailOutbox.transport,
      attempts: mailOutbox.attempts,
      nextAttemptAt: mailOutbox.nextAttemptAt,
      lastError: mailOutbox.lastError,
      sentAt: mailOutbox.sentAt,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .where(and(status ? eq(mailOutbox.status, status) : undefined, before ? lt(mailOutbox.id, before) : undefined))
    .orderBy(desc(mailOutbox.id))
    .limit(MAIL_PAGE + 1)
    .all();
  const page = rows.slice(0, MAIL_PAGE).map((r) => ({ ...r, kindLabel: OUTBOX_KIND_LABELS[r.kind] }));
  return {
    messages: page,
    nextBefore: rows.length > MAIL_PAGE ? page[page.length - 1]!.id : null,
    status: status ?? null,
    counts,
    transport: mailTransportSummary(),
  };
}

/** One message as it was (or will be) sent: headers, the plain-text part and the HTML part. */
export async function mailMessage(actor: SessionUser, id: string | number | undefined) {
  requireCapability(actor, "administerPeople");
  const messageId = z.coerce.number().int().positive().safeParse(id);
  if (!messageId.success) throw new NotFound("No such message.");
  const row = await db()
    .select({ message: mailOutbox, recipient: users.name })
    .from(mailOutbox)
    .innerJoin(users, eq(users.id, mailOutbox.userId))
    .where(eq(mailOutbox.id, messageId.data))
    .get();
  if (!row) throw new NotFound("No such message.");
  const m = row.message;
  const transport = mailTransportSummary();
  const headers: [string, string][] = [
    ["From", transport.from],
    ["To", m.toAddress],
    ["Subject", m.subject],
    ["Message-ID", m.messageId],
    ...Object.entries(JSON.parse(m.headers) as Record<string, string>),
  ];
  return {
    id: m.id,
    recipient: row.recipient,
    kindLabel: OUTBOX_KIND_LABELS[m.kind],
    subject: m.subject,
    status: m.status,
    transport: m.transport,
    attempts: m.attempts,
    nextAttemptAt: m.nextAttemptAt,
    lastError: m.lastError,
    sentAt: m.sentAt,
    createdAt: m.createdAt,
    headers,
    text: m.textBody,
    html: m.htmlBody,
  };
}

/** How many messages wait or failed (a hint for the admin's pages). */
export async function mailAttention() {
  return (
    await db()
      .select({ failed: sql<number>`sum(${mailOutbox.status} = 'failed')`, queued: sql<number>`sum(${mailOutbox.status} = 'queued')` })
      .from(mailOutbox)
      .get() ?? { failed: 0, queued: 0 }
  );
}
