/** Communities of practice: a theme kept alive after its jam. All times are UTC epoch milliseconds. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./people";
import { challenges, jams } from "./jams";
import { themes } from "./synthesis";
import { createdAt } from "./columns";

export const COMMUNITY_PRIVACY = ["open", "members"] as const;
export const COMMUNITY_STATUSES = ["proposed", "active", "declined"] as const;

export const communities = sqliteTable(
  "communities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    decidedAt: integer("decided_at"),
    declineReason: text("decline_reason"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("communities_box_jam_uq").on(t.boxJamId),
    // One community per theme: a second "Keep this theme alive" finds the first.
    uniqueIndex("communities_theme_uq").on(t.themeId),
    index("communities_status_idx").on(t.status, t.id),
  ],
);

export const MEMBER_STATES = ["invited", "requested", "member", "declined", "removed", "left"] as const;

/** One row per person and community: the state moves invited/requested -> member (or declined, removed, left). */
export const communityMembers = sqliteTable(
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
    joinedAt: integer("joined_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index("community_members_user_idx").on(t.userId, t.state)],
);

/** Links and notes the steward keeps for the community. */
export const communityResources = sqliteTable(
  "community_resources",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
export const communitySeeds = sqliteTable(
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

/**
 * The weekly digest e-mail of a community: one row per community and week, claimed by the first
 * background round to insert it (a second process inserting the same row changes nothing), so a
 * week's digest is composed once; each member's message is also unique in the outbox.
 */
export const communityDigests = sqliteTable(
  "community_digests",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => communities.id),
    /** The Monday 00:00 UTC that ends the week told about: the digest covers [week_end - 7 days, week_end). */
    weekEnd: integer("week_end").notNull(),
    claimedBy: text("claimed_by").notNull(),
    startedAt: integer("started_at").notNull(),
    /** How many members it was queued for (none when the week was empty). */
    queued: integer("queued").notNull().default(0),
    finishedAt: integer("finished_at"),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.weekEnd] })],
);

export type Community = typeof communities.$inferSelect;
