import { eq, sql, asc, and, desc } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { mapInOrder } from "~/domain/in-order";
import { can } from "~/domain/permissions";
import { jamPhase } from "~/domain/phase";
import { voteModeLockReason } from "~/domain/vote-modes";
import type { JamSummary } from "~/services/commands/jams.server";
import { votesInMode, jamCounts, challengesOf, challengeSettings, jamGamification } from "~/services/lookups/jams.server";
import { boxOwner, canReadCommunity } from "~/services/lookups/community-access.server";
import { NotFound } from "~/services/errors";
import { requireCapability, JAM_MANAGERS_ONLY } from "~/services/lookups/guards.server";
import { recentAnnouncements } from "~/services/lookups/announcements.server";
import { ideaCards } from "~/services/lookups/idea-cards.server";
import { jamResults } from "~/services/pages/synthesis.server";
import { jamVisibleTo, findVisibleJam } from "~/services/lookups/visibility.server";
import { db, preparedQueries } from "~db/client";
import { jams, ideas } from "~db/schema";

/** The community page a box jam's slug stands for (its idea pages' crumbs link there), if the viewer may read it. */
export async function communityOfBoxSlug(viewer: SessionUser, slug: string): Promise<string | null> {
  const conn = db();
  const jam = await conn.select().from(jams).where(eq(jams.slug, slug)).get();
  if (!jam || jam.kind !== "community") return null;
  const owner = await boxOwner(conn, jam.id);
  return owner && await canReadCommunity(conn, viewer, owner) ? owner.slug : null;
}

/** Live jams (soonest end first), upcoming (soonest start first) and past (latest first). */
export async function listJams(viewer: SessionUser, now = Date.now()) {
  const conn = db();
  const rows = await conn
    .select({
      id: jams.id,
      slug: jams.slug,
      title: jams.title,
      description: jams.description,
      startsAt: jams.startsAt,
      endsAt: jams.endsAt,
      isDraft: jams.isDraft,
      kind: jams.kind,
      challengeCount: sql<number>`(SELECT count(*) FROM "challenges" c WHERE c."jam_id" = "jams"."id")`,
    })
    .from(jams)
    .orderBy(asc(jams.startsAt), asc(jams.id))
    .all();
  const all: JamSummary[] = await mapInOrder(rows
    // A community's always-open idea box is not a jam to list.
    .filter((j) => j.kind === "jam" && jamVisibleTo(viewer, j)), async ({ isDraft, kind: _kind, ...j }) => ({ ...j, ideaCount: (await jamCounts(conn, j.id)).totals.ideas, phase: jamPhase({ ...j, isDraft }, now) }));
  return {
    live: all.filter((j) => j.phase === "live").sort((a, b) => a.endsAt - b.endsAt),
    upcoming: all.filter((j) => j.phase === "scheduled" || j.phase === "draft"),
    past: all.filter((j) => j.phase === "ended").sort((a, b) => b.endsAt - a.endsAt),
    canCreate: can(viewer.role, "manageJams"),
  };
}

/** The jam's five newest, or five most supported, visible ideas. */
const homeIdeas = preparedQueries((conn, order: "newest" | "top") =>
  conn
    .select()
    .from(ideas)
    .where(and(eq(ideas.jamId, sql.placeholder("jamId")), sql`${ideas.hiddenAt} IS NULL`))
    .orderBy(...(order === "newest" ? [desc(ideas.id)] : [desc(ideas.voteCount), desc(ideas.id)]))
    .limit(5)
    .prepare(),
);

/** Everything the jam's home page shows: challenges, counts, newest and top ideas. */
export async function jamHome(viewer: SessionUser, slug: string, now = Date.now()) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  const { totals, ideasByChallenge } = await jamCounts(conn, jam.id);
  const newest = await ideaCards(conn, viewer, await homeIdeas(conn, "newest").all({ jamId: jam.id }));
  const top = await ideaCards(conn, viewer, await homeIdeas(conn, "top").all({ jamId: jam.id }));
  return {
    // What the page shows of the jam (its row also holds point rules, its author and timestamps: not sent).
    jam: {
      id: jam.id,
      slug: jam.slug,
      title: jam.title,
      description: jam.description,
      startsAt: jam.startsAt,
      endsAt: jam.endsAt,
      phase: jamPhase(jam, now),
    },
    challenges: (await challengesOf(conn, jam.id)).map((c) => ({ ...c, ideaCount: ideasByChallenge.get(c.id) ?? 0 })),
    stats: totals,
    newest,
    top,
    canManage: can(viewer.role, "manageJams"),
  };
}

export async function jamForEdit(actor: SessionUser, slug: string) {
  const conn = db();
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const list = await mapInOrder((await challengeSettings(conn, jam.id)), async (c) => {
    const cast = await votesInMode(conn, c.id, c.voteMode);
    return { ...c, voteModeLock: voteModeLockReason(c.voteMode, cast), dotsPlaced: c.voteMode === "dots" ? cast : 0 };
  });
  return { jam: { ...jam, phase: jamPhase(jam, Date.now()) }, challenges: list, gamification: jamGamification(jam) };
}

/**
 * Everything a jam's home shows, in one call; a community's idea box has no jam home and answers
 * with the community to go to instead. An ended jam leads with its results.
 */
export async function jamHomePage(viewer: SessionUser, slug: string) {
  let home: Awaited<ReturnType<typeof jamHome>>;
  try {
    home = await jamHome(viewer, slug);
  } catch (error) {
    // No jam home: perhaps a community's idea box (rare), whose address leads to the community.
    const community = error instanceof NotFound ? await communityOfBoxSlug(viewer, slug) : null;
    if (community) return { community };
    throw error;
  }
  return {
    community: null,
    ...home,
    results: home.jam.phase === "ended" ? await jamResults(viewer, home.jam.id) : null,
    announcements: await recentAnnouncements(home.jam.id, undefined, 5),
    canWatch: can(viewer.role, "watchCommandCentre"),
  };
}
