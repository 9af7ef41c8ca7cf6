/** Notifications, follows and the people network. All times are UTC epoch milliseconds. */
import { bigint, integer, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { NOTICE_KINDS } from "../../../app/domain/notifications";
import { jams, ideas } from "./jams";
import { users } from "./people";

/** In-app notifications. */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** What kind of news (app/domain/notifications.ts): the person's settings choose the kinds they get. */
    kind: text("kind", { enum: NOTICE_KINDS }).notNull().default("actions"),
    body: text("body").notNull(),
    link: text("link"),
    /** Identifies what it is about, so the same news is not sent twice (grouped news is updated in place). */
    dedupeKey: text("dedupe_key").notNull(),
    /** The jam it is about: while that jam is a draft, only people who may open drafts see it. */
    jamId: integer("jam_id").references(() => jams.id),
    /** The idea it is about: while that idea is hidden, only its author and moderators see it. */
    ideaId: integer("idea_id").references(() => ideas.id),
    /** How many pieces of news a grouped notification stands for ("5 people supported your idea"); 1 otherwise. */
    count: integer("count").notNull().default(1),
    /** When it was written, or last updated with new news (grouped ones): the list is newest first by it. */
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    readAt: bigint("read_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("notifications_once_uq").on(t.userId, t.dedupeKey),
    index("notifications_user_idx").on(t.userId, t.readAt, t.id),
    index("notifications_user_time_idx").on(t.userId, t.createdAt, t.id),
  ],
);

/** Kinds of notification a person chose not to get (everything is on until they switch a kind off). */
export const notificationOptOuts = pgTable(
  "notification_opt_outs",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** A participant follows a person or a theme (by its label within a jam's published synthesis). */
export const follows = pgTable(
  "follows",
  {
    followerId: integer("follower_id")
      .notNull()
      .references(() => users.id),
    targetType: text("target_type", { enum: ["person", "theme"] }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.followerId, t.targetType, t.targetId] }), index("follows_target_idx").on(t.targetType, t.targetId)],
);

/** The interaction graph and its rankings, computed off the request path and cached per jam (0 = all jams). */
export const networkSnapshots = pgTable(
  "network_snapshots",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    scope: integer("scope").notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    computedAt: bigint("computed_at", { mode: "number" }).notNull(),
    /** JSON: nodes, weighted edges, rankings, department matrix. */
    data: text("data"),
    error: text("error"),
  },
  (t) => [index("network_snapshots_scope_idx").on(t.scope, t.id)],
);

