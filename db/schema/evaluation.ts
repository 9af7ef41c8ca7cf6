/** Evaluation: reviews of a challenge's ideas, their criteria, reviewers and scores, and each idea's stage. Times are UTC epoch ms. */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { IDEA_STAGES } from "../../app/domain/evaluation";
import { createdAt } from "./columns";
import { challenges, ideas, jams } from "./jams";
import { users } from "./people";
import { followUpActions } from "./synthesis";

/** A review a facilitator opened on (some of) a challenge's ideas. */
export const reviews = sqliteTable(
  "reviews",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    title: text("title").notNull(),
    /** Reviewers see no authors, and nobody else's scores of an idea until they submitted their own. */
    blind: integer("blind", { mode: "boolean" }).notNull().default(false),
    /** When reviewers should have finished (reminded once before it); null: no date. */
    dueAt: integer("due_at"),
    /** Set when the facilitator closed it: no more scoring; decisions may still be made. */
    closedAt: integer("closed_at"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("reviews_challenge_idx").on(t.challengeId, t.id),
    index("reviews_jam_idx").on(t.jamId, t.id),
    // The background round looks only at open reviews with a due date.
    index("reviews_open_due_idx").on(t.dueAt).where(sql`${t.closedAt} IS NULL AND ${t.dueAt} IS NOT NULL`),
  ],
);

/** What a review scores, each 1 to 5 (5 is best), with a weight. */
export const reviewCriteria = sqliteTable(
  "review_criteria",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    weight: integer("weight").notNull().default(1),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("review_criteria_review_idx").on(t.reviewId, t.position)],
);

/** The ideas a review covers. */
export const reviewIdeas = sqliteTable(
  "review_ideas",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.ideaId] }), index("review_ideas_idea_idx").on(t.ideaId)],
);

/** A reviewer given an idea of a review, with their comment and when they submitted their scores. */
export const reviewAssignments = sqliteTable(
  "review_assignments",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    reviewerId: integer("reviewer_id")
      .notNull()
      .references(() => users.id),
    assignedBy: integer("assigned_by").references(() => users.id),
    assignedAt: integer("assigned_at").notNull(),
    comment: text("comment").notNull().default(""),
    /** Last time the reviewer submitted their scores of this idea (null: not yet). */
    submittedAt: integer("submitted_at"),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.ideaId, t.reviewerId] }),
    index("review_assignments_reviewer_idx").on(t.reviewerId, t.reviewId),
    index("review_assignments_review_reviewer_idx").on(t.reviewId, t.reviewerId),
  ],
);

/** One score per reviewer, idea and criterion: a new submission replaces it (last write wins). */
export const reviewScores = sqliteTable(
  "review_scores",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    reviewerId: integer("reviewer_id")
      .notNull()
      .references(() => users.id),
    criterionId: integer("criterion_id")
      .notNull()
      .references(() => reviewCriteria.id),
    score: integer("score").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("review_scores_once_uq").on(t.criterionId, t.ideaId, t.reviewerId),
    index("review_scores_review_idx").on(t.reviewId, t.ideaId),
  ],
);

/** The reminder a reviewer got before a review's due date: one row, so one reminder, across processes. */
export const reviewReminders = sqliteTable(
  "review_reminders",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    reviewerId: integer("reviewer_id")
      .notNull()
      .references(() => users.id),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.reviewerId] })],
);

/** An idea's stage (no row: submitted), the review that set it, and the action a selected idea became. */
export const ideaStages = sqliteTable(
  "idea_stages",
  {
    ideaId: integer("idea_id")
      .primaryKey()
      .references(() => ideas.id),
    stage: text("stage", { enum: IDEA_STAGES }).notNull(),
    /** Why it was not selected (its author reads it). */
    reason: text("reason"),
    reviewId: integer("review_id").references(() => reviews.id),
    actionId: integer("action_id").references(() => followUpActions.id),
    changedBy: integer("changed_by").references(() => users.id),
    changedAt: integer("changed_at").notNull(),
  },
  (t) => [index("idea_stages_review_idx").on(t.reviewId)],
);

export type Review = typeof reviews.$inferSelect;
