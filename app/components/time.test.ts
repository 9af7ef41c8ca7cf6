import { describe, expect, it } from "vitest";
import { formatDuration } from "./time";

describe("formatDuration", () => {
  it("shows days, hours and minutes for long spans", () => {
    expect(formatDuration((2 * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000)).toBe("2d 3h 4m");
  });
  it("shows hours, minutes and seconds under a day", () => {
    expect(formatDuration((3600 + 61) * 1000)).toBe("1h 1m 1s");
  });
  it("shows minutes and seconds under an hour", () => {
    expect(formatDuration(59_999)).toBe("0m 59s");
  });
  it("never goes negative", () => {
    expect(formatDuration(-5)).toBe("0s");
  });
});
