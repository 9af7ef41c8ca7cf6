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
