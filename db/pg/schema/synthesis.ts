/** Syntheses, their themes and the actions that follow. All times are UTC epoch milliseconds. */
import { bigint, boolean, doublePrecision, integer, index, pgTable, primaryKey, text, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { jams, challenges, ideas } from "./jams";
import { users } from "./people";

/** A synthesis computation for a jam (or one challenge), run off the request path in a worker thread. */
export const synthesisRuns = pgTable(
  "synthesis_runs",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id").references(() => challenges.id),
    status: text("status", { enum: ["queued", "running", "done", "failed"] }).notNull(),
    /** 0..100 */
    progress: integer("progress").notNull().default(0),
    requestedK: integer("requested_k"),
    seed: integer("seed").notNull(),
    startedBy: integer("started_by")
      .notNull()
      .references(() => users.id),
    startedAt: bigint("started_at", { mode: "number" }).notNull(),
    /** The last sign of life from the process running it: a run silent for long is picked up again. */
    heartbeatAt: bigint("heartbeat_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
    error: text("error"),
    /** The version this run produced. */
    versionId: integer("version_id"),
  },
  (t) => [index("synthesis_runs_jam_idx").on(t.jamId, t.id)],
);

/**
 * A set of themes. A run writes a "generated" version; the first curation edit
 * copies it into a "curated" version, so re-running never overwrites edits.
 */
export const synthesisVersions = pgTable(
  "synthesis_versions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    challengeId: integer("challenge_id").references(() => challenges.id),
    number: integer("number").notNull(),
    kind: text("kind", { enum: ["generated", "curated"] }).notNull(),
    basedOnId: integer("based_on_id"),
    /** Opinion groups, consensus and divisive ideas for stance challenges (JSON). */
    opinions: text("opinions"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    publishedAt: bigint("published_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("synthesis_versions_number_uq").on(t.jamId, t.number), index("synthesis_versions_published_idx").on(t.jamId, t.publishedAt)],
);

export const themes = pgTable(
  "themes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    versionId: integer("version_id")
      .notNull()
      .references(() => synthesisVersions.id),
    label: text("label").notNull(),
    /** One sentence drawn from the theme's representative ideas; "" for Other and for themes made before it was kept. */
    summary: text("summary").notNull().default(""),
    /** JSON array of keywords. */
    keywords: text("keywords").notNull(),
    /** JSON array of idea ids, most representative first. */
    representatives: text("representatives").notNull(),
    isOther: boolean("is_other").notNull().default(false),
    position: integer("position").notNull().default(0),
    /**
     * Two levels: the top-level theme (same version) this sub-theme belongs to; null for a
     * top-level theme. Ideas belong to themes without sub-themes only.
     */
    parentId: integer("parent_id").references((): AnyPgColumn => themes.id),
  },
  (t) => [index("themes_version_idx").on(t.versionId, t.position), index("themes_parent_idx").on(t.parentId)],
);

export const themeIdeas = pgTable(
  "theme_ideas",
  {
    versionId: integer("version_id")
      .notNull()
      .references(() => synthesisVersions.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    themeId: integer("theme_id")
      .notNull()
      .references(() => themes.id),
    excluded: boolean("excluded").notNull().default(false),
    x: doublePrecision("x").notNull().default(0),
    y: doublePrecision("y").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.ideaId] }), index("theme_ideas_theme_idx").on(t.themeId)],
);

export const ACTION_STATUSES = ["proposed", "approved", "in_progress", "done", "declined"] as const;

/** A follow-up action a leader or facilitator decided on, tracked to an outcome. */
export const followUpActions = pgTable(
  "follow_up_actions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    themeId: integer("theme_id").references(() => themes.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => users.id),
    dueDate: bigint("due_date", { mode: "number" }),
    status: text("status", { enum: ACTION_STATUSES }).notNull().default("proposed"),
    declineReason: text("decline_reason"),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("actions_jam_idx").on(t.jamId, t.status), index("actions_owner_idx").on(t.ownerId, t.status)],
);

/** The ideas an action grew from (their authors hear about it). */
export const actionIdeas = pgTable(
  "action_ideas",
  {
    actionId: integer("action_id")
      .notNull()
      .references(() => followUpActions.id),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.ideaId] }), index("action_ideas_idea_idx").on(t.ideaId)],
);
