import { describe, expect, it } from "vitest";
import { DAY_MS, dueMailings, MAX_PASTED_ADDRESSES, parseAddressList, reminderAt } from "./jam-mail";

const H = 3_600_000;
const start = Date.UTC(2026, 0, 5, 9);

function occasionsOver(jam: { startsAt: number; endsAt: number; isDraft: boolean }) {
  // Every occasion the jam's mailings would take, checking every 10 minutes of its life.
  const seen = new Map<string, number>();
  for (let now = jam.startsAt - H; now < jam.endsAt + H; now += 10 * 60_000) {
    for (const m of dueMailings(jam, now)) if (!seen.has(m.occasion)) seen.set(m.occasion, now);
  }
  return seen;
}

describe("when a jam's e-mails are due", () => {
  it("a five-day jam: the opening, a pulse on days 1 to 3 at its opening hour, the reminder a day before the end", () => {
    const seen = occasionsOver({ startsAt: start, endsAt: start + 5 * DAY_MS, isDraft: false });
    expect([...seen.keys()]).toEqual(["opening", "pulse:1", "pulse:2", "pulse:3", "reminder"]);
    expect(seen.get("pulse:1")).toBe(start + DAY_MS);
    expect(seen.get("reminder")).toBe(start + 4 * DAY_MS);
  });

  it("a two-day jam: the reminder takes the place of the one pulse", () => {
    expect([...occasionsOver({ startsAt: start, endsAt: start + 2 * DAY_MS, isDraft: false }).keys()]).toEqual(["opening", "reminder"]);
  });

  it("a jam shorter than a day and a half: the opening only", () => {
    expect([...occasionsOver({ startsAt: start, endsAt: start + 30 * H, isDraft: false }).keys()]).toEqual(["opening"]);
    expect(reminderAt({ startsAt: start, endsAt: start + 36 * H })).toBe(start + 12 * H);
  });

  it("a draft or an ended jam: nothing; a mailing more than 6 hours late: skipped", () => {
    expect(occasionsOver({ startsAt: start, endsAt: start + 5 * DAY_MS, isDraft: true }).size).toBe(0);
    expect(dueMailings({ startsAt: start, endsAt: start + 5 * DAY_MS, isDraft: false }, start + 5 * DAY_MS)).toEqual([]);
    expect(dueMailings({ startsAt: start, endsAt: start + 5 * DAY_MS, isDraft: false }, start + 7 * H)).toEqual([]);
  });

  it("a pulse tells about the day before it", () => {
    const [pulse] = dueMailings({ startsAt: start, endsAt: start + 5 * DAY_MS, isDraft: false }, start + 2 * DAY_MS + H);
    expect(pulse).toEqual({ occasion: "pulse:2", day: 2, since: start + DAY_MS, until: start + 2 * DAY_MS });
  });
});

describe("a pasted list of addresses", () => {
  it("reads addresses one or several a line, with names, in any case, once each", () => {
    const list = parseAddressList("Sam Lee <Sam@Example.com>, ana@example.com; bo@example.com  cy@example.com\nmailto:ana@example.com\n\n");
    expect(list.addresses).toEqual(["sam@example.com", "ana@example.com", "bo@example.com", "cy@example.com"]);
    expect(list.invalid).toEqual([]);
  });

  it("shows back what is not an address instead of dropping it", () => {
    const list = parseAddressList("sam.example.com\nana@example.com\n<not an address>\nx@y");
    expect(list.addresses).toEqual(["ana@example.com"]);
    expect(list.invalid).toEqual(["sam.example.com", "not an address", "x@y"]);
  });

  it("stops at the most it reads, and says so", () => {
    const list = parseAddressList(Array.from({ length: MAX_PASTED_ADDRESSES + 3 }, (_, i) => `p${i}@example.com`).join("\n"));
    expect(list.addresses).toHaveLength(MAX_PASTED_ADDRESSES);
    expect(list.truncated).toBe(true);
  });
});
