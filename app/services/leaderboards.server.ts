/**
 * Leaderboards read the maintained aggregates (point_totals, department_totals)
 * through their indexes: a page is one index range whatever the jam's size, and a
 * rank is an index count (about 1 ms at 150,000 people; tests/bench/leaderboard).
 */
import { and, asc, desc, eq, gt, lt, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import type { DepartmentRow, LeaderRow } from "~/domain/views";
import { jamPhase } from "~/domain/phase";
import { db, type Db } from "~db/client";
import { departments, departmentTotals, pointTotals, serialVoteReports, users } from "~db/schema";
import { validate } from "./errors";
import { ALL_JAMS } from "./gamification.server";
import { findVisibleJam } from "./lookups/visibility.server";

const PAGE = 20;

export interface Rank {
  rank: number;
  total: number;
}

/**
 * People who opted out of rankings (few: a partial index holds them) with points in a scope,
 * as a subquery of (user_id, total). CROSS JOIN keeps those few people SQLite's outer loop (the
 * join's conditions sit in WHERE: PostgreSQL takes no ON after CROSS JOIN).
 */
const optedOut = (scope: number) => sql`(SELECT pt.user_id, pt.total FROM users u
    CROSS JOIN point_totals pt WHERE pt.scope = ${scope} AND pt.user_id = u.id AND u.hidden_from_rankings = TRUE)`;

/**
 * A person's position in a scope among the people rankings show (1 = first; ties broken by who
 * got there first, i.e. lower id). People who opted out are left out of everyone's rank; their
 * own rank (which only they see) is where they would stand among the people shown.
 */
export async function rankOf(conn: Db, scope: number, userId: number): Promise<Rank | null> {
  const mine = await conn
    .select({ total: pointTotals.total })
    .from(pointTotals)
    .where(and(eq(pointTotals.scope, scope), eq(pointTotals.userId, userId)))
    .get();
  if (!mine) return null;
  const above =
    ((await conn
      .select({ n: sql<number>`count(*)` })
      .from(pointTotals)
      .where(and(eq(pointTotals.scope, scope), gt(pointTotals.total, mine.total)))
      .get())?.n ?? 0) +
    ((await conn
      .select({ n: sql<number>`count(*)` })
      .from(pointTotals)
      .where(and(eq(pointTotals.scope, scope), eq(pointTotals.total, mine.total), lt(pointTotals.userId, userId)))
      .get())?.n ?? 0);
  const hiddenAbove =
    (await conn.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM ${optedOut(scope)} o WHERE o.total > ${mine.total} OR (o.total = ${mine.total} AND o.user_id < ${userId})`,
    ))?.n ?? 0;
  return { rank: above - hiddenAbove + 1, total: mine.total };
}

/** Whether the person opted out of rankings. */
export async function optedOutOfRankings(conn: Db, userId: number): Promise<boolean> {
  return (await conn.select({ h: users.hiddenFromRankings }).from(users).where(eq(users.id, userId)).get())?.h ?? false;
}

export const LeaderboardQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional()
    .catch(undefined),
});

async function people(conn: Db, viewer: SessionUser, scope: number, cursor: string | undefined) {
  const after = cursor ? cursor.split(".").map(Number) : null;
  // `total <= t` lets SQLite seek straight to the cursor in point_totals_board_idx.
  const where = after
    ? and(
        eq(pointTotals.scope, scope),
        lte(pointTotals.total, after[0]!),
        or(lt(pointTotals.total, after[0]!), gt(pointTotals.userId, after[1]!)),
      )
    : eq(pointTotals.scope, scope);
  // People who opted out of rankings are not in them at all, for anyone (themselves included: they
  // see their own rank and total beside the board): an unnamed row would still carry a rank and a
  // total that their profile or their department's total could join back to them.
  const rows = await conn
    .select({ userId: pointTotals.userId, total: pointTotals.total, name: users.name, department: departments.name })
    .from(pointTotals)
    .innerJoin(users, eq(users.id, pointTotals.userId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(where, eq(users.hiddenFromRankings, false)))
    .orderBy(desc(pointTotals.total), asc(pointTotals.userId))
    .limit(PAGE + 1)
    .all();
  const page = rows.slice(0, PAGE);
  const firstRank = after && page.length > 0 ? ((await rankOf(conn, scope, page[0]!.userId))?.rank ?? 1) : 1;
  const list: LeaderRow[] = page.map((r, i) => ({ ...r, rank: firstRank + i, isMe: r.userId === viewer.id }));
  const last = page.at(-1);
  return { list, nextCursor: rows.length > PAGE && last ? `${last.total}.${last.userId}` : null };
}

/**
 * Departments ranked by total points and by points per member, so a small team can win. Only
 * people who show in rankings count, in the total and in the members: with an opted-out
 * person's points in it, a department's total less its members' totals on the board (or a
 * one-person department's total) would be that person's total.
 */
export async function departmentBoard(conn: Db, scope: number): Promise<DepartmentRow[]> {
  const optedOutMembers = new Map(
    (await conn
      .all<{ id: number; n: number }>(
        sql`SELECT department_id AS id, count(*) AS n FROM users
          WHERE hidden_from_rankings = TRUE AND department_id IS NOT NULL GROUP BY department_id`,
      ))
      .map((r) => [r.id, r.n]),
  );
  const headcounts = new Map(
    (await conn
      .select({ id: users.departmentId, n: sql<number>`count(*)` })
      .from(users)
      .groupBy(users.departmentId)
      .all())
      .map((r) => [r.id, r.n - (r.id === null ? 0 : (optedOutMembers.get(r.id) ?? 0))]),
  );
  // The ledger keeps each entry's department, as department_totals does: take out the opted-out people's entries.
  const optedOutPoints = new Map(
    (await conn
      .all<{ id: number; n: number }>(
        sql`SELECT pe.department_id AS id, sum(pe.points) AS n FROM users u
          CROSS JOIN point_entries pe WHERE pe.user_id = u.id ${scope === ALL_JAMS ? sql`` : sql`AND pe.jam_id = ${scope}`}
          AND u.hidden_from_rankings = TRUE AND pe.department_id IS NOT NULL GROUP BY pe.department_id`,
      ))
      .map((r) => [r.id, r.n]),
  );
  const totals = new Map(
    (await conn
      .select({ id: departmentTotals.departmentId, total: departmentTotals.total })
      .from(departmentTotals)
      .where(eq(departmentTotals.scope, scope))
      .all())
      .map((r) => [r.id, r.total - (optedOutPoints.get(r.id) ?? 0)]),
  );
  const rows = (await conn
    .select()
    .from(departments)
    .all())
    .map((d) => {
      const total = totals.get(d.id) ?? 0;
      const headcount = headcounts.get(d.id) ?? 0;
      return { id: d.id, name: d.name, total, headcount, perHead: headcount > 0 ? Math.round((total / headcount) * 10) / 10 : 0 };
    });
  const byTotal = [...rows].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const byPerHead = [...rows].sort((a, b) => b.perHead - a.perHead || a.name.localeCompare(b.name));
  return byTotal.map((r) => ({
    ...r,
    rankByTotal: byTotal.indexOf(r) + 1,
    rankPerHead: byPerHead.findIndex((p) => p.id === r.id) + 1,
  }));
}

/** The all-jams leaderboard. */
export async function overallLeaderboard(viewer: SessionUser, input: unknown) {
  const { cursor } = validate(LeaderboardQuery, input);
  return {
    ...await people(db(), viewer, ALL_JAMS, cursor),
    me: await rankOf(db(), ALL_JAMS, viewer.id),
    /** The viewer is left out of the board: their rank and total are for them alone. */
    optedOut: await optedOutOfRankings(db(), viewer.id),
    // Departments are shown with the first page only.
    departments: cursor ? [] : await departmentBoard(db(), ALL_JAMS),
    isFirstPage: !cursor,
  };
}

/**
 * One jam's leaderboard. When facilitators hide it, participants see that it
 * is hidden (and their own total); staff still see everything.
 */
export async function jamLeaderboard(viewer: SessionUser, slug: string, input: unknown, now = Date.now()) {
  const conn = db();
  const { cursor } = validate(LeaderboardQuery, input);
  const jam = await findVisibleJam(conn, viewer, slug);
  const isStaff = can(viewer.role, "seeHiddenLeaderboards");
  const hidden = jam.leaderboardsHidden && !isStaff;
  const me = await rankOf(conn, jam.id, viewer.id);
  const base = {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, phase: jamPhase(jam, now), leaderboardsHidden: jam.leaderboardsHidden },
    canManage: can(viewer.role, "manageJams"),
    isFirstPage: !cursor,
    optedOut: await optedOutOfRankings(conn, viewer.id),
  };
  if (hidden) {
    return { ...base, hidden: true as const, me: me ? { rank: null, total: me.total } : null, list: [], nextCursor: null, departments: [], serialVoting: [] };
  }
  return {
    ...base,
    hidden: false as const,
    ...await people(conn, viewer, jam.id, cursor),
    me,
    departments: cursor ? [] : await departmentBoard(conn, jam.id),
    serialVoting: can(viewer.role, "manageJams") ? await serialVotingReports(conn, jam.id) : [],
  };
}

/** Serial-voting patterns in a jam, newest first, for facilitators. */
export async function serialVotingReports(conn: Db, jamId: number) {
  const voter = alias(users, "voter");
  const author = alias(users, "author");
  return await conn
    .select({
      id: serialVoteReports.id,
      voter: voter.name,
      author: author.name,
      votes: serialVoteReports.votes,
      firstAt: serialVoteReports.firstAt,
      lastAt: serialVoteReports.lastAt,
    })
    .from(serialVoteReports)
    .innerJoin(voter, eq(voter.id, serialVoteReports.voterId))
    .innerJoin(author, eq(author.id, serialVoteReports.authorId))
    .where(eq(serialVoteReports.jamId, jamId))
    .orderBy(desc(serialVoteReports.lastAt), desc(serialVoteReports.id))
    .limit(50)
    .all();
}
