import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "~/domain/rate-limits";
import { TooManyRequests } from "~/services/errors";
import {
  checkRateLimit,
  rateLimiterSize,
  rateLimitsEnabled,
  resetRateLimits,
  setRateLimitsEnabled,
  sweepRateLimits,
} from "~/services/effects/rate-limiter.server";
import { db } from "~db/client";
import { refusal } from "../../../tests/support/refusal";

const T0 = 1_700_000_000_000;

describe("the rate limiter", () => {
  beforeEach(async () => {
    setRateLimitsEnabled(true);
    await resetRateLimits();
  });
  afterEach(async () => {
    setRateLimitsEnabled(false);
    await resetRateLimits();
  });

  it("is off in tests unless a test turns it on (RATE_LIMITS=off)", async () => {
    setRateLimitsEnabled(false);
    for (let i = 0; i < 100; i++) await checkRateLimit(1, "idea", T0);
    expect(rateLimitsEnabled()).toBe(false);
    expect(await rateLimiterSize()).toBe(0);
  });

  it("refuses the 11th idea in a minute with the seconds to wait, and counts nothing for it", async () => {
    for (let i = 0; i < 10; i++) await checkRateLimit(1, "idea", T0 + i * 1000);
    const error = await refusal(async () => await checkRateLimit(1, "idea", T0 + 15_000));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(45);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 45 seconds.");
    // Refused attempts are not counted: the slot frees when the first hit leaves the window.
    await expect((async () => await checkRateLimit(1, "idea", T0 + MINUTE))()).resolves.not.toThrow();
  });

  it("keeps people and actions apart", async () => {
    for (let i = 0; i < 10; i++) await checkRateLimit(1, "idea", T0);
    await expect(async () => await checkRateLimit(1, "idea", T0)).rejects.toThrow(TooManyRequests);
    await expect((async () => await checkRateLimit(2, "idea", T0))()).resolves.not.toThrow();
    await expect((async () => await checkRateLimit(1, "comment", T0))()).resolves.not.toThrow();
    await expect((async () => await checkRateLimit(1, "vote", T0))()).resolves.not.toThrow();
  });

  it("stops a steady pace at the hourly limit", async () => {
    // One idea every 55 seconds never trips the minute limit; the 61st within the hour trips the hour limit.
    for (let i = 0; i < 60; i++) await checkRateLimit(1, "idea", T0 + i * 55_000);
    const error = await refusal(async () => await checkRateLimit(1, "idea", T0 + 60 * 55_000));
    expect(error.retryAfterSeconds).toBe(3_600 - 3_300);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 5 minutes.");
  });

  it("sweeps out people who have been quiet for longer than the longest window", async () => {
    await checkRateLimit(1, "idea", T0);
    await checkRateLimit(2, "vote", T0 + 30 * MINUTE);
    expect(await rateLimiterSize()).toBe(2);
    await sweepRateLimits(db(), T0 + 61 * MINUTE);
    expect(await rateLimiterSize()).toBe(1);
    await sweepRateLimits(db(), T0 + 91 * MINUTE);
    expect(await rateLimiterSize()).toBe(0);
  });

});
