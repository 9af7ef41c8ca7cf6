import { sql, and, eq, gt, lt, desc } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { DepartmentRow } from "~/domain/views";
import { ALL_JAMS } from "~/services/effects/gamification.server";
import type { Db } from "~db/client";
import { pointTotals, users, departmentTotals, departments, serialVoteReports } from "~db/schema";

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

export interface Rank {
  rank: number;
  total: number;
}
