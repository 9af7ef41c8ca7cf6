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
import { communities, communityMembers, type Community } from "~db/schema";

export interface Reader {
  id: number;
}

/** The community that owns a box jam, or null for an ordinary jam. */
export function boxOwner(conn: Db, jamId: number): Community | null {
  return conn.select().from(communities).where(eq(communities.boxJamId, jamId)).get() ?? null;
}

export function isMember(conn: Db, communityId: number, userId: number): boolean {
  return (
    conn
      .select({ s: communityMembers.state })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId), eq(communityMembers.state, "member")))
      .get() !== undefined
  );
}

/** Whether the viewer may read the community's content (its idea box, members, resources, digest). */
export function canReadCommunity(conn: Db, viewer: Reader, community: Pick<Community, "id" | "status" | "privacy">): boolean {
  if (community.status !== "active") return false;
  return community.privacy === "open" || isMember(conn, community.id, viewer.id);
}

/**
 * Whether the viewer may read what is in this jam as far as communities go: always for an ordinary
 * jam (its draft rule is the jam's own business), and for a community's box only as the community allows.
 */
export function mayReadJamContent(conn: Db, viewer: Reader, jam: { id: number; kind: "jam" | "community" }): boolean {
  if (jam.kind !== "community") return true;
  const owner = boxOwner(conn, jam.id);
  return owner !== null && canReadCommunity(conn, viewer, owner);
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
