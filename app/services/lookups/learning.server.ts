import { eq, and, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { personalYear, type PairHistory } from "~/network/lasting-ties";
import { notPrivateBoxSql } from "~/services/lookups/community-access.server";

import type { Db } from "~db/client";
import { least, greatest } from "~db/dialect";
import { departments, users } from "~db/schema";

/**
 * The viewer's year across departments (/network/me): the people of other departments they first
 * interacted with in the last year, how many they kept up, per department, and the departments
 * they have not met yet. Only the viewer's own pairs are read.
 */
export async function myYearAcrossDepartments(conn: Db, viewer: SessionUser, now = Date.now()) {
  const me = await conn.select({ departmentId: users.departmentId }).from(users).where(eq(users.id, viewer.id)).get();
  const staffed = (await conn
    .selectDistinct({ id: users.departmentId })
    .from(users)
    .where(and(isNotNull(users.departmentId), isNull(users.erasedAt), isNull(users.deactivatedAt)))
    .all())
    .map((d) => d.id!);
  const year = personalYear(await pairHistories(conn, { personId: viewer.id }), { id: viewer.id, departmentId: me?.departmentId ?? null }, staffed, now);
  const names = await departmentNames(conn);
  const named = (id: number) => names.get(id) ?? "A department";
  return {
    from: year.from,
    to: year.to,
    formed: year.formed,
    keptUp: year.keptUp,
    byDepartment: year.byDepartment.map((d) => ({ department: named(d.department), formed: d.formed })),
    notYetMet: year.notYetMet.map(named).sort((a, b) => a.localeCompare(b)),
  };
}

type PairsOf = { jamId: number } | { personId: number };

/**
 * Each pair (a < b) that interacted, with its first and last interaction anywhere and each
 * person's department: the pairs that interacted in one jam, or one person's pairs. One pass over
 * the interactions, grouped by pair (a person's: only the rows where they are a party).
 */
export async function pairHistories(conn: Db, of: PairsOf): Promise<PairHistory[]> {
  /**
   * Each kind of interaction: who did it (s), to whom (t), when, in which jam. For one person, each
   * kind is read twice, as the one who did it and as the one it was done to, so each half uses its
   * index (an OR across the two tables read every comment and vote on each visit).
   */
  const kinds: { select: SQL; s: SQL; t: SQL }[] = [
    {
      select: sql`SELECT c.author_id, i.author_id, c.created_at, i.jam_id FROM comments c JOIN ideas i ON i.id = c.idea_id
        WHERE c.parent_id IS NULL AND c.hidden_at IS NULL AND i.hidden_at IS NULL AND i.is_anonymous = FALSE`,
      s: sql`c.author_id`,
      t: sql`i.author_id`,
    },
    {
      select: sql`SELECT c.author_id, p.author_id, c.created_at, i.jam_id FROM comments c JOIN comments p ON p.id = c.parent_id JOIN ideas i ON i.id = c.idea_id
        WHERE c.hidden_at IS NULL AND p.hidden_at IS NULL AND i.hidden_at IS NULL AND i.is_anonymous = FALSE`,
      s: sql`c.author_id`,
      t: sql`p.author_id`,
    },
    {
      select: sql`SELECT v.user_id, i.author_id, v.created_at, i.jam_id FROM votes v JOIN ideas i ON i.id = v.idea_id
        WHERE i.hidden_at IS NULL AND i.is_anonymous = FALSE`,
      s: sql`v.user_id`,
      t: sql`i.author_id`,
    },
    {
      select: sql`SELECT sv.user_id, i.author_id, sv.updated_at, i.jam_id FROM stance_votes sv JOIN ideas i ON i.id = sv.idea_id
        WHERE sv.stance = 'agree' AND i.hidden_at IS NULL AND i.is_anonymous = FALSE`,
      s: sql`sv.user_id`,
      t: sql`i.author_id`,
    },
    {
      select: sql`SELECT da.user_id, i.author_id, da.updated_at, i.jam_id FROM dot_allocations da JOIN ideas i ON i.id = da.idea_id
        WHERE da.dots > 0 AND i.hidden_at IS NULL AND i.is_anonymous = FALSE`,
      s: sql`da.user_id`,
      t: sql`i.author_id`,
    },
  ];
  const arms =
    "personId" in of
      ? kinds.flatMap((k) => [sql`${k.select} AND ${k.s} = ${of.personId}`, sql`${k.select} AND ${k.t} = ${of.personId}`])
      : kinds.map((k) => k.select);
  const inJam = "jamId" in of ? sql`HAVING sum(CASE WHEN jam_id = ${of.jamId} THEN 1 ELSE 0 END) > 0` : sql``;
  return await conn.all<PairHistory>(sql`
    WITH interactions(s, t, at, jam_id) AS (
      ${sql.join(arms, sql` UNION ALL `)}
    ),
    pairs AS (
      SELECT ${least(sql`s`, sql`t`)} AS a, ${greatest(sql`s`, sql`t`)} AS b, min(at) AS first_at, max(at) AS last_at
        FROM interactions
        WHERE s <> t AND jam_id NOT IN (SELECT id FROM jams WHERE is_draft = TRUE) AND ${notPrivateBoxSql("jam_id")}
        GROUP BY ${least(sql`s`, sql`t`)}, ${greatest(sql`s`, sql`t`)}
        ${inJam}
    )
    SELECT p.a AS a, p.b AS b, ua.department_id AS departmentA, ub.department_id AS departmentB,
           p.first_at AS firstAt, p.last_at AS lastAt
      FROM pairs p JOIN users ua ON ua.id = p.a JOIN users ub ON ub.id = p.b
      WHERE ua.erased_at IS NULL AND ub.erased_at IS NULL`);
}

export async function departmentNames(conn: Db) {
  return new Map((await conn.select({ id: departments.id, name: departments.name }).from(departments).all()).map((d) => [d.id, d.name]));
}
