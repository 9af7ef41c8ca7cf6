/**
 * Several server processes on one SQLite file (what `npm start` runs, one per core): what one
 * process does, the others see. Each worker is a real separate process with its own connection.
 */
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { tryLease } from "~/coordination/shared.server";
import { backgroundRound } from "~/services/jobs/background.server";
import { requestNetworkRecompute } from "~/services/commands/network.server";
import { latestRun } from "~/services/lookups/synthesis.server";
import { resumeStalledSyntheses, SYNTHESIS_STALLED_MS } from "~/services/jobs/synthesis.server";
import { db } from "~db/client";
import { networkSnapshots, synthesisRuns } from "~db/schema";
import { liveBus, type LiveEvent } from "~/live/bus";
import { makeIdea, makeJam, makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";

const WORKER = "tests/integration/helpers/shared-worker.ts";
type PostResult = { ids: number[]; errors: string[] };

const run = <R>(jobs: unknown[]) => raceWorkers<R>(WORKER, jobs);

const unsubscribe: (() => void)[] = [];
afterEach(() => unsubscribe.splice(0).forEach((u) => u()));

describe("live events across processes", () => {
  it("ideas posted by two other processes reach this process's listeners, each once, in one order, and replay from here", async () => {
    const { jam, challengeIds } = await makeJam();
    const seen: LiveEvent[] = [];
    unsubscribe.push((await liveBus.subscribe(jam.id, (events) => seen.push(...events))));
    const [a, b] = await run<PostResult>([
      { kind: "post", user: await makeUser(), challengeId: challengeIds[0], count: 10, prefix: "a" },
      { kind: "post", user: await makeUser(), challengeId: challengeIds[0], count: 10, prefix: "b" },
    ]);
    expect([...a!.errors, ...b!.errors]).toEqual([]);
    const posted = [...a!.ids, ...b!.ids].sort((x, y) => x - y);
    // Delivered by this process's poll, within a moment.
    await expect.poll(() => seen.filter((e) => e.type === "idea.created").length, { timeout: 3_000 }).toBe(20);
    const created = seen.filter((e) => e.type === "idea.created");
    expect(created.map((e) => e.data.ideaId).sort((x, y) => Number(x) - Number(y))).toEqual(posted);
    // One order: ids rise, and no event came twice.
    expect(seen.map((e) => e.id)).toEqual([...new Set(seen.map((e) => e.id))].sort((x, y) => x - y));
    // A browser reconnecting to this process gets what it missed, whoever published it (all of it:
    // live delivery coalesces the points pings of one turn, a replay does not).
    const replay = (await liveBus.since(jam.id, seen[0]!.id - 1))!;
    expect(replay.map((e) => e.id)).toEqual(expect.arrayContaining(seen.map((e) => e.id)));
    expect(replay.filter((e) => e.type === "idea.created").map((e) => e.id)).toEqual(created.map((e) => e.id));
    // A cache in this process can tell the jam changed elsewhere.
    expect((await liveBus.lastEventId(db(), jam.id))).toBe(seen.at(-1)!.id);
  }, 30_000);

  it("a listener that joins after other processes posted (nobody listened here) gets what happens next, not what came before", async () => {
    const { jam, challengeIds } = await makeJam();
    await liveBus.lastEventId(db(), jam.id); // this process has used the bus, and has no listener
    const [before] = await run<PostResult>([{ kind: "post", user: await makeUser(), challengeId: challengeIds[0], count: 3, prefix: "early" }]);
    const seen: LiveEvent[] = [];
    unsubscribe.push((await liveBus.subscribe(jam.id, (events) => seen.push(...events))));
    const [after] = await run<PostResult>([{ kind: "post", user: await makeUser(), challengeId: challengeIds[0], count: 2, prefix: "late" }]);
    await expect.poll(() => seen.filter((e) => e.type === "idea.created").length, { timeout: 3_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few more polls: nothing older turns up
    const created = seen.filter((e) => e.type === "idea.created").map((e) => e.data.ideaId);
    expect(created).toEqual(after!.ids);
    expect(created.some((id) => before!.ids.includes(id as number))).toBe(false);
  }, 30_000);
});

describe("rate limits across processes", () => {
  it("one person posting from three processes at once gets ten ideas a minute in all, not ten per process", async () => {
    const { challengeIds } = await makeJam();
    const user = await makeUser();
    const results = await run<PostResult>(
      ["x", "y", "z"].map((prefix) => ({ kind: "rate", user, challengeId: challengeIds[0], attempts: 8, prefix })),
    );
    const posted = results.reduce((n, r) => n + r.ids.length, 0);
    expect(posted).toBe(10);
    const refused = results.flatMap((r) => r.errors);
    expect(refused).toHaveLength(14);
    expect(refused.every((e) => e.startsWith("TooManyRequests"))).toBe(true);
  }, 30_000);
});

describe("leases for background work", () => {
  it("four processes asking at once: exactly one holds the lease; it renews, others wait until it expires", async () => {
    const results = await run<{ held: boolean }>(Array.from({ length: 4 }, () => ({ kind: "lease", name: "test-job" })));
    expect(results.filter((r) => r.held)).toHaveLength(1);
    // This process is another holder: refused while the lease runs, given it once it has expired.
    const now = Date.now();
    expect(await tryLease(db(), "test-job", 60_000, now)).toBe(false);
    expect(await tryLease(db(), "test-job", 60_000, now + 61_000)).toBe(true);
    expect(await tryLease(db(), "test-job", 60_000, now + 62_000)).toBe(true); // renewing its own
  }, 30_000);
});

describe("background work runs once, and survives the process that started it", () => {
  it("a synthesis whose process went quiet is taken over by exactly one process and finishes", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const { jam, challengeIds } = await makeJam({ facilitator });
    for (let i = 0; i < 12; i++) await makeIdea(await makeUser(), challengeIds[0]!, { title: `Idea ${i} about ${i % 2 ? "billing invoices" : "packaging waste"}` });
    // A run its process started and then died with: running, last heard from long ago.
    const startedAt = Date.now() - SYNTHESIS_STALLED_MS - 60_000;
    const run = await db()
      .insert(synthesisRuns)
      .values({ jamId: jam.id, status: "running", progress: 40, seed: 2026, startedBy: facilitator.id, startedAt, heartbeatAt: startedAt })
      .returning()
      .get();
    // Two processes looking at once: one claims it (the other finds it claimed).
    const [first, second] = [await resumeStalledSyntheses(), await resumeStalledSyntheses()];
    expect([...first, ...second]).toEqual([run.id]);
    await expect.poll(async () => (await latestRun(db(), jam.id))?.status, { timeout: 20_000 }).toBe("done");
    expect((await latestRun(db(), jam.id))?.versionId).toBeGreaterThan(0);
    // A run still beating is left alone.
    const live = await db()
      .insert(synthesisRuns)
      .values({ jamId: jam.id, status: "running", progress: 10, seed: 2026, startedBy: facilitator.id, startedAt: Date.now(), heartbeatAt: Date.now() })
      .returning()
      .get();
    expect(await resumeStalledSyntheses()).toEqual([]);
    await db().update(synthesisRuns).set({ status: "failed" }).where(eq(synthesisRuns.id, live.id)).run();
  }, 30_000);

  it("a network computation running in another process is followed, not started again", async () => {
    const leader = await makeUser({ role: "leader" });
    const { jam } = await makeJam();
    // Another process's computation: a fresh running row this process did not start.
    const foreign = await db().insert(networkSnapshots).values({ scope: jam.id, status: "running", computedAt: Date.now() }).returning().get();
    const handle = await requestNetworkRecompute(leader, jam.slug);
    expect(handle).toMatchObject({ snapshotId: foreign.id, started: false });
    await db().update(networkSnapshots).set({ status: "done", data: "{}" }).where(eq(networkSnapshots.id, foreign.id)).run();
    await expect(handle.done).resolves.toBe("done");
  });

  it("only the lease holder does a round of background work", async () => {
    const [held] = await run<{ held: boolean }>([{ kind: "lease", name: "background" }]);
    expect(held!.held).toBe(true);
    // That other process holds it: this one does nothing this round.
    expect(await backgroundRound()).toBe(false);
  }, 30_000);
});
