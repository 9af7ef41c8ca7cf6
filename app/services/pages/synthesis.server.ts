/**
 * What the synthesis page shows: a version's themes ranked by support and
 * reach, with representative ideas, a timeline, a 2-D map and (for stance
 * challenges) opinion groups. Reads stored results only; never runs the engine.
 */
import { themeCardsSocial } from "~/services/pages/network.server";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { jamPhase } from "~/domain/phase";
import type { OpinionSummary } from "~/synthesis/pipeline";
import { db, type Db } from "~db/client";
import { challenges, ideas, themeIdeas, themes } from "~db/schema";
import { actionsForThemes, jamActions } from "~/services/lookups/actions.server";
import { NotFound } from "~/services/errors";
import { contributorOf } from "~/services/lookups/ideas.server";

import { chooseVersion, latestRun, listVersions, themeStats, nestThemes, membersCte } from "~/services/lookups/synthesis.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";

const DAY = 86_400_000;

const MAX_MAP_POINTS = 3000;

export interface ThemeView {
  id: number;
  label: string;
  /** One sentence from the theme's representative ideas; "" when there is none. */
  summary: string;
  keywords: string[];
  isOther: boolean;
  size: number;
  support: number;
  people: number;
  departments: number;
  /** Ideas per day of the jam. */
  timeline: number[];
  representatives: { id: number; title: string; votes: number }[];
  /** The top-level theme of a sub-theme; null at the top level. */
  parentId: number | null;
  /** A top-level theme's sub-themes, ranked as the top level is (empty when it holds its ideas itself). */
  subThemes: ThemeView[];
}

/** The latest run's status and progress, for the page's progress bar to poll while a run goes on (staff only). */
export async function synthesisRunStatus(viewer: SessionUser, slug: string) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  if (!can(viewer.role, "seeUnpublishedSynthesis")) throw new NotFound("No such synthesis run.");
  const run = await latestRun(conn, jam.id);
  return run ? { status: run.status, progress: run.progress } : null;
}

export async function synthesisPage(viewer: SessionUser, slug: string, options: { versionId?: number; now?: number } = {}) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  const now = options.now ?? Date.now();
  const canCurate = can(viewer.role, "manageJams");
  const isStaff = can(viewer.role, "seeUnpublishedSynthesis");
  const version = await chooseVersion(conn, viewer, jam.id, options.versionId);
  const base = {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, phase: jamPhase(jam, now), startsAt: jam.startsAt, endsAt: jam.endsAt },
    canCurate,
    isStaff,
    run: isStaff ? await latestRun(conn, jam.id) : null,
    versions: isStaff
      ? (await listVersions(conn, jam.id)).map((v) => ({ id: v.id, number: v.number, kind: v.kind, publishedAt: v.publishedAt, createdAt: v.createdAt }))
      : [],
    challenges: await db()
      .select({ id: challenges.id, title: challenges.title, voteMode: challenges.voteMode })
      .from(challenges)
      .where(eq(challenges.jamId, jam.id))
      .orderBy(asc(challenges.position))
      .all(),
  };
  if (!version) {
    return {
      ...base,
      actions: [],
      canCreateActions: false,
      version: null,
      themes: [] as ThemeView[],
      map: [],
      excluded: [],
      opinions: null,
      tookPart: { people: 0, departments: 0, ideas: 0 },
      contributed: { people: 0, departments: 0 },
    };
  }

  const themeRows = await conn.select().from(themes).where(eq(themes.versionId, version.id)).orderBy(asc(themes.position)).all();
  const stats = await themeStats(conn, version.id);
  // One pass: each theme's reach, and (theme id -1) everyone who took part in the ideas the version covers.
  const reachRows = await conn.all<{ themeId: number; people: number; departments: number }>(sqlReach(version.id));
  const reach = new Map(reachRows.map((r) => [r.themeId, r]));
  const contributed = reach.get(ALL_THEMES) ?? { people: 0, departments: 0 };
  const tookPart = reach.get(EVERYONE) ?? { people: 0, departments: 0 };
  const days = Math.max(1, Math.ceil((jam.endsAt - jam.startsAt) / DAY));
  const timeline = new Map<number, number[]>();
  for (const r of await conn.all<{ themeId: number; day: number; n: number }>(sqlTimeline(version.id, jam.startsAt))) {
    const series = timeline.get(r.themeId) ?? Array.from({ length: days }, () => 0);
    const day = Math.min(days - 1, Math.max(0, Math.floor(r.day)));
    series[day] = (series[day] ?? 0) + r.n;
    timeline.set(r.themeId, series);
  }
  const repIds = [...new Set(themeRows.flatMap((t) => (JSON.parse(t.representatives) as number[]).slice(0, 5)))];
  const repIdeas = new Map(
    repIds.length === 0
      ? []
      : (await conn
          // Votes of every kind, as a theme's support counts them (agrees on a stance challenge, dots).
          .select({
            id: ideas.id,
            title: ideas.title,
            votes: sql<number>`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}`,
            hidden: ideas.hiddenAt,
          })
          .from(ideas)
          .where(inArray(ideas.id, repIds))
          .all())
          .filter((i) => i.hidden === null)
          .map((i) => [i.id, { id: i.id, title: i.title, votes: i.votes }]),
  );
  const allViews: ThemeView[] = themeRows.map((t) => ({
    id: t.id,
    label: t.label,
    summary: t.summary,
    keywords: JSON.parse(t.keywords) as string[],
    isOther: t.isOther,
    size: stats.get(t.id)?.size ?? 0,
    support: stats.get(t.id)?.support ?? 0,
    people: reach.get(t.id)?.people ?? 0,
    departments: reach.get(t.id)?.departments ?? 0,
    timeline: timeline.get(t.id) ?? Array.from({ length: days }, () => 0),
    representatives: (JSON.parse(t.representatives) as number[]).flatMap((id) => (repIdeas.has(id) ? [repIdeas.get(id)!] : [])).slice(0, 5),
    parentId: t.parentId,
    subThemes: [],
  }));
  // Ranked by support, then reach.
  const ranked = nestThemes(allViews, (t) => t.people);
  const byId = new Map(allViews.map((t) => [t.id, t]));
  const topOf = (themeId: number) => {
    const parent = byId.get(themeId)?.parentId;
    return parent !== null && parent !== undefined && byId.has(parent) ? parent : themeId;
  };

  const points = (await conn
    .select({ ideaId: themeIdeas.ideaId, themeId: themeIdeas.themeId, x: themeIdeas.x, y: themeIdeas.y, title: ideas.title })
    .from(themeIdeas)
    .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
    .where(and(eq(themeIdeas.versionId, version.id), eq(themeIdeas.excluded, false), isNull(ideas.hiddenAt)))
    .limit(MAX_MAP_POINTS)
    .all())
    // The map colours and labels the top level: each point also carries its top-level theme.
    .map((p) => ({ ...p, topThemeId: topOf(p.themeId) }));
  const excluded = canCurate
    ? await conn
        .select({ id: ideas.id, title: ideas.title })
        .from(themeIdeas)
        .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
        .where(and(eq(themeIdeas.versionId, version.id), eq(themeIdeas.excluded, true)))
        .all()
    : [];

  return {
    ...base,
    actions: await actionsForThemes(conn, allViews.map((t) => t.id)),
    canCreateActions: can(viewer.role, "manageActions"),
    version: { id: version.id, number: version.number, kind: version.kind, publishedAt: version.publishedAt, challengeId: version.challengeId },
    themes: ranked,
    map: points,
    excluded,
    opinions: version.opinions ? await opinionView(conn, JSON.parse(version.opinions) as OpinionSummary) : null,
    /** Everyone who posted, supported or discussed an idea the version covers. */
    tookPart: { people: tookPart.people, departments: tookPart.departments, ideas: ranked.reduce((sum, t) => sum + t.size, 0) },
    /** Those who posted or discussed one: what each theme's reach is a share of. */
    contributed: { people: contributed.people, departments: contributed.departments },
  };
}

async function opinionView(conn: Db, summary: OpinionSummary) {
  const ids = [...new Set([...summary.groups.flatMap((g) => g.representativeIds), ...summary.consensusIds, ...summary.divisiveIds])];
  const titles = new Map(
    ids.length === 0
      ? []
      : (await conn
          .select({ id: ideas.id, title: ideas.title })
          .from(ideas)
          .where(and(inArray(ideas.id, ids), isNull(ideas.hiddenAt)))
          .all())
          .map((i) => [i.id, i.title]),
  );
  const groupName = (i: number) => `Group ${String.fromCharCode(65 + i)}`;
  // Each group's share of agree and disagree votes on an idea, among the group's members who saw it.
  const byGroup = (id: number) =>
    (summary.votesByGroup?.[id] ?? []).map((v, i) => ({
      group: groupName(i),
      seen: v.seen,
      agree: v.seen > 0 ? Math.round((100 * v.agree) / v.seen) : 0,
      disagree: v.seen > 0 ? Math.round((100 * v.disagree) / v.seen) : 0,
    }));
  const named = (list: number[]) => list.flatMap((id) => (titles.has(id) ? [{ id, title: titles.get(id)!, groups: byGroup(id) }] : []));
  return {
    participants: summary.participants,
    groups: summary.groups.map((g, i) => ({ name: groupName(i), size: g.size, representatives: named(g.representativeIds) })),
    consensus: named(summary.consensusIds),
    divisive: named(summary.divisiveIds),
  };
}

/** The theme ids under which sqlReach reports the contributors to all the version's ideas, and everyone who took part. */
const ALL_THEMES = -1_000_000;

const EVERYONE = -1_000_001;

/**
 * A theme's reach: the distinct people who posted or discussed its ideas (voters are left out: in
 * a jam where most people vote on most themes, counting them says nothing), and their departments.
 * Plus two rows: the contributors to all the version's ideas (ALL_THEMES, the base a theme's reach
 * is measured against) and everyone who took part in them, voters included (EVERYONE).
 * An anonymous idea counts as one more person, with no department (`contributorOf`): merged with
 * its author's named contributions, a count would tell whether the author made them.
 */
function sqlReach(versionId: number) {
  return sql`WITH ${membersCte(versionId)}, contributors AS MATERIALIZED (
      SELECT m.theme_id, ${contributorOf("i")} AS user_id FROM members m JOIN ideas i ON i.id = m.idea_id
      UNION SELECT m.theme_id, c.author_id FROM members m JOIN comments c ON c.idea_id = m.idea_id AND c.hidden_at IS NULL
    ), voters AS (
      SELECT v.user_id FROM members m JOIN votes v ON v.idea_id = m.idea_id
      UNION SELECT s.user_id FROM members m JOIN stance_votes s ON s.idea_id = m.idea_id
    )
    SELECT p.theme_id AS themeId, count(*) AS people, count(DISTINCT u.department_id) AS departments
    FROM contributors p LEFT JOIN users u ON u.id = p.user_id GROUP BY p.theme_id
    UNION ALL
    SELECT ${ALL_THEMES} AS themeId, count(DISTINCT p.user_id) AS people, count(DISTINCT u.department_id) AS departments
    FROM contributors p LEFT JOIN users u ON u.id = p.user_id
    UNION ALL
    SELECT ${EVERYONE} AS themeId, count(*) AS people, count(DISTINCT u.department_id) AS departments
    FROM (SELECT user_id FROM contributors UNION SELECT user_id FROM voters) p LEFT JOIN users u ON u.id = p.user_id`;
}

/** Ideas per theme and whole day of the jam (day 0 is the first; a number bound from JS is a double, so the day is cast). */
function sqlTimeline(versionId: number, startsAt: number) {
  return sql`WITH ${membersCte(versionId)}
    SELECT m.theme_id AS themeId, CAST((i.created_at - ${startsAt}) / ${DAY} AS INTEGER) AS day, count(*) AS n
    FROM members m JOIN ideas i ON i.id = m.idea_id
    GROUP BY m.theme_id, day`;
}

/**
 * What an ended jam's home leads with: its published themes, most supported first (at most
 * `limit`, Other left out), and the follow-up actions taken. Nothing from a version that is
 * not published.
 */
export async function jamResults(viewer: SessionUser, jamId: number, limit = 5) {
  const actions = (await jamActions(db(), viewer, jamId)).map((a) => ({ id: a.id, title: a.title, status: a.status, dueDate: a.dueDate, ownerName: a.ownerName }));
  const published = (await listVersions(db(), jamId)).find((v) => v.publishedAt !== null);
  if (!published) return { themes: [], themeCount: 0, actions };
  const stats = await themeStats(db(), published.id);
  const named = (await db()
    .select({ id: themes.id, label: themes.label, isOther: themes.isOther })
    .from(themes)
    .where(and(eq(themes.versionId, published.id), isNull(themes.parentId)))
    .all())
    .filter((t) => !t.isOther && (stats.get(t.id)?.size ?? 0) > 0)
    .map((t) => ({ id: t.id, label: t.label, size: stats.get(t.id)!.size, support: stats.get(t.id)!.support }))
    .sort((a, b) => b.support - a.support || b.size - a.size);
  return { themes: named.slice(0, limit), themeCount: named.length, actions };
}

/** Everything a jam's synthesis page shows, in one call: the themes of the chosen (or published) version and, per theme, who follows it and its questions and jellies. */
export async function jamSynthesisPage(viewer: SessionUser, slug: string, options: { versionId?: number } = {}) {
  const page = await synthesisPage(viewer, slug, options);
  const themeIds = page.themes.filter((t) => !t.isOther).flatMap((t) => [t.id, ...t.subThemes.map((sub) => sub.id)]);
  return { ...page, social: await themeCardsSocial(viewer, themeIds) };
}
