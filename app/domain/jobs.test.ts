import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, nextAttemptAt, retryDelay } from "./jobs";

describe("retrying a failed job", () => {
  const rule = { firstDelayMs: 1_000, maxDelayMs: 10_000, maxAttempts: 6 };

  it("waits twice as long after each failure, up to the ceiling", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, rule))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(retryDelay(10_000, rule)).toBe(10_000);
  });

  it("gives up after the last attempt", () => {
    expect(nextAttemptAt(5, 100, rule)).toBe(100 + 10_000);
    expect(nextAttemptAt(6, 100, rule)).toBeNull();
    expect(nextAttemptAt(DEFAULT_RETRY.maxAttempts - 1, 0)).not.toBeNull();
    expect(nextAttemptAt(DEFAULT_RETRY.maxAttempts, 0)).toBeNull();
  });
});
