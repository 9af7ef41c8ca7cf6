import { describe, expect, it } from "vitest";
import { candidateScore, questionStatus, rankCandidates } from "./questions";

const none = { ideas: 0, crossSupporters: 0, sameSupporters: 0, acceptedAnswers: 0, themeEngagement: 0 };

describe("ranking the people who know", () => {
  it("weighs support from other departments twice", () => {
    expect(candidateScore({ ...none, ideas: 1, crossSupporters: 2, sameSupporters: 2 })).toBe(7);
  });
  it("keeps only people with something to show, best first, ties by id", () => {
    const ranked = rankCandidates([
      { id: 3, facts: { ...none, ideas: 1 } },
      { id: 1, facts: none },
      { id: 2, facts: { ...none, ideas: 1 } },
      { id: 9, facts: { ...none, acceptedAnswers: 1 } },
    ]);
    expect(ranked.map((p) => p.id)).toEqual([9, 2, 3]);
  });
  it("says where a question stands", () => {
    expect(questionStatus({ acceptedAnswerId: null, answers: 0 })).toBe("open");
    expect(questionStatus({ acceptedAnswerId: null, answers: 2 })).toBe("answered");
    expect(questionStatus({ acceptedAnswerId: 4, answers: 2 })).toBe("accepted");
  });
});
