import { eq, count, and, inArray, sql, asc, desc, or } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { pageWindow } from "~/domain/paging";
import { JELLIES_PAGE, jellyState } from "~/domain/jellies";
import type { Jelly } from "~/services/commands/jellies.server";
import { Invalid, Forbidden, NotFound } from "~/services/errors";
import { communityToPostIn, mayReadCommunityContent, notPrivateCommunitySql, readableCommunitySql } from "~/services/lookups/community-access.server";
import type { Db } from "~db/client";
import { jellies, jellyRsvps, jellyIdeas, themes, users, calendarFeeds, type Community, communities } from "~db/schema";
import { createHash } from "crypto";
import { z } from "zod";
import { visibleTheme } from "~/services/lookups/follows.server";

/**
 * A jelly by id, or NotFound. Every signed-in person may see every jelly (open meetups), except a
 * members-only community's: only the people the community's guard lets read it (else not found,
 * whatever is asked of it: the page, the .ics, an RSVP, a check-in).
 */
export async function findJelly(conn: Db, viewer: Pick<SessionUser, "id">, id: number): Promise<Jelly> {
  const jelly = await conn.select().from(jellies).where(eq(jellies.id, id)).get();
  if (!jelly || !await mayReadCommunityContent(conn, viewer, jelly.communityId)) throw new NotFound("No such jelly.");
  return jelly;
}

/** How many jellies still to come grew from each of these themes (for the theme cards of a synthesis). */
export async function upcomingJellyCounts(conn: Db, themeIds: number[], now: number): Promise<Record<number, number>> {
  if (themeIds.length === 0) return {};
  const rows = await conn
    .select({ themeId: jellies.themeId, n: count() })
    .from(jellies)
    .where(
      and(
        inArray(jellies.themeId, themeIds),
        eq(jellies.status, "scheduled"),
        sql`(${jellies.startsAt} + ${jellies.durationMinutes} * 60000) > ${now}`,
        notPrivateCommunitySql("jellies.community_id"),
      ),
    )
    .groupBy(jellies.themeId)
    .all();
  return Object.fromEntries(rows.filter((r) => r.themeId !== null).map((r) => [r.themeId!, r.n]));
}

/** A theme's jellies (for the synthesis page or a community page): upcoming first. */
export async function jelliesOfTheme(conn: Db, viewer: SessionUser, themeId: number, now: number) {
  return (await jellyList(conn, viewer, { tab: "upcoming", themeId, now })).jellies;
}

/** A community's own coming jellies (for its page): upcoming first. */
export async function jelliesOfCommunity(conn: Db, viewer: SessionUser, communityId: number, now: number) {
  return (await jellyList(conn, viewer, { tab: "upcoming", communityId, now })).jellies;
}

/** A person's jellies for their data download: hosted, RSVPs, ideas credited to them, whether they have a feed. */
export async function personalJellies(conn: Db, userId: number) {
  return {
    jelliesHosted: await conn
      .select({
        id: jellies.id,
        title: jellies.title,
        about: jellies.about,
        startsAt: jellies.startsAt,
        timeZone: jellies.timeZone,
        durationMinutes: jellies.durationMinutes,
        place: jellies.place,
        callLink: jellies.callLink,
        capacity: jellies.capacity,
        status: jellies.status,
        notes: jellies.notes,
        createdAt: jellies.createdAt,
      })
      .from(jellies)
      .where(eq(jellies.hostId, userId))
      .orderBy(asc(jellies.id))
      .all(),
    jellyRsvps: await conn
      .select({ jelly: jellies.id, title: jellies.title, startsAt: jellies.startsAt, status: jellyRsvps.status, since: jellyRsvps.queuedAt, checkedInAt: jellyRsvps.checkedInAt })
      .from(jellyRsvps)
      .innerJoin(jellies, eq(jellies.id, jellyRsvps.jellyId))
      .where(eq(jellyRsvps.userId, userId))
      .orderBy(asc(jellies.startsAt), asc(jellies.id))
      .all(),
    jellyIdeasCreditedToYou: await conn
      .select({ jelly: jellies.title, title: jellyIdeas.title, body: jellyIdeas.body, createdAt: jellyIdeas.createdAt })
      .from(jellyIdeas)
      .innerJoin(jellies, eq(jellies.id, jellyIdeas.jellyId))
      .where(eq(jellyIdeas.creditedId, userId))
      .orderBy(asc(jellyIdeas.id))
      .all(),
    calendarFeed: await calendarFeedStatus(conn, { id: userId }),
  };
}

// Kept for the lead's later joins (communities, command centre): jellies that grew from a jam's themes.
export async function jelliesFromJamThemes(conn: Db, jamId: number) {
  return await conn
    .select({ id: jellies.id, title: jellies.title, startsAt: jellies.startsAt, status: jellies.status })
    .from(jellies)
    .innerJoin(themes, eq(themes.id, jellies.themeId))
    .where(sql`${themes.versionId} IN (SELECT id FROM synthesis_versions WHERE jam_id = ${jamId})`)
    .orderBy(asc(jellies.startsAt), asc(jellies.id))
    .all();
}

const cardColumns = {
  id: jellies.id,
  title: jellies.title,
  startsAt: jellies.startsAt,
  durationMinutes: jellies.durationMinutes,
  timeZone: jellies.timeZone,
  place: jellies.place,
  hasCallLink: sql<number>`${jellies.callLink} IS NOT NULL`,
  capacity: jellies.capacity,
  status: jellies.status,
  hostId: jellies.hostId,
  hostName: users.name,
  going: sql<number>`(SELECT count(*) FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.status = 'going')`,
  waiting: sql<number>`(SELECT count(*) FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.status = 'waiting')`,
};

/**
 * A page of jelly cards: upcoming (not yet ended, soonest first), mine (hosting or RSVPed, newest
 * first) or past (ended, latest first). `themeId` narrows to one theme's jellies (a theme or,
 * later, a community section).
 */
export type JelliesTab = "upcoming" | "mine" | "past";

export type JellyCardData = Awaited<ReturnType<typeof jellyList>>["jellies"][number];

export async function jellyList(conn: Db, viewer: SessionUser, options: { tab: JelliesTab; page?: unknown; themeId?: number; communityId?: number; now: number }) {
  const { tab, now } = options;
  const endExpr = sql`(${jellies.startsAt} + ${jellies.durationMinutes} * 60000)`;
  const mine = sql`(${jellies.hostId} = ${viewer.id} OR EXISTS (SELECT 1 FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.user_id = ${viewer.id}))`;
  const where = and(
    tab === "upcoming" ? sql`${endExpr} > ${now}` : tab === "past" ? sql`${endExpr} <= ${now}` : mine,
    options.themeId ? eq(jellies.themeId, options.themeId) : undefined,
    options.communityId ? eq(jellies.communityId, options.communityId) : undefined,
    // A members-only community's jellies: only to the people who may read that community.
    readableCommunitySql(sql`${jellies.communityId}`, viewer.id),
  );
  const total = (await conn.select({ n: count() }).from(jellies).where(where).get())?.n ?? 0;
  const window = pageWindow(total, options.page, JELLIES_PAGE);
  const rows = await conn
    .select({ ...cardColumns, myStatus: sql<string | null>`(SELECT r.status FROM jelly_rsvps r WHERE r.jelly_id = ${jellies.id} AND r.user_id = ${viewer.id})` })
    .from(jellies)
    .innerJoin(users, eq(users.id, jellies.hostId))
    .where(where)
    .orderBy(tab === "upcoming" ? asc(jellies.startsAt) : desc(jellies.startsAt), tab === "upcoming" ? asc(jellies.id) : desc(jellies.id))
    .limit(JELLIES_PAGE)
    .offset(window.offset)
    .all();
  return {
    window,
    jellies: rows.map((r) => ({
      ...r,
      hasCallLink: Boolean(r.hasCallLink),
      isHost: r.hostId === viewer.id,
      myStatus: r.hostId === viewer.id ? ("hosting" as const) : (r.myStatus as "going" | "waiting" | null),
      state: jellyState(r, now),
    })),
  };
}

/** Whether the person has a calendar feed (its address cannot be shown again: only its hash is kept). */
export async function calendarFeedStatus(conn: Db, viewer: Pick<SessionUser, "id">) {
  const row = await conn.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, viewer.id)).get();
  return { exists: Boolean(row), createdAt: row?.createdAt ?? null };
}

export function requireHost(jelly: Jelly, actor: SessionUser) {
  if (jelly.hostId !== actor.id) throw new Forbidden("Only the host can do that.");
}

export async function goingCount(conn: Db, jellyId: number): Promise<number> {
  return (await conn.select({ n: count() }).from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jellyId), eq(jellyRsvps.status, "going"))).get())?.n ?? 0;
}

// ---------------------------------------------------------------------------
// What proposing, editing and cancelling share: where a jelly comes from, who is credited, its box

const OriginInput = z.object({
  themeId: z.coerce.number().int().positive().optional().catch(undefined),
  withId: z.coerce.number().int().positive().optional().catch(undefined),
  communityId: z.coerce.number().int().positive().optional().catch(-1),
});

/**
 * What a new jelly grows from: a published theme the viewer may see, or another person (a pair);
 * and the community it is for, if any (one the viewer is a member of: anything else is refused).
 */
export async function resolveOrigin(conn: Db, actor: SessionUser, raw: { themeId?: unknown; withId?: unknown; communityId?: unknown }) {
  const origin = OriginInput.parse({ themeId: raw.themeId || undefined, withId: raw.withId || undefined, communityId: raw.communityId || undefined });
  let community: { id: number; slug: string; title: string; privacy: "open" | "members" } | null = null;
  if (origin.communityId !== undefined) {
    const found = origin.communityId > 0 ? await communityToPostIn(conn, actor.id, origin.communityId) : null;
    if (!found) throw new Invalid({ communityId: ["Choose a community you are a member of, or none."] });
    community = { id: found.id, slug: found.slug, title: found.title, privacy: found.privacy };
  }
  const theme = origin.themeId ? await visibleTheme(conn, actor, origin.themeId) : null;
  if (theme && theme.publishedAt === null) throw new NotFound("No such theme.");
  let pair: { id: number; name: string } | null = null;
  if (origin.withId && origin.withId !== actor.id) {
    const person = await conn
      .select({ id: users.id, name: users.name, erasedAt: users.erasedAt, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.id, origin.withId))
      .get();
    if (!person || person.erasedAt !== null || person.deactivatedAt !== null) throw new NotFound("No such person.");
    pair = { id: person.id, name: person.name };
  }
  return { theme: theme ? { id: theme.id, label: theme.label, jamSlug: theme.jamSlug } : null, pair, community };
}

/** Who an idea from this jelly can be credited to: the host and everyone who was going. */
export async function creditable(conn: Db, jelly: Jelly) {
  const people = await conn
    .select({ id: users.id, name: users.name, erasedAt: users.erasedAt })
    .from(users)
    .where(
      or(
        eq(users.id, jelly.hostId),
        inArray(users.id, conn.select({ id: jellyRsvps.userId }).from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, jelly.id), eq(jellyRsvps.status, "going")))),
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .all();
  return people.filter((p) => p.erasedAt === null).map((p) => ({ id: p.id, name: p.name }));
}

/**
 * The community whose idea box a jelly's ideas go into: the jelly's own community, else the
 * community kept alive from the jelly's theme; only an active one with a box. Null: none.
 */
export async function boxOfJelly(conn: Db, jelly: Pick<Jelly, "communityId" | "themeId">): Promise<Community | null> {
  const where = jelly.communityId !== null ? eq(communities.id, jelly.communityId) : jelly.themeId !== null ? eq(communities.themeId, jelly.themeId) : null;
  if (!where) return null;
  const community = await conn.select().from(communities).where(and(where, eq(communities.status, "active"))).get();
  return community && community.boxJamId !== null && community.boxChallengeId !== null ? community : null;
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
