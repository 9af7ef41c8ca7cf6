import { eq, sql, asc, and, count } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { jamPointRules } from "~/domain/points";
import type { VoteMode } from "~/domain/vote-modes";
import { liveBus } from "~/live/bus";
import type { JamCounts } from "~/services/commands/jams.server";
import { requireCapability, JAM_MANAGERS_ONLY } from "~/services/lookups/guards.server";
import { contributorOf } from "~/services/lookups/ideas.server";
import { preparedQuery, db, type Db } from "~db/client";
import { challenges, dotAllocations, ideas, votes, stanceVotes, type Jam } from "~db/schema";

/** The new-jam page's guard (its loader calls this): facilitators and admins. */
export function assertCanManageJams(actor: SessionUser) {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
}

const challengesOfJam = preparedQuery((conn) =>
  conn
    .select({ id: challenges.id, title: challenges.title, question: challenges.question })
    .from(challenges)
    .where(eq(challenges.jamId, sql.placeholder("jamId")))
    .orderBy(asc(challenges.position), asc(challenges.id))
    .prepare(),
);

/** A jam's challenges in order (id, title, question). */
export async function jamChallenges(jamId: number) {
  return await challengesOf(db(), jamId);
}

export async function challengesOf(conn: Db, jamId: number) {
  return await challengesOfJam(conn).all({ jamId });
}

/** While a jam's events flow, its counts are recomputed at most this often. */
export const JAM_COUNTS_MIN_REUSE_MS = 1_000;

/** Counts are never older than this, events or not. */
export const JAM_COUNTS_MAX_AGE_MS = 60_000;

const countsByJam = new Map<number, { at: number; eventId: number; counts: JamCounts }>();

/**
 * The jam's visible ideas (in all and per challenge), their authors, comments and
 * votes, for the jam home and the jams list: two passes over the jam's visible
 * ideas, using the comment and vote counts kept on each idea. At 46,000 ideas that
 * takes tens of milliseconds, so the result is reused until the jam publishes a live
 * event (every write that changes these counts does, after it commits), and while
 * events flow it is recomputed at most once a second: the most visited page of a
 * jam costs the same whatever the jam's size, and a page refreshed a second after
 * a change shows it.
 */
export async function jamCounts(conn: Db, jamId: number): Promise<JamCounts> {
  const at = Date.now();
  const eventId = await liveBus.lastEventId(conn, jamId);
  const cached = countsByJam.get(jamId);
  if (cached) {
    const age = at - cached.at;
    if (age < JAM_COUNTS_MIN_REUSE_MS || (cached.eventId === eventId && age < JAM_COUNTS_MAX_AGE_MS)) return cached.counts;
  }
  const visible = and(eq(ideas.jamId, jamId), sql`${ideas.hiddenAt} IS NULL`);
  const perChallenge = await conn
    .select({
      challengeId: ideas.challengeId,
      ideas: count(),
      comments: sql<number>`coalesce(sum(${ideas.commentCount}), 0)`,
      votes: sql<number>`coalesce(sum(${ideas.voteCount}), 0)`,
    })
    .from(ideas)
    .where(visible)
    .groupBy(ideas.challengeId)
    .all();
  const contributors =
    (await conn
      .select({ n: sql<number>`count(DISTINCT ${contributorOf('"ideas"')})` })
      .from(ideas)
      .where(visible)
      .get())?.n ?? 0;
  const sum = (key: "ideas" | "comments" | "votes") => perChallenge.reduce((n, row) => n + row[key], 0);
  const counts = {
    totals: { ideas: sum("ideas"), contributors, comments: sum("comments"), votes: sum("votes") },
    ideasByChallenge: new Map(perChallenge.map((row) => [row.challengeId, row.ideas])),
  };
  countsByJam.set(jamId, { at, eventId, counts });
  return counts;
}

/**
 * The jam and its challenges, as the edit form needs them: with each challenge,
 * why its voting mode can no longer change (null while it can) and how many dots
 * were placed (its dot settings may then only grow).
 */
/** A jam's challenges in order, with what the form and the launch checklist show of each. */
export async function challengeSettings(conn: Db, jamId: number) {
  return await conn
    .select({
      id: challenges.id,
      title: challenges.title,
      question: challenges.question,
      voteMode: challenges.voteMode,
      dotBudget: challenges.dotBudget,
      dotMaxPerIdea: challenges.dotMaxPerIdea,
    })
    .from(challenges)
    .where(eq(challenges.jamId, jamId))
    .orderBy(asc(challenges.position), asc(challenges.id))
    .all();
}

/** The jam's point rules as the settings form shows them, and whether leaderboards are hidden. */
export function jamGamification(jam: Jam) {
  return { rules: jamPointRules(jam.pointRules), leaderboardsHidden: jam.leaderboardsHidden };
}

/** How many votes a challenge holds in one mode. */
export async function votesInMode(tx: Db, challengeId: number, mode: VoteMode): Promise<number> {
  const table = mode === "support" ? votes : mode === "stance" ? stanceVotes : dotAllocations;
  return (await tx.select({ n: count() }).from(table).where(eq(table.challengeId, challengeId)).get())?.n ?? 0;
}

export async function ideaCount(conn: Db, jamId: number) {
  return (await conn.select({ n: count() }).from(ideas).where(eq(ideas.jamId, jamId)).get())?.n ?? 0;
}
