import { and, eq, isNull, sql, asc, inArray } from "drizzle-orm";
import { resolve } from "path/posix";
import { Worker } from "worker_threads";
import type { SessionUser } from "~/auth/session.server";
import { claim, finish, type Job, extendClaim, fail, enqueue } from "~/coordination/jobs.server";
import { PROCESS_ID } from "~/coordination/shared.server";
import { forEachInOrder } from "~/domain/in-order";
import { publish } from "~/live/bus";
import { type SynthesisJob, nextVersionNumber } from "~/services/commands/synthesis.server";
import type { SynthesisInput, SynthesisOutput } from "~/synthesis";
import { type Db, transaction, db } from "~db/client";
import { type Jam, ideas, challenges, stanceVotes, synthesisRuns, jams, users, synthesisVersions, themes, themeIdeas } from "~db/schema";

/** The texts (and stance votes) a run works on: visible ideas of the jam or of one challenge. */
async function gatherInput(conn: Db, jam: Jam, challengeId: number | undefined, k: number | undefined, seed: number): Promise<SynthesisInput> {
  const where = and(
    eq(ideas.jamId, jam.id),
    isNull(ideas.hiddenAt),
    challengeId ? eq(ideas.challengeId, challengeId) : undefined,
  );
  const rows = await conn
    .select({
      id: ideas.id,
      title: ideas.title,
      body: ideas.body,
      votes: sql<number>`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}`,
      createdAt: ideas.createdAt,
    })
    .from(ideas)
    .where(where)
    .orderBy(asc(ideas.id))
    .all();
  let stance: SynthesisInput["stance"] = null;
  if (challengeId) {
    const challenge = await conn.select().from(challenges).where(eq(challenges.id, challengeId)).get();
    if (challenge?.voteMode === "stance") {
      const votes = await conn
        .select({ userId: stanceVotes.userId, ideaId: stanceVotes.ideaId, stance: stanceVotes.stance })
        .from(stanceVotes)
        .where(eq(stanceVotes.challengeId, challengeId))
        .all();
      stance = { votes: votes.map((v) => ({ participant: v.userId, ideaId: v.ideaId, value: v.stance === "agree" ? 1 : v.stance === "disagree" ? -1 : 0 })) };
    }
  }
  return {
    ideas: rows.map((r) => ({ id: r.id, text: `${r.title}\n${r.body}`, votes: r.votes, createdAt: r.createdAt })),
    k,
    seed,
    stance,
  };
}

/**
 * Runs the engine in a worker thread (its TypeScript source loaded through tsx,
 * a runtime dependency; the app runs from its project folder), reporting
 * progress; resolves with its result.
 */
export function runInWorker(input: SynthesisInput, onProgress: (progress: number) => void | Promise<void>): Promise<SynthesisOutput> {
  const file = resolve("app/workers/theme-worker.mjs");
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(file, { workerData: input });
    // Progress is written one report at a time, in order, and the result waits for the last write:
    // a write still on its way when the run's final transaction commits would find its claim gone.
    let written: Promise<void> = Promise.resolve();
    worker.on("message", (message: { type: string; progress?: number; result?: SynthesisOutput; error?: string }) => {
      // A progress write that fails is only a stale bar: the run goes on.
      if (message.type === "progress" && typeof message.progress === "number") {
        const progress = message.progress;
        written = written.then(async () => await onProgress(progress)).catch((error: unknown) => console.error("synthesis progress not saved", error));
      } else if (message.type === "done" && message.result) {
        const result = message.result;
        void written.then(() => resolvePromise(result));
      } else if (message.type === "error") reject(new Error(message.error));
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (code !== 0) reject(new Error(`theme worker stopped with code ${code}`));
    });
  });
}

/** The job of a synthesis run. */
export const SYNTHESIS_JOB = "synthesis";

/** Synthesis runs this process is running now (it takes no more from the queue while one runs). */
let runningHere = 0;

/** The claim on a run's job was lost (it ran out and another process took the run over). */
class ClaimLost extends Error {}

/**
 * Claims due synthesis jobs (the one job `id`, or one from the queue when this process runs none)
 * and runs them; returns their runs' ids. `wait` resolves when they have finished.
 */
export async function runSynthesisJobs(now = Date.now(), options: { id?: number; wait?: boolean; holder?: string } = {}): Promise<number[]> {
  if (options.id === undefined && runningHere > 0) return [];
  const holder = options.holder ?? PROCESS_ID;
  const claimed = await transaction(async (tx) => await claim<SynthesisJob>(tx, SYNTHESIS_JOB, holder, now, { limit: 1, claimMs: SYNTHESIS_STALLED_MS, id: options.id }));
  const started: number[] = [];
  const works: Promise<void>[] = [];
  for (const job of claimed) {
    const run = await db().select().from(synthesisRuns).where(eq(synthesisRuns.id, job.payload.runId)).get();
    const jam = run && (await db().select().from(jams).where(eq(jams.id, run.jamId)).get());
    const starter = run && (await db().select().from(users).where(eq(users.id, run.startedBy)).get());
    if (!run || !jam || !starter || (run.status !== "queued" && run.status !== "running")) {
      // Nothing left to run (the run ended, or its jam was deleted).
      await transaction(async (tx) => await finish(tx, job, holder, Date.now()));
      continue;
    }
    const actor: SessionUser = { id: starter.id, name: starter.name, email: starter.email, role: starter.role, departmentId: starter.departmentId };
    runningHere += 1;
    const work: Promise<void> = (async () => {
      try {
        await execute(run.id, jam, actor, await gatherInput(db(), jam, run.challengeId ?? undefined, run.requestedK ?? undefined, run.seed), job, holder);
      } finally {
        runningHere -= 1;
      }
    })();
    works.push(work);
    started.push(run.id);
  }
  if (options.wait) await Promise.all(works);
  else for (const work of works) work.catch((error: unknown) => console.error("synthesis run failed", error));
  return started;
}

/** A run whose process has not been heard from for this long is taken over by another (see resumeStalledSyntheses). */
export const SYNTHESIS_STALLED_MS = 2 * 60_000;

const HEARTBEAT_MS = 10_000;

async function execute(runId: number, jam: Jam, actor: SessionUser, input: SynthesisInput, job: Job, holder: string) {
  let lastWrite = 0;
  // Each heartbeat renews the job's claim too: while it beats, no other process takes the run.
  const beat = async (progress?: number) =>
    await transaction(async (tx) => {
      const at = Date.now();
      if (!(await extendClaim(tx, job, holder, at + SYNTHESIS_STALLED_MS))) throw new ClaimLost("another process took this synthesis over");
      await tx.update(synthesisRuns).set(progress === undefined ? { heartbeatAt: at } : { progress, heartbeatAt: at }).where(eq(synthesisRuns.id, runId)).run();
    });
  const heartbeat = setInterval(() => void beat().catch((error: unknown) => console.error("synthesis heartbeat not saved", error)), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    await beat(0);
    const output = await runInWorker(input, async (progress) => {
      const at = Date.now();
      if (at - lastWrite < 200 && progress < 100) return;
      lastWrite = at;
      await beat(Math.round(progress));
    });
    await transaction(async (tx) => {
      // Only while this process still holds the run: a run taken over is written by its new holder.
      if (!(await finish(tx, job, holder, Date.now()))) throw new ClaimLost("another process took this synthesis over");
      const versionId = await writeVersion(tx, jam.id, input, output, actor.id, runId);
      await tx.update(synthesisRuns)
        .set({ status: "done", progress: 100, finishedAt: Date.now(), versionId })
        .where(eq(synthesisRuns.id, runId))
        .run();
      await publish(tx, jam.id, "jam.changed", { synthesis: versionId });
    });
  } catch (error) {
    if (error instanceof ClaimLost) return;
    // The engine's failure is the run's result: the job is done (given up), not tried again.
    await transaction(async (tx) => {
      if ((await fail(tx, job, holder, error, Date.now(), { giveUp: true })) === "lost") return;
      await tx
        .update(synthesisRuns)
        .set({ status: "failed", finishedAt: Date.now(), error: error instanceof Error ? error.message : String(error) })
        .where(eq(synthesisRuns.id, runId))
        .run();
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Runs whose process went quiet (it died, or the machine restarted) start again here, run afresh
 * from the jam's ideas as they are now: a run's job whose claim ran out is claimed again (by one
 * process only), and a stalled run without a pending job (one from before runs were jobs) gets
 * one. Called by the background work (app/services/jobs/background.server.ts); every process's job
 * runner takes them too.
 */
export async function resumeStalledSyntheses(now = Date.now()): Promise<number[]> {
  const stale = now - SYNTHESIS_STALLED_MS;
  const stalled = await db()
    .select({ id: synthesisRuns.id })
    .from(synthesisRuns)
    .where(and(inArray(synthesisRuns.status, ["queued", "running"]), sql`coalesce(${synthesisRuns.heartbeatAt}, ${synthesisRuns.startedAt}) < ${stale}`))
    .all();
  if (stalled.length > 0) {
    await transaction(async (tx) => {
      for (const run of stalled) await enqueue(tx, SYNTHESIS_JOB, String(run.id), { runId: run.id } satisfies SynthesisJob, { now });
    });
  }
  return await runSynthesisJobs(now);
}

async function writeVersion(tx: Db, jamId: number, input: SynthesisInput, output: SynthesisOutput, userId: number, runId: number) {
  const run = await tx.select().from(synthesisRuns).where(eq(synthesisRuns.id, runId)).get();
  const version = await tx
    .insert(synthesisVersions)
    .values({
      jamId,
      challengeId: run?.challengeId ?? null,
      number: await nextVersionNumber(tx, jamId),
      kind: "generated",
      opinions: output.opinions ? JSON.stringify(output.opinions) : null,
      createdBy: userId,
      createdAt: Date.now(),
    })
    .returning()
    .get();
  const known = new Set(input.ideas.map((i) => i.id));
  // Top-level themes come before their sub-themes in the output, so a parent's row exists first.
  const ids: number[] = [];
  await forEachInOrder(output.themes, async (theme, position) => {
    const row = await tx
      .insert(themes)
      .values({
        versionId: version.id,
        label: theme.title,
        summary: theme.summary,
        keywords: JSON.stringify(theme.keywords),
        representatives: JSON.stringify(theme.representativeIds),
        isOther: theme.isOther,
        position,
        parentId: theme.parent === null ? null : (ids[theme.parent] ?? null),
      })
      .returning({ id: themes.id })
      .get();
    ids.push(row.id);
    for (const ideaId of theme.ideaIds) {
      if (!known.has(ideaId)) continue;
      const [x, y] = output.coords[ideaId] ?? [0, 0];
      await tx.insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: row.id, x, y }).run();
    }
  });
  return version.id;
}
