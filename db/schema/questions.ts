/**
 * "Ask the people who know": questions routed to the go-to people for their words, threaded
 * answers, and who may not be asked. All times are UTC epoch milliseconds.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { users } from "./people";
import { themes } from "./synthesis";
import { communities } from "./communities";

export const QUESTION_ROUTE_STATUSES = ["waiting", "asked", "declined"] as const;
export type QuestionRouteStatus = (typeof QUESTION_ROUTE_STATUSES)[number];

export const questions = sqliteTable(
  "questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    askerId: integer("asker_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** The published theme it was asked from, if any (its go-to people are asked first). */
    themeId: integer("theme_id").references(() => themes.id),
    /** The community it was asked in, if any: a members-only community's question is its members' alone. */
    communityId: integer("community_id").references(() => communities.id),
    /** A random key from the form, unique per asker: a double submit asks once. */
    clientKey: text("client_key").notNull(),
    /** The answer the asker accepted (once; never changed after). */
    acceptedAnswerId: integer("accepted_answer_id"),
    acceptedAt: integer("accepted_at"),
    /** When it went to the facilitators, unanswered after the set time (once, by the background round). */
    escalatedAt: integer("escalated_at"),
    hiddenAt: integer("hidden_at"),
    hiddenBy: integer("hidden_by").references(() => users.id),
    hideReason: text("hide_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("questions_client_key_uq").on(t.askerId, t.clientKey),
    index("questions_asker_idx").on(t.askerId, t.id),
    index("questions_community_idx").on(t.communityId, t.id),
    // The few not yet escalated nor accepted: what the background round looks at.
    index("questions_unanswered_idx").on(t.createdAt).where(sql`${t.escalatedAt} IS NULL AND ${t.acceptedAnswerId} IS NULL`),
  ],
);

/**
 * Whom a question goes to, best first: `asked` people were told, `waiting` ones are next in line
 * (asked when someone declines), `declined` ones passed it on. Fixed when the question is asked.
 */
export const questionRoutes = sqliteTable(
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
    askedAt: integer("asked_at"),
    declinedAt: integer("declined_at"),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), index("question_routes_user_idx").on(t.userId, t.status, t.questionId)],
);

/** Answers, and replies to answers (`parent_id`, one level). */
export const answers = sqliteTable(
  "answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    parentId: integer("parent_id"),
    body: text("body").notNull(),
    clientKey: text("client_key").notNull(),
    hiddenAt: integer("hidden_at"),
    hiddenBy: integer("hidden_by").references(() => users.id),
    hideReason: text("hide_reason"),
    /** How many times it was hidden: each hiding reverses its points in a generation of its own. */
    hideCount: integer("hide_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("answers_client_key_uq").on(t.authorId, t.clientKey),
    index("answers_question_idx").on(t.questionId, t.id),
    index("answers_author_idx").on(t.authorId),
  ],
);

/** People who asked not to be routed questions (a setting beside their notification settings). */
export const questionOptOuts = sqliteTable("question_opt_outs", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  createdAt: createdAt(),
});

/** A participant tells the facilitators that a question or answer needs a look; one flag per person per target. */
export const questionFlags = sqliteTable(
  "question_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    targetType: text("target_type", { enum: ["question", "answer"] }).notNull(),
    targetId: integer("target_id").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [uniqueIndex("question_flags_once_uq").on(t.targetType, t.targetId, t.userId), index("question_flags_open_idx").on(t.resolvedAt)],
);
