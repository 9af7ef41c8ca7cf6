import { describe, expect, it } from "vitest";
import { assignFromPool, canMoveTo, DISAGREEMENT_SD, rankIdeas, reminderDue, reviewerScore, stageNotice } from "./evaluation";

const C = [
  { id: 1, weight: 2 },
  { id: 2, weight: 1 },
  { id: 3, weight: 1 },
];
const s = (ideaId: number, reviewerId: number, criterionId: number, score: number) => ({ ideaId, reviewerId, criterionId, score });

describe("reviewerScore", () => {
  it("is the weighted mean of the criteria scored", () => {
    expect(reviewerScore(new Map(C.map((c) => [c.id, c.weight])), [{ criterionId: 1, score: 5 }, { criterionId: 2, score: 1 }, { criterionId: 3, score: 3 }])).toBe(3.5);
  });
  it("renormalises the weights over the criteria scored (a missing one is not a zero)", () => {
    expect(reviewerScore(new Map(C.map((c) => [c.id, c.weight])), [{ criterionId: 1, score: 4 }, { criterionId: 2, score: 1 }])).toBe(3);
  });
  it("ignores unknown criteria and scores outside 1 to 5, and is null with nothing left", () => {
    const w = new Map(C.map((c) => [c.id, c.weight]));
    expect(reviewerScore(w, [{ criterionId: 9, score: 5 }, { criterionId: 1, score: 0 }, { criterionId: 2, score: 6 }])).toBeNull();
    expect(reviewerScore(w, [{ criterionId: 9, score: 1 }, { criterionId: 3, score: 4 }])).toBe(4);
  });
});

describe("rankIdeas", () => {
  it("averages the reviewers' weighted means and leaves out a reviewer who scored nothing", () => {
    const [top] = rankIdeas([10], C, [s(10, 1, 1, 5), s(10, 1, 2, 5), s(10, 1, 3, 5), s(10, 2, 1, 3), s(10, 2, 2, 3), s(10, 2, 3, 3), s(10, 3, 9, 1)]);
    expect(top).toMatchObject({ ideaId: 10, rank: 1, score: 4, sd: 1, min: 3, max: 5 });
    expect(top!.reviewers.map((r) => r.reviewerId)).toEqual([1, 2]);
  });

  it("flags disagreement at the documented threshold, never for one reviewer", () => {
    expect(DISAGREEMENT_SD).toBe(1);
    const [a, b, c] = [
      rankIdeas([1], C, [s(1, 1, 1, 1), s(1, 2, 1, 3)])[0]!,
      rankIdeas([1], C, [s(1, 1, 1, 2), s(1, 2, 1, 3)])[0]!,
      rankIdeas([1], C, [s(1, 1, 1, 1)])[0]!,
    ];
    expect([a.sd, a.disagreed]).toEqual([1, true]);
    expect([b.sd, b.disagreed]).toEqual([0.5, false]);
    expect([c.sd, c.disagreed]).toEqual([0, false]);
  });

  it("breaks ties by more reviewers, then smaller spread, then the older idea; unscored ideas last", () => {
    const scores = [
      // 7: 4.0 from two reviewers who agree
      s(7, 1, 1, 4),
      s(7, 2, 1, 4),
      // 5: 4.0 from two reviewers who disagree (3 and 5)
      s(5, 1, 1, 3),
      s(5, 2, 1, 5),
      // 6: 4.0 from one reviewer
      s(6, 1, 1, 4),
      // 4 and 3: 4.0 from two reviewers who agree (same as 7): the older (lower id) first
      s(4, 1, 1, 4),
      s(4, 2, 1, 4),
      s(3, 1, 1, 4),
      s(3, 2, 1, 4),
      // 2: best
      s(2, 1, 1, 5),
    ];
    const ranked = rankIdeas([9, 8, 7, 6, 5, 4, 3, 2], C, scores);
    expect(ranked.map((r) => r.ideaId)).toEqual([2, 3, 4, 7, 5, 6, 8, 9]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ranked.at(-1)).toMatchObject({ score: null, sd: null, disagreed: false });
  });

  it("treats the same mean reached by different sums as a tie", () => {
    // 10/3 one way and (3 + 4 + 3)/3 another.
    const ranked = rankIdeas([2, 1], [{ id: 1, weight: 1 }, { id: 2, weight: 1 }, { id: 3, weight: 1 }], [
      s(1, 1, 1, 3), s(1, 1, 2, 4), s(1, 1, 3, 3),
      s(2, 1, 1, 4), s(2, 1, 2, 3), s(2, 1, 3, 3),
    ]);
    expect(ranked.map((r) => r.ideaId)).toEqual([1, 2]);
    expect(ranked[0]!.score).toBe(ranked[1]!.score);
  });
});

describe("assignFromPool", () => {
  it("gives each idea N reviewers, never its author, with balanced loads", () => {
    const ideas = [1, 2, 3, 4, 5, 6].map((id) => ({ id, conflicts: [100 + (id % 3)], assigned: [] }));
    const { assignments, short } = assignFromPool(ideas, [100, 101, 102], 2);
    expect(short).toEqual([]);
    for (const idea of ideas) {
      const mine = assignments.filter((a) => a.ideaId === idea.id).map((a) => a.reviewerId);
      expect(mine).toHaveLength(2);
      expect(mine).not.toContain(idea.conflicts[0]);
    }
    const load = [100, 101, 102].map((r) => assignments.filter((a) => a.reviewerId === r).length);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
  });

  it("counts earlier load, keeps existing reviewers, and reports ideas it cannot fill", () => {
    const { assignments, short } = assignFromPool([{ id: 1, conflicts: [2], assigned: [1] }, { id: 2, conflicts: [], assigned: [] }], [1, 2, 3], 3, new Map([[3, 5]]));
    expect(assignments).toEqual([
      { ideaId: 1, reviewerId: 3 },
      { ideaId: 2, reviewerId: 1 },
      { ideaId: 2, reviewerId: 2 },
      { ideaId: 2, reviewerId: 3 },
    ]);
    expect(short).toEqual([{ ideaId: 1, missing: 1 }]);
  });
});

describe("stages", () => {
  it("moves forward only, and selected is final", () => {
    expect(canMoveTo("in_review", "shortlisted")).toBe(true);
    expect(canMoveTo("not_selected", "selected")).toBe(true);
    expect(canMoveTo("selected", "not_selected")).toBe(false);
    expect(canMoveTo("shortlisted", "in_review")).toBe(false);
  });
  it("tells an anonymous idea's author it is their anonymous idea, and gives the reason", () => {
    expect(stageNotice({ stage: "not_selected", ideaTitle: "X", reviewTitle: "R", reason: "Too costly", anonymous: true })).toBe(
      "Your anonymous idea “X” was not selected in “R”. Reason: Too costly",
    );
  });
  it("reminds from a day before the due day ends", () => {
    const day = Date.UTC(2030, 5, 30);
    expect(reminderDue(day, day - 1)).toBe(false);
    expect(reminderDue(day, day)).toBe(true);
    expect(reminderDue(null, day)).toBe(false);
  });
});
