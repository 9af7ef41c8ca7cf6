/**
 * The one layout every jam e-mail is written in. A message is a list of blocks (paragraphs,
 * lists, figures, a button); `renderMessage` turns the same blocks into the plain-text part and
 * the HTML part, so the two always say the same thing. Pure: no I/O, no clock.
 *
 * The HTML part is a fragment (one card), as the outbox takes it: the outbox puts it in a
 * document with the footer every message has (why, the one-click unsubscribe, where to choose),
 * or puts it in a digest. `mailDocument` makes a whole document of it for previews.
 *
 * Safety: every piece of text that reaches the HTML goes through `escapeHtml` (people's names
 * and the titles of jams and ideas are people's text), every link is built from the base URL
 * given and a path the app makes, and subjects are one line (`oneLine`): a title with a line
 * break cannot add a header. The HTML uses inline styles only (mail clients drop style sheets).
 */

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export interface ListItem {
  /** The line's main text (a title: people's text, escaped). */
  text: string;
  /** Where the text links to (an absolute URL made by `linkTo`). */
  href?: string;
  /** A short note after the text ("3 new supporters", "by Sam Lee"). */
  note?: string;
}

export type Block =
  | { kind: "p"; text: string; muted?: boolean }
  /** Text a person wrote, shown as a quotation with its line breaks. */
  | { kind: "quote"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "list"; items: ListItem[] }
  /** A row of figures: "42 new ideas · 130 comments". */
  | { kind: "figures"; items: { value: number; label: string }[] }
  | { kind: "button"; label: string; href: string };

export interface MailContent {
  subject: string;
  /** The short line mail clients show after the subject in a list of messages. */
  preheader: string;
  heading: string;
  /** "Hi Sam," (people's text, escaped). */
  greeting?: string;
  blocks: Block[];
  /**
   * Why the person gets it, the last line of the message. The outbox adds the footer every
   * message has after it (the one-click unsubscribe and where to choose what one gets).
   */
  reason: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML, both between tags and inside a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * One line of text: line breaks, tabs and every other control character become spaces, runs of
 * spaces one, and the result at most `max` characters (ended with "…"). For subjects and for
 * people's text that must stay on one line (titles, names).
 */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, " ").replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * An absolute link to a page of the app: `path` (the app's own, starting with "/") under `base`
 * (the address people reach the app at, `PUBLIC_URL`, which may have a path of its own).
 * Refuses a base that is not http(s).
 */
export function linkTo(base: string, path: string): string {
  const root = new URL(base.endsWith("/") ? base : `${base}/`);
  if (root.protocol !== "https:" && root.protocol !== "http:") throw new Error("The public address must start with https:// or http://.");
  root.search = "";
  root.hash = "";
  return new URL(path.replace(/^\/+/, ""), root).toString();
}

const dateTime = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** A moment for a reader whose time zone is unknown: "Tue 12 May 2026, 09:00 UTC". */
export function mailTime(at: number): string {
  return `${dateTime.format(at)} UTC`;
}

/** "1 idea", "3 ideas". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/** How long is left, in words: "2 days", "23 hours", "40 minutes". */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return count(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 36) return count(hours, "hour");
  return count(Math.round(hours / 24), "day");
}

// ---------------------------------------------------------------- plain text

function textBlock(block: Block): string {
  switch (block.kind) {
    case "p":
      return block.text;
    case "quote":
      return block.text
        .trim()
        .split(/\r\n|\r|\n/)
        .map((line) => `> ${line}`)
        .join("\n");
    case "heading":
      return `${block.text}\n${"-".repeat(Math.min(block.text.length, 60))}`;
    case "list":
      return block.items
        .map((item) => `- ${oneLine(item.text, 300)}${item.note ? ` (${item.note})` : ""}${item.href ? `\n  ${item.href}` : ""}`)
        .join("\n");
    case "figures":
      return block.items.map((f) => `${f.value.toLocaleString("en-GB")} ${f.label}`).join(" · ");
    case "button":
      return `${block.label}: ${block.href}`;
  }
}

function renderText(content: MailContent): string {
  const parts = [content.heading, "=".repeat(Math.min(content.heading.length, 60))];
  if (content.greeting) parts.push("", content.greeting);
  for (const block of content.blocks) parts.push("", textBlock(block));
  parts.push("", content.reason);
  return `${parts.join("\n")}\n`;
}

// ---------------------------------------------------------------- HTML

const FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
/** The outbox's mail colours (app/domain/mail.ts), so every message looks alike. */
const C = {
  page: "#f5f5f7",
  text: "#1d1d1f",
  muted: "#555555",
  link: "#4338ca",
  fill: "#4338ca",
  soft: "#eef0ff",
  line: "#a5b4fc",
};

const S = {
  card: `max-width:560px;margin:0 auto;background:#ffffff;border-radius:12px;padding:24px 20px;font-family:${FONT};color:${C.text};`,
  h1: `margin:0 0 16px;font-size:22px;line-height:1.25;color:${C.text};overflow-wrap:anywhere;`,
  p: `margin:0 0 14px;font-size:15px;line-height:1.5;color:${C.text};overflow-wrap:anywhere;`,
  muted: `margin:0 0 14px;font-size:14px;line-height:1.5;color:${C.muted};overflow-wrap:anywhere;`,
  reason: `margin:20px 0 0;font-size:13px;line-height:1.5;color:${C.muted};`,
  h2: `margin:22px 0 8px;font-size:16px;line-height:1.3;color:${C.text};`,
  quote: `margin:0 0 14px;padding:6px 12px;border-left:4px solid ${C.line};font-size:15px;line-height:1.5;color:${C.text};white-space:pre-line;overflow-wrap:anywhere;`,
  list: "margin:0 0 14px;padding:0 0 0 20px;",
  li: `margin:0 0 8px;font-size:15px;line-height:1.45;color:${C.text};overflow-wrap:anywhere;`,
  link: `color:${C.link};text-decoration:underline;`,
  note: `display:block;color:${C.muted};font-size:13px;`,
  figure: `display:inline-block;margin:0 8px 8px 0;padding:8px 12px;border-radius:8px;background:${C.soft};color:${C.text};font-size:13px;line-height:1.3;`,
  figureValue: "display:block;font-size:20px;font-weight:700;",
  button: `display:inline-block;padding:11px 18px;border-radius:8px;background:${C.fill};color:#ffffff;font-size:15px;font-weight:600;text-decoration:none;`,
};

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case "p":
      return `<p style="${block.muted ? S.muted : S.p}">${escapeHtml(block.text)}</p>`;
    case "quote":
      return `<blockquote style="${S.quote}">${escapeHtml(block.text.trim())}</blockquote>`;
    case "heading":
      return `<h2 style="${S.h2}">${escapeHtml(block.text)}</h2>`;
    case "list":
      return `<ul style="${S.list}">${block.items
        .map((item) => {
          const text = escapeHtml(oneLine(item.text, 300));
          const main = item.href ? `<a href="${escapeHtml(item.href)}" style="${S.link}">${text}</a>` : text;
          return `<li style="${S.li}">${main}${item.note ? `<span style="${S.note}">${escapeHtml(item.note)}</span>` : ""}</li>`;
        })
        .join("")}</ul>`;
    case "figures":
      return `<div style="margin:0 0 6px;">${block.items
        .map((f) => `<span style="${S.figure}"><strong style="${S.figureValue}">${f.value.toLocaleString("en-GB")}</strong>${escapeHtml(f.label)}</span>`)
        .join("")}</div>`;
    case "button":
      return `<p style="margin:22px 0 6px;"><a href="${escapeHtml(block.href)}" style="${S.button}">${escapeHtml(block.label)}</a></p>`;
  }
}

/** The message as one card of HTML, the fragment the outbox takes. */
function renderHtml(content: MailContent): string {
  return [
    `<div style="${S.card}">`,
    // What list views show after the subject; hidden in the message itself.
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;" aria-hidden="true">${escapeHtml(content.preheader)}</div>`,
    `<h1 style="${S.h1}">${escapeHtml(content.heading)}</h1>`,
    content.greeting ? `<p style="${S.p}">${escapeHtml(content.greeting)}</p>` : "",
    ...content.blocks.map(htmlBlock),
    `<p style="${S.reason}">${escapeHtml(content.reason)}</p>`,
    "</div>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/** The subject (one line), plain text and HTML (a fragment) of a message. */
export function renderMessage(content: MailContent): ComposedMail {
  const subject = oneLine(content.subject, 180);
  const safe = { ...content, subject, heading: oneLine(content.heading, 200), preheader: oneLine(content.preheader, 200) };
  return { subject, text: renderText(safe), html: renderHtml(safe) };
}

/** A whole HTML document around a message's fragment, to show it as a mail program would (previews). */
export function mailDocument(mail: ComposedMail, footerHtml = ""): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(mail.subject)}</title></head>`,
    `<body style="margin:0;padding:24px 12px;background:${C.page};">`,
    mail.html,
    footerHtml ? `<div style="max-width:560px;margin:16px auto 0;font-family:${FONT};font-size:12px;line-height:1.5;color:#666;">${footerHtml}</div>` : "",
    "</body>",
    "</html>",
  ].join("\n");
}

/** "Hi Sam," from a person's name (one line), or "Hello," without one. */
export function greeting(name: string | null | undefined): string {
  const clean = name ? oneLine(name, 80) : "";
  return clean ? `Hi ${clean},` : "Hello,";
}
