/** What the server processes share (app/coordination). All times are UTC epoch milliseconds. */
import { bigint, integer, index, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Live events, in the order they happened across every process: each process delivers them to
 * its own streams in id order, and a reconnecting browser gets what it missed from any process.
 * Old rows are pruned (the newest LIVE_EVENTS_KEPT stay).
 */
export const liveEvents = pgTable(
  "live_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id").notNull(),
    type: text("type").notNull(),
    /** JSON. */
    data: text("data").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
  },
  (t) => [index("live_events_jam_idx").on(t.jamId, t.id)],
);

/** Per-person rate limits: each key's recent hits (JSON array of epoch ms), counted by every process. */
export const rateHits = pgTable("rate_hits", {
  key: text("key").primaryKey(),
  hits: text("hits").notNull(),
  /** The newest hit, for sweeping out idle keys. */
  lastAt: bigint("last_at", { mode: "number" }).notNull(),
});

/** Background work that must run in one process at a time: who holds it, until when. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
});

/**
 * Open live streams (Server-Sent Events), so a person's streams can be counted across every
 * process. A stream renews its row while it runs; a row whose process died expires by itself.
 */
export const liveStreams = pgTable(
  "live_streams",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [index("live_streams_user_idx").on(t.userId, t.expiresAt), index("live_streams_expiry_idx").on(t.expiresAt)],
);
