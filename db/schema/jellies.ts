/**
 * Jellies: informal meetups anyone proposes (from a published theme or a "people you should
 * meet" pair), with RSVPs and a waiting list, a check-in code, notes and the ideas they gave,
 * and the personal calendar feeds that carry them. All times are UTC epoch milliseconds.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { themes } from "./synthesis";
import { users } from "./people";
import { communities } from "./communities";
import { ideas } from "./jams";

/** The allowed values, shared with the PostgreSQL twin (db/pg/schema/jellies.ts). */
export const JELLY_STATUSES = ["scheduled", "cancelled"] as const;
export const RSVP_STATUSES = ["going", "waiting"] as const;

export const jellies = sqliteTable(
  "jellies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    hostId: integer("host_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    about: text("about").notNull(),
    /** When it starts (UTC epoch ms) and the IANA zone it was proposed in (the calendar's TZID). */
    startsAt: integer("starts_at").notNull(),
    timeZone: text("time_zone").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    /** Where: a place, a call link (http or https only), or both. */
    place: text("place"),
    callLink: text("call_link"),
    capacity: integer("capacity").notNull(),
    /** What it grew from: a published theme, or the other person of a "people you should meet" pair. */
    themeId: integer("theme_id").references(() => themes.id),
    pairWithId: integer("pair_with_id").references(() => users.id),
    /** The community it was proposed in, if any: a members-only community's jelly is its members' alone. */
    communityId: integer("community_id").references(() => communities.id),
    status: text("status", { enum: JELLY_STATUSES }).notNull().default("scheduled"),
    /** iCalendar SEQUENCE: rises with every change people's calendars must pick up. */
    sequence: integer("sequence").notNull().default(0),
    /** The short code shown at the meetup; people who RSVPed type it to check in. */
    checkInCode: text("check_in_code").notNull(),
    /** What the host wrote afterwards (plain text). */
    notes: text("notes"),
    notesAt: integer("notes_at"),
    /** A key per rendered form, unique per host: a double submit proposes one jelly. */
    clientKey: text("client_key"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("jellies_client_key_uq").on(t.hostId, t.clientKey),
    index("jellies_starts_idx").on(t.startsAt, t.id),
    index("jellies_host_idx").on(t.hostId, t.startsAt),
    index("jellies_theme_idx").on(t.themeId),
    index("jellies_community_idx").on(t.communityId, t.startsAt),
  ],
);

/**
 * One row per person and jelly: going, or waiting (in order of `queuedAt`, then id). Cancelling
 * deletes the row; checking in stamps `checkedInAt` once.
 */
export const jellyRsvps = sqliteTable(
  "jelly_rsvps",
  {
    jellyId: integer("jelly_id")
      .notNull()
      .references(() => jellies.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: RSVP_STATUSES }).notNull(),
    queuedAt: integer("queued_at").notNull(),
    checkedInAt: integer("checked_in_at"),
  },
  (t) => [
    primaryKey({ columns: [t.jellyId, t.userId] }),
    index("jelly_rsvps_queue_idx").on(t.jellyId, t.status, t.queuedAt),
    index("jelly_rsvps_user_idx").on(t.userId, t.status),
  ],
);

/** An idea that came out of a jelly, credited to the person it came from (for a community's idea box later). */
export const jellyIdeas = sqliteTable(
  "jelly_ideas",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jellyId: integer("jelly_id")
      .notNull()
      .references(() => jellies.id),
    /** Who had the idea (credited); someone who RSVPed, or the host. */
    creditedId: integer("credited_id")
      .notNull()
      .references(() => users.id),
    /** Who wrote it down (the host). */
    addedById: integer("added_by_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** A key per rendered form, unique per host: a double submit notes one idea. */
    clientKey: text("client_key"),
    /** The idea it became in the community's idea box (credited to the person it came from), if any. */
    ideaId: integer("idea_id").references(() => ideas.id),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("jelly_ideas_jelly_idx").on(t.jellyId, t.id),
    index("jelly_ideas_credited_idx").on(t.creditedId),
    uniqueIndex("jelly_ideas_client_key_uq").on(t.addedById, t.clientKey),
    uniqueIndex("jelly_ideas_idea_uq").on(t.ideaId),
  ],
);

/** A person's secret calendar feed: only the SHA-256 of its token is kept. */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
  },
);
