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
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("comments_author_client_key_uq").on(t.authorId, t.clientKey),
    index("comments_idea_idx").on(t.ideaId, t.id),
    index("comments_author_idx").on(t.authorId, t.id),
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

export type User = typeof users.$inferSelect;
export type { Role };
export type Jam = typeof jams.$inferSelect;
export type Challenge = typeof challenges.$inferSelect;
export type Idea = typeof ideas.$inferSelect;
export type Comment = typeof comments.$inferSelect;
