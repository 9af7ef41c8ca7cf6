/**
 * What a jam left behind, for facilitators and leaders (/jams/:slug/learning): the
 * cross-department ties it formed and how many lasted (app/network/lasting-ties.ts).
 *
 * Interactions are the people network's (app/services/jobs/network.server.ts), with their times:
 * a comment ties its author to the idea's author, a reply to the parent comment's author, support
 * (a vote, an "agree", dots) to the idea's author. The same privacy rules: an anonymous idea
 * ties nobody (not its author, not the people commenting under it), hidden ideas and comments
 * and draft jams do not count, nobody ties to themselves, an erased person is in no tie. Only
 * counts leave this module, never who.
 */
import { sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { lastingTies, median } from "~/network/lasting-ties";
import { db, type Db } from "~db/client";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { pairHistories, departmentNames } from "~/services/lookups/learning.server";

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
