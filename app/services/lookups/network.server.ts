import { and, eq, desc, sql, inArray, type SQL } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { csvDocument } from "~/domain/export-format";
import { type NetworkData, type PersonMetrics, type InteractionEdge, interactionCount, type InteractionCounts, edgeWeight } from "~/network/analyse";
import { departmentGaps, departmentPairs, silentDepartments } from "~/network/findings";
import { forceLayout, circleLayout } from "~/network/layout";
import { themeAndSubThemes } from "~/services/lookups/synthesis.server";
import type { Parsed, NetworkViewOptions, NetworkDrawingKind, NetworkSnapshotStatus, NetworkPersonView, NetworkDrawingNode, NetworkDrawingEdge, PersonalTie, EdgeFilter } from "~/services/jobs/network.server";
import { notPrivateBoxSql, readableJamSql } from "~/services/lookups/community-access.server";
import { visibleTheme } from "~/services/lookups/follows.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam, seesDraftJams } from "~/services/lookups/visibility.server";
import { type Db, db } from "~db/client";
import { anyWord, ideaMatches } from "~db/fts";
import { networkSnapshots, departments, users } from "~db/schema";

const INFLUENCERS = 10;

const BROKERS = 10;

async function loadSnapshot(id: number, text: () => string | Promise<string>): Promise<Parsed> {
  const hit = parsedCache.get(id);
  if (hit) return hit;
  const parsed: Parsed = { id, data: JSON.parse(await text()) as NetworkData };
  parsedCache.set(id, parsed);
  while (parsedCache.size > 4) parsedCache.delete(parsedCache.keys().next().value!);
  return parsed;
}

/** Ties drawn in the people view: the strongest, so the drawing stays readable. */
export const PEOPLE_DRAWN_TIES = 30;

const FEWEST_PAIRS = 3;

const NEVER_MET_SHOWN = 10;

/**
 * The people-network page: snapshot status, the findings (departments that
 * never met or met least, brokers, people with the most reach), the department
 * matrix, and a drawing (departments by default; people joined by the
 * strongest ties on request). Staff only. Reading never starts a computation
 * (GET changes nothing): when no snapshot exists, the page asks for one with a POST.
 */
export async function networkView(conn: Db, viewer: SessionUser, slugOrNull: string | null, options: NetworkViewOptions = {}, now = Date.now()) {
  requireCapability(viewer, "seePeopleNetwork", NETWORK_VIEWERS_ONLY);
  const { scope, jam } = await scopeOf(conn, viewer, slugOrNull);
  const drawingKind: NetworkDrawingKind = options.drawing === "people" ? "people" : "departments";
  // The data column is large: read it only when this snapshot is not parsed yet.
  const latest = await conn
    .select({ id: networkSnapshots.id, computedAt: networkSnapshots.computedAt })
    .from(networkSnapshots)
    .where(and(eq(networkSnapshots.scope, scope), eq(networkSnapshots.status, "done")))
    .orderBy(desc(networkSnapshots.id))
    .get();
  const running = await runningSnapshot(conn, scope, now);
  const lastFailed = await conn
    .select({ id: networkSnapshots.id, computedAt: networkSnapshots.computedAt, error: networkSnapshots.error })
    .from(networkSnapshots)
    .where(and(eq(networkSnapshots.scope, scope), eq(networkSnapshots.status, "failed")))
    .orderBy(desc(networkSnapshots.id))
    .get();
  // null when nothing exists yet: the page then asks for a computation (POST).
  const snapshot: NetworkSnapshotStatus | null = latest
    ? { status: "done", computedAt: latest.computedAt, running: running !== undefined, error: null }
    : running
      ? { status: "running", computedAt: running.computedAt, running: true, error: null }
      : lastFailed
        ? { status: "failed", computedAt: lastFailed.computedAt, running: false, error: lastFailed.error }
        : null;
  const jamInfo = jam ? { id: jam.id, slug: jam.slug, title: jam.title } : null;
  const allDepartments = await conn.select({ id: departments.id, name: departments.name }).from(departments).all();
  const departmentName = new Map(allDepartments.map((d) => [d.id, d.name]));
  const empty = {
    scope,
    jam: jamInfo,
    snapshot,
    findings: {
      /** Departments that met no other department (named first), then pairs that never met (at most NEVER_MET_SHOWN). */
      silent: [] as string[],
      neverMet: [] as { a: string; b: string }[],
      neverMetCount: 0,
      leastMet: [] as { a: string; b: string; interactions: number }[],
      brokers: [] as NetworkPersonView[],
      influencers: [] as NetworkPersonView[],
    },
    departments: [] as { id: number; name: string; people: number }[],
    matrix: [] as number[][],
    drawing: { kind: drawingKind, nodes: [] as NetworkDrawingNode[], edges: [] as NetworkDrawingEdge[], ties: 0 },
    totals: { people: 0, edges: 0 },
  };
  if (!latest) return empty;
  const { data } = await loadSnapshot(latest.id, async () => (await conn.select({ data: networkSnapshots.data }).from(networkSnapshots).where(eq(networkSnapshots.id, latest.id)).get())?.data ?? "null");

  const headcount = new Map<number, number>();
  for (const p of data.people) if (p.departmentId !== null) headcount.set(p.departmentId, (headcount.get(p.departmentId) ?? 0) + 1);
  const departmentList = data.departmentMatrix.departmentIds.map((id) => ({ id, name: departmentName.get(id) ?? "Unknown", people: headcount.get(id) ?? 0 }));
  const nameOf = (id: number) => departmentName.get(id) ?? "Unknown";
  const gaps = departmentGaps(departmentPairs(data.departmentMatrix), FEWEST_PAIRS);
  // Departments with people: those that met no other department here are named, whether or not anyone of theirs took part.
  const staffed = (await conn.all<{ id: number }>(sql`SELECT DISTINCT department_id AS id FROM users WHERE department_id IS NOT NULL AND deactivated_at IS NULL ORDER BY 1`)).map((r) => r.id);
  const silent = silentDepartments(data.departmentMatrix, staffed);
  const quiet = new Set(silent);
  const neverMet = gaps.neverMet.filter((p) => !quiet.has(p.a) && !quiet.has(p.b));

  const influencers = data.people.slice(0, INFLUENCERS);
  const brokers = data.people
    .filter((p) => (p.departmentsReached ?? 0) > 0)
    .sort(
      (a, b) =>
        (b.departmentsReached ?? 0) - (a.departmentsReached ?? 0) ||
        (b.crossInteractions ?? 0) - (a.crossInteractions ?? 0) ||
        (b.crossPeople ?? 0) - (a.crossPeople ?? 0) ||
        a.id - b.id,
    )
    .slice(0, BROKERS);

  // The people drawing: the strongest ties (both directions added) among the people the filters keep.
  const members = options.members ? new Set(options.members) : null;
  const department = options.department ?? null;
  const metrics = new Map(data.people.map((p) => [p.id, p]));
  const keep = (id: number) => (department === null || metrics.get(id)?.departmentId === department) && (members === null || members.has(id));
  const ties = drawingKind === "people" ? strongestTies(data.edges.filter((e) => keep(e.source) && keep(e.target)), PEOPLE_DRAWN_TIES) : { shown: [], total: 0 };
  const drawnIds = [...new Set(ties.shown.flatMap((t) => [t.a, t.b]))];

  const named = await personNames(conn, [...new Set([...influencers, ...brokers].map((p) => p.id).concat(drawnIds))]);
  const topRank = data.people[0]?.pagerank || 1;
  const view = (p: PersonMetrics): NetworkPersonView => {
    const person = named.get(p.id);
    const visible = person !== undefined && !person.hidden;
    return {
      id: visible ? p.id : null,
      name: visible ? person.name : null,
      displayName: visible ? person.name : "A participant",
      departmentId: p.departmentId,
      department: p.departmentId === null ? null : (departmentName.get(p.departmentId) ?? null),
      reach: Math.round((100 * p.pagerank) / topRank),
      departmentsReached: p.departmentsReached ?? 0,
      crossPeople: p.crossPeople ?? 0,
      crossInteractions: p.crossInteractions ?? 0,
      ties: p.ties,
    };
  };

  let drawing: (typeof empty)["drawing"];
  if (drawingKind === "people") {
    const key = new Map(drawnIds.map((id, i) => [id, i]));
    const layout = forceLayout(
      drawnIds,
      ties.shown.map((t) => ({ source: t.a, target: t.b, weight: t.interactions })),
      { seed: 7, iterations: 300 },
    );
    drawing = {
      kind: "people",
      nodes: drawnIds.map((id, i) => {
        const p = view(metrics.get(id) ?? { id, departmentId: null, pagerank: 0, betweenness: 0, inWeight: 0, outWeight: 0, ties: 0 });
        return { key: i, id: p.id, label: p.displayName, named: p.name !== null, departmentId: p.departmentId, department: p.department, size: p.reach, x: layout.get(id)!.x, y: layout.get(id)!.y };
      }),
      edges: ties.shown.map((t) => ({ source: key.get(t.a)!, target: key.get(t.b)!, interactions: t.interactions })),
      ties: ties.total,
    };
  } else {
    const ids = data.departmentMatrix.departmentIds;
    const layout = circleLayout(ids);
    const w = data.departmentMatrix.weights;
    const edges: NetworkDrawingEdge[] = [];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const interactions = (w[i]?.[j] ?? 0) + (w[j]?.[i] ?? 0);
        if (interactions > 0) edges.push({ source: i, target: j, interactions });
      }
    drawing = {
      kind: "departments",
      nodes: departmentList.map((d, i) => ({ key: i, id: null, label: d.name, named: true, departmentId: d.id, department: d.name, size: d.people, x: layout.get(d.id)!.x, y: layout.get(d.id)!.y })),
      edges,
      ties: edges.length,
    };
  }

  return {
    ...empty,
    findings: {
      silent: silent.map(nameOf).sort((a, b) => a.localeCompare(b)),
      neverMet: neverMet.slice(0, NEVER_MET_SHOWN).map((p) => ({ a: nameOf(p.a), b: nameOf(p.b) })),
      neverMetCount: neverMet.length,
      leastMet: gaps.leastMet.map((p) => ({ a: nameOf(p.a), b: nameOf(p.b), interactions: p.interactions })),
      brokers: brokers.map(view),
      influencers: influencers.map(view),
    },
    departments: departmentList,
    /** matrix[i][j]: interactions from departments[i] to departments[j]. */
    matrix: data.departmentMatrix.weights,
    drawing,
    totals: { people: data.people.length, edges: data.edgeCount },
  };
}

/** Ties between two people with both directions added, the `max` with most interactions (ties by ids). */
function strongestTies(edges: readonly InteractionEdge[], max: number) {
  const pairs = new Map<string, { a: number; b: number; interactions: number }>();
  for (const e of edges) {
    if (e.source === e.target) continue;
    const [a, b] = e.source < e.target ? [e.source, e.target] : [e.target, e.source];
    const k = `${a}:${b}`;
    const pair = pairs.get(k) ?? { a, b, interactions: 0 };
    pair.interactions += interactionCount(e);
    pairs.set(k, pair);
  }
  const all = [...pairs.values()].sort((x, y) => y.interactions - x.interactions || x.a - y.a || x.b - y.b);
  return { shown: all.slice(0, max), total: all.length };
}

async function personNames(conn: Db, ids: number[]) {
  const result = new Map<number, { name: string; hidden: boolean }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await conn
      .select({ id: users.id, name: users.name, hidden: users.hiddenFromRankings })
      .from(users)
      .where(inArray(users.id, ids.slice(i, i + 500)))
      .all();
    for (const r of rows) result.set(r.id, { name: r.name, hidden: r.hidden });
  }
  return result;
}

/**
 * The go-to people for a synthesis theme: authors whose non-anonymous ideas in
 * the theme drew the most engagement (support and agree votes and comments
 * from others on those ideas, plus replies from others to their comments under
 * the theme's named ideas). Top 5; people who opted out of rankings are left out.
 * Anyone who may see the theme may ask (unpublished versions: staff only).
 */
export async function goToPeople(conn: Db, viewer: SessionUser, themeId: number, limit = 5) {
  await visibleTheme(conn, viewer, themeId);
  const rows = await conn.all<{ id: number; name: string; department: string | null; votes: number; comments: number; replies: number; ideas: number }>(sql`
    WITH ti AS (
      SELECT i.id, i.author_id, i.is_anonymous FROM theme_ideas t JOIN ideas i ON i.id = t.idea_id
      WHERE t.theme_id IN ${themeAndSubThemes(themeId)} AND t.excluded = FALSE AND i.hidden_at IS NULL
    ),
    engagement AS (
      SELECT ti.author_id AS a, COUNT(*) AS v, 0 AS c, 0 AS r, 0 AS n FROM ti JOIN votes v ON v.idea_id = ti.id
        WHERE ti.is_anonymous = FALSE AND v.user_id <> ti.author_id GROUP BY ti.author_id
      UNION ALL
      SELECT ti.author_id, COUNT(*), 0, 0, 0 FROM ti JOIN stance_votes s ON s.idea_id = ti.id
        WHERE ti.is_anonymous = FALSE AND s.stance = 'agree' AND s.user_id <> ti.author_id GROUP BY ti.author_id
      UNION ALL
      SELECT ti.author_id, 0, COUNT(*), 0, 0 FROM ti JOIN comments c ON c.idea_id = ti.id
        WHERE ti.is_anonymous = FALSE AND c.hidden_at IS NULL AND c.author_id <> ti.author_id GROUP BY ti.author_id
      UNION ALL
      SELECT p.author_id, 0, 0, COUNT(*), 0 FROM ti JOIN comments p ON p.idea_id = ti.id JOIN comments r ON r.parent_id = p.id
        WHERE ti.is_anonymous = FALSE AND p.hidden_at IS NULL AND r.hidden_at IS NULL AND r.author_id <> p.author_id GROUP BY p.author_id
      UNION ALL
      SELECT ti.author_id, 0, 0, 0, COUNT(*) FROM ti WHERE ti.is_anonymous = FALSE GROUP BY ti.author_id
    )
    SELECT u.id AS id, u.name AS name, d.name AS department, SUM(e.v) AS votes, SUM(e.c) AS comments, SUM(e.r) AS replies, SUM(e.n) AS ideas
    FROM engagement e JOIN users u ON u.id = e.a LEFT JOIN departments d ON d.id = u.department_id
    WHERE u.hidden_from_rankings = FALSE
    GROUP BY u.id, u.name, d.name
    HAVING SUM(e.v) + SUM(e.c) + SUM(e.r) > 0
    ORDER BY SUM(e.v) + SUM(e.c) + SUM(e.r) DESC, u.id
    LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, engagement: r.votes + r.comments + r.replies }));
}

/**
 * "Who knows about onboarding?": ideas matching ANY meaningful word of the
 * query (db/fts.ts), grouped by author (non-anonymous, visible ideas in jams the
 * viewer may see), ranked by the engagement those ideas drew (support, agree
 * and dot votes, comments: the ideas' maintained counts). Top 10; people who
 * opted out of rankings are left out.
 */
export async function searchExperts(conn: Db, viewer: SessionUser, query: string, limit = 10) {
  const match = anyWord(query.slice(0, 200));
  if (!match) return [];
  const rows = await conn.all<{ id: number; name: string; department: string | null; engagement: number; ideas: number; topIdeaId: number; topIdeaTitle: string }>(sql`
    SELECT u.id AS id, u.name AS name, d.name AS department,
      SUM("ideas".vote_count + "ideas".agree_count + "ideas".dot_count + "ideas".comment_count) AS engagement,
      COUNT(*) AS ideas,
      MAX("ideas".vote_count + "ideas".agree_count + "ideas".dot_count + "ideas".comment_count) AS best
    FROM "ideas" JOIN jams j ON j.id = "ideas".jam_id JOIN users u ON u.id = "ideas".author_id
      LEFT JOIN departments d ON d.id = u.department_id
    WHERE ${ideaMatches(match)} AND "ideas".hidden_at IS NULL AND "ideas".is_anonymous = FALSE
      AND u.hidden_from_rankings = FALSE ${seesDraftJams(viewer) ? sql`` : sql`AND j.is_draft = FALSE`}
      AND ${readableJamSql("j.id", viewer.id)}
    GROUP BY u.id, u.name, d.name
    ORDER BY engagement DESC, ideas DESC, u.id
    LIMIT ${limit}`);
  return rows.map((r) => ({ id: r.id, name: r.name, department: r.department, engagement: r.engagement, ideas: r.ideas }));
}

// ------------------------------------------------------- personal network

const NO_COUNTS = (): InteractionCounts => ({ comments: 0, replies: 0, supports: 0, merges: 0 });

/** Whom the viewer interacted with, across all jams, both directions, with counts per kind (heaviest first). */
export async function personalNetwork(conn: Db, viewer: SessionUser): Promise<PersonalTie[]> {
  const ties = new Map<number, { given: InteractionCounts; received: InteractionCounts }>();
  const tie = (id: number) => {
    let t = ties.get(id);
    if (!t) ties.set(id, (t = { given: NO_COUNTS(), received: NO_COUNTS() }));
    return t;
  };
  for (const r of await edgeRows(conn, { source: viewer.id })) Object.assign(tie(r.target).given, pick(r));
  for (const r of await edgeRows(conn, { target: viewer.id })) Object.assign(tie(r.source).received, pick(r));
  if (ties.size === 0) return [];
  const people = new Map<number, { name: string; department: string | null }>();
  const ids = [...ties.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    for (const p of await conn
      .select({ id: users.id, name: users.name, department: departments.name })
      .from(users)
      .leftJoin(departments, eq(departments.id, users.departmentId))
      .where(inArray(users.id, ids.slice(i, i + 500)))
      .all())
      people.set(p.id, { name: p.name, department: p.department });
  }
  return ids
    .map((id) => {
      const t = ties.get(id)!;
      return { id, name: people.get(id)?.name ?? "", department: people.get(id)?.department ?? null, ...t, weight: edgeWeight(t.given) + edgeWeight(t.received), interactions: interactionCount(t.given) + interactionCount(t.received) };
    })
    .sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name) || a.id - b.id);
}

function pick(r: InteractionCounts): InteractionCounts {
  return { comments: r.comments, replies: r.replies, supports: r.supports, merges: r.merges };
}

export const PERSONAL_NETWORK_CSV_HEADER = [
  "Person",
  "Department",
  "Comments given",
  "Replies given",
  "Support given",
  "Merges",
  "Comments received",
  "Replies received",
  "Support received",
  "Interactions",
];

/** The viewer's personal network as a CSV download (RFC 4180, formula-safe cells). */
export async function personalNetworkCsv(viewer: SessionUser): Promise<string> {
  return csvDocument(
    PERSONAL_NETWORK_CSV_HEADER,
    (await personalNetwork(db(), viewer)).map((t) => [
      t.name,
      t.department,
      t.given.comments,
      t.given.replies,
      t.given.supports,
      Math.max(t.given.merges, t.received.merges),
      t.received.comments,
      t.received.replies,
      t.received.supports,
      t.interactions,
    ]),
  );
}

export const NETWORK_VIEWERS_ONLY = "Only facilitators, leaders and admins can see the people network.";

type EdgeRow = { source: number; target: number } & InteractionCounts;

export async function edgeRows(conn: Db, filter: EdgeFilter): Promise<EdgeRow[]> {
  return await conn.all<EdgeRow>(interactionSql(filter));
}

export async function scopeOf(conn: Db, viewer: SessionUser, slugOrNull: string | null) {
  if (slugOrNull === null || slugOrNull === "") return { scope: ALL_JAMS_SCOPE, jam: null };
  const jam = await findVisibleJam(conn, viewer, slugOrNull);
  return { scope: jam.id, jam };
}

export async function runningSnapshot(conn: Db, scope: number, now: number) {
  return await conn
    .select({ id: networkSnapshots.id, computedAt: networkSnapshots.computedAt })
    .from(networkSnapshots)
    .where(and(eq(networkSnapshots.scope, scope), eq(networkSnapshots.status, "running"), sql`${networkSnapshots.computedAt} > ${now - STALE_RUNNING_MS}`))
    .orderBy(desc(networkSnapshots.id))
    .get();
}

/** Parsed snapshots by id (a snapshot never changes once done); a few kept. */
export const parsedCache = new Map<number, Parsed>();

/** scope 0 = every jam. */
export const ALL_JAMS_SCOPE = 0;

/** A "running" snapshot older than this is considered abandoned (the process stopped). */
export const STALE_RUNNING_MS = 15 * 60_000;

/**
 * One statement: each kind of interaction aggregated by (source, target) in its
 * own GROUP BY, then the four summed per pair. `s`/`t` are the SQL expressions
 * for source and target in each branch, so person filters reach the indexes.
 */
export function interactionSql(filter: EdgeFilter = {}): SQL {
  const where = (jamCol: string, s: string, t: string) => {
    // Nothing from a draft jam ever counts (a jam taken back to draft keeps what was posted in it).
    const parts: SQL[] = [sql`AND ${sql.raw(jamCol)} NOT IN (SELECT id FROM jams WHERE is_draft = TRUE)`, sql`AND ${notPrivateBoxSql(jamCol)}`];
    if (filter.jamId) parts.push(sql`AND ${sql.raw(jamCol)} = ${filter.jamId}`);
    if (filter.source !== undefined) parts.push(sql`AND ${sql.raw(s)} = ${filter.source}`);
    if (filter.target !== undefined) parts.push(sql`AND ${sql.raw(t)} = ${filter.target}`);
    return sql.join(parts, sql` `);
  };
  return sql`
    SELECT s AS source, t AS target, SUM(c) AS comments, SUM(r) AS replies, SUM(v) AS supports, SUM(m) AS merges FROM (
      SELECT c.author_id AS s, i.author_id AS t, COUNT(*) AS c, 0 AS r, 0 AS v, 0 AS m
        FROM comments c JOIN ideas i ON i.id = c.idea_id
        WHERE c.parent_id IS NULL AND c.hidden_at IS NULL AND i.hidden_at IS NULL AND i.is_anonymous = FALSE
          AND c.author_id <> i.author_id ${where("i.jam_id", "c.author_id", "i.author_id")}
        GROUP BY c.author_id, i.author_id
      UNION ALL
      SELECT c.author_id, p.author_id, 0, COUNT(*), 0, 0
        FROM comments c JOIN comments p ON p.id = c.parent_id JOIN ideas i ON i.id = c.idea_id
        WHERE c.hidden_at IS NULL AND p.hidden_at IS NULL AND i.hidden_at IS NULL
          AND c.author_id <> p.author_id AND i.is_anonymous = FALSE
          ${where("i.jam_id", "c.author_id", "p.author_id")}
        GROUP BY c.author_id, p.author_id
      UNION ALL
      SELECT v.user_id, i.author_id, 0, 0, COUNT(*), 0
        FROM votes v JOIN ideas i ON i.id = v.idea_id
        WHERE i.hidden_at IS NULL AND i.is_anonymous = FALSE AND v.user_id <> i.author_id
          ${where("i.jam_id", "v.user_id", "i.author_id")}
        GROUP BY v.user_id, i.author_id
      UNION ALL
      SELECT sv.user_id, i.author_id, 0, 0, COUNT(*), 0
        FROM stance_votes sv JOIN ideas i ON i.id = sv.idea_id
        WHERE sv.stance = 'agree' AND i.hidden_at IS NULL AND i.is_anonymous = FALSE AND sv.user_id <> i.author_id
          ${where("i.jam_id", "sv.user_id", "i.author_id")}
        GROUP BY sv.user_id, i.author_id
      UNION ALL
      SELECT da.user_id, i.author_id, 0, 0, COUNT(*), 0
        FROM dot_allocations da JOIN ideas i ON i.id = da.idea_id
        WHERE da.dots > 0 AND i.hidden_at IS NULL AND i.is_anonymous = FALSE AND da.user_id <> i.author_id
          ${where("i.jam_id", "da.user_id", "i.author_id")}
        GROUP BY da.user_id, i.author_id
      UNION ALL
      SELECT d.author_id, k.author_id, 0, 0, 0, COUNT(*)
        FROM ideas d JOIN ideas k ON k.id = d.merged_into_id
        WHERE d.merged_into_id IS NOT NULL AND k.hidden_at IS NULL AND d.is_anonymous = FALSE AND k.is_anonymous = FALSE
          AND d.author_id <> k.author_id ${where("d.jam_id", "d.author_id", "k.author_id")}
        GROUP BY d.author_id, k.author_id
      UNION ALL
      SELECT k.author_id, d.author_id, 0, 0, 0, COUNT(*)
        FROM ideas d JOIN ideas k ON k.id = d.merged_into_id
        WHERE d.merged_into_id IS NOT NULL AND k.hidden_at IS NULL AND d.is_anonymous = FALSE AND k.is_anonymous = FALSE
          AND d.author_id <> k.author_id ${where("d.jam_id", "k.author_id", "d.author_id")}
        GROUP BY k.author_id, d.author_id
    ) AS edges
    -- An erased person is in no tie, either way (a partial index holds the few erased accounts).
    WHERE s NOT IN (SELECT id FROM users WHERE erased_at IS NOT NULL) AND t NOT IN (SELECT id FROM users WHERE erased_at IS NOT NULL)
    GROUP BY s, t`;
}
