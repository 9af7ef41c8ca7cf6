/**
 * iCalendar (RFC 5545) writing, pure: CRLF line endings, lines folded at 75 octets (never inside
 * a UTF-8 character), TEXT values escaped (backslash, semicolon, comma, line breaks), times in
 * UTC ("Z"), so no VTIMEZONE is needed and every calendar shows the right moment in its own zone.
 */

/** Escapes a TEXT value (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const encoder = new TextEncoder();

/**
 * Folds one content line: no line longer than 75 octets (excluding CRLF); each continuation
 * starts with one space (which counts toward its 75). Splits only between characters.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      out.push(current);
      current = " ";
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

/** A UTC date-time in iCalendar's form: 20261207T093000Z. */
export function utcStamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export interface CalendarEvent {
  uid: string;
  sequence: number;
  /** When this version of the event was last changed (DTSTAMP). */
  stamp: number;
  start: number;
  end: number;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  cancelled: boolean;
  organizerName: string;
}

/** One content line, "NAME;PARAMS:value", folded. */
function line(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

function quoteParam(value: string): string {
  // Parameter values cannot hold DQUOTE or control characters; quoted, they may hold ; : ,
  return `"${value.replace(/["\u0000-\u001F\u007F]/g, "")}"`;
}

function eventLines(e: CalendarEvent): string[] {
  const lines = [
    "BEGIN:VEVENT",
    line("UID", e.uid),
    line("SEQUENCE", String(e.sequence)),
    line("DTSTAMP", utcStamp(e.stamp)),
    line("DTSTART", utcStamp(e.start)),
    line("DTEND", utcStamp(e.end)),
    line("SUMMARY", escapeText(e.cancelled ? `Cancelled: ${e.summary}` : e.summary)),
    line("DESCRIPTION", escapeText(e.description)),
    line("STATUS", e.cancelled ? "CANCELLED" : "CONFIRMED"),
    foldLine(`ORGANIZER;CN=${quoteParam(e.organizerName)}:mailto:noreply@jamboree.invalid`),
  ];
  if (e.location) lines.push(line("LOCATION", escapeText(e.location)));
  if (e.url) lines.push(line("URL", e.url));
  lines.push("END:VEVENT");
  return lines;
}

/**
 * A whole calendar. `method` PUBLISH for a download or feed; CANCEL for a single cancelled
 * event's download (RFC 5546), which calendars apply to the event with the same UID.
 */
export function calendar(events: CalendarEvent[], options: { name: string; method: "PUBLISH" | "CANCEL" }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Jamboree//Jellies//EN",
    "CALSCALE:GREGORIAN",
    line("METHOD", options.method),
    line("X-WR-CALNAME", escapeText(options.name)),
    ...events.flatMap(eventLines),
    "END:VCALENDAR",
  ];
  return lines.join("\r\n") + "\r\n";
}
