/** Communities of practice: a theme kept alive after its jam (db/schema/communities.ts). All times are UTC epoch milliseconds. */
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./people";
import { challenges, jams } from "./jams";
import { themes } from "./synthesis";
import { createdAt } from "./columns";
// The allowed values are the SQLite schema's, so the two cannot drift.
import { COMMUNITY_PRIVACY, COMMUNITY_STATUSES, MEMBER_STATES } from "../../schema/communities";

export { COMMUNITY_PRIVACY, COMMUNITY_STATUSES, MEMBER_STATES };

export const communities = pgTable(
  "communities",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    purpose: text("purpose").notNull().default(""),
    /** open: anyone signed in reads and joins; members: others see only the title and purpose. */
    privacy: text("privacy", { enum: COMMUNITY_PRIVACY }).notNull().default("open"),
    /** proposed (waiting for a facilitator or admin), active, or declined (with a reason). */
    status: text("status", { enum: COMMUNITY_STATUSES }).notNull().default("active"),
    stewardId: integer("steward_id")
      .notNull()
      .references(() => users.id),
    proposedBy: integer("proposed_by")
      .notNull()
      .references(() => users.id),
    /** The published theme it grew from, if any (and that theme's jam). */
    themeId: integer("theme_id").references(() => themes.id),
    sourceJamId: integer("source_jam_id").references(() => jams.id),
    /** The always-open idea box: a jam of kind "community" with one challenge, made on approval. */
    boxJamId: integer("box_jam_id").references(() => jams.id),
    boxChallengeId: integer("box_challenge_id").references(() => challenges.id),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: bigint("decided_at", { mode: "number" }),
    declineReason: text("decline_reason"),
    createdAt: createdAt(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("communities_box_jam_uq").on(t.boxJamId),
    // One community per theme: a second "Keep this theme alive" finds the first.
    uniqueIndex("communities_theme_uq").on(t.themeId),
    index("communities_status_idx").on(t.status, t.id),
  ],
);

/** One row per person and community: the state moves invited/requested -> member (or declined, removed, left). */
export const communityMembers = pgTable(
  "community_members",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    state: text("state", { enum: MEMBER_STATES }).notNull(),
    invitedBy: integer("invited_by").references(() => users.id),
    createdAt: createdAt(),
    joinedAt: bigint("joined_at", { mode: "number" }),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index("community_members_user_idx").on(t.userId, t.state)],
);

/** Links and notes the steward keeps for the community. */
export const communityResources = pgTable(
  "community_resources",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id),
    title: text("title").notNull(),
    url: text("url"),
    notes: text("notes").notNull().default(""),
    addedBy: integer("added_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("community_resources_idx").on(t.communityId, t.id)],
);

/** A challenge a community seeded in a jam: one per community and jam. */
export const communitySeeds = pgTable(
  "community_seeds",
  {
    challengeId: integer("challenge_id")
      .primaryKey()
      .references(() => challenges.id),
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id),
    jamId: integer("jam_id")
      .notNull()
      .references(() => jams.id),
    seededBy: integer("seeded_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("community_seeds_jam_uq").on(t.communityId, t.jamId)],
);

/** The weekly digest e-mail of a community: one row per community and week, claimed once (db/schema/communities.ts). */
export const communityDigests = pgTable(
  "community_digests",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id),
    weekEnd: bigint("week_end", { mode: "number" }).notNull(),
    claimedBy: text("claimed_by").notNull(),
    startedAt: bigint("started_at", { mode: "number" }).notNull(),
    queued: integer("queued").notNull().default(0),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.weekEnd] })],
);

export type Community = typeof communities.$inferSelect;
