import { describe, expect, it } from "vitest";
import { CODE_ALPHABET, checkInCode, checkInWindow, jellyState, normaliseCode, safeCallLink, utcToZonedTime, zonedTimeToUtc } from "./jellies";

describe("call links", () => {
  it("keeps http and https links with a host and refuses everything else", () => {
    expect(safeCallLink("https://meet.example.com/abc")).toBe("https://meet.example.com/abc");
    expect(safeCallLink("  http://example.com ")).toBe("http://example.com/");
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "https://user:secret@example.com/",
      "//example.com",
      "example.com",
      "",
    ]) {
      expect([bad, safeCallLink(bad)]).toEqual([bad, null]);
    }
  });
});

describe("check-in codes", () => {
  it("are six characters of an alphabet without look-alikes, and skip the bytes that would bias them", () => {
    const code = checkInCode(new Uint8Array([255, 248, 0, 1, 2, 30, 31, 247]));
    expect(code).toBe(`${CODE_ALPHABET[0]}${CODE_ALPHABET[1]}${CODE_ALPHABET[2]}${CODE_ALPHABET[30]}${CODE_ALPHABET[0]}${CODE_ALPHABET[247 % 31]}`);
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(() => checkInCode(new Uint8Array([250, 251, 1]))).toThrow();
  });

  it("read what people type: spaces, dashes and lower case", () => {
    expect(normaliseCode(" ab-c d2 3 ")).toBe("ABCD23");
  });

  it("are accepted from 30 minutes before the start to an hour after the end", () => {
    const jelly = { startsAt: 10 * 3_600_000, durationMinutes: 60 };
    expect(checkInWindow(jelly, jelly.startsAt - 30 * 60_000 - 1)).toBe("early");
    expect(checkInWindow(jelly, jelly.startsAt - 30 * 60_000)).toBe("open");
    expect(checkInWindow(jelly, jelly.startsAt + 2 * 3_600_000)).toBe("open");
    expect(checkInWindow(jelly, jelly.startsAt + 2 * 3_600_000 + 1)).toBe("closed");
    expect(jellyState({ ...jelly, status: "scheduled" }, jelly.startsAt + 1)).toBe("happening");
    expect(jellyState({ ...jelly, status: "cancelled" }, 0)).toBe("cancelled");
  });
});

describe("wall-clock times in a zone", () => {
  it("turn into UTC across both daylight-saving changes, refuse a skipped time and take the first of a repeated one", () => {
    // Berlin: clocks go forward at 02:00 on 29 March 2026, back at 03:00 on 25 October 2026.
    expect(zonedTimeToUtc("2026-03-28", "10:00", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 28, 9, 0));
    expect(zonedTimeToUtc("2026-03-29", "10:00", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 29, 8, 0));
    expect(zonedTimeToUtc("2026-03-29", "02:30", "Europe/Berlin")).toBeNull();
    expect(zonedTimeToUtc("2026-10-25", "02:30", "Europe/Berlin")).toBe(Date.UTC(2026, 9, 25, 0, 30));
    // New York changes on other days: 8 March 2026.
    expect(zonedTimeToUtc("2026-03-08", "09:00", "America/New_York")).toBe(Date.UTC(2026, 2, 8, 13, 0));
    expect(zonedTimeToUtc("2026-02-31", "09:00", "UTC")).toBeNull();
    expect(zonedTimeToUtc("2026-01-01", "24:00", "UTC")).toBeNull();
    expect(utcToZonedTime(Date.UTC(2026, 2, 29, 8, 0), "Europe/Berlin")).toEqual({ date: "2026-03-29", time: "10:00" });
  });
});
