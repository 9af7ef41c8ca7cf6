/**
 * The calendar: each jelly's .ics and the personal feed, read back with a small strict
 * iCalendar (RFC 5545) parser of this test's own: CRLF only, lines of at most 75 octets,
 * unfolding, TEXT escaping, UTC date-times, required properties, time zones across DST changes.
 */
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { foldLine } from "~/domain/ical";
import { zonedTimeToUtc } from "~/domain/jellies";
import { cancelJelly, editJelly, proposeJelly, resetCalendarFeed, rsvp } from "~/services/commands/jellies.server";
import { calendarFeed, jellyIcs } from "~/services/pages/jellies.server";
import { db } from "~db/client";
import { calendarFeeds } from "~db/schema";
import { makeUser } from "../factories";

const ORIGIN = "http://jamboree.test";

interface Component {
  name: string;
  props: { name: string; params: Record<string, string>; value: string }[];
  children: Component[];
}

/** Parses iCalendar strictly; throws on anything RFC 5545 does not allow (that this app could write). */
function parseICalendar(text: string): Component {
  if (!text.endsWith("\r\n")) throw new Error("must end with CRLF");
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) throw new Error("bare CR or LF");
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    if (new TextEncoder().encode(line).length > 75) throw new Error(`line longer than 75 octets: ${line}`);
    // A fold never splits a UTF-8 character: each physical line is whole text.
    if (line.includes("\uFFFD")) throw new Error("broken character");
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (logical.length === 0) throw new Error("continuation first");
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const root: Component = { name: "", props: [], children: [] };
  const stack = [root];
  for (const line of logical) {
    const m = /^([A-Z0-9-]+)((?:;[A-Z0-9-]+=(?:"[^"\x00-\x1F]*"|[^";:,\x00-\x1F]*))*):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, name, rawParams, value] = m as unknown as [string, string, string, string];
    if (/[\x00-\x08\x0A-\x1F\x7F]/.test(value)) throw new Error(`control character in ${name}`);
    const params: Record<string, string> = {};
    for (const p of rawParams.matchAll(/;([A-Z0-9-]+)=("[^"]*"|[^;]*)/g)) params[p[1]!] = p[2]!.replace(/^"|"$/g, "");
    const top = stack[stack.length - 1]!;
    if (name === "BEGIN") {
      const child: Component = { name: value, props: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (name === "END") {
      if (top.name !== value) throw new Error(`END:${value} closes ${top.name}`);
      stack.pop();
    } else top.props.push({ name, params, value });
  }
  if (stack.length !== 1 || root.children.length !== 1 || root.children[0]!.name !== "VCALENDAR") throw new Error("one VCALENDAR");
  const cal = root.children[0]!;
  need(cal, "VERSION", /^2\.0$/);
  need(cal, "PRODID", /./);
  for (const event of cal.children.filter((c) => c.name === "VEVENT")) {
    need(event, "UID", /./);
    need(event, "DTSTAMP", /^\d{8}T\d{6}Z$/);
    need(event, "DTSTART", /^\d{8}T\d{6}Z$/);
    need(event, "DTEND", /^\d{8}T\d{6}Z$/);
    need(event, "SEQUENCE", /^\d+$/);
    for (const p of event.props.filter((p) => ["SUMMARY", "DESCRIPTION", "LOCATION"].includes(p.name))) unescapeText(p.value);
  }
  return cal;
}

function need(c: Component, name: string, shape: RegExp) {
  const found = c.props.filter((p) => p.name === name);
  if (found.length !== 1) throw new Error(`${c.name} needs exactly one ${name}`);
  if (!shape.test(found[0]!.value)) throw new Error(`${name} has the wrong shape: ${found[0]!.value}`);
}

/** TEXT unescaping: only \\ \; \, \n \N; a bare ; or , is an error. */
function unescapeText(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === "\\") {
      const next = value[++i];
      if (next === "\\" || next === ";" || next === ",") out += next;
      else if (next === "n" || next === "N") out += "\n";
      else throw new Error(`bad escape \\${next}`);
    } else if (ch === ";" || ch === ",") throw new Error(`unescaped ${ch}`);
    else out += ch;
  }
  return out;
}

const prop = (c: Component, name: string) => c.props.find((p) => p.name === name)?.value;
const events = (cal: Component) => cal.children.filter((c) => c.name === "VEVENT");

function iso(stamp: string) {
  return Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15));
}

const NOW = Date.UTC(2026, 1, 1, 12);

async function plan(host: SessionUser, over: Record<string, string> = {}) {
  return (await proposeJelly(
    host,
    {
      title: "Lunch, learn; and \\ more",
      about: "Line one,\nline two; with ünïcödé 🎉 and a long tail ".repeat(6),
      date: "2026-03-30",
      time: "10:00",
      timeZone: "Europe/Berlin",
      durationMinutes: "90",
      place: "Café Zürich, 2nd floor; room \"B\"",
      callLink: "https://meet.example.com/abc?x=1&y=2",
      capacity: "10",
      ...over,
    },
    { now: NOW },
  )).id;
}

describe("a jelly's .ics file", () => {
  it("is valid iCalendar: CRLF, folded at 75 octets, TEXT escaped and read back exactly", async () => {
    const host = await makeUser({ name: "Ana, the host" });
    const id = await plan(host);
    const { body, filename } = await jellyIcs(host, id, ORIGIN);
    expect(filename).toBe(`jelly-${id}.ics`);
    const cal = parseICalendar(body);
    expect(prop(cal, "METHOD")).toBe("PUBLISH");
    const [event] = events(cal);
    expect(unescapeText(prop(event!, "SUMMARY")!)).toBe("Lunch, learn; and \\ more");
    expect(unescapeText(prop(event!, "DESCRIPTION")!)).toContain("Line one,\nline two; with ünïcödé 🎉");
    expect(unescapeText(prop(event!, "LOCATION")!)).toBe("Café Zürich, 2nd floor; room \"B\" · https://meet.example.com/abc?x=1&y=2");
    expect(prop(event!, "UID")).toBe(`jelly-${id}@jamboree`);
    expect(prop(event!, "STATUS")).toBe("CONFIRMED");
    // 10:00 in Berlin on 30 March 2026 (summer time, UTC+2) is 08:00 UTC.
    expect(prop(event!, "DTSTART")).toBe("20260330T080000Z");
    expect(prop(event!, "DTEND")).toBe("20260330T093000Z");
    expect(body.split("\r\n").some((l) => l.startsWith(" "))).toBe(true); // the long description was folded
  });

  it("folds between characters, never inside one, and every piece is at most 75 octets", () => {
    const line = `DESCRIPTION:${"é🎉a".repeat(40)}`;
    const folded = foldLine(line);
    for (const piece of folded.split("\r\n")) expect(new TextEncoder().encode(piece).length).toBeLessThanOrEqual(75);
    expect(folded.split("\r\n").map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
  });

  it("keeps its UID, raises SEQUENCE when it changes, and says CANCEL and CANCELLED once cancelled", async () => {
    const host = await makeUser();
    const id = await plan(host);
    const first = events(parseICalendar((await jellyIcs(host, id, ORIGIN)).body))[0]!;
    await editJelly(host, id, { title: "Lunch and learn", about: "A shorter description this time.", date: "2026-03-31", time: "12:00", timeZone: "Europe/Berlin", durationMinutes: "60", place: "Canteen", capacity: "10" }, { now: NOW + 1000 });
    const second = events(parseICalendar((await jellyIcs(host, id, ORIGIN)).body))[0]!;
    expect(prop(second, "UID")).toBe(prop(first, "UID"));
    expect(Number(prop(second, "SEQUENCE"))).toBeGreaterThan(Number(prop(first, "SEQUENCE")));
    expect(iso(prop(second, "DTSTAMP")!)).toBeGreaterThan(iso(prop(first, "DTSTAMP")!));
    expect(prop(second, "DTSTART")).toBe("20260331T100000Z");
    await cancelJelly(host, id, { now: NOW + 2000 });
    const cancelledCal = parseICalendar((await jellyIcs(host, id, ORIGIN)).body);
    const third = events(cancelledCal)[0]!;
    expect(prop(cancelledCal, "METHOD")).toBe("CANCEL");
    expect(prop(third, "STATUS")).toBe("CANCELLED");
    expect(Number(prop(third, "SEQUENCE"))).toBeGreaterThan(Number(prop(second, "SEQUENCE")));
    expect(prop(third, "UID")).toBe(prop(first, "UID"));
  });
});

describe("time zones", () => {
  it("turns wall-clock times into UTC on both sides of a daylight-saving change", () => {
    // Berlin: winter UTC+1 until 29 March 2026 02:00, then summer UTC+2.
    expect(zonedTimeToUtc("2026-03-28", "10:00", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 28, 9));
    expect(zonedTimeToUtc("2026-03-29", "10:00", "Europe/Berlin")).toBe(Date.UTC(2026, 2, 29, 8));
    expect(zonedTimeToUtc("2026-03-29", "02:30", "Europe/Berlin")).toBeNull(); // the skipped hour
    // New York falls back on 1 November 2026: 01:30 happens twice; the first is EDT (UTC-4).
    expect(zonedTimeToUtc("2026-11-01", "01:30", "America/New_York")).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(zonedTimeToUtc("2026-11-02", "01:30", "America/New_York")).toBe(Date.UTC(2026, 10, 2, 6, 30));
    // A zone with a half-hour offset and none of this.
    expect(zonedTimeToUtc("2026-07-01", "09:00", "Asia/Kolkata")).toBe(Date.UTC(2026, 6, 1, 3, 30));
    expect(zonedTimeToUtc("2026-02-31", "09:00", "UTC")).toBeNull();
  });

  it("the .ics carries the UTC moment, so a calendar in any zone shows the planned local time", async () => {
    const host = await makeUser();
    const before = await plan(host, { date: "2026-03-28" });
    const after = await plan(host, { date: "2026-03-30" });
    expect(prop(events(parseICalendar((await jellyIcs(host, before, ORIGIN)).body))[0]!, "DTSTART")).toBe("20260328T090000Z");
    expect(prop(events(parseICalendar((await jellyIcs(host, after, ORIGIN)).body))[0]!, "DTSTART")).toBe("20260330T080000Z");
  });
});

describe("the personal calendar feed", () => {
  it("holds only the jellies its owner is going to or hosts, and the token is stored hashed", async () => {
    const host = await makeUser();
    const me = await makeUser();
    const going = await plan(host, { capacity: "1", title: "Going to this one" });
    const waitingOn = await plan(host, { capacity: "1", title: "Waiting on this one" });
    const notMine = await plan(host, { title: "Not mine" });
    const mine = await plan(me, { title: "Hosting this one" });
    await rsvp(me, { jellyId: going }, { now: NOW });
    await rsvp(await makeUser(), { jellyId: waitingOn }, { now: NOW });
    await rsvp(me, { jellyId: waitingOn }, { now: NOW });
    const { token } = await resetCalendarFeed(me, { now: NOW });
    const cal = parseICalendar(await calendarFeed(token, ORIGIN, NOW));
    expect(events(cal).map((e) => prop(e, "UID")).sort()).toEqual([`jelly-${going}@jamboree`, `jelly-${mine}@jamboree`].sort());
    expect(JSON.stringify(events(cal))).not.toContain(`jelly-${notMine}@`);
    const stored = (await db().select().from(calendarFeeds).where(eq(calendarFeeds.userId, me.id)).get())!;
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a wrong, malformed, reset or someone else's old token is a plain not-found", async () => {
    const me = await makeUser();
    const other = await makeUser();
    const { token: old } = await resetCalendarFeed(me, { now: NOW });
    const { token } = await resetCalendarFeed(me, { now: NOW + 1 });
    const { token: theirs } = await resetCalendarFeed(other, { now: NOW });
    await expect(async () => await calendarFeed(old, ORIGIN, NOW)).rejects.toThrow(/Not found/);
    await expect(async () => await calendarFeed(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), ORIGIN, NOW)).rejects.toThrow(/Not found/);
    await expect(async () => await calendarFeed("../../etc/passwd", ORIGIN, NOW)).rejects.toThrow(/Not found/);
    await expect(async () => await calendarFeed("", ORIGIN, NOW)).rejects.toThrow(/Not found/);
    // Each token opens its own owner's feed only.
    const hostOfMine = (await proposeJelly(me, { title: "Only mine", about: "Something only I host here.", date: "2026-04-02", time: "10:00", timeZone: "UTC", durationMinutes: "30", place: "Here", capacity: "2" }, { now: NOW })).id;
    expect(await calendarFeed(token, ORIGIN, NOW)).toContain(`jelly-${hostOfMine}@jamboree`);
    expect(await calendarFeed(theirs, ORIGIN, NOW)).not.toContain(`jelly-${hostOfMine}@jamboree`);
  });
});
