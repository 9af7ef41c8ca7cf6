/** Points, badges and the checks on votes. All times are UTC epoch milliseconds. */
import { bigint, integer, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { jams } from "./jams";
import { departments, users } from "./people";
import { createdAt } from "./columns";

/**
 * The points ledger: append-only. Each row is unique per (person, reason,
 * source), so an action can never score twice; hiding content adds
 * compensating rows instead of deleting any.
 */
export const pointEntries = pgTable(
  "point_entries",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** The earner's department when the points were earned (department leaderboards). */
    departmentId: integer("department_id"),
    reason: text("reason").notNull(),
    /** What earned it, e.g. `idea:12`, `vote:12:7`, `day:20415`, `entry:55:1`. */
    source: text("source").notNull(),
    /** The content it depends on (`idea:12`, `comment:9`), so hiding it finds the entries. */
    subject: text("subject"),
    points: integer("points").notNull(),
    /** UTC day number, for the daily cap. */
    day: integer("day").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("point_entries_once_uq").on(t.userId, t.reason, t.source),
    index("point_entries_user_jam_day_idx").on(t.userId, t.jamId, t.day),
    index("point_entries_subject_idx").on(t.subject),
    index("point_entries_jam_idx").on(t.jamId),
  ],
);

/**
 * Maintained aggregate of the ledger, written in the same transaction as each
 * entry and rebuilt by `npm run gamification:reconcile`. scope 0 = all jams.
 */
export const pointTotals = pgTable(
  "point_totals",
  {
    scope: integer("scope").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    total: integer("total").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.userId] }),
    // Highest total first, then the earlier person: the leaderboard order itself.
    index("point_totals_board_idx").on(t.scope, t.total.desc(), t.userId),
    index("point_totals_user_idx").on(t.userId),
  ],
);

export const departmentTotals = pgTable(
  "department_totals",
  {
    scope: integer("scope").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    total: integer("total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.departmentId] })],
);

/** A person's level of each badge; seenLevel is what they have been told about. */
export const userBadges = pgTable(
  "user_badges",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    badgeKey: text("badge_key").notNull(),
    level: integer("level").notNull(),
    seenLevel: integer("seen_level").notNull().default(0),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.badgeKey] })],
);

/** Votes by one person on one author's ideas beyond the serial-voting threshold. */
export const serialVoteReports = pgTable(
  "serial_vote_reports",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    voterId: integer("voter_id")
      .notNull()
      .references(() => users.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    votes: integer("votes").notNull(),
    firstAt: bigint("first_at", { mode: "number" }).notNull(),
    lastAt: bigint("last_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("serial_vote_reports_uq").on(t.jamId, t.voterId, t.authorId), index("serial_vote_reports_jam_idx").on(t.jamId, t.lastAt)],
);
