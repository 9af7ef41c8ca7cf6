/**
 * Background work that runs exactly once, whichever server process does it: a row of `jobs`
 * (db/schema/shared.ts) per piece of work.
 *
 * - `enqueue` adds a job in the caller's transaction, so it exists exactly when what asked for it
 *   was committed; a job with the same kind and key still pending makes it one job, not two.
 * - `claim` takes due jobs for one process until `now + claimMs`, in one statement: on PostgreSQL
 *   the rows are picked `FOR UPDATE SKIP LOCKED` (db/dialect.ts), so servers claiming at once take
 *   different jobs instead of waiting on each other; on SQLite the statement holds the one write
 *   lock. A claim that runs out (its process died or stopped renewing it) is taken again.
 * - `extendClaim` renews a claim while the work goes on; `finish` ends the job (in the caller's
 *   transaction, beside the work's own writes) and `fail` schedules the next attempt after a
 *   backoff (app/domain/jobs.ts) or gives the job up. All three act only while the caller still
 *   holds the claim it was given: a process whose claim ran out and was taken by another learns so
 *   and leaves the job to it.
 */
import { sql } from "drizzle-orm";
import { DEFAULT_RETRY, nextAttemptAt, type RetryRule } from "~/domain/jobs";
import type { Db } from "~db/client";
import { skipLocked } from "~db/dialect";

export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string;
  payload: P;
  /** Claims so far, this one included: also tells this claim from a later one of the same job. */
  attempts: number;
  claimedBy: string;
  claimedUntil: number;
}

type Row = Omit<Job, "payload"> & { payload: string };

function parse<P>(row: Row): Job<P> {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    payload: JSON.parse(row.payload) as P,
    attempts: Number(row.attempts),
    claimedBy: row.claimedBy,
    claimedUntil: Number(row.claimedUntil),
  };
}

/**
 * Adds a job of `kind` named `key`, due at `runAfter` (now by default), in `tx`. When a job of that
 * kind and key is still pending (not done, claimed or not), nothing is added and its id is returned.
 */
export async function enqueue(
  tx: Db,
  kind: string,
  key: string,
  payload: unknown,
  { now = Date.now(), runAfter = now }: { now?: number; runAfter?: number } = {},
): Promise<{ id: number; created: boolean }> {
  const added = await tx.all<{ id: number }>(sql`
    INSERT INTO jobs (kind, key, payload, run_after, attempts, created_at)
    VALUES (${kind}, ${key}, ${JSON.stringify(payload ?? null)}, ${runAfter}, 0, ${now})
    ON CONFLICT (kind, key) WHERE done_at IS NULL DO NOTHING
    RETURNING id`);
  if (added[0]) return { id: Number(added[0].id), created: true };
  const pending = await tx.get<{ id: number }>(sql`SELECT id FROM jobs WHERE kind = ${kind} AND key = ${key} AND done_at IS NULL`);
  return { id: Number(pending!.id), created: false };
}

/**
 * Claims up to `limit` due jobs of `kind` (or the one job `id`, when given and due) for `holder`
 * until `now + claimMs`, counting an attempt for each; oldest due first. One statement: run it in
 * a write transaction of its own (`transaction((tx) => claim(tx, …))`), committed before the work.
 */
export async function claim<P = unknown>(
  conn: Db,
  kind: string,
  holder: string,
  now: number,
  { limit = 1, claimMs, id }: { limit?: number; claimMs: number; id?: number },
): Promise<Job<P>[]> {
  const claimable = sql`done_at IS NULL AND run_after <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})`;
  const which = id === undefined ? sql`kind = ${kind}` : sql`kind = ${kind} AND id = ${id}`;
  // The rows are picked once, in a WITH query: on PostgreSQL a `WHERE id IN (SELECT … LIMIT n)`
  // may be evaluated again for the rows it updates and then claim more than n.
  const rows = await conn.all<Row>(sql`
    WITH picked AS (
      SELECT id FROM jobs WHERE ${which} AND ${claimable}
      ORDER BY run_after, id LIMIT ${limit} ${skipLocked()}
    )
    UPDATE jobs SET claimed_by = ${holder}, claimed_until = ${now + claimMs}, attempts = attempts + 1
    WHERE id IN (SELECT id FROM picked) AND ${claimable}
    RETURNING id, kind, key, payload, attempts, claimed_by AS "claimedBy", claimed_until AS "claimedUntil"`);
  return rows.map((row) => parse<P>(row)).sort((a, b) => a.id - b.id);
}

/** The claim `job` was given, as a condition: still this holder's, this attempt's, and the job pending. */
function stillHeld(job: Job, holder: string) {
  return sql`id = ${job.id} AND claimed_by = ${holder} AND attempts = ${job.attempts} AND done_at IS NULL`;
}

/** Keeps the claim until `until`; false when it was lost (it ran out and another process took the job). */
export async function extendClaim(conn: Db, job: Job, holder: string, until: number): Promise<boolean> {
  return (await conn.run(sql`UPDATE jobs SET claimed_until = ${until} WHERE ${stillHeld(job, holder)}`)).changes === 1;
}

/** The job is done (in the caller's transaction, beside the work's writes); false when the claim was lost. */
export async function finish(tx: Db, job: Job, holder: string, now: number): Promise<boolean> {
  return (await tx.run(sql`UPDATE jobs SET done_at = ${now}, claimed_until = NULL, last_error = NULL WHERE ${stillHeld(job, holder)}`)).changes === 1;
}

/**
 * The attempt failed: the job runs again after a backoff (`"retry"`), or, after its last attempt
 * or when `giveUp` says trying again cannot help, it is done with the error kept (`"gave up"`).
 * `"lost"` when the claim was no longer this holder's.
 */
export async function fail(
  tx: Db,
  job: Job,
  holder: string,
  error: unknown,
  now: number,
  { rule = DEFAULT_RETRY, giveUp = false }: { rule?: RetryRule; giveUp?: boolean } = {},
): Promise<"retry" | "gave up" | "lost"> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  const next = giveUp ? null : nextAttemptAt(job.attempts, now, rule);
  const set = next === null
    ? sql`done_at = ${now}, claimed_until = NULL, last_error = ${message}`
    : sql`run_after = ${next}, claimed_until = NULL, last_error = ${message}`;
  const changed = (await tx.run(sql`UPDATE jobs SET ${set} WHERE ${stillHeld(job, holder)}`)).changes;
  if (changed !== 1) return "lost";
  return next === null ? "gave up" : "retry";
}

/** Whether any job of `kind` is due now (one read on the index): lets an idle process skip the write. */
export async function anyDue(conn: Db, kind: string, now: number): Promise<boolean> {
  const row = await conn.get<{ id: number }>(sql`
    SELECT id FROM jobs WHERE kind = ${kind} AND done_at IS NULL AND run_after <= ${now}
      AND (claimed_until IS NULL OR claimed_until <= ${now}) LIMIT 1`);
  return row !== undefined;
}

/** The pending job of `kind` named `key`, if any (claimed or not). */
export async function pendingJob(conn: Db, kind: string, key: string): Promise<{ id: number; attempts: number; claimedUntil: number | null } | undefined> {
  const row = await conn.get<{ id: number; attempts: number; claimedUntil: number | null }>(sql`
    SELECT id, attempts, claimed_until AS "claimedUntil" FROM jobs WHERE kind = ${kind} AND key = ${key} AND done_at IS NULL`);
  return row && { id: Number(row.id), attempts: Number(row.attempts), claimedUntil: row.claimedUntil == null ? null : Number(row.claimedUntil) };
}

/** Deletes jobs done before `before` (kept a while to tell what ran); returns how many. */
export async function pruneDoneJobs(conn: Db, before: number): Promise<number> {
  return (await conn.run(sql`DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < ${before}`)).changes;
}
