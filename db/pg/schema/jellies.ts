/** Jellies, informal meetups, and personal calendar feeds (db/schema/jellies.ts). All times are UTC epoch milliseconds. */
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./people";
import { communities } from "./communities";
import { ideas } from "./jams";
import { themes } from "./synthesis";
import { createdAt } from "./columns";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { JELLY_STATUSES, RSVP_STATUSES } from "../../schema/jellies";

export { JELLY_STATUSES, RSVP_STATUSES };

export const jellies = pgTable(
  "jellies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    hostId: integer("host_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    about: text("about").notNull(),
    startsAt: bigint("starts_at", { mode: "number" }).notNull(),
    timeZone: text("time_zone").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    place: text("place"),
    callLink: text("call_link"),
    capacity: integer("capacity").notNull(),
    themeId: integer("theme_id").references(() => themes.id),
    pairWithId: integer("pair_with_id").references(() => users.id),
    communityId: integer("community_id").references(() => communities.id),
    status: text("status", { enum: JELLY_STATUSES }).notNull().default("scheduled"),
    sequence: integer("sequence").notNull().default(0),
    checkInCode: text("check_in_code").notNull(),
    notes: text("notes"),
    notesAt: bigint("notes_at", { mode: "number" }),
    clientKey: text("client_key"),
    createdAt: createdAt(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("jellies_client_key_uq").on(t.hostId, t.clientKey),
    index("jellies_starts_idx").on(t.startsAt, t.id),
    index("jellies_host_idx").on(t.hostId, t.startsAt),
    index("jellies_theme_idx").on(t.themeId),
    index("jellies_community_idx").on(t.communityId, t.startsAt),
  ],
);

export const jellyRsvps = pgTable(
  "jelly_rsvps",
  {
    jellyId: integer("jelly_id")
      .notNull()
      .references(() => jellies.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: RSVP_STATUSES }).notNull(),
    queuedAt: bigint("queued_at", { mode: "number" }).notNull(),
    checkedInAt: bigint("checked_in_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.jellyId, t.userId] }),
    index("jelly_rsvps_queue_idx").on(t.jellyId, t.status, t.queuedAt),
    index("jelly_rsvps_user_idx").on(t.userId, t.status),
  ],
);

export const jellyIdeas = pgTable(
  "jelly_ideas",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jellyId: integer("jelly_id")
      .notNull()
      .references(() => jellies.id),
    creditedId: integer("credited_id")
      .notNull()
      .references(() => users.id),
    addedById: integer("added_by_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    clientKey: text("client_key"),
    ideaId: integer("idea_id").references(() => ideas.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("jelly_ideas_jelly_idx").on(t.jellyId, t.id),
    index("jelly_ideas_credited_idx").on(t.creditedId),
    uniqueIndex("jelly_ideas_client_key_uq").on(t.addedById, t.clientKey),
    uniqueIndex("jelly_ideas_idea_uq").on(t.ideaId),
  ],
);

/** A person's secret calendar feed: only the SHA-256 of its token is kept. */
export const calendarFeeds = pgTable("calendar_feeds", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
});
