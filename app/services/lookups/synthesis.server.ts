import { eq, desc, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";

import type { Db } from "~db/client";
import { synthesisRuns, synthesisVersions, themeIdeas } from "~db/schema";

function canSeeDrafts(viewer: SessionUser) {
  return can(viewer.role, "seeUnpublishedSynthesis");
}

/** The latest run of a jam (for the progress bar). */
export async function latestRun(conn: Db, jamId: number) {
  return await conn.select().from(synthesisRuns).where(eq(synthesisRuns.jamId, jamId)).orderBy(desc(synthesisRuns.id)).limit(1).get() ?? null;
}

/** A jam's versions, newest first, without their opinions JSON (a list never shows it). */
export async function listVersions(conn: Db, jamId: number) {
  return await conn
    .select({
      id: synthesisVersions.id,
      jamId: synthesisVersions.jamId,
      challengeId: synthesisVersions.challengeId,
      number: synthesisVersions.number,
      kind: synthesisVersions.kind,
      basedOnId: synthesisVersions.basedOnId,
      createdBy: synthesisVersions.createdBy,
      createdAt: synthesisVersions.createdAt,
      publishedAt: synthesisVersions.publishedAt,
    })
    .from(synthesisVersions)
    .where(eq(synthesisVersions.jamId, jamId))
    .orderBy(desc(synthesisVersions.number))
    .all();
}

/** The version the viewer sees: a chosen one (staff), else the newest (staff) or the published one (everyone else). */
export async function chooseVersion(conn: Db, viewer: SessionUser, jamId: number, versionId?: number) {
  const versions = await listVersions(conn, jamId);
  const chosen = canSeeDrafts(viewer)
    ? versionId
      ? versions.find((v) => v.id === versionId)
      : versions[0]
    : versions.find((v) => v.publishedAt !== null);
  return chosen ? (await conn.select().from(synthesisVersions).where(eq(synthesisVersions.id, chosen.id)).get() ?? null) : null;
}

/** The ids of a theme and of its sub-themes, as a subquery (a top-level theme with sub-themes holds no idea itself). */
export function themeAndSubThemes(themeId: number) {
  return sql`(SELECT id FROM themes WHERE id = ${themeId} OR parent_id = ${themeId})`;
}

/** A theme's ideas, with its sub-themes'. */
export function ideasUnder(themeId: number) {
  return sql`${themeIdeas.themeId} IN ${themeAndSubThemes(themeId)}`;
}

/**
 * A version's themes as a page or report shows them: the top level ranked by support (then by
 * `then`), each top-level theme's sub-themes under it ranked alike, "Other" last, themes left
 * empty by curation dropped. Fills each item's `subThemes`; returns the top level.
 */
export function nestThemes<T extends { id: number; parentId: number | null; isOther: boolean; size: number; support: number; subThemes: T[] }>(
  list: T[],
  then: (theme: T) => number,
): T[] {
  const rank = (items: T[]) =>
    items.filter((t) => t.size > 0).sort((a, b) => Number(a.isOther) - Number(b.isOther) || b.support - a.support || then(b) - then(a));
  const byId = new Map(list.map((t) => [t.id, t]));
  for (const t of rank(list)) if (t.parentId !== null) byId.get(t.parentId)?.subThemes.push(t);
  return rank(list.filter((t) => t.parentId === null || !byId.has(t.parentId)));
}

/** Each theme's size, support (votes of every kind) and first idea, at both levels. */
export async function themeStats(conn: Db, versionId: number) {
  return new Map(
    (await conn
      .all<{ themeId: number; size: number; support: number; first: number }>(
        sql`WITH ${membersCte(versionId)}
          SELECT m.theme_id AS themeId, count(*) AS size,
            coalesce(sum(i.vote_count + i.agree_count + i.dot_count), 0) AS support, min(i.created_at) AS first
          FROM members m JOIN ideas i ON i.id = m.idea_id
          GROUP BY m.theme_id`,
      ))
      .map((r) => [r.themeId, r]),
  );
}

/** The newest version's biggest themes, for the command centre during a live jam. */
export async function emergingThemes(conn: Db, jamId: number, limit = 6) {
  const version = (await listVersions(conn, jamId))[0];
  if (!version) return null;
  // Top-level themes, each with its sub-themes' ideas.
  const rows = await conn.all<{ id: number; label: string; size: number }>(
    sql`SELECT t.id, t.label, count(ti.idea_id) AS size FROM themes t
          JOIN themes leaf ON leaf.id = t.id OR leaf.parent_id = t.id
          JOIN theme_ideas ti ON ti.theme_id = leaf.id AND ti.excluded = FALSE
          WHERE t.version_id = ${version.id} AND t.is_other = FALSE AND t.parent_id IS NULL
          GROUP BY t.id ORDER BY size DESC LIMIT ${limit}`,
  );
  return { versionId: version.id, number: version.number, createdAt: version.createdAt, themes: rows };
}

/**
 * The version's visible, not excluded ideas under each theme, at both levels: a sub-theme's ideas
 * count for it and for its top-level theme. A CTE named `members` (theme_id, idea_id).
 */
export function membersCte(versionId: number) {
  return sql`members AS (
      SELECT ti.theme_id, ti.idea_id FROM theme_ideas ti JOIN ideas i ON i.id = ti.idea_id
      WHERE ti.version_id = ${versionId} AND ti.excluded = FALSE AND i.hidden_at IS NULL
      UNION ALL
      SELECT t.parent_id, ti.idea_id FROM theme_ideas ti JOIN ideas i ON i.id = ti.idea_id JOIN themes t ON t.id = ti.theme_id
      WHERE ti.version_id = ${versionId} AND ti.excluded = FALSE AND i.hidden_at IS NULL AND t.parent_id IS NOT NULL
    )`;
}
