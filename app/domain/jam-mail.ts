/**
 * When a jam's e-mails are due, and how a pasted list of addresses is read. Pure.
 *
 * A live jam's mailings follow its own clock, so they come at the time of day the facilitator
 * chose for its start (in their time zone, a sensible hour for the people they run it for):
 * - the opening, when it starts;
 * - a pulse every 24 hours after the start (day 1, day 2, …), each about the day before, while
 *   the jam has more than a day left;
 * - the reminder a day before the end (instead of that day's pulse), unless the jam opened less
 *   than 12 hours before it.
 * A mailing more than 6 hours late (the servers were down) is not sent: old news is noise.
 */
import type { JamTiming } from "./phase";

export const DAY_MS = 24 * 3_600_000;
/** The reminder goes this long before the end. */
export const REMINDER_BEFORE_MS = DAY_MS;
/** No reminder for a jam that opened less than this before the reminder would go. */
export const REMINDER_MIN_OPEN_MS = 12 * 3_600_000;
/** A mailing this late is skipped. */
export const MAILING_LATE_MS = 6 * 3_600_000;

export type MailingOccasion =
  | { occasion: "opening" }
  | { occasion: "reminder" }
  /** `day` counts from the start (1 = 24 hours in); the pulse tells about [since, until). */
  | { occasion: `pulse:${number}`; day: number; since: number; until: number };

/** When the reminder goes, or null when the jam gets none. */
export function reminderAt(jam: Pick<JamTiming, "startsAt" | "endsAt">): number | null {
  const at = jam.endsAt - REMINDER_BEFORE_MS;
  return at - jam.startsAt >= REMINDER_MIN_OPEN_MS ? at : null;
}

/** The mailings of a jam that are due at `now` (not late), in the order they should go. */
export function dueMailings(jam: JamTiming, now: number): MailingOccasion[] {
  if (jam.isDraft || now < jam.startsAt || now >= jam.endsAt) return [];
  const due: MailingOccasion[] = [];
  const fresh = (at: number) => at <= now && now < at + MAILING_LATE_MS;
  if (fresh(jam.startsAt)) due.push({ occasion: "opening" });
  const day = Math.floor((now - jam.startsAt) / DAY_MS);
  const until = jam.startsAt + day * DAY_MS;
  if (day >= 1 && until < jam.endsAt - REMINDER_BEFORE_MS && fresh(until)) {
    due.push({ occasion: `pulse:${day}`, day, since: until - DAY_MS, until });
  }
  const remind = reminderAt(jam);
  if (remind !== null && fresh(remind)) due.push({ occasion: "reminder" });
  return due;
}

// ---------------------------------------------------------------- pasted addresses

/** At most this many addresses in one pasted list. */
export const MAX_PASTED_ADDRESSES = 5_000;

const ADDRESS = /^[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+$/;

export interface PastedAddresses {
  /** Distinct addresses, lower case, in the order first given. */
  addresses: string[];
  /** What was given that is not an e-mail address (shown back, never dropped silently). */
  invalid: string[];
  /** Whether the list had more than MAX_PASTED_ADDRESSES addresses (the rest were not read). */
  truncated: boolean;
}

/**
 * Reads a pasted list of addresses: one or several a line, separated by commas, semicolons or
 * spaces, each alone or as `Name <address>` (as mail programs copy them).
 */
export function parseAddressList(text: string): PastedAddresses {
  const seen = new Set<string>();
  const addresses: string[] = [];
  const invalid: string[] = [];
  let truncated = false;
  for (const entry of text.split(/[\n\r,;]+/)) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const angled = trimmed.match(/<([^<>]*)>/);
    const candidates = angled ? [angled[1]!.trim()] : trimmed.split(/\s+/);
    for (const raw of candidates) {
      const candidate = raw.replace(/^mailto:/i, "").toLowerCase();
      if (!ADDRESS.test(candidate) || candidate.length > 254) {
        if (invalid.length < 100) invalid.push(raw.slice(0, 80));
        continue;
      }
      if (seen.has(candidate)) continue;
      if (addresses.length >= MAX_PASTED_ADDRESSES) {
        truncated = true;
        continue;
      }
      seen.add(candidate);
      addresses.push(candidate);
    }
  }
  return { addresses, invalid, truncated };
}
