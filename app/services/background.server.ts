/**
 * Background work of the server: every minute, whichever server process holds the lease
 * "background" (app/coordination/shared.server.ts) tells the people who took part in a jam that
 * has ended where its results are (once: `sendJamResults` claims each jam in its transaction),
 * recomputes the people network of jams that have ended, picks up syntheses whose process went quiet,
 * queues the jam e-mails the clock brings (app/services/jam-mail.server.ts), reminds reviewers who
 * have not finished a review due soon (reviews.server.ts, once each), deletes audit rows and ended
 * jams past their retention period (retention.server.ts), and sends questions nobody answered in
 * time to the facilitators (questions.server.ts, once per question), and sends each community's weekly
 * digest to its members (community-digest.server.ts, once per member and week). With one process per core, it is
 * done once, not once per process; if the holder dies, another takes over when the lease runs out.
 */
import { tryLease } from "~/coordination/shared.server";
import { db, transaction } from "~db/client";
import { runJamMailings } from "./jam-mail.server";
import { sendJamResults } from "./news.server";
import { recomputeEndedJams } from "./network.server";
import { sendCommunityDigests } from "./community-digest.server";
import { escalateUnanswered } from "./questions.server";
import { applyRetention } from "./retention.server";
import { sendReviewReminders } from "./reviews.server";
import { resumeStalledSyntheses } from "./synthesis.server";

const EVERY_MS = 60_000;
/** Longer than the interval, so the holder renews it before anyone else may take it. */
const LEASE_MS = 90_000;

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
