import { describe, expect, it } from "vitest";
import { backToDraftRefusal, launchProblems, opensAt, scheduleRefusals } from "./launch";

const HOUR = 3_600_000;
const now = Date.UTC(2026, 11, 1, 9);
const challenge = (overrides: Partial<Parameters<typeof launchProblems>[1][number]> = {}) => ({
  title: "Meetings",
  question: "Which meeting would you cancel?",
  voteMode: "support" as const,
  dotBudget: 10,
  dotMaxPerIdea: 3,
  ...overrides,
});
const week = { startsAt: now + 24 * HOUR, endsAt: now + 96 * HOUR };

describe("the launch checklist", () => {
  it("is all done for a jam with a question per challenge and a future schedule", () => {
    expect(launchProblems(week, [challenge()], now)).toEqual({ challenges: [], schedule: [], voting: [], points: [] });
    expect(scheduleRefusals(week, [challenge()], now)).toEqual([]);
  });

  it("needs at least one challenge, and a question for each, naming the challenge", () => {
    expect(launchProblems(week, [], now).challenges).toEqual(["Add at least one challenge: the question people answer."]);
    expect(launchProblems(week, [challenge(), challenge({ title: "Tools", question: "  " })], now).challenges).toEqual([
      "Challenge 2 (“Tools”) has no question yet.",
    ]);
  });

  it("needs a schedule that ends after it starts, in the future, and stays open at least an hour", () => {
    expect(launchProblems({ startsAt: now, endsAt: now }, [challenge()], now).schedule[0]).toMatch(/ends before it starts/);
    expect(launchProblems({ startsAt: now - 3 * HOUR, endsAt: now - HOUR }, [challenge()], now).schedule[0]).toMatch(/end has passed/);
    expect(launchProblems({ startsAt: now + HOUR, endsAt: now + 90 * 60_000 }, [challenge()], now).schedule[0]).toMatch(/less than an hour/);
    // A start that has passed opens it now: what counts is the time left from now.
    expect(launchProblems({ startsAt: now - 5 * HOUR, endsAt: now + 30 * 60_000 }, [challenge()], now).schedule[0]).toMatch(/less than an hour/);
    expect(launchProblems({ startsAt: now - 5 * HOUR, endsAt: now + 2 * HOUR }, [challenge()], now).schedule).toEqual([]);
  });

  it("flags dot settings that make no sense", () => {
    expect(launchProblems(week, [challenge({ voteMode: "dots", dotBudget: 3, dotMaxPerIdea: 5 })], now).voting[0]).toMatch(
      /^Challenge 1 \(“Meetings”\): Allow between 1 and 3 dots/,
    );
  });

  it("lists every reason to refuse scheduling, in checklist order", () => {
    expect(scheduleRefusals({ startsAt: now - 2 * HOUR, endsAt: now - HOUR }, [challenge({ question: "" })], now)).toEqual([
      "Challenge 1 (“Meetings”) has no question yet.",
      "Its end has passed: choose an end in the future.",
    ]);
  });

  it("opens at its start, or now once the start has passed", () => {
    expect(opensAt(week, now)).toBe(week.startsAt);
    expect(opensAt({ startsAt: now - HOUR, endsAt: now + HOUR }, now)).toBe(now);
  });
});

describe("taking a jam back to draft", () => {
  const scheduled = { ...week, isDraft: false };
  it("is allowed before it starts while nobody has posted", () => {
    expect(backToDraftRefusal(scheduled, 0, now)).toBeNull();
  });
  it("is refused once it has started, or once anyone posted, and for a draft", () => {
    expect(backToDraftRefusal(scheduled, 0, week.startsAt)).toMatch(/has started, so it stays open/);
    expect(backToDraftRefusal(scheduled, 1, now)).toMatch(/has started/);
    expect(backToDraftRefusal({ ...week, isDraft: true }, 0, now)).toMatch(/already a draft/);
  });
});
