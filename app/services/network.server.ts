/**
 * People network: who interacts with whom, derived from what people did
 * (comments, replies, support, merges), per jam (scope = jam id) or across all
 * jams (scope 0). The graph is built with aggregate SQL (GROUP BY source,
 * target), analysed by the pure code in app/network, and cached as a snapshot
 * row computed off the request path in a worker thread.
 *
 * Privacy rules, applied in the SQL itself:
 * - an anonymous idea never yields an edge to (or, for merges, from) its
 *   author, and the comments under it tie nobody: a rule that left out only its
 *   author's comments would tell whoever sees a tie (or its absence) who wrote it;
 * - hidden ideas and comments do not count (a merged duplicate is hidden by
 *   the merge itself, so merges read the duplicate whatever its hiddenAt);
 * - nothing from a draft jam counts;
 * - nobody ties to themselves;
 * - people who opted out of rankings count in aggregates but are shown
 *   unnamed (id and name null) in rankings and in the drawing;
 * - an erased person is in no edge at all (app/services/erasure.server.ts).
 */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { SessionUser } from "~/auth/session.server";
import { csvDocument } from "~/domain/export-format";
import { analyseNetwork, edgeWeight, interactionCount, type InteractionCounts, type InteractionEdge, type NetworkData, type NetworkPerson, type PersonMetrics } from "~/network/analyse";
import { departmentGaps, departmentPairs, silentDepartments } from "~/network/findings";
import { circleLayout, forceLayout } from "~/network/layout";
import { db, transaction, type Db } from "~db/client";
import { ftsAnyQuery, ideaMatches } from "~db/fts";
import { departments, networkSnapshots, users } from "~db/schema";
import { themeAndSubThemes } from "./synthesis.server";
import { visibleTheme } from "./follows.server";
import { requireCapability } from "./lookups/guards.server";
import { findVisibleJam, seesDraftJams } from "./lookups/visibility.server";
import { notPrivateBoxSql, readableJamSql } from "./community-access.server";
import { mapInOrder } from "~/domain/in-order";

/** scope 0 = every jam. */
export const ALL_JAMS_SCOPE = 0;
/** A "running" snapshot older than this is considered abandoned (the process stopped). */
const STALE_RUNNING_MS = 15 * 60_000;
/** Snapshots kept per scope (older ones are deleted when a new one is written). */
const KEEP_SNAPSHOTS = 3;
const INFLUENCERS = 10;
const BROKERS = 10;
/** People whose ties the snapshot always keeps, whatever their weight (the best placed). */
const KEPT_PEOPLE = 150;

const NETWORK_VIEWERS_ONLY = "Only facilitators, leaders and admins can see the people network.";

// ------------------------------------------------------------------ graph

interface EdgeFilter {
  jamId?: number;
  source?: number;
  target?: number;
}

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
    ) AS ties
    -- An erased person is in no tie, either way (a partial index holds the few erased accounts).
    WHERE s NOT IN (SELECT id FROM users WHERE erased_at IS NOT NULL) AND t NOT IN (SELECT id FROM users WHERE erased_at IS NOT NULL)
    GROUP BY s, t`;
}

type EdgeRow = { source: number; target: number } & InteractionCounts;

async function edgeRows(conn: Db, filter: EdgeFilter): Promise<EdgeRow[]> {
  return await conn.all<EdgeRow>(interactionSql(filter));
}

export interface InteractionGraph {
  scope: number;
  people: NetworkPerson[];
  edges: InteractionEdge[];
}

/** The weighted, directed interaction graph of one jam (scope = its id) or of all jams (0). */
export async function buildInteractionGraph(conn: Db, scope: number): Promise<InteractionGraph> {
  const rows = await edgeRows(conn, scope === ALL_JAMS_SCOPE ? {} : { jamId: scope });
  const edges: InteractionEdge[] = rows.map((r) => ({
    source: r.source,
    target: r.target,
    weight: edgeWeight(r),
    comments: r.comments,
    replies: r.replies,
    supports: r.supports,
    merges: r.merges,
  }));
  const ids = new Set<number>();
  for (const e of edges) {
    ids.add(e.source);
    ids.add(e.target);
  }
  const departmentOf = new Map<number, number | null>();
  // One pass over a covering index is cheaper than ~150k bound parameters.
  for (const u of await conn.select({ id: users.id, departmentId: users.departmentId }).from(users).all()) {
    if (ids.has(u.id)) departmentOf.set(u.id, u.departmentId);
  }
  const people = [...ids].sort((a, b) => a - b).map((id) => ({ id, departmentId: departmentOf.get(id) ?? null }));
  return { scope, people, edges };
}

// ------------------------------------------------------------- snapshots

async function writeSnapshot(id: number | null, scope: number, data: NetworkData) {
  return await transaction(async (tx) => {
    const json = JSON.stringify(data);
    let snapshotId = id;
    if (snapshotId === null) {
      snapshotId = (await tx
        .insert(networkSnapshots)
        .values({ scope, status: "done", computedAt: data.computedAt, data: json })
        .returning({ id: networkSnapshots.id })
        .get()).id;
    } else {
      await tx.update(networkSnapshots).set({ status: "done", computedAt: data.computedAt, data: json, error: null }).where(eq(networkSnapshots.id, snapshotId)).run();
    }
    const keep = await tx
      .select({ id: networkSnapshots.id })
      .from(networkSnapshots)
      .where(and(eq(networkSnapshots.scope, scope), eq(networkSnapshots.status, "done")))
      .orderBy(desc(networkSnapshots.id))
      .limit(1)
      .offset(KEEP_SNAPSHOTS - 1)
      .get();
    if (keep) await tx.delete(networkSnapshots).where(and(eq(networkSnapshots.scope, scope), lt(networkSnapshots.id, keep.id))).run();
    return snapshotId;
  });
}

/** Builds the graph, analyses it and stores a done snapshot (into row `snapshotId` when given). Synchronous. */
export async function computeNetwork(scope: number, now = Date.now(), snapshotId: number | null = null) {
  const graph = await buildInteractionGraph(db(), scope);
  const data = analyseNetwork(graph, { computedAt: now, drawPeople: KEPT_PEOPLE });
  const id = await writeSnapshot(snapshotId, scope, data);
  return { id, data };
}

/** computeNetwork on the calling thread, for tests, scripts and the benchmark. */
export async function computeNetworkNow(scope: number, now = Date.now()) {
  return await computeNetwork(scope, now);
}

/** Called by the worker thread: fills a "running" row, or marks it failed. */
export async function completeSnapshot(snapshotId: number, scope: number, now: number) {
  try {
    await computeNetwork(scope, now, snapshotId);
  } catch (error) {
    await failSnapshot(db(), snapshotId, error);
    throw error;
  }
}

async function failSnapshot(conn: Db, snapshotId: number, error: unknown) {
  await conn
    .update(networkSnapshots)
    .set({ status: "failed", error: error instanceof Error ? error.message : String(error) })
    .where(and(eq(networkSnapshots.id, snapshotId), eq(networkSnapshots.status, "running")))
    .run();
}

async function scopeOf(conn: Db, viewer: SessionUser, slugOrNull: string | null) {
  if (slugOrNull === null || slugOrNull === "") return { scope: ALL_JAMS_SCOPE, jam: null };
  const jam = await findVisibleJam(conn, viewer, slugOrNull);
  return { scope: jam.id, jam };
}

async function runningSnapshot(conn: Db, scope: number, now: number) {
  return await conn
    .select({ id: networkSnapshots.id, computedAt: networkSnapshots.computedAt })
    .from(networkSnapshots)
    .where(and(eq(networkSnapshots.scope, scope), eq(networkSnapshots.status, "running"), sql`${networkSnapshots.computedAt} > ${now - STALE_RUNNING_MS}`))
    .orderBy(desc(networkSnapshots.id))
    .get();
}

export interface RecomputeHandle {
  snapshotId: number;
  scope: number;
  /** Resolves (never rejects) when the worker has finished, with the row's final status. */
  done: Promise<"done" | "failed">;
  /** False when a recompute of this scope was already running (its handle is returned). */
  started: boolean;
}

const inFlight = new Map<number, Promise<"done" | "failed">>();

/** Resolves when a snapshot another process computes is no longer running (its final status). */
/** Polls on its own (outside any request), so it reads through db() each time. */
function awaitSnapshot(snapshotId: number): Promise<"done" | "failed"> {
  return new Promise((resolvePromise) => {
    const look = async () => {
      const row = await db().select({ status: networkSnapshots.status }).from(networkSnapshots).where(eq(networkSnapshots.id, snapshotId)).get();
      if (row?.status === "running") return;
      clearInterval(timer);
      resolvePromise(row?.status === "done" ? "done" : "failed");
    };
    const timer = setInterval(() => void look().catch((error: unknown) => console.error("network snapshot poll failed", error)), 500);
    timer.unref();
  });
}

async function startWorker(scope: number, now: number): Promise<RecomputeHandle> {
  // One computation per scope across every server process: the check and the new row are one transaction.
  const claim = await transaction(async (tx) => {
    const running = await runningSnapshot(tx, scope, now);
    if (running) return { snapshotId: running.id, started: false };
    const id = (await tx.insert(networkSnapshots).values({ scope, status: "running", computedAt: now }).returning({ id: networkSnapshots.id }).get()).id;
    return { snapshotId: id, started: true };
  });
  if (!claim.started) {
    return { snapshotId: claim.snapshotId, scope, done: inFlight.get(claim.snapshotId) ?? awaitSnapshot(claim.snapshotId), started: false };
  }
  const snapshotId = claim.snapshotId;
  const done = new Promise<"done" | "failed">((resolvePromise) => {
    let settled = false;
    const finish = (status: "done" | "failed", error?: unknown) => {
      if (settled) return;
      settled = true;
      const recorded: Promise<unknown> = status === "failed" ? transaction(async (tx) => await failSnapshot(tx, snapshotId, error ?? "network worker stopped")) : Promise.resolve();
      void recorded
        .catch((failure: unknown) => console.error("could not record a failed network snapshot", failure))
        .finally(() => {
          inFlight.delete(snapshotId);
          resolvePromise(status);
        });
    };
    try {
      const worker = new Worker(resolve("app/workers/network-worker.mjs"), { workerData: { snapshotId, scope, now } });
      worker.on("message", (m: { type: string; error?: string }) => finish(m.type === "done" ? "done" : "failed", m.error));
      worker.on("error", (error) => finish("failed", error));
      worker.on("exit", (code) => finish(code === 0 ? "done" : "failed", `network worker stopped with code ${code}`));
    } catch (error) {
      finish("failed", error);
    }
  });
  inFlight.set(snapshotId, done);
  return { snapshotId, scope, done, started: true };
}

/**
 * Recomputes the network of a jam (slug) or of all jams (null) in a worker
 * thread and returns at once. Facilitators, leaders and admins only. A second
 * request while one runs returns the running one.
 */
export async function requestNetworkRecompute(actor: SessionUser, slugOrNull: string | null, now = Date.now()): Promise<RecomputeHandle> {
  requireCapability(actor, "seePeopleNetwork", NETWORK_VIEWERS_ONLY);
  const { scope } = await scopeOf(db(), actor, slugOrNull);
  return await startWorker(scope, now);
}

/**
 * Forgets every snapshot (done, running or failed) of these scopes, in the caller's transaction:
 * after an erasure their ties to the person must not be shown again, and a computation that was
 * running read them before. Returns the scopes that had a done snapshot, to compute again.
 */
export async function forgetSnapshots(tx: Db, scopes: readonly number[]): Promise<number[]> {
  if (scopes.length === 0) return [];
  const had = (await tx
    .selectDistinct({ scope: networkSnapshots.scope })
    .from(networkSnapshots)
    .where(and(inArray(networkSnapshots.scope, [...scopes]), eq(networkSnapshots.status, "done")))
    .all())
    .map((r) => r.scope);
  await tx.delete(networkSnapshots).where(inArray(networkSnapshots.scope, [...scopes])).run();
  for (const id of [...parsedCache.keys()]) parsedCache.delete(id);
  return had;
}

/** Computes these scopes again in worker threads (after an erasure or a jam deleted for retention). */
export async function recomputeScopes(scopes: readonly number[], now = Date.now()): Promise<RecomputeHandle[]> {
  return await mapInOrder(scopes, async (scope) => await startWorker(scope, now));
}

/**
 * Recomputes the network of every jam that has ended since its last snapshot
 * (the server calls this every minute; see app/entry.server.tsx). Returns the
 * handles of the computations it started.
 */
export async function recomputeEndedJams(now = Date.now()): Promise<RecomputeHandle[]> {
  const due = await db().all<{ id: number }>(sql`
    SELECT j.id FROM jams j
    WHERE j.ends_at <= ${now} AND j.is_draft = FALSE
      AND NOT EXISTS (
        SELECT 1 FROM network_snapshots s
        WHERE s.scope = j.id AND s.computed_at >= j.ends_at AND s.status IN ('running', 'done')
      )
    ORDER BY j.ends_at DESC LIMIT 3`);
  return await mapInOrder(due, async (jam) => await startWorker(jam.id, now));
}

// ------------------------------------------------------------------ view

interface Parsed {
  id: number;
  data: NetworkData;
}
/** Parsed snapshots by id (a snapshot never changes once done); a few kept. */
const parsedCache = new Map<number, Parsed>();

async function loadSnapshot(id: number, text: () => string | Promise<string>): Promise<Parsed> {
  const hit = parsedCache.get(id);
  if (hit) return hit;
  const parsed: Parsed = { id, data: JSON.parse(await text()) as NetworkData };
  parsedCache.set(id, parsed);
  while (parsedCache.size > 4) parsedCache.delete(parsedCache.keys().next().value!);
  return parsed;
}

export interface NetworkSnapshotStatus {
  status: "done" | "running" | "failed";
  computedAt: number;
  /** A newer computation is under way. */
  running: boolean;
  error: string | null;
}

export interface NetworkPersonView {
  /** Null, like the name, for people who opted out of rankings (shown as "A participant"). */
  id: number | null;
  name: string | null;
  displayName: string;
  departmentId: number | null;
  department: string | null;
  /** Reach in the network: PageRank scaled so the best-placed person of this network scores 100. */
  reach: number;
  /** Other departments this person has ties with. */
  departmentsReached: number;
  /** People of other departments tied to this person. */
  crossPeople: number;
  /** Interactions with people of other departments, both directions. */
  crossInteractions: number;
  /** Distinct people tied to this person. */
  ties: number;
}

export interface NetworkDrawingNode {
  /** Stable key within this drawing (edges refer to it); never a person id. */
  key: number;
  /** Null for people who opted out of rankings, and for departments. */
  id: number | null;
  /** What the mark is called: a department's or a person's name ("A participant" for people who opted out). */
  label: string;
  /** Whether the label may be drawn next to the mark (never for people who opted out). */
  named: boolean;
  departmentId: number | null;
  department: string | null;
  /** Mark size: people in the department, or a person's reach. */
  size: number;
  /** Position in [0, 1] × [0, 1]. */
  x: number;
  y: number;
}

/** An undirected tie of the drawing; source and target are node keys. */
export interface NetworkDrawingEdge {
  source: number;
  target: number;
  interactions: number;
}

export type NetworkDrawingKind = "departments" | "people";

export interface NetworkViewOptions {
  /** Departments (one mark each, the default) or people linked by the strongest ties. */
  drawing?: NetworkDrawingKind;
  /** People view: only people of this department. */
  department?: number | null;
  /** People view: only these people (a theme's contributors). */
  members?: readonly number[] | null;
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

export type NetworkView = Awaited<ReturnType<typeof networkView>>;

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

// ------------------------------------------------------------- experts

export interface Expert {
  id: number;
  name: string;
  department: string | null;
  engagement: number;
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
    GROUP BY u.id, d.name
    HAVING SUM(e.v) + SUM(e.c) + SUM(e.r) > 0
    ORDER BY SUM(e.v) + SUM(e.c) + SUM(e.r) DESC, u.id
    LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, engagement: r.votes + r.comments + r.replies }));
}

/**
 * "Who knows about onboarding?": ideas matching ANY meaningful word of the
 * query (FTS5), grouped by author (non-anonymous, visible ideas in jams the
 * viewer may see), ranked by the engagement those ideas drew (support, agree
 * and dot votes, comments: the ideas' maintained counts). Top 10; people who
 * opted out of rankings are left out.
 */
export async function searchExperts(conn: Db, viewer: SessionUser, query: string, limit = 10) {
  const match = ftsAnyQuery(query.slice(0, 200));
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
    GROUP BY u.id
    ORDER BY engagement DESC, ideas DESC, u.id
    LIMIT ${limit}`);
  return rows.map((r) => ({ id: r.id, name: r.name, department: r.department, engagement: r.engagement, ideas: r.ideas }));
}

// ------------------------------------------------------- personal network

const NO_COUNTS = (): InteractionCounts => ({ comments: 0, replies: 0, supports: 0, merges: 0 });

export interface PersonalTie {
  id: number;
  name: string;
  department: string | null;
  /** What the viewer did towards this person. */
  given: InteractionCounts;
  /** What this person did towards the viewer. */
  received: InteractionCounts;
  /** Weight both ways (comments count most): the order of the list. */
  weight: number;
  /** Interactions both ways, each counted once: what the page and the download show. */
  interactions: number;
}

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
