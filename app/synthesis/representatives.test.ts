import { describe, expect, it } from "vitest";
import { mmrRepresentatives, sparseRowCosine } from "./representatives";
import { csrFromRows } from "./sparse";

// Rows 0 and 1 are the same text; row 2 is different; row 3 is less central.
const x = csrFromRows(
  [
    { indices: [0], values: [1] },
    { indices: [0], values: [1] },
    { indices: [1], values: [1] },
    { indices: [2], values: [1] },
  ],
  3,
);

describe("mmrRepresentatives", () => {
  it("takes the most central text, then a different one rather than a duplicate", () => {
    // Second pick, lambda 0.7: row 1 scores 0.7 * 0.89 - 0.3 * 1 = 0.323, row 2 scores 0.7 * 0.6 = 0.42.
    const picked = mmrRepresentatives(x, [0, 1, 2, 3], [0.9, 0.89, 0.6, 0.3], undefined, { count: 2 });
    expect(picked).toEqual([0, 2]);
  });

  it("weights relevance by votes when votes are given", () => {
    // Boost = 1 + 0.5 ln(1 + v) / ln(1 + max): row 2 with the most votes gets 0.6 * 1.5 = 0.9 > 0.9 * 1.0 = row 0's 0.9? tie broken by
    // votes making it strictly larger: row 0 has 0 votes -> 0.9; row 2 has 50 -> 0.9. Use 0.61 to make it strict.
    const picked = mmrRepresentatives(x, [0, 1, 2, 3], [0.9, 0.89, 0.61, 0.3], [0, 0, 50, 0], { count: 1 });
    expect(picked).toEqual([2]);
  });

  it("returns at most the theme's size", () => {
    expect(mmrRepresentatives(x, [3], [0.3], undefined, { count: 3 })).toEqual([3]);
  });

  it("sparse cosine of unit rows", () => {
    expect(sparseRowCosine(x, 0, 1)).toBe(1);
    expect(sparseRowCosine(x, 0, 2)).toBe(0);
  });
});
