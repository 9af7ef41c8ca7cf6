import { eq, count, and, inArray, sql, asc } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { Jelly } from "~/services/commands/jellies.server";
import { NotFound } from "~/services/errors";
import { mayReadCommunityContent, notPrivateCommunitySql } from "~/services/lookups/community-access.server";
import { jellyList, calendarFeedStatus } from "~/services/pages/jellies.server";
import type { Db } from "~db/client";
import { jellies, jellyRsvps, jellyIdeas, themes } from "~db/schema";

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
