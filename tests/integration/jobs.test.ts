/**
 * The jobs table (app/coordination/jobs.server.ts): background work runs exactly once across
 * server processes, a job whose process died is run again, and asking twice for the same pending
 * work makes one job. Runs on SQLite and, in the PostgreSQL suite, on PostgreSQL (SKIP LOCKED).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { anyDue, claim, enqueue, extendClaim, fail, finish, pendingJob, pruneDoneJobs } from "~/coordination/jobs.server";
import { db, transaction } from "~db/client";
import { raceWorkers } from "./helpers/processes";

const WORKER = "tests/integration/helpers/jobs-worker.ts";
const MINUTE = 60_000;

async function add(kind: string, key: string, payload: unknown = {}, options: { now?: number; runAfter?: number } = {}) {
  return await transaction(async (tx) => await enqueue(tx, kind, key, payload, options));
}

/** A claim as a process makes it: a write transaction of its own. */
async function claimNow(...args: Parameters<typeof claim> extends [unknown, ...infer Rest] ? Rest : never) {
  return await transaction(async (tx) => await claim(tx, ...args));
}

async function jobRow(id: number) {
  return (await db().get<{ attempts: number; doneAt: number | null; runAfter: number; lastError: string | null; claimedBy: string | null }>(sql`
    SELECT attempts, done_at AS "doneAt", run_after AS "runAfter", last_error AS "lastError", claimed_by AS "claimedBy" FROM jobs WHERE id = ${id}`))!;
}

describe("enqueueing", () => {
  it("asking twice for the same pending work makes one job; once it is done, asking again makes a new one", async () => {
    const now = Date.now();
    const first = await add("enqueue-test", "jam:7", { jamId: 7 }, { now });
    const again = await add("enqueue-test", "jam:7", { jamId: 7 }, { now });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    // Claimed (running) still counts as pending.
    const [job] = await claimNow("enqueue-test", "p1", now, { claimMs: MINUTE });
    expect(job).toMatchObject({ id: first.id, key: "jam:7", payload: { jamId: 7 }, attempts: 1 });
    expect(await add("enqueue-test", "jam:7", {}, { now })).toEqual({ id: first.id, created: false });
    // Another key, or another kind, is other work.
    expect((await add("enqueue-test", "jam:8", {}, { now })).created).toBe(true);
    expect((await add("enqueue-test-other", "jam:7", {}, { now })).created).toBe(true);
    expect(await transaction(async (tx) => await finish(tx, job!, "p1", now))).toBe(true);
    const later = await add("enqueue-test", "jam:7", {}, { now });
    expect(later.created).toBe(true);
    expect(later.id).not.toBe(first.id);
  });

  it("a job enqueued in a transaction that rolls back does not exist", async () => {
    await expect(
      transaction(async (tx) => {
        await enqueue(tx, "rollback-test", "k", {});
        throw new Error("the request failed");
      }),
    ).rejects.toThrow("the request failed");
    expect(await pendingJob(db(), "rollback-test", "k")).toBeUndefined();
    expect(await anyDue(db(), "rollback-test", Date.now())).toBe(false);
  });
});

describe("claiming", () => {
  it("several processes claiming at once: every job runs, each exactly once", async () => {
    const now = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push((await add("race-test", `item:${i}`, { i }, { now })).id);
    const results = await raceWorkers<{ ran: number[] }>(
      WORKER,
      ["a", "b", "c", "d"].map((holder) => ({ kind: "race-test", holder: `race-${holder}`, now, claimMs: MINUTE })),
    );
    const ran = results.flatMap((r) => r.ran);
    expect(ran.sort((x, y) => x - y)).toEqual(ids);
    // The work each run wrote: one row per job, whoever ran it.
    const written = await db().all<{ key: string }>(sql`SELECT key FROM rate_hits WHERE key LIKE 'ran:%'`);
    const byJob = written.map((w) => Number(w.key.split(":")[1])).filter((id) => ids.includes(id));
    expect(byJob.sort((x, y) => x - y)).toEqual(ids);
    for (const id of ids) expect((await jobRow(id)).attempts).toBe(1);
    expect(await anyDue(db(), "race-test", now)).toBe(false);
  }, 60_000);

  it("a claim that ran out (its process died) is taken again, and the first holder can no longer finish it", async () => {
    const now = Date.now();
    const { id } = await add("expiry-test", "one", {}, { now });
    const [first] = await claimNow("expiry-test", "dead-process", now, { claimMs: MINUTE });
    expect(first!.id).toBe(id);
    // While the claim runs, nobody else gets it.
    expect(await claimNow("expiry-test", "other", now + MINUTE - 1, { claimMs: MINUTE })).toEqual([]);
    // Once it has run out, another process takes it: a second attempt.
    const [second] = await claimNow("expiry-test", "other", now + MINUTE, { claimMs: MINUTE });
    expect(second).toMatchObject({ id, attempts: 2, claimedBy: "other" });
    // The first holder, back from the dead, has lost it: it cannot finish, renew or fail it.
    expect(await transaction(async (tx) => await finish(tx, first!, "dead-process", now + MINUTE))).toBe(false);
    expect(await transaction(async (tx) => await extendClaim(tx, first!, "dead-process", now + 5 * MINUTE))).toBe(false);
    expect(await transaction(async (tx) => await fail(tx, first!, "dead-process", "late", now + MINUTE))).toBe("lost");
    // The same holder's own older claim is lost too (a claim is its attempt, not only its holder).
    const [third] = await claimNow("expiry-test", "other", now + 3 * MINUTE, { claimMs: MINUTE });
    expect(third!.attempts).toBe(3);
    expect(await transaction(async (tx) => await finish(tx, second!, "other", now + 3 * MINUTE))).toBe(false);
    expect(await transaction(async (tx) => await finish(tx, third!, "other", now + 3 * MINUTE))).toBe(true);
    expect((await jobRow(id)).doneAt).toBe(now + 3 * MINUTE);
  });

  it("a claim kept renewed is not taken", async () => {
    const now = Date.now();
    await add("renew-test", "one", {}, { now });
    const [job] = await claimNow("renew-test", "alive", now, { claimMs: MINUTE });
    expect(await transaction(async (tx) => await extendClaim(tx, job!, "alive", now + 3 * MINUTE))).toBe(true);
    expect(await claimNow("renew-test", "other", now + 2 * MINUTE, { claimMs: MINUTE })).toEqual([]);
  });

  it("a job due later is not claimed before its time; one job can be claimed by id", async () => {
    const now = Date.now();
    const later = await add("due-test", "later", {}, { now, runAfter: now + MINUTE });
    const soon = await add("due-test", "soon", {}, { now });
    expect(await claimNow("due-test", "p", now, { claimMs: MINUTE, id: later.id })).toEqual([]);
    expect((await claimNow("due-test", "p", now, { claimMs: 5 * MINUTE, id: soon.id })).map((j) => j.id)).toEqual([soon.id]);
    expect((await claimNow("due-test", "p", now + MINUTE, { claimMs: MINUTE, limit: 5 })).map((j) => j.id)).toEqual([later.id]);
  });
});

describe("failing", () => {
  it("a failed attempt runs again after a growing wait, and is given up after the last one", async () => {
    const now = Date.now();
    const rule = { firstDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 3 };
    const { id } = await add("fail-test", "one", {}, { now });
    let at = now;
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claimNow("fail-test", "p", at, { claimMs: MINUTE });
      expect(job!.attempts).toBe(attempt);
      outcomes.push(await transaction(async (tx) => await fail(tx, job!, "p", new Error(`boom ${attempt}`), at, { rule })));
      const row = await jobRow(id);
      if (attempt < 3) {
        expect(row.runAfter).toBe(at + 1_000 * 2 ** (attempt - 1));
        // Not before its time.
        expect(await claimNow("fail-test", "p", row.runAfter - 1, { claimMs: MINUTE })).toEqual([]);
        at = row.runAfter;
      }
    }
    expect(outcomes).toEqual(["retry", "retry", "gave up"]);
    expect(await jobRow(id)).toMatchObject({ attempts: 3, doneAt: at, lastError: "boom 3" });
    expect(await claimNow("fail-test", "p", at + 10 * MINUTE, { claimMs: MINUTE })).toEqual([]);
  });

  it("done jobs are pruned after a while; pending ones stay", async () => {
    const now = Date.now();
    const done = await add("prune-test", "done", {}, { now });
    const pending = await add("prune-test", "pending", {}, { now, runAfter: now + MINUTE });
    const [job] = await claimNow("prune-test", "p", now, { claimMs: MINUTE, id: done.id });
    await transaction(async (tx) => await finish(tx, job!, "p", now));
    expect(await transaction(async (tx) => await pruneDoneJobs(tx, now + 1))).toBeGreaterThanOrEqual(1);
    expect(await db().get(sql`SELECT id FROM jobs WHERE id = ${done.id}`)).toBeUndefined();
    expect(await pendingJob(db(), "prune-test", "pending")).toMatchObject({ id: pending.id });
  });
});
