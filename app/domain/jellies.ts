/**
 * Jellies, the informal meetups: the rules, pure. What a proposal must hold, how a wall-clock
 * time in a zone becomes a UTC moment (across daylight-saving changes), when the check-in code
 * is valid, and the code itself.
 */
import { z } from "zod";
import { readableText } from "./text";

export const JELLY_TITLE_MAX = 120;
export const JELLY_ABOUT_MAX = 2_000;
export const JELLY_PLACE_MAX = 200;
export const JELLY_LINK_MAX = 500;
export const JELLY_NOTES_MAX = 10_000;
export const JELLY_IDEA_TITLE_MAX = 140;
export const JELLY_IDEA_BODY_MAX = 2_000;
export const JELLY_CAPACITY_MAX = 500;
export const JELLY_DURATION_MAX = 8 * 60;
/** How far ahead a jelly may be planned. */
export const JELLY_HORIZON_MS = 366 * 86_400_000;
export const JELLIES_PAGE = 12;

/** The check-in code is shown (and accepted) from this long before the start… */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** …until this long after the end. */
export const CHECK_IN_CLOSES_AFTER_MS = 60 * 60_000;

/** Letters and digits that cannot be mistaken for each other when read off a screen (no 0/O, 1/I/L). */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;

/** A fresh check-in code from `random` bytes (crypto in the service): 31^6, about 887 million codes. */
export function checkInCode(random: Uint8Array): string {
  let code = "";
  // 248 = 8 × 31: bytes at or above it would favour the first letters; the caller gives plenty of bytes.
  for (const byte of random) {
    if (byte >= 248) continue;
    code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) return code;
  }
  throw new Error("not enough random bytes for a check-in code");
}

/** What a person typed, as a code: spaces and dashes dropped, upper case. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

export type CheckInWindow = "early" | "open" | "closed";

export function checkInWindow(jelly: { startsAt: number; durationMinutes: number }, now: number): CheckInWindow {
  if (now < jelly.startsAt - CHECK_IN_OPENS_BEFORE_MS) return "early";
  if (now > jellyEnd(jelly) + CHECK_IN_CLOSES_AFTER_MS) return "closed";
  return "open";
}

export function jellyEnd(jelly: { startsAt: number; durationMinutes: number }): number {
  return jelly.startsAt + jelly.durationMinutes * 60_000;
}

export type JellyState = "upcoming" | "happening" | "past" | "cancelled";

export function jellyState(jelly: { startsAt: number; durationMinutes: number; status: "scheduled" | "cancelled" }, now: number): JellyState {
  if (jelly.status === "cancelled") return "cancelled";
  if (now < jelly.startsAt) return "upcoming";
  if (now < jellyEnd(jelly)) return "happening";
  return "past";
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const partFormats = new Map<string, Intl.DateTimeFormat>();
function wallParts(at: number, zone: string) {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormats.set(zone, format);
  }
  const get = (type: string) => Number(format.formatToParts(at).find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** The zone's offset from UTC at `at`, in ms (Berlin in summer: +7_200_000). */
export function zoneOffset(at: number, zone: string): number {
  const p = wallParts(at, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(at / 60_000) * 60_000;
}

/**
 * The UTC moment of a wall-clock time ("2026-03-29", "10:00") in an IANA zone, or null when that
 * time does not exist there (skipped by a daylight-saving change). A time that happens twice (the
 * hour repeated in autumn) is its first occurrence.
 */
export function zonedTimeToUtc(date: string, time: string, zone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(wall).getUTCDate() !== day) return null; // 31 February
  // Try the offsets in force a day either side: one of them is the offset at that wall time.
  const candidates = [...new Set([zoneOffset(wall - 86_400_000, zone), zoneOffset(wall + 86_400_000, zone)])]
    .map((offset) => wall - offset)
    .filter((at) => {
      const p = wallParts(at, zone);
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) === wall;
    })
    .sort((a, b) => a - b);
  return candidates[0] ?? null;
}

/** The date ("2026-03-29") and time ("10:00") of a UTC moment on the wall clocks of `zone` (to fill the edit form). */
export function utcToZonedTime(at: number, zone: string): { date: string; time: string } {
  const p = wallParts(at, zone);
  const two = (n: number) => String(n).padStart(2, "0");
  return { date: `${p.year}-${two(p.month)}-${two(p.day)}`, time: `${two(p.hour)}:${two(p.minute)}` };
}

/** A call link: http or https only, a real host, no credentials in it. Returns the normalised URL or null. */
export function safeCallLink(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.toString();
}

const optionalText = (max: number, label: string, multiline = false) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(readableText(z.string().max(max, `Keep ${label} under ${max} characters.`), { multiline }));

/** The proposal (and edit) form, as strings from a form post. */
export const JellyInput = z
  .object({
    title: readableText(
      z
        .string({ error: "Give the jelly a title." })
        .trim()
        .min(3, "Give the jelly a title of at least 3 characters.")
        .max(JELLY_TITLE_MAX, `Keep the title under ${JELLY_TITLE_MAX} characters.`),
    ),
    about: readableText(
      z
        .string({ error: "Say what it is about." })
        .trim()
        .min(10, "Say in a sentence or two what it is about (at least 10 characters).")
        .max(JELLY_ABOUT_MAX, `Keep it under ${JELLY_ABOUT_MAX} characters.`),
      { multiline: true },
    ),
    date: z.string({ error: "Choose a date." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date."),
    time: z.string({ error: "Choose a time." }).regex(/^\d{2}:\d{2}$/, "Choose a time."),
    timeZone: z.string({ error: "Choose a time zone." }).refine(isTimeZone, "Choose a time zone from the list."),
    durationMinutes: z.coerce
      .number({ error: "Say how long it lasts, in minutes." })
      .int("Say how long it lasts, in whole minutes.")
      .min(15, "A jelly lasts at least 15 minutes.")
      .max(JELLY_DURATION_MAX, "A jelly lasts at most 8 hours."),
    place: optionalText(JELLY_PLACE_MAX, "the place"),
    callLink: optionalText(JELLY_LINK_MAX, "the link").refine((v) => v === "" || safeCallLink(v) !== null, {
      message: "Give a call link that starts with https:// (or http://).",
    }),
    capacity: z.coerce
      .number({ error: "Say how many people can come." })
      .int("Say how many people can come, as a whole number.")
      .min(1, "At least one person must be able to come.")
      .max(JELLY_CAPACITY_MAX, `At most ${JELLY_CAPACITY_MAX} people.`),
  })
  .superRefine((v, ctx) => {
    if (v.place === "" && v.callLink === "") {
      ctx.addIssue({ code: "custom", path: ["place"], message: "Give a place, a call link, or both." });
    }
  });
export type JellyInput = z.output<typeof JellyInput>;

export const NotesInput = z.object({
  notes: readableText(
    z.string({ error: "Write the notes." }).trim().min(1, "Write the notes.").max(JELLY_NOTES_MAX, `Keep the notes under ${JELLY_NOTES_MAX} characters.`),
    { multiline: true },
  ),
});

export const JellyIdeaInput = z.object({
  title: readableText(
    z
      .string({ error: "Give the idea a title." })
      .trim()
      .min(3, "Give the idea a title of at least 3 characters.")
      .max(JELLY_IDEA_TITLE_MAX, `Keep the title under ${JELLY_IDEA_TITLE_MAX} characters.`),
  ),
  body: optionalText(JELLY_IDEA_BODY_MAX, "the description", true),
  creditedId: z.coerce.number({ error: "Choose whose idea it was." }).int().positive("Choose whose idea it was."),
});

export const CheckInInput = z.object({
  code: z.string({ error: "Type the code shown at the jelly." }).max(40, "Type the code shown at the jelly.").transform(normaliseCode),
});
