import { describe, expect, it } from "vitest";
import {
  addDotRefusal,
  allocationRefusal,
  canAllocate,
  dotSettingsChangeRefusal,
  dotSettingsRefusal,
  dotsLeft,
  isStance,
  isVoteMode,
  modeAllows,
  modeChangeRefusal,
  modeRefusal,
  RANKING_COUNTER,
  stanceDelta,
  stanceShares,
  stanceTotal,
  STANCES,
  VOTE_MODE_LABELS,
  VOTE_MODES,
} from "./vote-modes";

describe("modes", () => {
  it("each mode allows exactly its own action", () => {
    for (const mode of VOTE_MODES) {
      for (const action of VOTE_MODES) {
        expect(modeAllows(mode, action)).toBe(mode === action);
        expect(modeRefusal(mode, action) === null).toBe(mode === action);
      }
    }
  });

  it("a refusal names the mode the challenge uses and the action refused", () => {
    expect(modeRefusal("stance", "support")).toBe(
      "This challenge votes by agreeing, disagreeing or passing; support votes are not used here.",
    );
    expect(modeRefusal("support", "dots")).toBe("This challenge votes with support votes; dots are not used here.");
    expect(modeRefusal("dots", "stance")).toMatch(/with dots; agree \/ disagree \/ pass votes are not used/);
  });

  it("every mode has a label and ranks by its own counter", () => {
    expect(Object.keys(VOTE_MODE_LABELS)).toEqual([...VOTE_MODES]);
    expect(RANKING_COUNTER).toEqual({ support: "voteCount", stance: "agreeCount", dots: "dotCount" });
  });

  it("recognises modes and stances", () => {
    expect(isVoteMode("dots")).toBe(true);
    expect(isVoteMode("ranked")).toBe(false);
    expect(isVoteMode(undefined)).toBe(false);
    expect(STANCES.every(isStance)).toBe(true);
    expect(isStance("maybe")).toBe(false);
  });

  it("the mode may change until someone has voted the old way", () => {
    expect(modeChangeRefusal("support", "stance", 0)).toBeNull();
    expect(modeChangeRefusal("stance", "stance", 12)).toBeNull();
    expect(modeChangeRefusal("support", "dots", 1)).toMatch(/already voted .* with support votes/);
    expect(modeChangeRefusal("stance", "support", 3)).toMatch(/by agreeing, disagreeing or passing/);
  });
});

describe("dot allocation", () => {
  const budget = 10;
  const max = 3;

  it("allows placing dots within the budget and the per-idea maximum", () => {
    expect(canAllocate(0, 0, 1, budget, max)).toBe(true);
    expect(canAllocate(0, 0, 3, budget, max)).toBe(true);
    expect(canAllocate(7, 0, 3, budget, max)).toBe(true);
    expect(canAllocate(9, 2, 3, budget, max)).toBe(true);
  });

  it("refuses more than the per-idea maximum", () => {
    expect(canAllocate(0, 0, 4, budget, max)).toBe(false);
    expect(allocationRefusal(3, 3, 4, budget, max)).toBe("You can put at most 3 dots on one idea.");
    expect(allocationRefusal(0, 0, 2, budget, 1)).toBe("You can put at most 1 dot on one idea.");
  });

  it("refuses overspending the budget, saying how many are left", () => {
    expect(canAllocate(10, 0, 1, budget, max)).toBe(false);
    expect(allocationRefusal(10, 0, 1, budget, max)).toBe("You have spent all 10 dots. Take dots off another idea first.");
    expect(allocationRefusal(9, 0, 2, budget, max)).toBe("You have only 1 dot left.");
    expect(allocationRefusal(8, 0, 3, budget, max)).toBe("You have only 2 dots left.");
    // Moving from 1 to 3 on an idea needs 2 more: 8 spent (1 here) leaves 2, so it fits.
    expect(canAllocate(8, 1, 3, budget, max)).toBe(true);
    expect(canAllocate(9, 1, 3, budget, max)).toBe(false);
  });

  it("always allows taking dots back, even over budget", () => {
    expect(canAllocate(12, 3, 2, budget, max)).toBe(true);
    expect(canAllocate(12, 3, 0, budget, max)).toBe(true);
    expect(canAllocate(5, 2, 2, budget, max)).toBe(true);
  });

  it("refuses negative and fractional dots", () => {
    expect(canAllocate(0, 0, -1, budget, max)).toBe(false);
    expect(canAllocate(0, 0, 1.5, budget, max)).toBe(false);
  });

  it("explains why + is disabled", () => {
    expect(addDotRefusal(0, 0, budget, max)).toBeNull();
    expect(addDotRefusal(4, 3, budget, max)).toBe("At most 3 dots per idea.");
    expect(addDotRefusal(10, 1, budget, max)).toMatch(/All your dots are spent/);
    expect(dotsLeft(10, 4)).toBe(6);
    expect(dotsLeft(10, 12)).toBe(0);
  });

  it("validates the facilitator's dot settings", () => {
    expect(dotSettingsRefusal(10, 3)).toBeNull();
    expect(dotSettingsRefusal(1, 1)).toBeNull();
    expect(dotSettingsRefusal(0, 1)?.field).toBe("dotBudget");
    expect(dotSettingsRefusal(101, 1)?.field).toBe("dotBudget");
    expect(dotSettingsRefusal(2.5, 1)?.field).toBe("dotBudget");
    expect(dotSettingsRefusal(10, 0)?.field).toBe("dotMaxPerIdea");
    expect(dotSettingsRefusal(10, 11)?.field).toBe("dotMaxPerIdea");
  });

  it("dot settings only grow once dots were placed", () => {
    const from = { budget: 10, maxPerIdea: 3 };
    expect(dotSettingsChangeRefusal(from, { budget: 5, maxPerIdea: 1 }, 0)).toBeNull();
    expect(dotSettingsChangeRefusal(from, { budget: 12, maxPerIdea: 4 }, 7)).toBeNull();
    expect(dotSettingsChangeRefusal(from, { budget: 9, maxPerIdea: 3 }, 7)?.field).toBe("dotBudget");
    expect(dotSettingsChangeRefusal(from, { budget: 10, maxPerIdea: 2 }, 7)?.field).toBe("dotMaxPerIdea");
  });
});

describe("stance counters", () => {
  it("a first stance adds one to its counter", () => {
    expect(stanceDelta(null, "agree")).toEqual({ agreeCount: 1, disagreeCount: 0, passCount: 0 });
  });

  it("a changed stance moves one count from the old counter to the new", () => {
    expect(stanceDelta("agree", "disagree")).toEqual({ agreeCount: -1, disagreeCount: 1, passCount: 0 });
    expect(stanceDelta("pass", "agree")).toEqual({ agreeCount: 1, disagreeCount: 0, passCount: -1 });
  });

  it("the same stance again changes nothing", () => {
    for (const s of STANCES) expect(stanceTotal(stanceDelta(s, s))).toBe(0);
    expect(stanceDelta("pass", "pass")).toEqual({ agreeCount: 0, disagreeCount: 0, passCount: 0 });
  });

  it("shares add up to 100", () => {
    expect(stanceShares({ agreeCount: 0, disagreeCount: 0, passCount: 0 })).toEqual({ agree: 0, disagree: 0, pass: 0 });
    expect(stanceShares({ agreeCount: 1, disagreeCount: 1, passCount: 1 })).toEqual({ agree: 33, disagree: 33, pass: 34 });
    const s = stanceShares({ agreeCount: 2, disagreeCount: 1, passCount: 0 });
    expect(s.agree + s.disagree + s.pass).toBe(100);
  });
});
