/** E-mail: invitations, mailings, the outbox, digests, preferences and the links sent by mail. All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import { bigint, integer, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { CHOOSABLE_MAIL_KINDS, OUTBOX_KINDS } from "../../../app/domain/mail";
import { jams } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";

/**
 * People a facilitator invited to a jam (everyone, a department or a pasted list). One row per
 * person and jam, so inviting again reaches nobody twice. The invitation e-mail goes when the row
 * is written for a published jam, and for a draft when it is scheduled (`mailed_at` says when).
 * A jam with invitations tells its invitees (and the people who took part) about its opening,
 * pulse and reminder; a jam without any tells everyone.
 */
export const jamInvitations = pgTable(
  "jam_invitations",
  {
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    invitedBy: integer("invited_by").references(() => users.id),
    invitedAt: bigint("invited_at", { mode: "number" }).notNull(),
    /** When the invitation e-mail was queued; null while the jam is a draft. */
    mailedAt: bigint("mailed_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.jamId, t.userId] }),
    index("jam_invitations_user_idx").on(t.userId),
    index("jam_invitations_unmailed_idx").on(t.jamId).where(sql`${t.mailedAt} IS NULL`),
  ],
);

/**
 * A jam's mailings to many people that the clock brings (its opening, a day's pulse, the
 * reminder): claimed once per jam and occasion (the primary key), then worked through in batches
 * of people by id, each batch one transaction that moves `done_through` on, so a mailing that a
 * dying process left half done is finished by the next, and nobody gets it twice.
 */
export const jamMailings = pgTable(
  "jam_mailings",
  {
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** `opening`, `reminder` or `pulse:<day>` (days counted from the jam's start). */
    occasion: text("occasion").notNull(),
    /** The period a pulse tells about: [since, until). */
    since: bigint("since", { mode: "number" }),
    until: bigint("until", { mode: "number" }),
    startedAt: bigint("started_at", { mode: "number" }).notNull(),
    /** The highest person id the mailing has been through. */
    doneThrough: integer("done_through").notNull().default(0),
    /** How many messages it queued (people with nothing new get no pulse). */
    queued: integer("queued").notNull().default(0),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.jamId, t.occasion] }), index("jam_mailings_unfinished_idx").on(t.startedAt).where(sql`${t.finishedAt} IS NULL`)],
);

/**
 * Every message to send, written in the transaction of what it is about and sent later by
 * whichever server process claims it (`claimed_by` until `claimed_until`, a conditional update,
 * so one process sends each). Its Message-ID is made here, once: a message sent again after a
 * crash carries the same one. Without SMTP_URL, "sending" keeps the message here, where an admin
 * reads it (/admin/mail).
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    /** `<random@domain>`, made when the message is queued and sent with every attempt. */
    messageId: text("message_id").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** The address when the message was queued. */
    toAddress: text("to_address").notNull(),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** JSON object of extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: text("headers").notNull().default("{}"),
    status: text("status", { enum: ["queued", "sent", "failed", "cancelled"] }).notNull().default("queued"),
    /** How it went out: `smtp`, or `local` (kept here for the admin: no SMTP_URL). */
    transport: text("transport", { enum: ["smtp", "local"] }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    claimedBy: text("claimed_by"),
    claimedUntil: bigint("claimed_until", { mode: "number" }),
    lastError: text("last_error"),
    sentAt: bigint("sent_at", { mode: "number" }),
    /** What triggered it, per person: the same trigger again queues nothing. */
    dedupeKey: text("dedupe_key").notNull(),
    jamId: integer("jam_id").references(() => jams.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_outbox_once_uq").on(t.userId, t.dedupeKey),
    // The sender's question: what is due now.
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index("mail_outbox_status_idx").on(t.status, t.id),
  ],
);

/**
 * Mail a person chose to get as a daily or weekly digest: collected at `due_at` into one message
 * per person (`outbox_id` set in the same transaction), so each item goes out once.
 */
export const mailDigestItems = pgTable(
  "mail_digest_items",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: CHOOSABLE_MAIL_KINDS }).notNull(),
    delivery: text("delivery", { enum: ["daily", "weekly"] }).notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    dedupeKey: text("dedupe_key").notNull(),
    jamId: integer("jam_id").references(() => jams.id),
    dueAt: bigint("due_at", { mode: "number" }).notNull(),
    /** The digest message it went out in (null until collected). */
    outboxId: integer("outbox_id").references(() => mailOutbox.id),
    /** Set when collected without being sent (the person switched the kind off, or left). */
    droppedAt: bigint("dropped_at", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_digest_items_once_uq").on(t.userId, t.dedupeKey),
    index("mail_digest_items_due_idx").on(t.dueAt, t.userId).where(sql`${t.outboxId} IS NULL AND ${t.droppedAt} IS NULL`),
  ],
);

/** How a person chose to receive a kind of mail; a kind with no row gets its default (app/domain/mail.ts). */
export const mailPreferences = pgTable(
  "mail_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: CHOOSABLE_MAIL_KINDS }).notNull(),
    delivery: text("delivery", { enum: ["immediately", "daily", "weekly", "never"] }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** Password reset links: only the SHA-256 of the token is stored; each works once, for 30 minutes. */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    usedAt: bigint("used_at", { mode: "number" }),
  },
  (t) => [index("password_reset_tokens_user_idx").on(t.userId)],
);

/** Address check links for password accounts: the SHA-256 of the token, the address it checks, once, for 7 days. */
export const emailCheckTokens = pgTable(
  "email_check_tokens",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    email: text("email").notNull(),
    createdAt: createdAt(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    usedAt: bigint("used_at", { mode: "number" }),
  },
  (t) => [index("email_check_tokens_user_idx").on(t.userId)],
);

