/** "Ask the people who know" (db/schema/questions.ts): questions, their routing, answers, opt-outs, flags. All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./people";
import { themes } from "./synthesis";
import { communities } from "./communities";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { QUESTION_ROUTE_STATUSES } from "../../schema/questions";

export { QUESTION_ROUTE_STATUSES };

export const questions = pgTable(
  "questions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    askerId: integer("asker_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    themeId: integer("theme_id").references(() => themes.id),
    communityId: integer("community_id").references(() => communities.id),
    clientKey: text("client_key").notNull(),
    acceptedAnswerId: integer("accepted_answer_id"),
    acceptedAt: bigint("accepted_at", { mode: "number" }),
    escalatedAt: bigint("escalated_at", { mode: "number" }),
    hiddenAt: bigint("hidden_at", { mode: "number" }),
    hiddenBy: integer("hidden_by").references(() => users.id),
    hideReason: text("hide_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("questions_client_key_uq").on(t.askerId, t.clientKey),
    index("questions_asker_idx").on(t.askerId, t.id),
    index("questions_community_idx").on(t.communityId, t.id),
    index("questions_unanswered_idx").on(t.createdAt).where(sql`${t.escalatedAt} IS NULL AND ${t.acceptedAnswerId} IS NULL`),
  ],
);

export const questionRoutes = pgTable(
  "question_routes",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    position: integer("position").notNull(),
    status: text("status", { enum: QUESTION_ROUTE_STATUSES }).notNull(),
    askedAt: bigint("asked_at", { mode: "number" }),
    declinedAt: bigint("declined_at", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), index("question_routes_user_idx").on(t.userId, t.status, t.questionId)],
);

export const answers = pgTable(
  "answers",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    parentId: integer("parent_id"),
    body: text("body").notNull(),
    clientKey: text("client_key").notNull(),
    hiddenAt: bigint("hidden_at", { mode: "number" }),
    hiddenBy: integer("hidden_by").references(() => users.id),
    hideReason: text("hide_reason"),
    hideCount: integer("hide_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("answers_client_key_uq").on(t.authorId, t.clientKey),
    index("answers_question_idx").on(t.questionId, t.id),
    index("answers_author_idx").on(t.authorId),
  ],
);

export const questionOptOuts = pgTable("question_opt_outs", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  createdAt: createdAt(),
});

export const questionFlags = pgTable(
  "question_flags",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    targetType: text("target_type", { enum: ["question", "answer"] }).notNull(),
    targetId: integer("target_id").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
    resolvedAt: bigint("resolved_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("question_flags_once_uq").on(t.targetType, t.targetId, t.userId), index("question_flags_open_idx").on(t.resolvedAt)],
);
