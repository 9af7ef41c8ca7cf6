import { describe, expect, it } from "vitest";
import { errorsByFormRow, jamInputFromForm, localToEpoch } from "./jam-form.server";

describe("localToEpoch", () => {
  it("reads a datetime-local value in the browser's zone", () => {
    expect(localToEpoch("2026-03-01T09:30", 0)).toBe(Date.UTC(2026, 2, 1, 9, 30));
    // UTC+1 reports an offset of -60: 09:30 local is 08:30 UTC.
    expect(localToEpoch("2026-03-01T09:30", -60)).toBe(Date.UTC(2026, 2, 1, 8, 30));
  });
  it("rejects anything else", () => {
    expect(localToEpoch("tomorrow", 0)).toBeUndefined();
    expect(localToEpoch(undefined, 0)).toBeUndefined();
  });
});

describe("jamInputFromForm", () => {
  it("collects challenge rows in order and skips blank ones", () => {
    const input = jamInputFromForm({
      title: "T",
      startsAt: "2026-03-01T09:00",
      endsAt: "2026-03-03T09:00",
      tzOffset: "0",
      "challenges.1.title": "Second",
      "challenges.1.question": "Q2",
      "challenges.0.title": "First",
      "challenges.0.question": "Q1",
      "challenges.0.id": "7",
      "challenges.2.title": " ",
      "challenges.2.question": "",
    });
    expect(input.challenges).toEqual([
      { id: "7", title: "First", question: "Q1" },
      { id: undefined, title: "Second", question: "Q2" },
    ]);
    // Whether a jam is a draft is never read from the form.
    expect("isDraft" in input).toBe(false);
    expect(input.points).toBeUndefined();
    expect(input.endsAt! - input.startsAt!).toBe(2 * 86_400_000);
  });
});

describe("jamInputFromForm voting choices", () => {
  const base = { title: "T", startsAt: "2026-03-01T09:00", endsAt: "2026-03-03T09:00", tzOffset: "0" };
  it("reads each row's voting mode, and dot settings only for a dots challenge", () => {
    const input = jamInputFromForm({
      ...base,
      "challenges.0.title": "A",
      "challenges.0.question": "Q",
      "challenges.0.voteMode": "dots",
      "challenges.0.dotBudget": "8",
      "challenges.0.dotMaxPerIdea": "2",
      "challenges.1.title": "B",
      "challenges.1.question": "Q",
      "challenges.1.voteMode": "stance",
      "challenges.1.dotBudget": "10",
      "challenges.1.dotMaxPerIdea": "3",
    });
    expect(input.challenges).toEqual([
      { id: undefined, title: "A", question: "Q", voteMode: "dots", dotBudget: 8, dotMaxPerIdea: 2 },
      { id: undefined, title: "B", question: "Q", voteMode: "stance", dotBudget: undefined, dotMaxPerIdea: undefined },
    ]);
  });
  it("ignores a blank row even though its voting choices have values, and reports an empty dot box", () => {
    const input = jamInputFromForm({
      ...base,
      "challenges.0.title": "A",
      "challenges.0.question": "Q",
      "challenges.0.voteMode": "dots",
      "challenges.0.dotBudget": " ",
      "challenges.0.dotMaxPerIdea": "3",
      "challenges.1.title": "",
      "challenges.1.question": "",
      "challenges.1.voteMode": "support",
      "challenges.1.dotBudget": "10",
    });
    expect(input.challenges).toHaveLength(1);
    expect(Number.isNaN(input.challenges[0]!.dotBudget)).toBe(true);
  });
});

describe("errorsByFormRow", () => {
  it("moves a challenge error to the row the person typed it in", () => {
    const values = { "challenges.0.title": "", "challenges.1.title": "", "challenges.1.question": "Why?", "challenges.2.title": "X", "challenges.2.question": "Y" };
    expect(errorsByFormRow({ "challenges.0.title": ["Give the challenge a title."], title: ["t"] }, values)).toEqual({
      "challenges.1.title": ["Give the challenge a title."],
      title: ["t"],
    });
  });
});
