import { describe, expect, it } from "vitest";
import { adjustedRandIndex, clusteringAccuracy, hungarian, nmi } from "./metrics";

describe("hungarian", () => {
  it("finds the cheapest one-to-one assignment", () => {
    // Worked by hand: rows 0,1,2 -> columns 1,0,2 cost 1 + 2 + 2 = 5 (the next best costs 6).
    expect(hungarian([[4, 1, 3], [2, 0, 5], [3, 2, 2]])).toEqual([1, 0, 2]);
  });

  it("handles rectangular matrices", () => {
    expect(hungarian([[5, 1, 9]])).toEqual([1]);
    const wide = hungarian([[1], [0], [3]]);
    expect(wide.filter((c) => c === 0)).toHaveLength(1);
    expect(wide[1]).toBe(0);
  });
});

describe("nmi and accuracy", () => {
  it("score 1 for the same partition under any naming", () => {
    expect(nmi([0, 0, 1, 1, 2], [7, 7, 3, 3, -1])).toBeCloseTo(1, 12);
    expect(clusteringAccuracy([0, 0, 1, 1, 2], [7, 7, 3, 3, -1])).toBe(1);
  });

  it("match a small case worked by hand", () => {
    // truth [0,0,1,1], predicted [0,0,0,1]: MI = 0.215762, H(t) = ln 2, H(p) = 0.562335.
    expect(nmi([0, 0, 1, 1], [0, 0, 0, 1])).toBeCloseTo(0.215762 / ((Math.LN2 + 0.562335) / 2), 5);
    expect(clusteringAccuracy([0, 0, 1, 1], [0, 0, 0, 1])).toBe(0.75);
  });

  it("count an Other label as its own cluster", () => {
    // Setting texts aside (-1) is not free: accuracy only credits one cluster per class.
    expect(clusteringAccuracy([0, 0, 1, 1], [0, -1, 1, -1])).toBe(0.5);
  });

  it("give 0 to a partition that says nothing", () => {
    expect(nmi([0, 0, 1, 1], [5, 5, 5, 5])).toBe(0);
  });
});

describe("adjustedRandIndex", () => {
  it("is 1 for equal partitions and about 0 or below for unrelated ones", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThanOrEqual(0);
  });
});
