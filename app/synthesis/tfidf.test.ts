import { describe, expect, it } from "vitest";
import { buildTfidf, smoothIdf } from "./tfidf";

function row(result: ReturnType<typeof buildTfidf>, r: number): Record<string, number> {
  const { matrix, vocab } = result;
  const out: Record<string, number> = {};
  for (let q = matrix.indptr[r]!; q < matrix.indptr[r + 1]!; q++) out[vocab.terms[matrix.indices[q]!]!] = matrix.data[q]!;
  return out;
}

describe("buildTfidf", () => {
  // Worked by hand: n = 3; df(apple) = df(banana) = 2, df(cherry) = 1.
  // idf = ln(4 / 3) + 1 = 1.287682 (apple, banana), ln(4 / 2) + 1 = 1.693147 (cherry).
  const texts = ["apple banana", "apple cherry", "banana banana"];
  const result = buildTfidf(texts, { bigrams: false, stem: false, minDf: 1, maxDfRatio: 1 });

  it("computes smooth idf", () => {
    expect(smoothIdf(3, 2)).toBeCloseTo(1.287682, 6);
    expect(smoothIdf(3, 1)).toBeCloseTo(1.693147, 6);
    expect([...result.vocab.df]).toEqual([2, 2, 1]);
    expect(result.vocab.terms).toEqual(["apple", "banana", "cherry"]);
  });

  it("weights (1 + ln tf) * idf and scales rows to unit length", () => {
    // Row 0: equal weights -> 1/sqrt(2) each.
    expect(row(result, 0).apple).toBeCloseTo(Math.SQRT1_2, 6);
    expect(row(result, 0).banana).toBeCloseTo(Math.SQRT1_2, 6);
    // Row 1: (1.287682, 1.693147) / 2.127183.
    expect(row(result, 1).apple).toBeCloseTo(0.605349, 5);
    expect(row(result, 1).cherry).toBeCloseTo(0.795961, 5);
    // Row 2: one term (tf 2 -> 1 + ln 2), alone it normalises to 1; the raw count is kept.
    expect(row(result, 2)).toEqual({ banana: 1 });
    expect(result.counts[result.matrix.indptr[2]!]).toBe(2);
  });

  it("drops terms below min-df and above max-df, and keeps empty rows empty", () => {
    const r = buildTfidf(["red apple", "red pear", "red plum", "green apple", "..."], { bigrams: false, minDf: 2, maxDfRatio: 0.5 });
    // "red" is in 3 of 5 texts (> 50 %), pear / plum / green in one.
    expect(r.vocab.terms).toEqual(["appl"]);
    expect(r.matrix.indptr[5]! - r.matrix.indptr[4]!).toBe(0);
  });

  it("adds bigrams with their most frequent surface form", () => {
    const r = buildTfidf(["help centre articles", "the help centre", "Help Centre search"], { minDf: 2, maxDfRatio: 1 });
    const id = r.vocab.index.get("help centr");
    expect(id).toBeDefined();
    expect(r.vocab.surfaces[id!]).toBe("help centre");
    expect(r.vocab.isBigram[id!]).toBe(1);
    expect(r.vocab.df[id!]).toBe(3);
  });
});
