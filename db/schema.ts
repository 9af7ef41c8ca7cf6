import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { ROLES, type Role } from "../app/domain/permissions";

/** All times are UTC epoch milliseconds. */
const createdAt = () => integer("created_at").notNull();

export const departments = sqliteTable("departments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
});


export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull().default("participant"),
    departmentId: integer("department_id").references(() => departments.id),
    createdAt: createdAt(),
  },
  (t) => [index("users_department_idx").on(t.departmentId), index("users_name_idx").on(t.name)],
);

/** Only the SHA-256 of a session token is stored (hex), never the token. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    action: text("action").notNull(),
    subject: text("subject"),
    ip: text("ip"),
    detail: text("detail"),
  },
  (t) => [
    index("audit_action_subject_idx").on(t.action, t.subject, t.at),
    index("audit_action_ip_idx").on(t.action, t.ip, t.at),
    index("audit_at_idx").on(t.at),
  ],
);

export const jams = sqliteTable(
  "jams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    isDraft: integer("is_draft", { mode: "boolean" }).notNull().default(false),
    /** The facilitator's overrides of the default point rules (JSON), null for defaults. */
    pointRules: text("point_rules"),
    leaderboardsHidden: integer("leaderboards_hidden", { mode: "boolean" }).notNull().default(false),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("jams_ends_idx").on(t.endsAt)],
);

export const challenges = sqliteTable(
  "challenges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    title: text("title").notNull(),
    question: text("question").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("challenges_jam_idx").on(t.jamId, t.position)],
);

export const ideas = sqliteTable(
  "ideas",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    isAnonymous: integer("is_anonymous", { mode: "boolean" }).notNull().default(false),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** Set by the form when it renders: a double submit carries the same key. */
    clientKey: text("client_key").notNull(),
    /** Kept equal to count(votes) inside the vote transaction. */
    voteCount: integer("vote_count").notNull().default(0),
    /** Kept equal to count(visible comments) inside the comment transaction. */
    commentCount: integer("comment_count").notNull().default(0),
    hiddenAt: integer("hidden_at"),
    hiddenReason: text("hidden_reason"),
    /** How many times it has been hidden: each hide reverses points under a new generation. */
    hideCount: integer("hide_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ideas_author_client_key_uq").on(t.authorId, t.clientKey),
    index("ideas_challenge_new_idx").on(t.challengeId, t.id),
    index("ideas_challenge_top_idx").on(t.challengeId, t.voteCount, t.id),
    index("ideas_jam_new_idx").on(t.jamId, t.id),
    index("ideas_jam_top_idx").on(t.jamId, t.voteCount, t.id),
    index("ideas_author_idx").on(t.authorId, t.id),
  ],
);

export const comments = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    parentId: integer("parent_id").references((): AnySQLiteColumn => comments.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    clientKey: text("client_key").notNull(),
    hiddenAt: integer("hidden_at"),
    hiddenReason: text("hidden_reason"),
    hideCount: integer("hide_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("comments_author_client_key_uq").on(t.authorId, t.clientKey),
    index("comments_idea_idx").on(t.ideaId, t.id),
    index("comments_author_idx").on(t.authorId, t.id),
    index("comments_parent_idx").on(t.parentId),
  ],
);

export const votes = sqliteTable(
  "votes",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    /** Denormalised so "trending in this challenge" reads one index range. */
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("votes_idea_idx").on(t.ideaId),
    index("votes_challenge_time_idx").on(t.challengeId, t.createdAt),
    index("votes_user_time_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * The points ledger: append-only. Each row is unique per (person, reason,
 * source), so an action can never score twice; hiding content adds
 * compensating rows instead of deleting any.
 */
export const pointEntries = sqliteTable(
  "point_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
export const pointTotals = sqliteTable(
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
    index("point_totals_rank_idx").on(t.scope, t.total, t.userId),
    index("point_totals_user_idx").on(t.userId),
  ],
);

export const departmentTotals = sqliteTable(
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
export const userBadges = sqliteTable(
  "user_badges",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    badgeKey: text("badge_key").notNull(),
    level: integer("level").notNull(),
    seenLevel: integer("seen_level").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.badgeKey] })],
);

/** Votes by one person on one author's ideas beyond the serial-voting threshold. */
export const serialVoteReports = sqliteTable(
  "serial_vote_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    firstAt: integer("first_at").notNull(),
    lastAt: integer("last_at").notNull(),
  },
  (t) => [uniqueIndex("serial_vote_reports_uq").on(t.jamId, t.voterId, t.authorId), index("serial_vote_reports_jam_idx").on(t.jamId, t.lastAt)],
);

export type User = typeof users.$inferSelect;
export type { Role };
export type Jam = typeof jams.$inferSelect;
export type Challenge = typeof challenges.$inferSelect;
export type Idea = typeof ideas.$inferSelect;
export type Comment = typeof comments.$inferSelect;
