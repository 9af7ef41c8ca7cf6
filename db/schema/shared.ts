/** What the server processes share (app/coordination). All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * Live events, in the order they happened across every process: each process delivers them to
 * its own streams in id order, and a reconnecting browser gets what it missed from any process.
 * Old rows are pruned (the newest LIVE_EVENTS_KEPT stay).
 */
export const liveEvents = sqliteTable(
  "live_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id").notNull(),
    type: text("type").notNull(),
    /** JSON. */
    data: text("data").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("live_events_jam_idx").on(t.jamId, t.id)],
);

/** Per-person rate limits: each key's recent hits (JSON array of epoch ms), counted by every process. */
export const rateHits = sqliteTable("rate_hits", {
  key: text("key").primaryKey(),
  hits: text("hits").notNull(),
  /** The newest hit, for sweeping out idle keys. */
  lastAt: integer("last_at").notNull(),
});

/** Background work that must run in one process at a time: who holds it, until when. */
export const leases = sqliteTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

/**
 * Open live streams (Server-Sent Events), so a person's streams can be counted across every
 * process. A stream renews its row while it runs; a row whose process died expires by itself.
 */
export const liveStreams = sqliteTable(
  "live_streams",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("live_streams_user_idx").on(t.userId, t.expiresAt), index("live_streams_expiry_idx").on(t.expiresAt)],
);

/**
 * Background work that must run exactly once, whichever process does it (app/coordination/jobs.server.ts):
 * a job is pending until `done_at`; a process claims it until `claimed_until` (a claim that runs
 * out, because its process died, is taken again); `kind` + `key` name it, one pending job per name.
 * A job given up after its last attempt is done with `last_error` kept.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    /** JSON. */
    payload: text("payload").notNull(),
    runAfter: integer("run_after").notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: integer("claimed_until"),
    doneAt: integer("done_at"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("jobs_pending_key_idx").on(t.kind, t.key).where(sql`done_at IS NULL`),
    index("jobs_due_idx").on(t.kind, t.runAfter).where(sql`done_at IS NULL`),
    index("jobs_done_idx").on(t.doneAt),
  ],
);
