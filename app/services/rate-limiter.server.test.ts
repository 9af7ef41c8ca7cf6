import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "~/domain/rate-limits";
import { TooManyRequests } from "./errors";
import {
  checkRateLimit,
  rateLimiterSize,
  rateLimitsEnabled,
  resetRateLimits,
  setRateLimitsEnabled,
  sweepRateLimits,
} from "./rate-limiter.server";
import { db } from "~db/client";

const T0 = 1_700_000_000_000;

function refusal(fn: () => void): TooManyRequests {
  try {
    fn();
  } catch (error) {
    if (error instanceof TooManyRequests) return error;
    throw error;
  }
  throw new Error("expected TooManyRequests");
}

describe("the rate limiter", () => {
  beforeEach(() => {
    setRateLimitsEnabled(true);
    resetRateLimits();
  });
  afterEach(() => {
    setRateLimitsEnabled(false);
    resetRateLimits();
  });

  it("is off in tests unless a test turns it on (RATE_LIMITS=off)", () => {
    setRateLimitsEnabled(false);
    for (let i = 0; i < 100; i++) checkRateLimit(1, "idea", T0);
    expect(rateLimitsEnabled()).toBe(false);
    expect(rateLimiterSize()).toBe(0);
  });

  it("refuses the 11th idea in a minute with the seconds to wait, and counts nothing for it", () => {
    for (let i = 0; i < 10; i++) checkRateLimit(1, "idea", T0 + i * 1000);
    const error = refusal(() => checkRateLimit(1, "idea", T0 + 15_000));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(45);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 45 seconds.");
    // Refused attempts are not counted: the slot frees when the first hit leaves the window.
    expect(() => checkRateLimit(1, "idea", T0 + MINUTE)).not.toThrow();
  });

  it("keeps people and actions apart", () => {
    for (let i = 0; i < 10; i++) checkRateLimit(1, "idea", T0);
    expect(() => checkRateLimit(1, "idea", T0)).toThrow(TooManyRequests);
    expect(() => checkRateLimit(2, "idea", T0)).not.toThrow();
    expect(() => checkRateLimit(1, "comment", T0)).not.toThrow();
    expect(() => checkRateLimit(1, "vote", T0)).not.toThrow();
  });

  it("stops a steady pace at the hourly limit", () => {
    // One idea every 55 seconds never trips the minute limit; the 61st within the hour trips the hour limit.
    for (let i = 0; i < 60; i++) checkRateLimit(1, "idea", T0 + i * 55_000);
    const error = refusal(() => checkRateLimit(1, "idea", T0 + 60 * 55_000));
    expect(error.retryAfterSeconds).toBe(3_600 - 3_300);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 5 minutes.");
  });

  it("sweeps out people who have been quiet for longer than the longest window", () => {
    checkRateLimit(1, "idea", T0);
    checkRateLimit(2, "vote", T0 + 30 * MINUTE);
    expect(rateLimiterSize()).toBe(2);
    sweepRateLimits(db(), T0 + 61 * MINUTE);
    expect(rateLimiterSize()).toBe(1);
    sweepRateLimits(db(), T0 + 91 * MINUTE);
    expect(rateLimiterSize()).toBe(0);
  });

});
