/** Jams, challenges and what people post and vote in them. All times are UTC epoch milliseconds. */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";
import { users } from "./people";
import { createdAt } from "./columns";

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
    /**
     * When the people who took part were told the jam ended (its results page): set once, by a
     * conditional update in the same transaction as the notices, so they go out exactly once.
     */
    resultsSentAt: integer("results_sent_at"),
    /** The facilitator's overrides of the default point rules (JSON), null for defaults. */
    pointRules: text("point_rules"),
    leaderboardsHidden: integer("leaderboards_hidden", { mode: "boolean" }).notNull().default(false),
    /**
     * "jam" for a jam people see in the jam listings; "community" for the always-open idea box a
     * community of practice owns (communities.box_jam_id). A community's box is never listed, ranked,
     * synthesised or counted as a jam, and only the community's readers may see its ideas.
     */
    kind: text("kind", { enum: ["jam", "community"] }).notNull().default("jam"),
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
    /** support (up-votes), stance (agree/disagree/pass, as Polis) or dots (a budget to spend). */
    voteMode: text("vote_mode", { enum: ["support", "stance", "dots"] }).notNull().default("support"),
    dotBudget: integer("dot_budget").notNull().default(10),
    dotMaxPerIdea: integer("dot_max_per_idea").notNull().default(3),
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
    pinnedAt: integer("pinned_at"),
    tag: text("tag", { enum: ["emerging", "best"] }),
    /** Set when a facilitator merged this duplicate into another idea (it is then hidden). */
    mergedIntoId: integer("merged_into_id").references((): AnySQLiteColumn => ideas.id),
    agreeCount: integer("agree_count").notNull().default(0),
    disagreeCount: integer("disagree_count").notNull().default(0),
    passCount: integer("pass_count").notNull().default(0),
    dotCount: integer("dot_count").notNull().default(0),
    /** The current version's number (1 as posted): an edit names the version it was based on and moves it on by one. */
    version: integer("version").notNull().default(1),
    /** When the text last changed after it was posted (an edit or an accepted amendment); null if never. */
    editedAt: integer("edited_at"),
    /** The idea this one was built on (an amendment posted as an idea of its own). */
    builtOnId: integer("built_on_id").references((): AnySQLiteColumn => ideas.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ideas_author_client_key_uq").on(t.authorId, t.clientKey),
    index("ideas_challenge_new_idx").on(t.challengeId, t.id),
    index("ideas_challenge_top_idx").on(t.challengeId, t.voteCount, t.id),
    index("ideas_jam_new_idx").on(t.jamId, t.id),
    index("ideas_jam_top_idx").on(t.jamId, t.voteCount, t.id),
    index("ideas_author_idx").on(t.authorId, t.id),
    index("ideas_challenge_stance_idx").on(t.challengeId, t.agreeCount),
    index("ideas_challenge_dots_idx").on(t.challengeId, t.dotCount, t.id),
    index("ideas_jam_time_idx").on(t.jamId, t.createdAt),
    // A challenge page shows its pinned ideas first: a handful among thousands.
    index("ideas_built_on_idx").on(t.builtOnId).where(sql`${t.builtOnId} IS NOT NULL`),
    index("ideas_challenge_pinned_idx").on(t.challengeId, t.pinnedAt).where(sql`${t.pinnedAt} IS NOT NULL`),
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
    /** The current version's number (1 as posted), as ideas.version. */
    version: integer("version").notNull().default(1),
    editedAt: integer("edited_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("comments_author_client_key_uq").on(t.authorId, t.clientKey),
    index("comments_idea_idx").on(t.ideaId, t.id),
    index("comments_author_idx").on(t.authorId, t.id),
    index("comments_parent_idx").on(t.parentId),
    index("comments_time_idx").on(t.createdAt),
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
    index("votes_time_idx").on(t.createdAt),
  ],
);

export const STANCES = ["agree", "disagree", "pass"] as const;

/** Stance votes (Polis-style): one per person per idea, which the person can change. */
export const stanceVotes = sqliteTable(
  "stance_votes",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    stance: text("stance", { enum: STANCES }).notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("stance_votes_idea_idx").on(t.ideaId),
    index("stance_votes_challenge_user_idx").on(t.challengeId, t.userId),
  ],
);

/** Dots a person placed on an idea in a dots-mode challenge (within the challenge's budget). */
export const dotAllocations = sqliteTable(
  "dot_allocations",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    challengeId: integer("challenge_id")
      .notNull()
      .references(() => challenges.id),
    dots: integer("dots").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.ideaId] }),
    index("dot_allocations_user_challenge_idx").on(t.userId, t.challengeId),
    index("dot_allocations_idea_idx").on(t.ideaId),
  ],
);

export const announcements = sqliteTable(
  "announcements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    /** Null for a jam-wide announcement. */
    challengeId: integer("challenge_id").references(() => challenges.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("announcements_jam_idx").on(t.jamId, t.id)],
);

/** A participant's flag on an idea or comment; facilitators resolve flags from the queue. */
export const flags = sqliteTable(
  "flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    targetType: text("target_type", { enum: ["idea", "comment"] }).notNull(),
    targetId: integer("target_id").notNull(),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
    resolvedAt: integer("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => users.id),
    resolution: text("resolution"),
  },
  (t) => [
    uniqueIndex("flags_once_uq").on(t.reporterId, t.targetType, t.targetId),
    index("flags_queue_idx").on(t.jamId, t.resolvedAt, t.id),
  ],
);

/** Notes facilitators leave for the next shift in the command centre. */
export const handoffNotes = sqliteTable(
  "handoff_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("handoff_notes_jam_idx").on(t.jamId, t.id)],
);

export type Jam = typeof jams.$inferSelect;

export type Challenge = typeof challenges.$inferSelect;

export type Idea = typeof ideas.$inferSelect;

export type Comment = typeof comments.$inferSelect;
