/**
 * When a background job that failed is tried again (app/coordination/jobs.server.ts): after a
 * delay that doubles with each attempt, up to a ceiling, and not at all after the last attempt.
 */
export interface RetryRule {
  /** The wait after the first failed attempt. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** Attempts in all (the first one included); after the last failure the job is given up. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryRule = { firstDelayMs: 30_000, maxDelayMs: 60 * 60_000, maxAttempts: 5 };

/** The wait before the next attempt once `attempts` attempts have failed. */
export function retryDelay(attempts: number, rule: RetryRule = DEFAULT_RETRY): number {
  const doublings = Math.max(0, attempts - 1);
  // 2 ** 40 is far past any ceiling; capping the exponent keeps the number finite.
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(doublings, 40));
}

/** When a job that has failed `attempts` times runs next, or null when it is given up. */
export function nextAttemptAt(attempts: number, now: number, rule: RetryRule = DEFAULT_RETRY): number | null {
  if (attempts >= rule.maxAttempts) return null;
  return now + retryDelay(attempts, rule);
}
