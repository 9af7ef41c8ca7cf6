import { describe, expect, it } from "vitest";
import {
  BADGES,
  badgeByKey,
  badgeProgress,
  EMPTY_FACTS,
  LEVEL_NAMES,
  levelFor,
  progressLabel,
  type BadgeDefinition,
  type BadgeFacts,
} from "./badges";

/** Which fact each badge counts: a badge must read its own fact and nothing else. */
const FACT_OF: Record<string, keyof BadgeFacts> = {
  "idea-sparker": "ideasPosted",
  "conversation-builder": "commentsWithReplies",
  "crowd-favourite": "supportsReceived",
  "bridge-builder": "bridgeIdeas",
  "early-bird": "earlyIdeas",
  marathoner: "marathonJams",
  "meetup-regular": "jelliesAttended",
  expert: "questionsAnswered",
};

function factsWith(badge: BadgeDefinition, score: number): BadgeFacts {
  return { ...EMPTY_FACTS, [FACT_OF[badge.key]!]: score };
}

const ALL: readonly BadgeDefinition[] = BADGES;

describe("badge declarations", () => {
  it("has unique keys and unique names", () => {
    const keys = ALL.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    const names = ALL.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("every badge is covered by this test's fact table", () => {
    expect(ALL.map((b) => b.key).sort()).toEqual(Object.keys(FACT_OF).sort());
  });

  it.each(ALL.map((b) => [b.key, b] as const))("%s: keys are URL-safe and texts are present", (_key, badge) => {
    expect(badge.key).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(badge.name).toMatch(/\S/);
    expect(badge.description).toMatch(/\S/);
    expect(badge.unit[0]).toMatch(/\S/);
    expect(badge.unit[1]).toMatch(/\S/);
  });

  it.each(ALL.map((b) => [b.key, b] as const))("%s: thresholds are positive integers, strictly increasing", (_key, badge) => {
    expect(badge.levels.length).toBeGreaterThan(0);
    expect(badge.levels[0]).toBeGreaterThanOrEqual(1);
    for (const t of badge.levels) expect(Number.isInteger(t)).toBe(true);
    for (let i = 1; i < badge.levels.length; i += 1) expect(badge.levels[i]!).toBeGreaterThan(badge.levels[i - 1]!);
  });

  it("every level of every badge has a name", () => {
    expect(LEVEL_NAMES[0]).toBe("");
    const deepest = Math.max(...ALL.map((b) => b.levels.length));
    expect(LEVEL_NAMES.length).toBeGreaterThan(deepest);
    for (let level = 1; level <= deepest; level += 1) expect(LEVEL_NAMES[level]).toMatch(/\S/);
    expect(new Set(LEVEL_NAMES).size).toBe(LEVEL_NAMES.length);
  });

  it("badgeByKey finds each badge and nothing else", () => {
    for (const b of ALL) expect(badgeByKey(b.key)).toBe(b);
    expect(badgeByKey("no-such-badge")).toBeUndefined();
    expect(badgeByKey("")).toBeUndefined();
  });
});

describe.each(ALL.map((b) => [b.key, b] as const))("%s", (_key, badge) => {
  const max = badge.levels.length;

  it("scores zero from no facts", () => {
    expect(badge.score(EMPTY_FACTS)).toBe(0);
  });

  it("scores its own fact and ignores every other one", () => {
    expect(badge.score(factsWith(badge, 17))).toBe(17);
    const others = { ...EMPTY_FACTS };
    for (const k of Object.keys(others) as (keyof BadgeFacts)[]) if (k !== FACT_OF[badge.key]) others[k] = 1_000;
    expect(badge.score(others)).toBe(0);
  });

  it.each(badge.levels.map((t, i) => [i + 1, t] as const))("level %i: one short of %i is the level below, the threshold reaches it", (level, threshold) => {
    expect(levelFor(badge.levels, badge.score(factsWith(badge, threshold - 1)))).toBe(level - 1);
    expect(levelFor(badge.levels, badge.score(factsWith(badge, threshold)))).toBe(level);
    expect(badgeProgress(badge, factsWith(badge, threshold - 1)).level).toBe(level - 1);
    expect(badgeProgress(badge, factsWith(badge, threshold)).level).toBe(level);
  });

  it.each(badge.levels.map((t, i) => [i + 1, t] as const))(
    "level %i: progress towards %i is just short of 1 one below it, and restarts at the threshold",
    (level, threshold) => {
      const below = badgeProgress(badge, factsWith(badge, threshold - 1));
      const from = level === 1 ? 0 : badge.levels[level - 2]!;
      expect(below.nextAt).toBe(threshold);
      expect(below.progress).toBeCloseTo((threshold - 1 - from) / (threshold - from), 10);
      expect(below.progress).toBeLessThan(1);

      const at = badgeProgress(badge, factsWith(badge, threshold));
      if (level < max) {
        expect(at.nextAt).toBe(badge.levels[level]);
        expect(at.progress).toBe(0);
      } else {
        expect(at.nextAt).toBeNull();
        expect(at.progress).toBe(1);
      }
    },
  );

  it("at zero: level 0, the first threshold next, no progress", () => {
    const p = badgeProgress(badge, EMPTY_FACTS);
    expect(p).toEqual({
      key: badge.key,
      name: badge.name,
      description: badge.description,
      unit: badge.unit,
      level: 0,
      maxLevel: max,
      score: 0,
      nextAt: badge.levels[0],
      progress: 0,
    });
  });

  it("at and above the top level: max level, nothing next, full progress", () => {
    const top = badge.levels[max - 1]!;
    for (const score of [top, top + 1, top * 10]) {
      const p = badgeProgress(badge, factsWith(badge, score));
      expect(p.level).toBe(max);
      expect(p.maxLevel).toBe(max);
      expect(p.score).toBe(score);
      expect(p.nextAt).toBeNull();
      expect(p.progress).toBe(1);
    }
  });

  it("level and progress never go down as the score grows, and progress stays within 0..1", () => {
    const top = badge.levels[max - 1]!;
    let last = { level: 0, progress: -1 };
    for (let score = 0; score <= top + 2; score += 1) {
      const p = badgeProgress(badge, factsWith(badge, score));
      expect(p.progress).toBeGreaterThanOrEqual(0);
      expect(p.progress).toBeLessThanOrEqual(1);
      expect(p.level).toBeGreaterThanOrEqual(last.level);
      if (p.level === last.level) expect(p.progress).toBeGreaterThanOrEqual(last.progress);
      last = p;
    }
  });
});

describe("levelFor", () => {
  const levels = [1, 5, 15, 40];

  it("is 0 for a score of 0 or below the first threshold", () => {
    expect(levelFor(levels, 0)).toBe(0);
    expect(levelFor([5, 25], 4)).toBe(0);
    expect(levelFor(levels, -3)).toBe(0);
  });

  it("is the number of thresholds reached", () => {
    expect(levelFor(levels, 1)).toBe(1);
    expect(levelFor(levels, 4)).toBe(1);
    expect(levelFor(levels, 5)).toBe(2);
    expect(levelFor(levels, 39)).toBe(3);
    expect(levelFor(levels, 40)).toBe(4);
  });

  it("stays at the top level above the highest threshold", () => {
    expect(levelFor(levels, 41)).toBe(4);
    expect(levelFor(levels, 1_000_000)).toBe(4);
    expect(levelFor(levels, Number.POSITIVE_INFINITY)).toBe(4);
  });

  it("is 0 for a badge without levels", () => {
    expect(levelFor([], 100)).toBe(0);
  });
});

describe("badgeProgress", () => {
  it("computes progress between two thresholds from the lower one", () => {
    const crowd = badgeByKey("crowd-favourite")!; // 5, 25, 100, 250
    const p = badgeProgress(crowd, { ...EMPTY_FACTS, supportsReceived: 15 });
    expect(p.level).toBe(1);
    expect(p.nextAt).toBe(25);
    expect(p.progress).toBeCloseTo(0.5, 10); // 15 is half-way from 5 to 25
  });
});

describe("progressLabel: a badge's progress in words, singular and plural right", () => {
  const ideas = ["idea", "ideas"] as const;
  it.each([
    [{ unit: ideas, level: 0, score: 0, nextAt: 1 }, "1 idea to go for the badge."],
    [{ unit: ideas, level: 0, score: 0, nextAt: 5 }, "5 ideas to go for the badge."],
    [{ unit: ideas, level: 1, score: 1, nextAt: 5 }, "1 idea so far, 4 to go for Silver."],
    [{ unit: ideas, level: 1, score: 4, nextAt: 5 }, "4 ideas so far, 1 to go for Silver."],
    [{ unit: ["support", "supports"] as const, level: 3, score: 1200, nextAt: 2500 }, "1,200 supports so far, 1,300 to go for Platinum."],
    [{ unit: ideas, level: 4, score: 1, nextAt: null }, "Top level reached (1 idea)."],
    [{ unit: ideas, level: 4, score: 41, nextAt: null }, "Top level reached (41 ideas)."],
  ])("%j reads %s", (p, text) => {
    expect(progressLabel(p)).toBe(text);
  });

  it("never says “0 of” or a plural after 1, for every badge from nothing to past its top level", () => {
    for (const badge of BADGES) {
      for (let score = 0; score <= badge.levels.at(-1)! + 1; score++) {
        const text = progressLabel(badgeProgress(badge, factsWith(badge, score)));
        expect(text).not.toMatch(/\b0 of\b/);
        expect(text).not.toMatch(new RegExp(`\\b1 ${badge.unit[1]}\\b`));
      }
    }
  });
});
