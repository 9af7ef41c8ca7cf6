import { eq, and, inArray, asc, sql, isNotNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { ideasUnder } from "~/services/lookups/synthesis.server";
import { NotFound } from "~/services/errors";
import { jamVisibleTo, visibleJamsCondition } from "~/services/lookups/visibility.server";
import { type Db, db } from "~db/client";
import { caseless } from "~db/dialect";
import { themes, synthesisVersions, jams, follows, users, departments, themeIdeas } from "~db/schema";

/** A theme the viewer may see: of a published version, or any version for staff; never of a draft jam for others. */
/** A theme the viewer may see (not in a draft jam they cannot see; unpublished only for staff), else NotFound. */
export async function visibleTheme(conn: Db, viewer: SessionUser, themeId: number) {
  const row = await conn
    .select({ id: themes.id, label: themes.label, publishedAt: synthesisVersions.publishedAt, isDraft: jams.isDraft, jamSlug: jams.slug })
    .from(themes)
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .innerJoin(jams, eq(jams.id, synthesisVersions.jamId))
    .where(eq(themes.id, themeId))
    .get();
  if (!row) throw new NotFound("No such theme.");
  if (!jamVisibleTo(viewer, row)) throw new NotFound("No such theme.");
  if (row.publishedAt === null && !can(viewer.role, "seeUnpublishedSynthesis")) throw new NotFound("No such theme.");
  return row;
}

/** Which of these targets the viewer follows. */
export async function followedAmong(conn: Db, viewer: Pick<SessionUser, "id">, targetType: "person" | "theme", ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return (await conn
    .select({ id: follows.targetId })
    .from(follows)
    .where(and(eq(follows.followerId, viewer.id), eq(follows.targetType, targetType), inArray(follows.targetId, ids)))
    .all())
    .map((r) => r.id);
}

/** Everything the viewer follows: people (name, department) and themes (label, jam). */
export async function myFollows(conn: Db, viewer: SessionUser) {
  const people = await conn
    .select({ id: users.id, name: users.name, department: departments.name })
    .from(follows)
    .innerJoin(users, eq(users.id, follows.targetId))
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(eq(follows.followerId, viewer.id), eq(follows.targetType, "person")))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const followedThemes = await conn
    .select({ id: themes.id, label: themes.label, jamSlug: jams.slug, jamTitle: jams.title })
    .from(follows)
    .innerJoin(themes, eq(themes.id, follows.targetId))
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .innerJoin(jams, eq(jams.id, synthesisVersions.jamId))
    .where(
      and(
        eq(follows.followerId, viewer.id),
        eq(follows.targetType, "theme"),
        visibleJamsCondition(viewer),
      ),
    )
    .orderBy(asc(themes.label), asc(themes.id))
    .all();
  return { people, themes: followedThemes };
}

/** The follow state and privacy setting a profile page shows. */
export async function profileSocial(viewer: SessionUser, personId: number) {
  const me = viewer.id === personId;
  const hidden = me
    ? ((await db().select({ h: users.hiddenFromRankings }).from(users).where(eq(users.id, viewer.id)).get())?.h ?? false)
    : null;
  return { following: !me && (await followedAmong(db(), viewer, "person", [personId])).length > 0, hiddenFromRankings: hidden };
}

// ---------------------------------------------------------------------------
// News for followers

/** Lower-case words, a trailing plural "s" dropped, so "retrospectives" meets "retrospective". */
export function keywordTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2) continue;
    out.add(word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word);
  }
  return out;
}

/** How many of a theme's keywords (each one word or a phrase) the idea's words contain. */
export function sharedKeywords(ideaTokens: Set<string>, keywords: string[]): number {
  let n = 0;
  for (const keyword of keywords) {
    const parts = [...keywordTokens(keyword)];
    if (parts.length > 0 && parts.every((p) => ideaTokens.has(p))) n += 1;
  }
  return n;
}

// ---------------------------------------------------------------------------
// People you should meet

const MEET = 5;

/**
 * People in other departments who contributed (by name) to the same themes as
 * the viewer in each jam's latest published synthesis, or commented on the same
 * ideas; people who opted out of rankings, and those the viewer said "not interested" to, are left out. Best five.
 */
export async function peopleToMeet(conn: Db, viewer: SessionUser, dismissed: ReadonlySet<number> = new Set()) {
  const me = await conn.select({ departmentId: users.departmentId }).from(users).where(eq(users.id, viewer.id)).get();
  const myDepartment = me?.departmentId ?? null;
  const latestPublished = sql`(SELECT v.id FROM synthesis_versions v JOIN jams j ON j.id = v.jam_id
      WHERE v.published_at IS NOT NULL AND j.is_draft = FALSE
        AND v.id = (SELECT v2.id FROM synthesis_versions v2 WHERE v2.jam_id = v.jam_id AND v2.published_at IS NOT NULL
                    ORDER BY v2.published_at DESC, v2.id DESC LIMIT 1))`;
  // The viewer's themes first (a handful), then everyone on them, counted per person in SQL: a
  // theme of a big jam holds thousands of ideas, and only the best five people leave the database.
  const myThemes = await conn.all<{ id: number; label: string }>(sql`
    SELECT DISTINCT t.id, t.label
    FROM ideas mi
    JOIN theme_ideas mine ON mine.idea_id = mi.id AND mine.excluded = FALSE AND mine.version_id IN ${latestPublished}
    JOIN themes t ON t.id = mine.theme_id AND t.is_other = FALSE
    WHERE mi.author_id = ${viewer.id} AND mi.hidden_at IS NULL`);
  const themeList = myThemes.length > 0 ? sql.join(myThemes.map((t) => sql`${t.id}`), sql`, `) : sql`NULL`;
  const notDismissed = dismissed.size > 0 ? sql`AND u.id NOT IN (${sql.join([...dismissed].map((id) => sql`${id}`), sql`, `)})` : sql``;
  const best = await conn.all<{ id: number; name: string; department: string | null; themes: number; ideas: number }>(sql`
    WITH via_themes AS (
      SELECT oi.author_id AS userId, count(DISTINCT t.label) AS themes
      FROM theme_ideas other
      JOIN themes t ON t.id = other.theme_id
      JOIN ideas oi ON oi.id = other.idea_id AND oi.is_anonymous = FALSE AND oi.hidden_at IS NULL AND oi.author_id <> ${viewer.id}
      WHERE other.theme_id IN (${themeList}) AND other.excluded = FALSE
      GROUP BY oi.author_id),
    via_comments AS (
      SELECT oc.author_id AS userId, count(DISTINCT oc.idea_id) AS ideas
      FROM comments mc
      JOIN comments oc ON oc.idea_id = mc.idea_id AND oc.author_id <> ${viewer.id} AND oc.hidden_at IS NULL
      JOIN ideas i ON i.id = mc.idea_id AND i.hidden_at IS NULL
      JOIN jams j ON j.id = i.jam_id AND j.is_draft = FALSE
      WHERE mc.author_id = ${viewer.id} AND mc.hidden_at IS NULL
        -- Threads under anonymous ideas count for nobody: leaving out only the author would name them.
        AND i.is_anonymous = FALSE
      GROUP BY oc.author_id),
    scored AS (
      SELECT userId, sum(themes) AS themes, sum(ideas) AS ideas
      FROM (SELECT userId, themes, 0 AS ideas FROM via_themes UNION ALL SELECT userId, 0, ideas FROM via_comments) AS sub
      GROUP BY userId)
    SELECT u.id, u.name, d.name AS department, s.themes, s.ideas
    FROM scored s
    JOIN users u ON u.id = s.userId AND u.hidden_from_rankings = FALSE AND u.department_id IS NOT NULL
      ${myDepartment === null ? sql`` : sql`AND u.department_id <> ${myDepartment}`} ${notDismissed}
    LEFT JOIN departments d ON d.id = u.department_id
    ORDER BY s.themes * 2 + s.ideas DESC, ${caseless(sql`u.name`)}, u.id
    LIMIT ${MEET}`);
  if (best.length === 0) return [];
  // The shared themes' names, for the five only.
  const shared = new Map<number, string[]>();
  if (myThemes.length > 0) {
    for (const r of await conn.all<{ userId: number; label: string }>(sql`
      SELECT DISTINCT oi.author_id AS userId, t.label
      FROM theme_ideas other
      JOIN themes t ON t.id = other.theme_id
      JOIN ideas oi ON oi.id = other.idea_id AND oi.is_anonymous = FALSE AND oi.hidden_at IS NULL
      WHERE other.theme_id IN (${themeList}) AND other.excluded = FALSE
        AND oi.author_id IN (${sql.join(best.map((b) => sql`${b.id}`), sql`, `)})
      ORDER BY t.label`)) {
      const list = shared.get(r.userId) ?? [];
      list.push(r.label);
      shared.set(r.userId, list);
    }
  }
  return best.map((u) => ({ id: u.id, name: u.name, department: u.department, sharedThemes: shared.get(u.id) ?? [], sharedIdeas: u.ideas, score: u.themes * 2 + u.ideas }));
}

// ---------------------------------------------------------------------------
// Themes on the synthesis page, the network page's theme filter

/** People who contributed (by name) to a theme's ideas: for filtering a network drawing. */
export async function themeContributorIds(conn: Db, viewer: SessionUser, themeId: number): Promise<number[]> {
  await visibleTheme(conn, viewer, themeId);
  return (await conn
    .selectDistinct({ id: sql<number>`i.author_id` })
    .from(themeIdeas)
    .innerJoin(sql`ideas i`, sql`i.id = ${themeIdeas.ideaId}`)
    .where(and(ideasUnder(themeId), eq(themeIdeas.excluded, false), sql`i.is_anonymous = FALSE AND i.hidden_at IS NULL`))
    .all())
    .map((r) => r.id);
}

/**
 * The themes of a jam's latest published synthesis (or latest version for staff, unless
 * `publishedOnly`), for a filter.
 */
export async function latestThemes(conn: Db, viewer: SessionUser, jamId: number, { publishedOnly = false } = {}) {
  const staff = !publishedOnly && can(viewer.role, "seeUnpublishedSynthesis");
  const version = await conn
    .select({ id: synthesisVersions.id })
    .from(synthesisVersions)
    .where(and(eq(synthesisVersions.jamId, jamId), staff ? undefined : isNotNull(synthesisVersions.publishedAt)))
    .orderBy(sql`${synthesisVersions.publishedAt} IS NULL`, sql`${synthesisVersions.publishedAt} DESC`, sql`${synthesisVersions.id} DESC`)
    .limit(1)
    .get();
  if (!version) return [];
  const rows = await conn
    .select({ id: themes.id, label: themes.label, parentId: themes.parentId })
    .from(themes)
    .where(and(eq(themes.versionId, version.id), eq(themes.isOther, false)))
    .orderBy(asc(themes.position), asc(themes.id))
    .all();
  // Each top-level theme, then its sub-themes named with it ("Top › Sub").
  const label = new Map(rows.map((r) => [r.id, r.label]));
  return rows
    .filter((r) => r.parentId === null)
    .flatMap((top) => [
      { id: top.id, label: top.label },
      ...rows.filter((r) => r.parentId === top.id).map((sub) => ({ id: sub.id, label: `${label.get(top.id)} › ${sub.label}` })),
    ]);
}
