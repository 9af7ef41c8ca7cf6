import { describe, expect, it } from "vitest";
import {
  cappedPoints,
  DEFAULT_POINT_RULES,
  earnsPoints,
  isSerialVote,
  jamPointRules,
  POINT_REASON_LABELS,
  POINT_REASONS,
  PointRules,
  SERIAL_VOTING,
  utcDay,
  type PointReason,
} from "./points";

const DAY = 86_400_000;

describe("default point rules", () => {
  it("are the documented values", () => {
    expect(DEFAULT_POINT_RULES).toEqual({
      idea_posted: 10,
      comment_replied: 5,
      support_received: 2,
      idea_tagged_best: 25,
      idea_shortlisted: 15,
      idea_selected: 50,
      first_of_day: 5,
      amendment_accepted: 15,
      dailyCap: 200,
    });
  });

  it("give every reason a value and a label, and pass their own schema", () => {
    for (const reason of POINT_REASONS) {
      expect(DEFAULT_POINT_RULES[reason]).toBeGreaterThan(0);
      expect(POINT_REASON_LABELS[reason]).toMatch(/\S/);
    }
    expect(Object.keys(POINT_REASON_LABELS).sort()).toEqual([...POINT_REASONS].sort());
    expect(PointRules.parse(DEFAULT_POINT_RULES)).toEqual(DEFAULT_POINT_RULES);
  });

  it("the daily cap is larger than any single award, so one action can always score in full on a fresh day", () => {
    for (const reason of POINT_REASONS) expect(DEFAULT_POINT_RULES[reason]).toBeLessThanOrEqual(DEFAULT_POINT_RULES.dailyCap);
  });
});

describe("PointRules schema", () => {
  it.each([
    ["a negative value", { ...DEFAULT_POINT_RULES, idea_posted: -1 }],
    ["a fractional value", { ...DEFAULT_POINT_RULES, support_received: 1.5 }],
    ["a value above 1000", { ...DEFAULT_POINT_RULES, idea_selected: 1001 }],
    ["a daily cap of 0", { ...DEFAULT_POINT_RULES, dailyCap: 0 }],
    ["a daily cap above 100,000", { ...DEFAULT_POINT_RULES, dailyCap: 100_001 }],
    ["a missing field", (({ first_of_day: _f, ...rest }) => rest)(DEFAULT_POINT_RULES)],
    ["a string number", { ...DEFAULT_POINT_RULES, idea_posted: "10" }],
  ])("rejects %s", (_label, rules) => {
    expect(PointRules.safeParse(rules).success).toBe(false);
  });

  it("accepts 0 for a reason (switching it off) and the bounds 1000 / 1 / 100,000", () => {
    expect(PointRules.safeParse({ ...DEFAULT_POINT_RULES, idea_posted: 0 }).success).toBe(true);
    expect(PointRules.safeParse({ ...DEFAULT_POINT_RULES, idea_posted: 1000 }).success).toBe(true);
    expect(PointRules.safeParse({ ...DEFAULT_POINT_RULES, dailyCap: 1 }).success).toBe(true);
    expect(PointRules.safeParse({ ...DEFAULT_POINT_RULES, dailyCap: 100_000 }).success).toBe(true);
  });
});

describe("jamPointRules", () => {
  it.each([null, undefined, ""])("gives the defaults for no overrides (%j)", (json) => {
    expect(jamPointRules(json)).toEqual(DEFAULT_POINT_RULES);
  });

  it("merges a full set of overrides", () => {
    const overrides = {
      idea_posted: 1,
      comment_replied: 2,
      support_received: 3,
      idea_tagged_best: 4,
      idea_shortlisted: 8,
      idea_selected: 5,
      first_of_day: 6,
      amendment_accepted: 8,
      dailyCap: 7,
    };
    expect(jamPointRules(JSON.stringify(overrides))).toEqual(overrides);
  });

  it("merges partial overrides onto the defaults", () => {
    expect(jamPointRules(JSON.stringify({ dailyCap: 25 }))).toEqual({ ...DEFAULT_POINT_RULES, dailyCap: 25 });
    expect(jamPointRules(JSON.stringify({ support_received: 0, first_of_day: 9 }))).toEqual({
      ...DEFAULT_POINT_RULES,
      support_received: 0,
      first_of_day: 9,
    });
    expect(jamPointRules("{}")).toEqual(DEFAULT_POINT_RULES);
  });

  it("ignores unknown keys", () => {
    const rules = jamPointRules(JSON.stringify({ idea_posted: 3, bogus: 99 }));
    expect(rules).toEqual({ ...DEFAULT_POINT_RULES, idea_posted: 3 });
    expect(rules).not.toHaveProperty("bogus");
  });

  it.each([
    ["malformed JSON", "{not json"],
    ["truncated JSON", '{"dailyCap": 2'],
    ["JSON null", "null"],
    ["a JSON array", "[1,2]"],
    ["a JSON number", "42"],
    ["a JSON string", '"dailyCap"'],
    ["an out-of-range value", JSON.stringify({ dailyCap: 0 })],
    ["a negative value", JSON.stringify({ idea_posted: -5 })],
    ["a wrong type", JSON.stringify({ idea_posted: "ten" })],
    ["one bad value beside good ones", JSON.stringify({ idea_posted: 3, support_received: 2.5 })],
  ])("falls back to the defaults entirely for %s", (_label, json) => {
    expect(jamPointRules(json)).toEqual(DEFAULT_POINT_RULES);
  });

  it("never changes the shared defaults", () => {
    const before = { ...DEFAULT_POINT_RULES };
    const rules = jamPointRules(JSON.stringify({ dailyCap: 1 }));
    rules.idea_posted = 999;
    expect(DEFAULT_POINT_RULES).toEqual(before);
    expect(jamPointRules(null)).toEqual(before);
  });
});

describe("utcDay", () => {
  it("numbers days from the epoch and changes exactly at UTC midnight", () => {
    expect(utcDay(0)).toBe(0);
    expect(utcDay(DAY - 1)).toBe(0);
    expect(utcDay(DAY)).toBe(1);
    const midnight = Date.UTC(2026, 2, 29); // a European DST change day: irrelevant to UTC
    const day = midnight / DAY;
    expect(Number.isInteger(day)).toBe(true);
    expect(utcDay(midnight - 1)).toBe(day - 1);
    expect(utcDay(midnight)).toBe(day);
    expect(utcDay(midnight + DAY - 1)).toBe(day);
    expect(utcDay(midnight + DAY)).toBe(day + 1);
  });

  it("floors moments before the epoch", () => {
    expect(utcDay(-1)).toBe(-1);
    expect(utcDay(-DAY)).toBe(-1);
    expect(utcDay(-DAY - 1)).toBe(-2);
  });

  it("does not depend on the local time zone", () => {
    const at = Date.UTC(2026, 0, 15, 23, 59, 59, 999);
    expect(utcDay(at)).toBe(Math.floor(Date.UTC(2026, 0, 15) / DAY));
    expect(utcDay(at + 1)).toBe(Math.floor(Date.UTC(2026, 0, 16) / DAY));
  });
});

describe("cappedPoints", () => {
  const cap = 200;

  it("gives everything wanted when there is room", () => {
    expect(cappedPoints(10, 0, cap)).toBe(10);
    expect(cappedPoints(10, 189, cap)).toBe(10);
  });

  it("gives everything when it exactly fills the cap", () => {
    expect(cappedPoints(10, 190, cap)).toBe(10);
  });

  it("gives only what is left when part of it fits", () => {
    expect(cappedPoints(10, 191, cap)).toBe(9);
    expect(cappedPoints(10, 199, cap)).toBe(1);
  });

  it("gives nothing once the cap is reached or exceeded", () => {
    expect(cappedPoints(10, 200, cap)).toBe(0);
    expect(cappedPoints(10, 201, cap)).toBe(0);
    expect(cappedPoints(1, 10_000, cap)).toBe(0);
  });

  it("gives nothing for zero or negative wanted points, whatever is left", () => {
    expect(cappedPoints(0, 0, cap)).toBe(0);
    expect(cappedPoints(-5, 0, cap)).toBe(0);
    expect(cappedPoints(-5, 250, cap)).toBe(0);
    expect(cappedPoints(0, 250, cap)).toBe(0);
  });

  it("works with a cap of one", () => {
    expect(cappedPoints(10, 0, 1)).toBe(1);
    expect(cappedPoints(10, 1, 1)).toBe(0);
  });

  it("never returns more than wanted nor less than zero", () => {
    for (let earned = 0; earned <= 220; earned += 1) {
      for (const wanted of [-3, 0, 1, 2, 5, 10, 25, 50]) {
        const got = cappedPoints(wanted, earned, cap);
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(Math.max(0, wanted));
        if (got > 0) expect(earned + got).toBeLessThanOrEqual(cap);
      }
    }
  });
});

describe("serial voting", () => {
  it("is more than five votes on one author within an hour", () => {
    expect(SERIAL_VOTING).toEqual({ maxVotesOnOneAuthor: 5, windowMs: 3_600_000 });
  });

  it.each([0, 1, 2, 3, 4, 5])("%i votes in the window are fine", (n) => {
    expect(isSerialVote(n)).toBe(false);
  });

  it.each([6, 7, 50])("%i votes in the window are serial", (n) => {
    expect(isSerialVote(n)).toBe(true);
  });
});

describe("earnsPoints", () => {
  const SELF_EARNED: PointReason[] = ["idea_posted", "first_of_day"];
  const RECEIVED: PointReason[] = ["comment_replied", "support_received", "idea_tagged_best", "idea_shortlisted", "idea_selected", "amendment_accepted"];
  const live = { anonymous: false, jamLive: true };

  it("classifies every reason as either self-earned or received", () => {
    expect([...SELF_EARNED, ...RECEIVED].sort()).toEqual([...POINT_REASONS].sort());
  });

  describe.each(SELF_EARNED)("%s (earned by the person acting)", (reason) => {
    it("is earned by the actor", () => {
      expect(earnsPoints({ reason, earnerId: 1, actorId: 1, ...live })).toBe(true);
    });
    it("is never earned by someone else from another person's action", () => {
      expect(earnsPoints({ reason, earnerId: 2, actorId: 1, ...live })).toBe(false);
    });
    it("is not earned for anonymous content", () => {
      expect(earnsPoints({ reason, earnerId: 1, actorId: 1, anonymous: true, jamLive: true })).toBe(false);
    });
    it("is not earned when the jam is not live", () => {
      expect(earnsPoints({ reason, earnerId: 1, actorId: 1, anonymous: false, jamLive: false })).toBe(false);
    });
  });

  describe.each(RECEIVED)("%s (received from someone else's action)", (reason) => {
    it("is earned from another person's action", () => {
      expect(earnsPoints({ reason, earnerId: 2, actorId: 1, ...live })).toBe(true);
    });
    it("is never earned from one's own action", () => {
      expect(earnsPoints({ reason, earnerId: 1, actorId: 1, ...live })).toBe(false);
    });
    it("is not earned on anonymous content", () => {
      expect(earnsPoints({ reason, earnerId: 2, actorId: 1, anonymous: true, jamLive: true })).toBe(false);
    });
    it("is not earned when the jam is not live", () => {
      expect(earnsPoints({ reason, earnerId: 2, actorId: 1, anonymous: false, jamLive: false })).toBe(false);
    });
    it("is not earned when the jam is not live and the content anonymous", () => {
      expect(earnsPoints({ reason, earnerId: 2, actorId: 1, anonymous: true, jamLive: false })).toBe(false);
    });
  });

  it("an outcome (shortlisted, selected) is earned once the jam has started, live or ended; other reasons only while live", () => {
    const ended = { anonymous: false, jamLive: false, jamStarted: true };
    expect(earnsPoints({ reason: "idea_shortlisted", earnerId: 2, actorId: 1, ...ended })).toBe(true);
    expect(earnsPoints({ reason: "idea_selected", earnerId: 2, actorId: 1, ...ended })).toBe(true);
    expect(earnsPoints({ reason: "idea_selected", earnerId: 2, actorId: 1, ...ended, anonymous: true })).toBe(false);
    expect(earnsPoints({ reason: "idea_selected", earnerId: 2, actorId: 1, anonymous: false, jamLive: false, jamStarted: false })).toBe(false);
    expect(earnsPoints({ reason: "support_received", earnerId: 2, actorId: 1, ...ended })).toBe(false);
    expect(earnsPoints({ reason: "idea_tagged_best", earnerId: 2, actorId: 1, ...ended })).toBe(false);
  });

  it("a reply to one's own comment earns nothing", () => {
    expect(earnsPoints({ reason: "comment_replied", earnerId: 7, actorId: 7, ...live })).toBe(false);
    expect(earnsPoints({ reason: "comment_replied", earnerId: 7, actorId: 8, ...live })).toBe(true);
  });

  it("supporting one's own idea earns nothing (even if a service let it through)", () => {
    expect(earnsPoints({ reason: "support_received", earnerId: 3, actorId: 3, ...live })).toBe(false);
  });
});
