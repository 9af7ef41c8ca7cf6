import { describe, expect, it } from "vitest";
import { decide, HOUR, MINUTE, RATE_LIMITS, retryAfterSeconds, tooFastMessage, type RateLimit } from "./rate-limits";

const perMinute: RateLimit[] = [{ windowMs: MINUTE, max: 3 }];

describe("rate limit rules", () => {
  it("are far above what a person does by hand", () => {
    expect(RATE_LIMITS.idea).toEqual([
      { windowMs: MINUTE, max: 10 },
      { windowMs: HOUR, max: 60 },
    ]);
    for (const limits of Object.values(RATE_LIMITS)) {
      for (const l of limits) expect(l.max).toBeGreaterThanOrEqual(10);
    }
  });

  it("allows attempts while the window holds fewer than max hits", () => {
    expect(decide([], perMinute, 1_000)).toEqual({ allowed: true });
    expect(decide([0, 1, 2].map((s) => s * 1000), perMinute.map((l) => ({ ...l, max: 4 })), 3_000)).toEqual({ allowed: true });
  });

  it("refuses the max+1th attempt and says how long until the oldest hit leaves the window", () => {
    const hits = [10_000, 20_000, 30_000];
    expect(decide(hits, perMinute, 40_000)).toEqual({ allowed: false, retryAfterMs: 30_000, limit: perMinute[0] });
  });

  it("treats the window as open at its start: a hit exactly windowMs old no longer counts", () => {
    const hits = [10_000, 20_000, 30_000];
    expect(decide(hits, perMinute, 10_000 + MINUTE - 1)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(decide(hits, perMinute, 10_000 + MINUTE)).toEqual({ allowed: true });
  });

  it("only counts the hits inside the window", () => {
    const hits = [0, 1_000, 70_000, 71_000];
    expect(decide(hits, perMinute, 72_000)).toEqual({ allowed: true });
  });

  it("reports the longest wait when several windows are full", () => {
    const limits: RateLimit[] = [
      { windowMs: MINUTE, max: 3 },
      { windowMs: HOUR, max: 4 },
    ];
    // Four hits in the hour (the first long ago), three in the last minute.
    const hits = [0, 100_000, 110_000, 120_000];
    const decision = decide(hits, limits, 130_000);
    expect(decision).toMatchObject({ allowed: false, retryAfterMs: HOUR - 130_000, limit: limits[1] });
    // Once the minute has passed, the hour still refuses.
    expect(decide(hits, limits, 200_000)).toMatchObject({ allowed: false, retryAfterMs: HOUR - 200_000 });
    expect(decide(hits, limits, HOUR)).toEqual({ allowed: true });
  });

  it("counts hits from a clock that went backwards as inside the window", () => {
    expect(decide([50_000, 60_000, 70_000], perMinute, 40_000)).toMatchObject({ allowed: false });
  });

  it("rounds the wait up to whole seconds, at least one", () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_000)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });

  it("explains the refusal in words", () => {
    expect(tooFastMessage("idea", 42)).toBe("You're posting ideas very fast. Try again in 42 seconds.");
    expect(tooFastMessage("comment", 1)).toBe("You're commenting very fast. Try again in 1 second.");
    expect(tooFastMessage("vote", 1800)).toBe("You're voting very fast. Try again in 30 minutes.");
  });
});
