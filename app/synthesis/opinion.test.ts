import { describe, expect, it } from "vitest";
import { opinionGroups, proportionZ, smoothedProportion, twoProportionZ, type Vote } from "./opinion";

describe("Polis statistics", () => {
  it("smooths proportions with add-one: (count + 1) / (seen + 2)", () => {
    expect(smoothedProportion(3, 4)).toBeCloseTo(4 / 6, 12);
    expect(smoothedProportion(0, 0)).toBe(0.5);
  });

  it("two-proportion z-test (pooled)", () => {
    // 8/10 vs 2/10: pooled 0.5, se = sqrt(0.25 * 0.2) = 0.223607, z = 0.6 / 0.223607.
    expect(twoProportionZ(8, 10, 2, 10)).toBeCloseTo(2.683282, 5);
    expect(twoProportionZ(1, 0, 1, 5)).toBe(0);
  });

  it("one-proportion z against 1/2 with smoothing", () => {
    // (2 * (8 + 1) - (10 + 2)) / sqrt(12)
    expect(proportionZ(8, 10)).toBeCloseTo(6 / Math.sqrt(12), 12);
  });
});

describe("opinionGroups", () => {
  // Ten people agree with 0 and 1 and reject 2 and 3; ten others the opposite.
  // Everyone agrees with 4 and passes on 5. Two votes are missing.
  const A: Vote[] = [1, 1, -1, -1, 1, 0];
  const B: Vote[] = [-1, -1, 1, 1, 1, 0];
  const votes: Vote[][] = [...Array.from({ length: 10 }, () => A.slice()), ...Array.from({ length: 10 }, () => B.slice())];
  votes[3]![1] = null;
  votes[15]![0] = undefined;
  const result = opinionGroups(votes, { seed: 4 });
  const groupOf = (p: number) => result.groups.findIndex((g) => g.members.includes(p));

  it("finds the two camps (k by silhouette), each with its members", () => {
    expect(result.k).toBe(2);
    expect(result.groups.map((g) => g.members.length)).toEqual([10, 10]);
    const a = groupOf(0);
    expect(result.groups[a]!.members).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.silhouette).toBeGreaterThan(0.8);
    // The camps sit on opposite sides of the first component.
    const [ca, cb] = [result.groups[a]!.centre[0], result.groups[1 - a]!.centre[0]];
    expect(Math.sign(ca)).toBe(-Math.sign(cb));
    expect(result.projections).toHaveLength(20);
  });

  it("representative statements: ratio of smoothed agree (or disagree) probabilities, with z-tests", () => {
    const a = groupOf(0);
    const reps = result.representatives[a]!;
    const s2 = reps.find((r) => r.statement === 2)!;
    // Group A rejects 2: 10 of 10 -> 11/12; the rest: 0 of 10 -> 1/12; ratio 11.
    expect(s2.direction).toBe("disagree");
    expect(s2.probability).toBeCloseTo(11 / 12, 12);
    expect(s2.ratio).toBeCloseTo(11, 12);
    expect(s2.zRepresentative).toBeCloseTo(twoProportionZ(11, 12, 1, 12), 12);
    expect(s2.zProbability).toBeCloseTo(proportionZ(10, 10), 12);
    expect(s2.significant).toBe(true);
    // Statement 4 (everyone agrees) and 5 (everyone passes) represent nobody.
    expect(reps.map((r) => r.statement).sort()).toEqual([0, 1, 2, 3]);
  });

  it("group-aware consensus is the product of each group's smoothed agree probability", () => {
    expect(result.consensus.agree[0]).toEqual({ statement: 4, score: (11 / 12) * (11 / 12) });
    // Statements 0-3 are rejected by one camp only. Statement 1 (camp A saw it 9 times, rejected 0; B rejected
    // 10 of 10) scores 1/11 * 11/12 = 1/12, the highest; statement 2 scores 1/12 * 11/12.
    expect(result.consensus.disagree[0]!.statement).toBe(1);
    expect(result.consensus.disagree[0]!.score).toBeCloseTo(1 / 12, 12);
    expect(result.consensus.disagree.find((d) => d.statement === 2)!.score).toBeCloseTo((1 / 12) * (11 / 12), 12);
  });

  it("divisive statements vary most across groups", () => {
    const top = result.divisive.slice(0, 4).map((d) => d.statement).sort();
    expect(top).toEqual([0, 1, 2, 3]);
    // Statement 2: agree rates 1/12 and 11/12 -> variance (5/12)^2.
    expect(result.divisive.find((d) => d.statement === 2)!.score).toBeCloseTo((5 / 12) ** 2, 12);
  });

  it("leaves out people with too few votes and is deterministic", () => {
    const withQuiet: Vote[][] = [...votes, [null, null, 1]];
    const r = opinionGroups(withQuiet, { seed: 4, minVotes: 2 });
    expect(r.unclustered).toEqual([20]);
    expect(r.projections[20]).toBeNull();
    expect(opinionGroups(votes, { seed: 4 })).toEqual(result);
  });
});
