/**
 * A separate server-like process on the test's database file, for
 * shared-across-processes.test.ts: posts ideas (live events), counts rate-limited
 * attempts, or tries a lease, then reports.
 *
 * argv[2]: JSON, one of
 *   {"kind": "post", "user": SessionUser, "challengeId": number, "count": number, "prefix": string}
 *   {"kind": "rate", "user": SessionUser, "challengeId": number, "attempts": number, "prefix": string}
 *   {"kind": "lease", "name": string}
 *   {"kind": "streams", "userId": number, "count": number, "ttlMs": number}: registers live
 *     streams for ttlMs from when it runs (it reports until when) and ends without closing them,
 *     as a process that dies does
 */
import type { SessionUser } from "~/auth/session.server";
import { db } from "~db/client";
import { openStreamSlot, tryLease } from "~/coordination/shared.server";
import { LIVE_STREAMS_PER_PERSON } from "~/services/pages/live.server";
import { postIdea } from "~/services/commands/ideas.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { awaitStart, describeError, report } from "./worker";
import { mapInOrder } from "~/domain/in-order";

type Job =
  | { kind: "post"; user: SessionUser; challengeId: number; count: number; prefix: string }
  | { kind: "rate"; user: SessionUser; challengeId: number; attempts: number; prefix: string }
  | { kind: "lease"; name: string }
  | { kind: "streams"; userId: number; count: number; ttlMs: number };

const job = await awaitStart<Job>();
if (job.kind === "lease") {
  report({ held: await tryLease(db(), job.name, 60_000) });
} else if (job.kind === "streams") {
  // The registrations' time runs from now, however long this process took to start.
  const now = Date.now();
  const slots = await mapInOrder(Array.from({ length: job.count }), async () => await openStreamSlot(job.userId, LIVE_STREAMS_PER_PERSON, job.ttlMs, now));
  report({ slots, expiresAt: now + job.ttlMs });
} else {
  setRateLimitsEnabled(job.kind === "rate");
  const n = job.kind === "post" ? job.count : job.attempts;
  const ids: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < n; i++) {
    try {
      const idea = await postIdea(job.user, {
        challengeId: job.challengeId,
        title: `${job.prefix} idea number ${i}`,
        body: "Posted from another process.",
        clientKey: `process-${job.prefix}-${i}`,
      });
      ids.push(idea.id);
    } catch (error) {
      errors.push(describeError(error));
    }
  }
  report({ ids, errors });
}
