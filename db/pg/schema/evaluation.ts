/** Evaluation: reviews, criteria, reviewers, scores and idea stages (db/schema/evaluation.ts). All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { IDEA_STAGES } from "../../../app/domain/evaluation";
import { createdAt } from "./columns";
import { challenges, ideas, jams } from "./jams";
import { users } from "./people";
import { followUpActions } from "./synthesis";

export const reviews = pgTable(
  "reviews",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    title: text("title").notNull(),
    blind: boolean("blind").notNull().default(false),
    dueAt: bigint("due_at", { mode: "number" }),
    closedAt: bigint("closed_at", { mode: "number" }),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("reviews_challenge_idx").on(t.challengeId, t.id),
    index("reviews_jam_idx").on(t.jamId, t.id),
    index("reviews_open_due_idx").on(t.dueAt).where(sql`${t.closedAt} IS NULL AND ${t.dueAt} IS NOT NULL`),
  ],
);

export const reviewCriteria = pgTable(
  "review_criteria",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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

export const reviewIdeas = pgTable(
  "review_ideas",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    addedAt: bigint("added_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.ideaId] }), index("review_ideas_idea_idx").on(t.ideaId)],
);

export const reviewAssignments = pgTable(
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
    assignedAt: bigint("assigned_at", { mode: "number" }).notNull(),
    comment: text("comment").notNull().default(""),
    submittedAt: bigint("submitted_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.ideaId, t.reviewerId] }),
    index("review_assignments_reviewer_idx").on(t.reviewerId, t.reviewId),
    index("review_assignments_review_reviewer_idx").on(t.reviewId, t.reviewerId),
  ],
);

export const reviewScores = pgTable(
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
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("review_scores_once_uq").on(t.criterionId, t.ideaId, t.reviewerId), index("review_scores_review_idx").on(t.reviewId, t.ideaId)],
);

export const reviewReminders = pgTable(
  "review_reminders",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id),
    reviewerId: integer("reviewer_id")
      .notNull()
      .references(() => users.id),
    sentAt: bigint("sent_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.reviewerId] })],
);

export const ideaStages = pgTable(
  "idea_stages",
  {
    ideaId: integer("idea_id")
      .primaryKey()
      .references(() => ideas.id),
    stage: text("stage", { enum: IDEA_STAGES }).notNull(),
    reason: text("reason"),
    reviewId: integer("review_id").references(() => reviews.id),
    actionId: integer("action_id").references(() => followUpActions.id),
    changedBy: integer("changed_by").references(() => users.id),
    changedAt: bigint("changed_at", { mode: "number" }).notNull(),
  },
  (t) => [index("idea_stages_review_idx").on(t.reviewId)],
);
