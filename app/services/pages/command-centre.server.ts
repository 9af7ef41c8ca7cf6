/**
 * The command centre: what facilitators and leaders watch while a jam is live.
 * Every figure reads an index range bounded by time (ideas_jam_time_idx,
 * comments_time_idx, votes_challenge_time_idx), so its cost follows the last
 * hour's activity, not the size of the jam.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { jamPhase } from "~/domain/phase";
import { type Db, db } from "~db/client";
import { challenges, handoffNotes, ideas, users } from "~db/schema";
import { openFlagQueue } from "~/services/lookups/flags.server";
import { contributorOf } from "~/services/lookups/ideas.server";

import { emergingThemes } from "~/services/lookups/synthesis.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";

const MINUTE = 60_000;

/** "Active now": posted, commented or voted within this window. */
export const ACTIVE_WINDOW_MS = 5 * MINUTE;

/** The contributions chart: one bar per minute over this many minutes. */
export const CHART_MINUTES = 60;

/** "Rising": most support votes within this window. */
export const RISING_WINDOW_MS = 30 * MINUTE;

const RISING_SHOWN = 5;

const UNANSWERED_SHOWN = 10;

const NOTES_SHOWN = 10;

async function jamForCommand(conn: Db, viewer: SessionUser, slug: string) {
  requireCapability(viewer, "watchCommandCentre", "Only facilitators and leaders can open the command centre.");
  return await findVisibleJam(conn, viewer, slug);
}

/*
 * Comments carry no jam: they are read by their time index and joined to their
 * idea. CROSS JOIN keeps that order (SQLite never reorders it), so the cost
 * follows the hour's comments, not the jam's ideas.
 */

/** The jam's challenges, as a subquery: votes are read per challenge on (challenge_id, created_at). */
const jamChallengeIds = (jamId: number) => sql`(SELECT c.id FROM challenges c WHERE c.jam_id = ${jamId})`;

/**
 * Distinct people who posted an idea, commented or voted in the jam in the five minutes up to
 * `now`; an anonymous idea counts as a person of its own (`contributorOf`).
 */
export async function activePeople(conn: Db, jamId: number, now: number): Promise<number> {
  const since = now - ACTIVE_WINDOW_MS;
  return (
    (await conn.get<{ n: number }>(sql`
      SELECT count(*) AS n FROM (
        SELECT ${contributorOf("i")} AS person FROM ideas i
          WHERE i.jam_id = ${jamId} AND i.created_at > ${since} AND i.created_at <= ${now}
        UNION
        SELECT c.author_id FROM comments c CROSS JOIN ideas i
          WHERE c.created_at > ${since} AND c.created_at <= ${now} AND i.id = c.idea_id AND i.jam_id = ${jamId}
        UNION
        SELECT v.user_id FROM votes v
          WHERE v.challenge_id IN ${jamChallengeIds(jamId)} AND v.created_at > ${since} AND v.created_at <= ${now}
      ) AS sub`))?.n ?? 0
  );
}

export interface MinuteBucket {
  /** The start of the minute (UTC ms). */
  at: number;
  ideas: number;
  comments: number;
}

/** The chart's window: 60 whole minutes, the last one being the minute `now` is in. */
export function chartWindow(now: number) {
  const end = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  return { start: end - CHART_MINUTES * MINUTE, end };
}

/** Ideas and comments per minute over the last hour (oldest minute first, always 60 buckets). */
export async function contributionsPerMinute(conn: Db, jamId: number, now: number): Promise<MinuteBucket[]> {
  const { start } = chartWindow(now);
  // Parameters bind as REAL: the cast makes the bucket a whole minute.
  const ideaRows = await conn.all<{ b: number; n: number }>(sql`
    SELECT CAST((i.created_at - ${start}) / ${MINUTE} AS INTEGER) AS b, count(*) AS n FROM ideas i
    WHERE i.jam_id = ${jamId} AND i.created_at >= ${start} AND i.created_at <= ${now}
    GROUP BY b`);
  const commentRows = await conn.all<{ b: number; n: number }>(sql`
    SELECT CAST((c.created_at - ${start}) / ${MINUTE} AS INTEGER) AS b, count(*) AS n FROM comments c CROSS JOIN ideas i
    WHERE c.created_at >= ${start} AND c.created_at <= ${now} AND i.id = c.idea_id AND i.jam_id = ${jamId}
    GROUP BY b`);
  const buckets: MinuteBucket[] = Array.from({ length: CHART_MINUTES }, (_, i) => ({ at: start + i * MINUTE, ideas: 0, comments: 0 }));
  for (const r of ideaRows) if (buckets[r.b]) buckets[r.b]!.ideas = r.n;
  for (const r of commentRows) if (buckets[r.b]) buckets[r.b]!.comments = r.n;
  return buckets;
}

export interface DepartmentActivity {
  department: string;
  ideas: number;
  comments: number;
}

/**
 * Contributions over the chart's hour by the contributor's department, most
 * first. Anonymous ideas count under "Anonymous ideas": a department beside
 * them could name the author of one in a small team.
 */
export async function contributionsByDepartment(conn: Db, jamId: number, now: number): Promise<DepartmentActivity[]> {
  const { start } = chartWindow(now);
  const ideaRows = await conn.all<{ anon: number; dept: string | null; n: number }>(sql`
    SELECT i.is_anonymous AS anon, CASE WHEN i.is_anonymous = TRUE THEN NULL ELSE d.name END AS dept, count(*) AS n
    FROM ideas i JOIN users u ON u.id = i.author_id LEFT JOIN departments d ON d.id = u.department_id
    WHERE i.jam_id = ${jamId} AND i.created_at >= ${start} AND i.created_at <= ${now}
    GROUP BY anon, dept`);
  const commentRows = await conn.all<{ dept: string | null; n: number }>(sql`
    SELECT d.name AS dept, count(*) AS n
    FROM comments c CROSS JOIN ideas i JOIN users u ON u.id = c.author_id LEFT JOIN departments d ON d.id = u.department_id
    WHERE c.created_at >= ${start} AND c.created_at <= ${now} AND i.id = c.idea_id AND i.jam_id = ${jamId}
    GROUP BY dept`);
  const byName = new Map<string, DepartmentActivity>();
  const row = (department: string) => {
    const found = byName.get(department) ?? { department, ideas: 0, comments: 0 };
    byName.set(department, found);
    return found;
  };
  for (const r of ideaRows) row(r.anon ? "Anonymous ideas" : (r.dept ?? "No department")).ideas += r.n;
  for (const r of commentRows) row(r.dept ?? "No department").comments += r.n;
  return [...byName.values()].sort(
    (a, b) => b.ideas + b.comments - (a.ideas + a.comments) || a.department.localeCompare(b.department),
  );
}

export interface RisingIdea {
  id: number;
  title: string;
  challengeTitle: string;
  recentVotes: number;
  voteCount: number;
}

/** Visible ideas with the most support votes in the last 30 minutes. */
export async function risingIdeas(conn: Db, jamId: number, now: number): Promise<RisingIdea[]> {
  const since = now - RISING_WINDOW_MS;
  return await conn.all<RisingIdea>(sql`
    SELECT i.id AS id, i.title AS title, ch.title AS challengeTitle, r.recent AS recentVotes, i.vote_count AS voteCount
    FROM (
      SELECT v.idea_id AS ideaId, count(*) AS recent FROM votes v
      WHERE v.challenge_id IN ${jamChallengeIds(jamId)} AND v.created_at > ${since} AND v.created_at <= ${now}
      GROUP BY v.idea_id
    ) r
    JOIN ideas i ON i.id = r.ideaId JOIN challenges ch ON ch.id = i.challenge_id
    WHERE i.hidden_at IS NULL
    ORDER BY r.recent DESC, i.id DESC
    LIMIT ${RISING_SHOWN}`);
}

/** Visible ideas nobody has commented on yet, oldest first (the jam's time index, in order). */
export async function unansweredIdeas(conn: Db, jamId: number, now: number) {
  return await conn
    .select({ id: ideas.id, title: ideas.title, createdAt: ideas.createdAt, challengeTitle: challenges.title })
    .from(ideas)
    .innerJoin(challenges, eq(challenges.id, ideas.challengeId))
    .where(and(eq(ideas.jamId, jamId), isNull(ideas.hiddenAt), eq(ideas.commentCount, 0), sql`${ideas.createdAt} <= ${now}`))
    .orderBy(asc(ideas.createdAt), asc(ideas.id))
    .limit(UNANSWERED_SHOWN)
    .all();
}

export async function recentHandoffNotes(conn: Db, jamId: number) {
  return await conn
    .select({ id: handoffNotes.id, body: handoffNotes.body, createdAt: handoffNotes.createdAt, author: users.name })
    .from(handoffNotes)
    .innerJoin(users, eq(users.id, handoffNotes.authorId))
    .where(eq(handoffNotes.jamId, jamId))
    .orderBy(desc(handoffNotes.id))
    .limit(NOTES_SHOWN)
    .all();
}

/** Everything the command centre shows, for facilitators and leaders (others: 403). */
export async function commandCentre(viewer: SessionUser, slug: string, now = Date.now()) {
  const conn = db();
  const jam = await jamForCommand(conn, viewer, slug);
  const perMinute = await contributionsPerMinute(conn, jam.id, now);
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt, phase: jamPhase(jam, now) },
    activePeople: await activePeople(conn, jam.id, now),
    perMinute,
    lastHour: perMinute.reduce((n, b) => n + b.ideas + b.comments, 0),
    departments: await contributionsByDepartment(conn, jam.id, now),
    rising: await risingIdeas(conn, jam.id, now),
    flags: await openFlagQueue(conn, jam.id),
    unanswered: await unansweredIdeas(conn, jam.id, now),
    notes: await recentHandoffNotes(conn, jam.id),
    emergingThemes: await emergingThemes(conn, jam.id),
    /** Leaders watch; facilitators also resolve flags and leave notes. */
    canModerate: can(viewer.role, "manageJams"),
  };
}
