/**
 * The per-process rate limiter: a sliding-window log per (person, action), using the
 * rules in app/domain/rate-limits.ts. Checked at the start of the services that
 * write (before their transaction), with the same `now` the service uses, so tests
 * and the demo seed can move time on by passing `meta.now`.
 *
 * Memory is bounded: each key keeps at most its action's largest `max` timestamps,
 * keys with no hit within the longest window are swept out now and then, and when
 * more than MAX_KEYS keys are live the least recently used are dropped.
 *
 * `RATE_LIMITS=off` (read once, at start) turns every limit off: for benchmarks and
 * load tests. Seeds and the vitest setup turn them off with setRateLimitsEnabled(false);
 * the limiter's own tests turn them back on.
 */
import {
  decide,
  historyNeeded,
  LONGEST_WINDOW_MS,
  RATE_LIMITS,
  retryAfterSeconds,
  tooFastMessage,
  type RateLimitedAction,
} from "~/domain/rate-limits";
import { TooManyRequests } from "./errors";

export const MAX_KEYS = 50_000;
const SWEEP_EVERY = 1_000;

let enabled = process.env.RATE_LIMITS !== "off";
const hitsByKey = new Map<string, number[]>();
let callsSinceSweep = 0;

export function setRateLimitsEnabled(on: boolean) {
  enabled = on;
}

export function rateLimitsEnabled() {
  return enabled;
}

/** Forgets every hit (tests). */
export function resetRateLimits() {
  hitsByKey.clear();
  callsSinceSweep = 0;
}

/** How many keys the limiter holds (tests, and a glance at memory). */
export function rateLimiterSize() {
  return hitsByKey.size;
}

/** Drops keys whose newest hit has left the longest window. */
export function sweepRateLimits(now: number) {
  for (const [key, hits] of hitsByKey) {
    if (hits.length === 0 || hits[hits.length - 1]! <= now - LONGEST_WINDOW_MS) hitsByKey.delete(key);
  }
  callsSinceSweep = 0;
}

/**
 * Counts one attempt by `userId` at `action`, or throws TooManyRequests (nothing
 * counted) when it is over a limit.
 */
export function checkRateLimit(userId: number, action: RateLimitedAction, now: number = Date.now()) {
  if (!enabled) return;
  if (++callsSinceSweep >= SWEEP_EVERY) sweepRateLimits(now);
  const key = `${userId}:${action}`;
  const limits = RATE_LIMITS[action];
  const hits = hitsByKey.get(key) ?? [];
  const decision = decide(hits, limits, now);
  if (!decision.allowed) {
    const seconds = retryAfterSeconds(decision.retryAfterMs);
    throw new TooManyRequests(tooFastMessage(action, seconds), seconds);
  }
  // Keep the log ascending even if a caller's clock went backwards.
  let i = hits.length;
  while (i > 0 && hits[i - 1]! > now) i--;
  hits.splice(i, 0, now);
  const keep = historyNeeded(limits);
  if (hits.length > keep) hits.splice(0, hits.length - keep);
  // Re-insert so Map order is least recently used first.
  hitsByKey.delete(key);
  hitsByKey.set(key, hits);
  if (hitsByKey.size > MAX_KEYS) {
    for (const oldest of hitsByKey.keys()) {
      hitsByKey.delete(oldest);
      if (hitsByKey.size <= MAX_KEYS) break;
    }
  }
}
