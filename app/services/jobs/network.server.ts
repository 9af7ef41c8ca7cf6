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
 * - an erased person is in no edge at all (app/services/commands/erasure.server.ts).
 */
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { claim, enqueue, fail, finish } from "~/coordination/jobs.server";
import { PROCESS_ID } from "~/coordination/shared.server";
import { analyseNetwork, edgeWeight, type InteractionCounts, type InteractionEdge, type NetworkData, type NetworkPerson } from "~/network/analyse";
import { db, transaction, type Db } from "~db/client";
import { networkSnapshots, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";
import { edgeRows, networkView, runningSnapshot, parsedCache, STALE_RUNNING_MS, ALL_JAMS_SCOPE } from "~/services/lookups/network.server";

/** Snapshots kept per scope (older ones are deleted when a new one is written). */
const KEEP_SNAPSHOTS = 3;

/** People whose ties the snapshot always keeps, whatever their weight (the best placed). */
const KEPT_PEOPLE = 150;

// ------------------------------------------------------------------ graph

export interface EdgeFilter {
  jamId?: number;
  source?: number;
  target?: number;
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

export async function startWorker(scope: number, now: number): Promise<RecomputeHandle> {
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

/** The job that computes one scope's network (a jam that ended). */
export const NETWORK_JOB = "network";

/**
 * Recomputes the network of every jam that has ended since its last snapshot (the background work
 * calls this every minute; see app/services/jobs/background.server.ts): each becomes a job (one per jam
 * while pending), and this process runs the due ones it claims. Returns the handles of the
 * computations it claimed.
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
  if (due.length > 0) {
    await transaction(async (tx) => {
      for (const jam of due) await enqueue(tx, NETWORK_JOB, String(jam.id), { scope: jam.id }, { now });
    });
  }
  return await runNetworkJobs(now);
}

/**
 * Claims due network jobs (a few) and computes them in worker threads; each job is finished when
 * its snapshot is done, or tried again later when it failed. A claim lasts as long as a running
 * snapshot counts as running, so a process that died leaves the job to another.
 */
export async function runNetworkJobs(now = Date.now(), holder: string = PROCESS_ID): Promise<RecomputeHandle[]> {
  const claimed = await transaction(async (tx) => await claim<{ scope: number }>(tx, NETWORK_JOB, holder, now, { limit: 3, claimMs: STALE_RUNNING_MS }));
  return await mapInOrder(claimed, async (job) => {
    const handle = await startWorker(job.payload.scope, now);
    const settled: Promise<"done" | "failed"> = handle.done.then(async (status) => {
      await transaction(async (tx) =>
        status === "done" ? await finish(tx, job, holder, Date.now()) : await fail(tx, job, holder, "the network computation failed", Date.now()),
      );
      return status;
    });
    return {
      ...handle,
      done: settled.catch((error: unknown) => {
        console.error("network job not settled", error);
        return handle.done;
      }),
    };
  });
}

// ------------------------------------------------------------------ view

export interface Parsed {
  id: number;
  data: NetworkData;
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

export type NetworkView = Awaited<ReturnType<typeof networkView>>;

// ------------------------------------------------------------- experts

export interface Expert {
  id: number;
  name: string;
  department: string | null;
  engagement: number;
}

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
