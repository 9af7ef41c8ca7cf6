import { eq, sql, and, inArray, isNull, asc } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { jamPhase } from "~/domain/phase";
import type { Invitee, InviteeReason } from "~/services/commands/communities.server";
import { NotFound } from "~/services/errors";
import type { Db } from "~db/client";
import { jsonListContains, jsonList } from "~db/lists";
import { type Community, communities, themes, ideas, themeIdeas, follows, communityMembers, users, jams, communitySeeds } from "~db/schema";

// ---------------------------------------------------------------------------------------- lookups

export async function communityBySlug(conn: Db, slug: string): Promise<Community | null> {
  return await conn.select().from(communities).where(eq(communities.slug, slug)).get() ?? null;
}

/** Whether the viewer may see the community at all (its name and purpose): active ones for everyone, proposals for their proposer and deciders. */
export function canSeeCommunity(viewer: SessionUser, community: Community): boolean {
  if (community.status === "active") return true;
  return community.proposedBy === viewer.id || can(viewer.role, "manageJams");
}

/** The community if the viewer may see it; not found otherwise. */
export async function findVisibleCommunity(conn: Db, viewer: SessionUser, communityId: number): Promise<Community> {
  const row = await communityById(conn, communityId);
  if (!canSeeCommunity(viewer, row)) throw new NotFound("No such community.");
  return row;
}

/**
 * Who the steward may invite: the theme's contributors (authors of its NAMED, visible ideas: an
 * anonymous idea never makes its author an invitee, nor says who wrote it), its followers and its
 * go-to people (named contributions that drew engagement from others), minus anyone already in,
 * invited, or who declined, and anyone erased or deactivated.
 */
export async function inviteeCandidates(conn: Db, community: Community): Promise<Invitee[]> {
  if (community.themeId === null) return [];
  const themeIds = (await conn
    .select({ id: themes.id })
    .from(themes)
    .where(sql`${themes.id} = ${community.themeId} OR ${themes.parentId} = ${community.themeId}`)
    .all())
    .map((t) => t.id);
  const reasons = new Map<number, Set<InviteeReason>>();
  const add = (userId: number, reason: InviteeReason) => {
    const set = reasons.get(userId) ?? new Set<InviteeReason>();
    set.add(reason);
    reasons.set(userId, set);
  };
  const named = await conn
    .select({ authorId: ideas.authorId, ideaId: ideas.id })
    .from(themeIdeas)
    .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
    .where(and(inArray(themeIdeas.themeId, themeIds), eq(themeIdeas.excluded, false), eq(ideas.isAnonymous, false), isNull(ideas.hiddenAt)))
    .all();
  for (const r of named) add(r.authorId, "contributor");
  for (const f of await conn
    .select({ id: follows.followerId })
    .from(follows)
    .where(and(eq(follows.targetType, "theme"), eq(follows.targetId, community.themeId)))
    .all())
    add(f.id, "follower");
  // Go-to people: named authors in the theme whose ideas drew votes or comments from others.
  const namedIds = named.map((r) => r.ideaId);
  if (namedIds.length > 0) {
    const engaged = await conn.all<{ a: number }>(sql`
      SELECT i.author_id AS a FROM ideas i
      WHERE ${jsonListContains(sql`i.id`, jsonList(namedIds))}
        AND (EXISTS (SELECT 1 FROM votes v WHERE v.idea_id = i.id AND v.user_id <> i.author_id)
          OR EXISTS (SELECT 1 FROM stance_votes s WHERE s.idea_id = i.id AND s.stance = 'agree' AND s.user_id <> i.author_id)
          OR EXISTS (SELECT 1 FROM comments c WHERE c.idea_id = i.id AND c.hidden_at IS NULL AND c.author_id <> i.author_id))
      GROUP BY i.author_id`);
    for (const r of engaged) add(r.a, "go-to");
  }
  const ids = [...reasons.keys()];
  if (ids.length === 0) return [];
  const taken = new Set(
    (await conn
      .select({ userId: communityMembers.userId })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, community.id), inArray(communityMembers.userId, ids)))
      .all())
      .map((m) => m.userId),
  );
  const people = await conn
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(inArray(users.id, ids), isNull(users.erasedAt), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const order: InviteeReason[] = ["go-to", "contributor", "follower"];
  return people
    .filter((p) => !taken.has(p.id))
    .map((p) => ({ ...p, reasons: order.filter((r) => reasons.get(p.id)!.has(r)) }));
}

// ------------------------------------------------------------------------ seeding a challenge

/** Jams a facilitator may seed a challenge into: drafts and scheduled ones (not a community's box). */
export async function seedableJams(conn: Db, actor: SessionUser, now: number) {
  if (!can(actor.role, "manageJams")) return [];
  return (await conn
    .select({ id: jams.id, title: jams.title, slug: jams.slug, startsAt: jams.startsAt, endsAt: jams.endsAt, isDraft: jams.isDraft })
    .from(jams)
    .where(eq(jams.kind, "jam"))
    .orderBy(asc(jams.startsAt), asc(jams.id))
    .all())
    .filter((j) => {
      const phase = jamPhase(j, now);
      return phase === "draft" || phase === "scheduled";
    });
}

/** The community a challenge was seeded from (for a link back on the challenge's page), if the viewer may see it. */
export async function seededFrom(conn: Db, viewer: SessionUser, challengeId: number) {
  const row = await conn
    .select({ community: communities })
    .from(communitySeeds)
    .innerJoin(communities, eq(communities.id, communitySeeds.communityId))
    .where(eq(communitySeeds.challengeId, challengeId))
    .get();
  if (!row || !canSeeCommunity(viewer, row.community)) return null;
  return { slug: row.community.slug, title: row.community.title };
}

export async function communityById(conn: Db, communityId: number): Promise<Community> {
  const row = await conn.select().from(communities).where(eq(communities.id, communityId)).get();
  if (!row) throw new NotFound("No such community.");
  return row;
}
