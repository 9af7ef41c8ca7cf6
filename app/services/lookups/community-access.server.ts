/**
 * Who may read a community and its idea box: the one guard every other service asks.
 *
 * A community's idea box is a jam of kind "community" (decision 023): the idea, comment, vote and
 * moderation services serve it as they serve a challenge. These lookups decide, for a box, what a
 * draft flag decides for a jam: an open community's box is read by anyone signed in, a members-only
 * community's box by its members alone. Nothing here is engine-specific: plain SQL and Drizzle.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "~db/client";
import { leadingInteger } from "~db/dialect";
import { communities, communityMembers, type Community } from "~db/schema";

export interface Reader {
  id: number;
}

/** The community that owns a box jam, or null for an ordinary jam. */
export async function boxOwner(conn: Db, jamId: number): Promise<Community | null> {
  return await conn.select().from(communities).where(eq(communities.boxJamId, jamId)).get() ?? null;
}

export async function isMember(conn: Db, communityId: number, userId: number): Promise<boolean> {
  return (
    await conn
      .select({ s: communityMembers.state })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId), eq(communityMembers.state, "member")))
      .get() !== undefined
  );
}

/** Whether the viewer may read the community's content (its idea box, members, resources, digest). */
export async function canReadCommunity(conn: Db, viewer: Reader, community: Pick<Community, "id" | "status" | "privacy">): Promise<boolean> {
  if (community.status !== "active") return false;
  return community.privacy === "open" || await isMember(conn, community.id, viewer.id);
}

/**
 * Whether the viewer may read what is in this jam as far as communities go: always for an ordinary
 * jam (its draft rule is the jam's own business), and for a community's box only as the community allows.
 */
export async function mayReadJamContent(conn: Db, viewer: Reader, jam: { id: number; kind: "jam" | "community" }): Promise<boolean> {
  if (jam.kind !== "community") return true;
  const owner = await boxOwner(conn, jam.id);
  return owner !== null && await canReadCommunity(conn, viewer, owner);
}

/**
 * A SQL condition on a jam id column: true for an ordinary jam and for the box of a community the
 * viewer may read. For lists that gather ideas across jams (profiles, search, notifications).
 */
export function readableJamSql(jamIdColumn: SQL | string, viewerId: SQL | number | unknown): SQL {
  const col = typeof jamIdColumn === "string" ? sql.raw(jamIdColumn) : jamIdColumn;
  return sql`(${col} NOT IN (SELECT box_jam_id FROM communities WHERE box_jam_id IS NOT NULL)
    OR ${col} IN (SELECT c.box_jam_id FROM communities c WHERE c.box_jam_id IS NOT NULL AND c.status = 'active' AND (c.privacy = 'open'
      OR EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = ${viewerId} AND m.state = 'member'))))`;
}

/** A SQL condition on a jam id column: false for the box of a members-only community (for what everyone sees alike). */
export function notPrivateBoxSql(jamIdColumn: string): SQL {
  return sql`${sql.raw(jamIdColumn)} NOT IN (SELECT box_jam_id FROM communities WHERE box_jam_id IS NOT NULL AND (privacy = 'members' OR status <> 'active'))`;
}

/**
 * Whether the viewer may read something that belongs to a community (a question, a jelly, and what
 * hangs off them): always when it belongs to none, else as the community's own guard says.
 */
export async function mayReadCommunityContent(conn: Db, viewer: Reader, communityId: number | null): Promise<boolean> {
  if (communityId === null) return true;
  const community = await conn.select().from(communities).where(eq(communities.id, communityId)).get();
  return community !== undefined && await canReadCommunity(conn, viewer, community);
}

/**
 * A SQL condition on a community id column (of questions or jellies): true when it is null, or the
 * community is one the viewer may read (active and open, or the viewer is a member). `viewerId`
 * may be a column, for "may this person read it" over many people.
 */
export function readableCommunitySql(communityIdColumn: SQL | string, viewerId: SQL | number | unknown): SQL {
  const col = typeof communityIdColumn === "string" ? sql.raw(communityIdColumn) : communityIdColumn;
  return sql`(${col} IS NULL OR ${col} IN (SELECT c.id FROM communities c WHERE c.status = 'active' AND (c.privacy = 'open'
    OR EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = ${viewerId} AND m.state = 'member'))))`;
}

/** A SQL condition on a community id column: false for a members-only (or no longer active) community, for figures everyone sees alike. */
export function notPrivateCommunitySql(communityIdColumn: string): SQL {
  return sql`(${sql.raw(communityIdColumn)} IS NULL OR ${sql.raw(communityIdColumn)} IN (SELECT id FROM communities WHERE status = 'active' AND privacy = 'open'))`;
}

/**
 * A SQL condition on a notifications row: false when its link leads to a question or a jelly of a
 * community the viewer may not read (a removed member's earlier notices about them disappear).
 */
export function readableNoticeLinkSql(linkColumn: SQL | string, viewerId: SQL | number | unknown): SQL {
  const link = typeof linkColumn === "string" ? sql.raw(linkColumn) : linkColumn;
  return sql`(${link} IS NULL
    OR (${link} NOT LIKE '/questions/%' AND ${link} NOT LIKE '/jellies/%')
    OR (${link} LIKE '/questions/%' AND NOT EXISTS (SELECT 1 FROM questions cq WHERE cq.id = ${leadingInteger(sql`substr(${link}, 12)`)}
      AND NOT ${readableCommunitySql(sql`cq.community_id`, viewerId)}))
    OR (${link} LIKE '/jellies/%' AND NOT EXISTS (SELECT 1 FROM jellies cj WHERE cj.id = ${leadingInteger(sql`substr(${link}, 10)`)}
      AND NOT ${readableCommunitySql(sql`cj.community_id`, viewerId)})))`;
}

/** The active communities the person may post in (ask a question, propose a jelly, post an idea): those they are a member of. */
export async function communitiesToPostIn(conn: Db, userId: number): Promise<{ id: number; slug: string; title: string; privacy: "open" | "members" }[]> {
  return await conn
    .select({ id: communities.id, slug: communities.slug, title: communities.title, privacy: communities.privacy })
    .from(communities)
    .innerJoin(communityMembers, and(eq(communityMembers.communityId, communities.id), eq(communityMembers.userId, userId), eq(communityMembers.state, "member")))
    .where(eq(communities.status, "active"))
    .orderBy(communities.title)
    .all();
}

/**
 * The community a question or a jelly is posted for: an active one the person is a member of.
 * Anything else (no such community, not a member, a forged id) is refused the same way.
 */
export async function communityToPostIn(conn: Db, userId: number, communityId: number): Promise<Community | null> {
  const community = await conn.select().from(communities).where(and(eq(communities.id, communityId), eq(communities.status, "active"))).get();
  if (!community || !await isMember(conn, community.id, userId)) return null;
  return community;
}
