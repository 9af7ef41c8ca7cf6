/**
 * Editing with history, co-authors and build-ons: every version of an idea and of a comment,
 * the colleagues who write an idea with its author, and amendments others propose to it.
 * All times are UTC epoch milliseconds.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { comments, ideas } from "./jams";
import { users } from "./people";
import { createdAt } from "./columns";

export const REVISION_KINDS = ["posted", "edited", "amendment"] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/**
 * The versions of an idea's text. Version 1 (as posted) is written when the idea is first
 * changed, from the idea row; each change adds the next version, unique per (idea, version),
 * so two edits based on the same version cannot both be kept.
 */
export const ideaRevisions = sqliteTable(
  "idea_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    kind: text("kind", { enum: REVISION_KINDS }).notNull(),
    /** Who wrote this version: the author or a co-author, or for an amendment the person who proposed it. */
    editorId: integer("editor_id")
      .notNull()
      .references(() => users.id),
    /** For an accepted amendment: the author or co-author who accepted it. */
    acceptedById: integer("accepted_by_id").references(() => users.id),
    amendmentId: integer("amendment_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("idea_revisions_version_uq").on(t.ideaId, t.version), index("idea_revisions_editor_idx").on(t.editorId)],
);

/** The versions of a comment's text, as idea_revisions (only its author edits a comment). */
export const commentRevisions = sqliteTable(
  "comment_revisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    commentId: integer("comment_id")
      .notNull()
      .references(() => comments.id),
    version: integer("version").notNull(),
    body: text("body").notNull(),
    editorId: integer("editor_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("comment_revisions_version_uq").on(t.commentId, t.version), index("comment_revisions_editor_idx").on(t.editorId)],
);

export const COAUTHOR_STATUSES = ["invited", "accepted", "declined", "removed"] as const;
export type CoauthorStatus = (typeof COAUTHOR_STATUSES)[number];

/** A colleague invited to write an idea with its author: one row per (idea, person), its status moving on. */
export const ideaCoauthors = sqliteTable(
  "idea_coauthors",
  {
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: COAUTHOR_STATUSES }).notNull(),
    invitedById: integer("invited_by_id")
      .notNull()
      .references(() => users.id),
    invitedAt: integer("invited_at").notNull(),
    /** When they accepted (credit counts from then), declined, or were removed. */
    respondedAt: integer("responded_at"),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.userId] }), index("idea_coauthors_user_idx").on(t.userId, t.status)],
);

export const AMENDMENT_STATUSES = ["open", "accepted", "standing", "posted"] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/**
 * "Build on this": a change someone proposes to an idea (a new title and body, with a note).
 * open: waiting for the author; accepted: it became the idea's next version; standing: the
 * author left it standing; posted: its proposer made it an idea of its own (`postedIdeaId`).
 */
export const ideaAmendments = sqliteTable(
  "idea_amendments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ideaId: integer("idea_id")
      .notNull()
      .references(() => ideas.id),
    proposerId: integer("proposer_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    note: text("note").notNull().default(""),
    /** The idea's version it was written against. */
    baseVersion: integer("base_version").notNull(),
    status: text("status", { enum: AMENDMENT_STATUSES }).notNull().default("open"),
    clientKey: text("client_key").notNull(),
    decidedById: integer("decided_by_id").references(() => users.id),
    decidedAt: integer("decided_at"),
    /** The version it became (accepted). */
    acceptedVersion: integer("accepted_version"),
    /** The idea it became (posted as an idea of its own). */
    postedIdeaId: integer("posted_idea_id").references(() => ideas.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("idea_amendments_client_key_uq").on(t.proposerId, t.clientKey),
    index("idea_amendments_idea_idx").on(t.ideaId, t.id),
    index("idea_amendments_proposer_idx").on(t.proposerId),
  ],
);

export type IdeaRevision = typeof ideaRevisions.$inferSelect;
export type IdeaAmendment = typeof ideaAmendments.$inferSelect;
