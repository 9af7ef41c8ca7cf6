import { describe, expect, it } from "vitest";
import { actionNotice, dueDateInputValue, formatDueDate, isOverdue, parseDueDate } from "./actions";

describe("due dates", () => {
  it("reads a date input as that day's UTC midnight, and nothing else", () => {
    expect(parseDueDate("2030-06-30")).toBe(Date.UTC(2030, 5, 30));
    expect(parseDueDate(" 2030-06-30 ")).toBe(Date.UTC(2030, 5, 30));
    expect(parseDueDate("")).toBeNull();
    expect(parseDueDate(null)).toBeNull();
    expect(parseDueDate(undefined)).toBeNull();
    expect(parseDueDate(Date.UTC(2030, 5, 30, 15, 4))).toBe(Date.UTC(2030, 5, 30));
    for (const bad of ["2030-02-30", "2030-13-01", "30/06/2030", "2030-06-30T10:00", "tomorrow", {}, Number.NaN]) {
      expect(parseDueDate(bad)).toBeUndefined();
    }
  });

  it("shows and edits the same calendar day whatever the zone", () => {
    const day = Date.UTC(2030, 0, 1);
    expect(dueDateInputValue(day)).toBe("2030-01-01");
    expect(dueDateInputValue(null)).toBe("");
    expect(formatDueDate(day)).toBe("1 Jan 2030");
  });

  it("an open action is overdue once its day has passed", () => {
    const due = Date.UTC(2030, 0, 1);
    expect(isOverdue({ status: "approved", dueDate: due }, due + 3_600_000)).toBe(false);
    expect(isOverdue({ status: "approved", dueDate: due }, due + 86_400_000)).toBe(true);
    expect(isOverdue({ status: "done", dueDate: due }, due + 9 * 86_400_000)).toBe(false);
    expect(isOverdue({ status: "in_progress", dueDate: null }, due)).toBe(false);
  });
});

describe("what contributors are told", () => {
  it("names their idea, or the first and how many more", () => {
    expect(actionNotice({ status: "approved", actionTitle: "Pilot", ideaTitles: ["Quiet mornings"] })).toBe(
      "Your idea “Quiet mornings” is now part of an approved action: Pilot",
    );
    expect(actionNotice({ status: "approved", actionTitle: "Pilot", ideaTitles: ["A", "B", "C"] })).toBe(
      "Your ideas “A” and 2 more are now part of an approved action: Pilot",
    );
    expect(actionNotice({ status: "proposed", actionTitle: "Pilot", ideaTitles: ["A"] })).toBe("Your idea “A” fed a proposed action: Pilot");
    expect(actionNotice({ status: "in_progress", actionTitle: "Pilot", ideaTitles: ["A"] })).toBe("Work has started on an action your idea “A” fed: Pilot");
    expect(actionNotice({ status: "done", actionTitle: "Pilot", ideaTitles: ["A"] })).toBe("An action your idea “A” fed is done: Pilot");
    expect(actionNotice({ status: "approved", actionTitle: "Pilot", ideaTitles: ["A"], anonymous: true })).toBe(
      "Your anonymous idea “A” is now part of an approved action: Pilot",
    );
    expect(actionNotice({ status: "declined", actionTitle: "Pilot", ideaTitles: ["A"], declineReason: "No budget" })).toBe(
      "An action your idea “A” fed was declined: Pilot. Reason: No budget",
    );
  });
});
