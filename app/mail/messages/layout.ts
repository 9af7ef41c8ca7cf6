/**
 * The one layout every jam e-mail is written in. A message is a list of blocks (paragraphs,
 * lists, figures, a button); `renderMessage` turns the same blocks into the plain-text part and
 * the HTML part, so the two always say the same thing. Pure: no I/O, no clock.
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
  /** Why the person gets it, shown small at the end, and where they choose what they get. */
  footer: { reason: string; preferencesUrl?: string };
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
  parts.push("", "--", content.footer.reason);
  if (content.footer.preferencesUrl) parts.push(`Choose which e-mails you get: ${content.footer.preferencesUrl}`);
  return `${parts.join("\n")}\n`;
}

// ---------------------------------------------------------------- HTML

const FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";
const C = {
  bg: "#f6f5f2",
  surface: "#ffffff",
  text: "#1d1b22",
  muted: "#5d5a66",
  border: "#dedad2",
  brand: "#5b3cc4",
  brandFill: "#5b3cc4",
  brandSoft: "#ece6ff",
};

const S = {
  p: `margin:0 0 16px;font-size:16px;line-height:1.5;color:${C.text};`,
  muted: `margin:0 0 16px;font-size:14px;line-height:1.5;color:${C.muted};`,
  h2: `margin:24px 0 8px;font-size:17px;line-height:1.3;color:${C.text};`,
  quote: `margin:0 0 16px;padding:8px 12px;border-left:4px solid #b3a4ff;font-size:15px;line-height:1.5;color:${C.text};white-space:pre-line;word-wrap:break-word;overflow-wrap:anywhere;`,
  list: "margin:0 0 16px;padding:0 0 0 20px;",
  li: `margin:0 0 8px;font-size:15px;line-height:1.45;color:${C.text};overflow-wrap:anywhere;`,
  link: `color:${C.brand};text-decoration:underline;`,
  note: `display:block;color:${C.muted};font-size:14px;`,
  figure: `display:inline-block;margin:0 8px 8px 0;padding:8px 12px;border-radius:8px;background:${C.brandSoft};color:${C.text};font-size:14px;line-height:1.3;`,
  figureValue: "display:block;font-size:22px;font-weight:700;",
  button: `display:inline-block;padding:12px 20px;border-radius:8px;background:${C.brandFill};color:#ffffff;font-size:16px;font-weight:600;text-decoration:none;`,
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
          return `<li style="${S.li}">${main}${item.note ? ` <span style="${S.note}">${escapeHtml(item.note)}</span>` : ""}</li>`;
        })
        .join("")}</ul>`;
    case "figures":
      return `<div style="margin:0 0 8px;">${block.items
        .map((f) => `<span style="${S.figure}"><strong style="${S.figureValue}">${f.value.toLocaleString("en-GB")}</strong>${escapeHtml(f.label)}</span>`)
        .join("")}</div>`;
    case "button":
      return `<p style="margin:24px 0 8px;"><a href="${escapeHtml(block.href)}" style="${S.button}">${escapeHtml(block.label)}</a></p>`;
  }
}

function renderHtml(content: MailContent): string {
  const subject = escapeHtml(content.subject);
  const footer = [
    `<p style="margin:0 0 8px;">${escapeHtml(content.footer.reason)}</p>`,
    content.footer.preferencesUrl
      ? `<p style="margin:0;"><a href="${escapeHtml(content.footer.preferencesUrl)}" style="color:${C.muted};text-decoration:underline;">Choose which e-mails you get</a></p>`
      : "",
  ].join("");
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${subject}</title>`,
    "</head>",
    `<body style="margin:0;padding:0;background:${C.bg};">`,
    // What list views show after the subject; hidden in the message itself.
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;" aria-hidden="true">${escapeHtml(content.preheader)}</div>`,
    `<div role="article" aria-roledescription="email" aria-label="${subject}" lang="en" style="background:${C.bg};padding:24px 12px;font-family:${FONT};">`,
    `<div style="max-width:600px;margin:0 auto;">`,
    `<p style="margin:0 0 12px;font-size:15px;font-weight:700;letter-spacing:0.02em;color:${C.brand};">Jamboree</p>`,
    `<div style="background:${C.surface};border:1px solid ${C.border};border-radius:10px;padding:24px 20px;">`,
    `<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;color:${C.text};overflow-wrap:anywhere;">${escapeHtml(content.heading)}</h1>`,
    content.greeting ? `<p style="${S.p}">${escapeHtml(content.greeting)}</p>` : "",
    ...content.blocks.map(htmlBlock),
    "</div>",
    `<div style="padding:16px 4px 0;font-size:13px;line-height:1.5;color:${C.muted};">${footer}</div>`,
    "</div>",
    "</div>",
    "</body>",
    "</html>",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/** The subject (one line), plain text and HTML of a message. */
export function renderMessage(content: MailContent): ComposedMail {
  const subject = oneLine(content.subject, 180);
  const safe = { ...content, subject, heading: oneLine(content.heading, 200), preheader: oneLine(content.preheader, 200) };
  return { subject, text: renderText(safe), html: renderHtml(safe) };
}

/** "Hi Sam," from a person's name (one line), or "Hello," without one. */
export function greeting(name: string | null | undefined): string {
  const clean = name ? oneLine(name, 80) : "";
  return clean ? `Hi ${clean},` : "Hello,";
}
