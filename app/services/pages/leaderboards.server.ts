/**
 * Leaderboards read the maintained aggregates (point_totals, department_totals)
 * through their indexes: a page is one index range whatever the jam's size, and a
 * rank is an index count (about 1 ms at 150,000 people; tests/bench/leaderboard).
 */
import { and, asc, desc, eq, gt, lt, lte, or } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import type { LeaderRow } from "~/domain/views";
import { jamPhase } from "~/domain/phase";
import { db, type Db } from "~db/client";
import { departments, pointTotals, users } from "~db/schema";
import { validate } from "~/services/errors";
import { ALL_JAMS } from "~/services/effects/gamification.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { rankOf, optedOutOfRankings, departmentBoard, serialVotingReports } from "~/services/lookups/leaderboards.server";

const PAGE = 20;

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
