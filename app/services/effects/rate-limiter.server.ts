/**
 * The rate limiter: a sliding-window log per (person, action), using the rules in
 * app/domain/rate-limits.ts, counted by every server process alike: each key's recent hits sit
 * in the shared store (app/coordination/shared.server.ts) and are read, decided on and written
 * in one IMMEDIATE transaction, so two processes cannot both let the eleventh idea through.
 * Checked at the start of the services that write (before their transaction), with the same
 * `now` the service uses, so tests and the demo seed can move time on by passing `meta.now`.
 *
 * Storage is bounded: each key keeps at most its action's largest `max` timestamps, and keys
 * with no hit within the longest window are swept out now and then.
 *
 * `RATE_LIMITS=off` (read once, at start) turns the per-person limits and the sign-up limit off,
 * for benchmarks and load tests; the sign-in throttle (`countAttempt`, called from commands/accounts.server.ts)
 * stays on. Seeds and the vitest setup turn them off with setRateLimitsEnabled(false);
 * the limiter's own tests turn them back on.
 */
import { count } from "drizzle-orm";
import { sweepHits, updateHits } from "~/coordination/shared.server";
import {
  decide,
  historyNeeded,
  LONGEST_WINDOW_MS,
  RATE_LIMITS,
  retryAfterSeconds,
  tooFastMessage,
  type RateDecision,
  type RateLimit,
  type RateLimitedAction,
} from "~/domain/rate-limits";
import { db, transaction, type Db } from "~db/client";
import { rateHits } from "~db/schema";
import { TooManyRequests } from "~/services/errors";

const SWEEP_EVERY = 1_000;

let enabled = process.env.RATE_LIMITS !== "off";

let callsSinceSweep = 0;

export function setRateLimitsEnabled(on: boolean) {
  enabled = on;
}

export function rateLimitsEnabled() {
  return enabled;
}

/** Forgets every hit (tests). */
export async function resetRateLimits() {
  await transaction(async (tx) => await tx.delete(rateHits).run());
  callsSinceSweep = 0;
}

/** How many keys the limiter holds (tests, and a glance at its size). */
export async function rateLimiterSize() {
  return (await db().select({ n: count() }).from(rateHits).get())?.n ?? 0;
}

/** Drops keys whose newest hit has left the longest window. */
export async function sweepRateLimits(conn: Db, now: number) {
  await sweepHits(conn, now - LONGEST_WINDOW_MS);
  callsSinceSweep = 0;
}

/** A limit to count an attempt under: its key in the shared store, its windows, and what a refused person reads. */
export interface AttemptCheck {
  key: string;
  limits: readonly RateLimit[];
  message: (retryAfterSeconds: number) => string;
  /**
   * Only refuse when full; count nothing now (the caller counts a failure later with
   * `recordAttempt`). For a limit shared by many people (an address), where counting attempts
   * still in flight would refuse a crowd signing in at the same moment.
   */
  checkOnly?: boolean;
}

/**
 * Counts one attempt under every check at once, in one IMMEDIATE transaction, or under none of
 * them: when a check is full it throws TooManyRequests with that check's message, and nothing is
 * counted. Two processes cannot both take the last slot. Not switched off by RATE_LIMITS=off
 * (callers that should be check `rateLimitsEnabled()`).
 */
export async function countAttempt(checks: readonly AttemptCheck[], now: number = Date.now()) {
  if (++callsSinceSweep >= SWEEP_EVERY) await sweepRateLimits(db(), now);
  await transaction(async (tx) => {
    for (const check of checks) {
      const decision = await updateHits<RateDecision>(tx, check.key, now, (hits) => {
        const verdict = decide(hits, check.limits, now);
        if (!verdict.allowed || check.checkOnly) return { hits: null, result: verdict };
        // Keep the log ascending even if a caller's clock went backwards.
        let i = hits.length;
        while (i > 0 && hits[i - 1]! > now) i--;
        hits.splice(i, 0, now);
        const keep = historyNeeded(check.limits);
        if (hits.length > keep) hits.splice(0, hits.length - keep);
        return { hits, result: verdict };
      });
      if (!decision.allowed) {
        const seconds = retryAfterSeconds(decision.retryAfterMs);
        throw new TooManyRequests(check.message(seconds), seconds); // rolls back the checks counted before it
      }
    }
  });
}

/** Counts an attempt under `key` after the fact (a failure under a `checkOnly` limit). */
export async function recordAttempt(key: string, limits: readonly RateLimit[], at: number) {
  await transaction(async (tx) =>
    await updateHits(tx, key, at, (hits) => {
      let i = hits.length;
      while (i > 0 && hits[i - 1]! > at) i--;
      hits.splice(i, 0, at);
      const keep = historyNeeded(limits);
      if (hits.length > keep) hits.splice(0, hits.length - keep);
      return { hits, result: undefined };
    }),
  );
}

/** Takes back an attempt counted at `at` under each key (it turned out not to count, like a right password). */
export async function uncountAttempt(keys: readonly string[], at: number) {
  await transaction(async (tx) => {
    for (const key of keys) {
      await updateHits(tx, key, at, (hits) => {
        const i = hits.lastIndexOf(at);
        if (i >= 0) hits.splice(i, 1);
        return { hits: i >= 0 ? hits : null, result: undefined };
      });
    }
  });
}

/** Forgets every attempt counted under `key`. */
export async function forgetAttempts(key: string, now: number = Date.now()) {
  await transaction(async (tx) => await updateHits(tx, key, now, () => ({ hits: [], result: undefined })));
}

/**
 * Counts one attempt by `userId` at `action`, or throws TooManyRequests (nothing
 * counted) when it is over a limit.
 */
export async function checkRateLimit(userId: number, action: RateLimitedAction, now: number = Date.now()) {
  if (!enabled) return;
  await countAttempt(
    [
      {
        key: `${userId}:${action}`,
        limits: RATE_LIMITS[action],
        message: (seconds) => tooFastMessage(action, seconds),
      },
    ],
    now,
  );
}
