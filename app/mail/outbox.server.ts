/**
 * The durable outbox. Mail is never sent inside a request: `queueMail` writes a row (or a digest
 * item) in the caller's transaction, so a message exists exactly when the change it tells about
 * committed, and the sender (app/mail/sender.server.ts) sends it later from whichever server
 * process claims it.
 *
 * - One message per (person, dedupe key): the same trigger again queues nothing.
 * - The person's choice for the kind decides: at once (an outbox row), a daily or weekly digest
 *   (a digest item, collected into one message per person by app/mail/digests.server.ts), or
 *   nothing. Deactivated and erased people get nothing; an address never checked gets no jam mail
 *   (app/domain/mail.ts, addressMayReceive).
 * - Each row gets its Message-ID here, once, and keeps it through every attempt.
 * - Claims: a conditional UPDATE (`claimed_until` passed or empty) marks a batch of due rows as
 *   this process's until `claimed_until`; SQLite runs one writer at a time, so each row is claimed
 *   by one process. A row whose process died is claimed again when its claim runs out (at once when
 *   that process ran on this machine), and sent again with the same Message-ID.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { holderIsGone } from "~/coordination/shared.server";
import {
  addressMayReceive,
  afterFailure,
  composeMail,
  deliveryFor,
  digestDueAt,
  escapeHtml,
  htmlDocument,
  isChoosable,
  MAIL_KIND_LABELS,
  unsubscribeScopeLabel,
  unsubscribeScopeOf,
  type ChoosableMailKind,
  type DigestDelivery,
  type MailDelivery,
  type MailKind,
  type OutboxKind,
} from "~/domain/mail";
import { publishAfterCommit, type Db } from "~db/client";
import { skipLocked } from "~db/dialect";
import { mailDigestItems, mailOutbox, mailPreferences, users } from "~db/schema";
import { absoluteUrl, newMessageId } from "./config.server";
import { unsubscribeUrl } from "./unsubscribe.server";

export interface MailInput {
  userId: number;
  kind: MailKind;
  /** One line; line breaks become spaces. */
  subject: string;
  /** The plain-text part (required: every message has one). The footer with the unsubscribe link is added. */
  text: string;
  /** The HTML part's content (a fragment; `composeMail` in app/domain/mail.ts makes one), optional. */
  html?: string | null;
  /** What triggered it, e.g. `invitation:jam:12`: per person, the same key queues nothing the second time. */
  dedupeKey: string;
  jamId?: number | null;
}

export type QueueResult =
  | { outcome: "queued"; outboxId: number; messageId: string }
  | { outcome: "digest"; delivery: DigestDelivery; dueAt: number; itemId: number }
  | { outcome: "duplicate" }
  | { outcome: "skipped"; reason: "no_account" | "inactive" | "unverified" | "preference" };

const MAX_SUBJECT = 200;
const MAX_KEY = 300;

/** A subject is one header line: no line breaks (they would start a header of their own). */
export function oneLine(subject: string): string {
  const flat = subject.replace(/[\r\n\t\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > MAX_SUBJECT ? `${flat.slice(0, MAX_SUBJECT - 1)}…` : flat;
}

/** The person's choice for each kind they set; kinds not set are absent (their default applies). */
export async function chosenDeliveries(conn: Db, userId: number): Promise<Partial<Record<ChoosableMailKind, MailDelivery>>> {
  const chosen: Partial<Record<ChoosableMailKind, MailDelivery>> = {};
  for (const row of await conn
    .select({ kind: mailPreferences.kind, delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(eq(mailPreferences.userId, userId))
    .all()) {
    chosen[row.kind] = row.delivery;
  }
  return chosen;
}

/** How `kind` reaches the person now (their choice, or the default). */
export async function currentDelivery(conn: Db, userId: number, kind: MailKind): Promise<MailDelivery> {
  if (!isChoosable(kind)) return "immediately";
  const row = await conn
    .select({ delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(and(eq(mailPreferences.userId, userId), eq(mailPreferences.kind, kind)))
    .get();
  return deliveryFor(kind, row?.delivery);
}

let onQueued: (() => void) | null = null;

/** The sender asks to hear when a message is queued in this process (after its commit), to send at once. */
export function whenMailQueued(callback: (() => void) | null) {
  onQueued = callback;
}

/**
 * Queues one message to one person inside the caller's transaction (`conn`), as their choice for
 * the kind says. Returns what it did; writes nothing for a duplicate or a skipped message.
 */
export async function queueMail(conn: Db, input: MailInput, now: number = Date.now()): Promise<QueueResult> {
  const dedupeKey = input.dedupeKey.slice(0, MAX_KEY);
  if (!dedupeKey) throw new Error("queueMail needs a dedupeKey");
  if (!input.text.trim()) throw new Error("queueMail needs a plain-text part");
  const person = await conn
    .select({
      id: users.id,
      email: users.email,
      passwordHash: users.passwordHash,
      emailVerifiedAt: users.emailVerifiedAt,
      deactivatedAt: users.deactivatedAt,
      erasedAt: users.erasedAt,
    })
    .from(users)
    .where(eq(users.id, input.userId))
    .get();
  if (!person) return { outcome: "skipped", reason: "no_account" };
  if (person.deactivatedAt !== null || person.erasedAt !== null) return { outcome: "skipped", reason: "inactive" };
  if (!addressMayReceive(input.kind, person)) return { outcome: "skipped", reason: "unverified" };
  if (await alreadyQueued(conn, person.id, dedupeKey)) return { outcome: "duplicate" };
  const delivery = await currentDelivery(conn, person.id, input.kind);
  if (delivery === "never") return { outcome: "skipped", reason: "preference" };
  const subject = oneLine(input.subject);
  if (delivery === "daily" || delivery === "weekly") {
    const dueAt = digestDueAt(delivery, now);
    const item = await conn
      .insert(mailDigestItems)
      .values({
        userId: person.id,
        kind: input.kind as ChoosableMailKind,
        delivery,
        subject,
        textBody: input.text,
        htmlBody: input.html ?? null,
        dedupeKey,
        jamId: input.jamId ?? null,
        dueAt,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: mailDigestItems.id })
      .get();
    return item ? { outcome: "digest", delivery, dueAt, itemId: item.id } : { outcome: "duplicate" };
  }
  const row = await insertOutboxRow(
    conn,
    { userId: person.id, toAddress: person.email, kind: input.kind, subject, text: input.text, html: input.html ?? null, dedupeKey, jamId: input.jamId ?? null },
    now,
  );
  return row ? { outcome: "queued", outboxId: row.id, messageId: row.messageId } : { outcome: "duplicate" };
}

async function alreadyQueued(conn: Db, userId: number, dedupeKey: string): Promise<boolean> {
  const inOutbox = await conn
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.dedupeKey, dedupeKey)))
    .get();
  if (inOutbox) return true;
  return !!await conn
    .select({ id: mailDigestItems.id })
    .from(mailDigestItems)
    .where(and(eq(mailDigestItems.userId, userId), eq(mailDigestItems.dedupeKey, dedupeKey)))
    .get();
}

/** Why the person gets this message, for its footer. */
function reason(kind: OutboxKind): string {
  if (kind === "daily_digest") return "You get this digest because you chose a daily digest for some e-mails.";
  if (kind === "weekly_digest") return "You get this digest because you chose a weekly digest for some e-mails.";
  if (kind === "password_reset") return "You get this because someone asked to reset the password of your Jamboree account.";
  if (kind === "email_check") return "You get this because this address was used to create a Jamboree account.";
  if (kind === "test") return "You get this because you sent yourself a test e-mail from Jamboree's mail page.";
  return `You get this because “${MAIL_KIND_LABELS[kind]}” e-mails are on in your Jamboree settings.`;
}

/**
 * Writes an outbox row with its Message-ID, the footer (why, how to stop it, where to choose) on
 * both parts, and the List-Unsubscribe headers (RFC 8058). Null when the (person, key) exists.
 */
export async function insertOutboxRow(
  conn: Db,
  message: { userId: number; toAddress: string; kind: OutboxKind; subject: string; text: string; html: string | null; dedupeKey: string; jamId: number | null },
  now: number,
): Promise<{ id: number; messageId: string } | null> {
  const scope = unsubscribeScopeOf(message.kind);
  const stop = await unsubscribeUrl(conn, message.userId, scope);
  const settings = absoluteUrl("/notifications/settings");
  const why = reason(message.kind);
  const stopLine = `Stop ${unsubscribeScopeLabel(scope)}: ${stop}`;
  const text = `${message.text.trimEnd()}\n\n-- \n${why}\n${stopLine}\nChoose which e-mails you get: ${settings}\n`;
  const inner = message.html ?? composeMail({ paragraphs: message.text.trim().split(/\n{2,}/) }).html;
  const footer = [
    escapeHtml(why),
    `<a href="${escapeHtml(stop)}" style="color:#4338ca;">Stop ${escapeHtml(unsubscribeScopeLabel(scope))}</a> · <a href="${escapeHtml(settings)}" style="color:#4338ca;">Choose which e-mails you get</a>`,
  ].join("<br>");
  const html = htmlDocument(message.subject, inner, footer);
  const headers = { "List-Unsubscribe": `<${stop}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
  const row = await conn
    .insert(mailOutbox)
    .values({
      messageId: newMessageId(),
      userId: message.userId,
      toAddress: message.toAddress,
      kind: message.kind,
      subject: message.subject,
      textBody: text,
      htmlBody: html,
      headers: JSON.stringify(headers),
      status: "queued",
      attempts: 0,
      nextAttemptAt: now,
      dedupeKey: message.dedupeKey,
      jamId: message.jamId,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: mailOutbox.id, messageId: mailOutbox.messageId })
    .get();
  if (row) publishAfterCommit(() => onQueued?.());
  return row ?? null;
}

// ---------------------------------------------------------------------------
// Claiming and settling (the sender)

export interface ClaimedMessage {
  id: number;
  messageId: string;
  userId: number;
  toAddress: string;
  kind: OutboxKind;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  headers: Record<string, string>;
  attempts: number;
}

/**
 * Claims up to `limit` due messages for `holder` until `now + claimMs` and counts the attempt, in
 * one statement: a row already claimed by someone whose claim has not run out is left alone, so
 * two processes never hold the same row.
 */
export async function claimDue(conn: Db, holder: string, now: number, limit: number, claimMs: number): Promise<ClaimedMessage[]> {
  const rows = await conn.all<Omit<ClaimedMessage, "headers"> & { headers: string }>(
    // The rows are picked once, in a WITH query: on PostgreSQL a `WHERE id IN (SELECT … LIMIT n
    // … SKIP LOCKED)` may be evaluated again for the rows it updates, and then claims more than n.
    sql`WITH picked AS (
          SELECT id FROM mail_outbox
          WHERE status = 'queued' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
          ORDER BY next_attempt_at, id LIMIT ${limit} ${skipLocked()}
        )
        UPDATE mail_outbox SET claimed_by = ${holder}, claimed_until = ${now + claimMs}, attempts = attempts + 1
        WHERE id IN (SELECT id FROM picked) AND status = 'queued' AND (claimed_until IS NULL OR claimed_until <= ${now})
        RETURNING id, message_id AS messageId, user_id AS userId, to_address AS toAddress, kind, subject,
                  text_body AS textBody, html_body AS htmlBody, headers, attempts`,
  );
  return rows
    .map((r) => ({ ...r, headers: JSON.parse(r.headers) as Record<string, string> }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Lets go of the claims of processes on this machine that have died (their pid is gone), so their
 * messages go out again now rather than when the claims run out. Returns how many rows it freed.
 */
export async function releaseClaimsOfDeadProcesses(conn: Db, now: number): Promise<number> {
  const holders = (
    await conn.all<{ holder: string }>(sql`SELECT DISTINCT claimed_by AS holder FROM mail_outbox WHERE status = 'queued' AND claimed_until > ${now}`)
  ).map((row) => row.holder);
  let freed = 0;
  for (const holder of holders) {
    if (!holderIsGone(holder)) continue;
    freed += (await conn.run(sql`UPDATE mail_outbox SET claimed_until = ${now} WHERE status = 'queued' AND claimed_by = ${holder} AND claimed_until > ${now}`)).changes;
  }
  return freed;
}

/** Kinds whose body holds a link that acts for the person (a reset, a check): not kept once sent by SMTP. */
const SECRET_LINK_KINDS = new Set<OutboxKind>(["password_reset", "email_check"]);
export const REDACTED_BODY = "[The link in this message worked for its recipient only and is not kept once it was sent.]";

/**
 * The message went out (or, with no SMTP_URL, stays here as delivered). Only while `holder` still
 * holds the claim: false when the claim was lost (it ran out and another process took it).
 */
export async function markSent(conn: Db, id: number, holder: string, transport: "smtp" | "local", now: number): Promise<boolean> {
  const row = await conn.select({ kind: mailOutbox.kind }).from(mailOutbox).where(eq(mailOutbox.id, id)).get();
  const redact = transport === "smtp" && row && SECRET_LINK_KINDS.has(row.kind);
  return (
    (await conn
      .update(mailOutbox)
      .set({
        status: "sent",
        transport,
        sentAt: now,
        claimedBy: null,
        claimedUntil: null,
        lastError: null,
        ...(redact ? { textBody: REDACTED_BODY, htmlBody: null } : {}),
      })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.claimedBy, holder), eq(mailOutbox.status, "queued")))
      .run()).changes > 0
  );
}

/**
 * An attempt failed: try again after the back-off (app/domain/mail.ts), or give up (status
 * failed) after the last attempt or at once when `permanent` (the server refused the message for
 * good). The error is kept for the admin.
 */
export async function markFailed(
  conn: Db,
  message: { id: number; attempts: number },
  holder: string,
  error: string,
  now: number,
  options: { permanent?: boolean; jitter?: number } = {},
): Promise<"retry" | "failed" | "lost"> {
  const next = options.permanent ? ({ giveUp: true } as const) : afterFailure(message.attempts, now, options.jitter ?? Math.random());
  const changes = (await conn
    .update(mailOutbox)
    .set(
      "giveUp" in next
        ? { status: "failed", lastError: error.slice(0, 1000), claimedBy: null, claimedUntil: null }
        : { nextAttemptAt: next.retryAt, lastError: error.slice(0, 1000), claimedBy: null, claimedUntil: null },
    )
    .where(and(eq(mailOutbox.id, message.id), eq(mailOutbox.claimedBy, holder), eq(mailOutbox.status, "queued")))
    .run()).changes;
  if (changes === 0) return "lost";
  return "giveUp" in next ? "failed" : "retry";
}

/** The message should not go out any more (its person left, or switched it off): cancelled, with why. */
export async function markCancelled(conn: Db, id: number, holder: string, why: string): Promise<boolean> {
  return (
    (await conn
      .update(mailOutbox)
      .set({ status: "cancelled", lastError: why, claimedBy: null, claimedUntil: null })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.claimedBy, holder), eq(mailOutbox.status, "queued")))
      .run()).changes > 0
  );
}

/**
 * Whether a claimed message should still go to its person: not when they were deactivated or
 * erased meanwhile, switched its kind off, or (an address check) already checked the address.
 * Returns the reason to cancel, or null to send.
 */
export async function reasonToCancel(conn: Db, message: Pick<ClaimedMessage, "userId" | "kind" | "toAddress">): Promise<string | null> {
  const person = await conn
    .select({ deactivatedAt: users.deactivatedAt, erasedAt: users.erasedAt, emailVerifiedAt: users.emailVerifiedAt, email: users.email })
    .from(users)
    .where(eq(users.id, message.userId))
    .get();
  if (!person || person.erasedAt !== null) return "The person's account was erased.";
  if (person.deactivatedAt !== null) return "The person's account was deactivated.";
  if (message.kind === "email_check" && person.emailVerifiedAt !== null && person.email === message.toAddress) {
    return "The address was checked before this message went out.";
  }
  if (message.kind !== "daily_digest" && message.kind !== "weekly_digest" && isChoosable(message.kind)) {
    if (await currentDelivery(conn, message.userId, message.kind) === "never") return "The person switched these e-mails off.";
  }
  return null;
}

/** Cancels a person's messages of these kinds not sent yet (they switched the kinds off), and drops their digest items. */
export async function cancelQueued(conn: Db, userId: number, kinds: ChoosableMailKind[], why: string, now: number): Promise<number> {
  if (kinds.length === 0) return 0;
  const cancelled = (await conn
    .update(mailOutbox)
    .set({ status: "cancelled", lastError: why, claimedBy: null, claimedUntil: null })
    .where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.status, "queued"), inArray(mailOutbox.kind, kinds), isNull(mailOutbox.claimedBy)))
    .run()).changes;
  await conn
    .update(mailDigestItems)
    .set({ droppedAt: now })
    .where(and(eq(mailDigestItems.userId, userId), inArray(mailDigestItems.kind, kinds), isNull(mailDigestItems.outboxId), isNull(mailDigestItems.droppedAt)))
    .run();
  return cancelled;
}

/**
 * Whether some queued message is due and not claimed by anyone now: a read on the due index, so
 * an idle sender looks without taking the write lock.
 */
export async function anyDue(conn: Db, now: number): Promise<boolean> {
  return (
    (await conn.get(
      sql`SELECT 1 AS due FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now}) LIMIT 1`,
    )) !== undefined
  );
}

/** When the next queued message falls due (null when none is waiting), to sleep until then. */
export async function nextDueAt(conn: Db): Promise<number | null> {
  return (
    ((await conn
      .select({ at: sql<number | null>`min(${mailOutbox.nextAttemptAt})` })
      .from(mailOutbox)
      .where(eq(mailOutbox.status, "queued"))
      .get())?.at as number | null | undefined) ?? null
  );
}
