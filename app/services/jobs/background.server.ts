/**
 * Background work of the server: every minute, whichever server process holds the lease
 * "background" (app/coordination/shared.server.ts) tells the people who took part in a jam that
 * has ended where its results are (once: `sendJamResults` claims each jam in its transaction),
 * recomputes the people network of jams that have ended, picks up syntheses whose process went quiet,
 * queues the jam e-mails the clock brings (jobs/jam-mail.server.ts), reminds reviewers who
 * have not finished a review due soon (commands/reviews.server.ts, once each), deletes audit rows and ended
 * jams past their retention period (commands/retention.server.ts), and sends questions nobody answered in
 * time to the facilitators (commands/questions.server.ts, once per question), and sends each community's weekly
 * digest to its members (jobs/community-digest.server.ts, once per member and week). With one process per core, it is
 * done once, not once per process; if the holder dies, another takes over when the lease runs out.
 *
 * Work that must run exactly once but may be done by any process is a job (app/coordination/
 * jobs.server.ts): the round enqueues the network recompute of ended jams and picks up stalled
 * syntheses, and every process's job runner (`startJobRunner`) claims due jobs every few seconds,
 * so the work is shared between the processes and a job whose process died is taken again.
 */
import { anyDue, pruneDoneJobs } from "~/coordination/jobs.server";
import { tryLease } from "~/coordination/shared.server";
import { db, transaction } from "~db/client";
import { runJamMailings } from "~/services/jobs/jam-mail.server";
import { sendJamResults } from "~/services/jobs/jam-results.server";
import { NETWORK_JOB, recomputeEndedJams, runNetworkJobs } from "~/services/jobs/network.server";
import { sendCommunityDigests } from "~/services/jobs/community-digest.server";
import { escalateUnanswered } from "~/services/commands/questions.server";
import { applyRetention } from "~/services/commands/retention.server";
import { sendReviewReminders } from "~/services/commands/reviews.server";
import { resumeStalledSyntheses, runSynthesisJobs, SYNTHESIS_JOB } from "~/services/jobs/synthesis.server";

const EVERY_MS = 60_000;

/** Longer than the interval, so the holder renews it before anyone else may take it. */
const LEASE_MS = 90_000;

/** How long a done job is kept (to tell what ran, and when). */
const DONE_JOBS_KEPT_MS = 7 * 24 * 3_600_000;

/** How often each process looks for due jobs (one indexed read per kind). */
const JOBS_EVERY_MS = 2_000;

/** One round: does the work when this process holds (or now takes) the lease; says whether it did. */
export async function backgroundRound(now = Date.now()): Promise<boolean> {
  if (!(await tryLease(db(), "background", LEASE_MS, now))) return false;
  for (const [what, work] of [
    ["telling people who took part that a jam ended", async () => await sendJamResults(now)],
    ["network recompute for ended jams", async () => await recomputeEndedJams(now)],
    ["picking up stalled syntheses", async () => await resumeStalledSyntheses(now)],
    ["jam e-mails (openings, pulses, reminders, large invitations)", async () => await runJamMailings(now)],
    ["reminding reviewers before a review is due", async () => await sendReviewReminders(now)],
    ["deleting what is past its retention period", async () => await applyRetention(now)],
    ["questions nobody answered, to the facilitators", async () => await escalateUnanswered(db(), transaction, now)],
    ["communities' weekly digests", async () => await sendCommunityDigests(now)],
    ["deleting done jobs", async () => await transaction(async (tx) => await pruneDoneJobs(tx, now - DONE_JOBS_KEPT_MS))],
  ] as const) {
    try {
      await work();
    } catch (error) {
      console.error(`${what} failed`, error);
    }
  }
  return true;
}

/** Starts the rounds in this process (once; kept across development reloads). */
export function startBackgroundWork() {
  const holder = globalThis as unknown as { __jamboreeBackground?: ReturnType<typeof setInterval> };
  if (holder.__jamboreeBackground) return;
  let running = false;
  holder.__jamboreeBackground = setInterval(() => {
    if (running) return;
    running = true;
    backgroundRound()
      .catch((error: unknown) => console.error("background round failed", error))
      .finally(() => (running = false));
  }, EVERY_MS);
  holder.__jamboreeBackground.unref();
}

/** What each kind of job runs (claiming its due jobs in this process). */
const JOB_RUNNERS: readonly (readonly [string, (now: number) => Promise<unknown>])[] = [
  [SYNTHESIS_JOB, async (now) => await runSynthesisJobs(now)],
  [NETWORK_JOB, async (now) => await runNetworkJobs(now)],
];

/** One look for due jobs of every kind; a kind with none due costs one read. */
export async function jobsRound(now = Date.now()) {
  for (const [kind, run] of JOB_RUNNERS) {
    try {
      if (await anyDue(db(), kind, now)) await run(now);
    } catch (error) {
      console.error(`${kind} jobs failed`, error);
    }
  }
}

/** Starts this process's job runner (once; kept across development reloads). */
export function startJobRunner() {
  const holder = globalThis as unknown as { __jamboreeJobs?: ReturnType<typeof setInterval> };
  if (holder.__jamboreeJobs) return;
  let running = false;
  holder.__jamboreeJobs = setInterval(() => {
    if (running) return;
    running = true;
    jobsRound()
      .catch((error: unknown) => console.error("jobs round failed", error))
      .finally(() => (running = false));
  }, JOBS_EVERY_MS);
  holder.__jamboreeJobs.unref();
}
