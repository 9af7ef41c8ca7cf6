/**
 * What a jam left behind, for facilitators and leaders (/jams/:slug/learning): the
 * cross-department ties it formed and how many lasted (app/network/lasting-ties.ts).
 *
 * Interactions are the people network's (app/services/network.server.ts), with their times:
 * a comment ties its author to the idea's author, a reply to the parent comment's author, support
 * (a vote, an "agree", dots) to the idea's author. The same privacy rules: an anonymous idea
 * ties nobody (not its author, not the people commenting under it), hidden ideas and comments
 * and draft jams do not count, nobody ties to themselves, an erased person is in no tie. Only
 * counts leave this module, never who.
 */
import { sql, type SQL } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { lastingTies, median, type PairHistory } from "~/network/lasting-ties";
import { db, type Db } from "~db/client";
import { greatest, least } from "~db/dialect";
import { departments } from "~db/schema";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { notPrivateBoxSql } from "~/services/lookups/community-access.server";

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

/**
 * What followed the jam from its published themes: communities kept alive from them, jellies on
 * them, and questions asked from them (answered, accepted, and the median hours to a first answer).
 * Counts and names of communities only, never who asked or answered.
 */
async function followUps(conn: Db, jamId: number) {
  const jamThemes = sql`SELECT t.id FROM themes t JOIN synthesis_versions v ON v.id = t.version_id WHERE v.jam_id = ${jamId} AND v.published_at IS NOT NULL`;
  const communityRows = await conn.all<{ slug: string; title: string; privacy: string; members: number }>(sql`
    SELECT c.slug, c.title, c.privacy,
      (SELECT count(*) FROM community_members m WHERE m.community_id = c.id AND m.state = 'member') AS members
    FROM communities c WHERE c.status = 'active' AND c.theme_id IN (${jamThemes}) ORDER BY c.id`);
  const jellyRow = await conn.get<{ jellies: number; checkedIn: number }>(sql`
    SELECT count(DISTINCT j.id) AS jellies, count(r.checked_in_at) AS checkedIn
    FROM jellies j LEFT JOIN jelly_rsvps r ON r.jelly_id = j.id
    WHERE j.status <> 'cancelled' AND j.theme_id IN (${jamThemes})`);
  const questionRows = await conn.all<{ askedAt: number; firstAnswerAt: number | null; accepted: number }>(sql`
    SELECT q.created_at AS askedAt, (q.accepted_answer_id IS NOT NULL) AS accepted,
      (SELECT min(a.created_at) FROM answers a WHERE a.question_id = q.id AND a.parent_id IS NULL AND a.hidden_at IS NULL) AS firstAnswerAt
    FROM questions q WHERE q.hidden_at IS NULL AND q.theme_id IN (${jamThemes})`);
  const answered = questionRows.filter((q) => q.firstAnswerAt !== null);
  const hours = median(answered.map((q) => (q.firstAnswerAt! - q.askedAt) / 3_600_000));
  return {
    communities: communityRows,
    jellies: jellyRow?.jellies ?? 0,
    jellyCheckIns: jellyRow?.checkedIn ?? 0,
    questions: { asked: questionRows.length, answered: answered.length, accepted: questionRows.filter((q) => q.accepted).length, medianHoursToAnswer: hours === null ? null : Math.round(hours * 10) / 10 },
  };
}

/** The learning page of one jam: the ties it formed and lasted, per pair of departments (named). */
export async function jamLearningPage(viewer: SessionUser, slug: string, now = Date.now()) {
  const conn = db();
  requireCapability(viewer, "seePeopleNetwork", "Only facilitators, leaders and admins can see what a jam left behind.");
  const jam = await findVisibleJam(conn, viewer, slug);
  const ties = lastingTies(await pairHistories(conn, { jamId: jam.id }), jam, now);
  const names = await departmentNames(conn);
  return {
    jam: { slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt, ended: now >= jam.endsAt },
    ties: {
      crossDepartment: ties.crossDepartment,
      formed: ties.formed,
      keptUp: ties.keptUp,
      lasted: ties.lasted,
      lastingKnownAt: ties.lastingKnownAt,
      byDepartments: ties.byDepartments.slice(0, 10).map((entry) => ({
        departments: entry.departments.map((id) => names.get(id) ?? "A department") as [string, string],
        formed: entry.formed,
        keptUp: entry.keptUp,
      })),
      departmentPairs: ties.byDepartments.length,
    },
    followUps: await followUps(conn, jam.id),
  };
}
