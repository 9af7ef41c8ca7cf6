/**
 * E-mail: which kinds of mail there are, how each person may receive them, and the pure rules of
 * the outbox (back-off, digest times, what an address that was never checked gets). No I/O: the
 * outbox (app/mail/outbox.server.ts) and the sender (app/mail/sender.server.ts) apply these.
 */

/** Every kind of mail the app sends. */
export const MAIL_KINDS = [
  "invitation",
  "jam_opening",
  "pulse",
  "reminder",
  "results",
  "action_status",
  "idea_stage",
  "review_reminder",
  "question",
  "community_digest",
  "password_reset",
  "email_check",
  "test",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * Kinds sent at once, always, whatever the person chose: each goes only to the person who just
 * asked for it (a password reset, an address check, an admin's test to themself), so there is
 * nothing to turn off or to wait for.
 */
export const ALWAYS_IMMEDIATE_KINDS = ["password_reset", "email_check", "test"] as const satisfies readonly MailKind[];
export type AlwaysImmediateKind = (typeof ALWAYS_IMMEDIATE_KINDS)[number];

/** The kinds a person chooses how to receive, in the order the settings form lists them. */
export const CHOOSABLE_MAIL_KINDS = ["invitation", "jam_opening", "pulse", "reminder", "results", "action_status", "idea_stage", "review_reminder", "question", "community_digest"] as const satisfies readonly MailKind[];
export type ChoosableMailKind = (typeof CHOOSABLE_MAIL_KINDS)[number];

export function isChoosable(kind: MailKind): kind is ChoosableMailKind {
  return (CHOOSABLE_MAIL_KINDS as readonly MailKind[]).includes(kind);
}

/** How a person receives a kind: each message at once, collected into a daily or weekly digest, or not at all. */
export const MAIL_DELIVERIES = ["immediately", "daily", "weekly", "never"] as const;
export type MailDelivery = (typeof MAIL_DELIVERIES)[number];
export type DigestDelivery = Extract<MailDelivery, "daily" | "weekly">;

export const MAIL_DELIVERY_LABELS: Record<MailDelivery, string> = {
  immediately: "Immediately",
  daily: "Daily digest",
  weekly: "Weekly digest",
  never: "Nothing",
};

/** What each kind is, for the settings form and the admin's outbox. */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  invitation: "Invitations to jams",
  jam_opening: "A jam opens",
  pulse: "Pulse of a live jam",
  reminder: "Reminder before a jam ends",
  results: "Results published",
  action_status: "Actions on my ideas",
  idea_stage: "My ideas in a review",
  review_reminder: "Reminders to finish a review",
  question: "Questions for me",
  community_digest: "Weekly digest of my communities",
  password_reset: "Password reset",
  email_check: "Address check",
  test: "Test e-mail",
};

export const MAIL_KIND_HINTS: Record<ChoosableMailKind, string> = {
  invitation: "You are invited to take part in a jam.",
  jam_opening: "A jam you were invited to is open for ideas.",
  pulse: "During a live jam: what's new, what's rising and replies to you.",
  reminder: "A jam you can take part in ends soon.",
  results: "A jam you took part in has published what it found.",
  action_status: "A follow-up action your idea fed changes status.",
  idea_stage: "Your idea is shortlisted, selected or not selected in a review.",
  review_reminder: "A review you were asked to do is due soon and you have ideas left to score.",
  question: "A colleague asks you a question because of what you know.",
  community_digest: "Once a week, for each community you belong to: new ideas, questions, jellies, members and resources.",
};

/** What a person gets when they have not chosen: every kind at once, except the pulse, which comes once a day. */
export const DEFAULT_MAIL_DELIVERY: Record<ChoosableMailKind, MailDelivery> = {
  invitation: "immediately",
  jam_opening: "immediately",
  pulse: "daily",
  reminder: "immediately",
  results: "immediately",
  action_status: "immediately",
  idea_stage: "immediately",
  review_reminder: "immediately",
  question: "immediately",
  community_digest: "immediately",
};

/** How `kind` reaches a person who chose `chosen` for it (undefined: they never chose). */
export function deliveryFor(kind: MailKind, chosen: MailDelivery | undefined): MailDelivery {
  if (!isChoosable(kind)) return "immediately";
  return chosen ?? DEFAULT_MAIL_DELIVERY[kind];
}

/**
 * Whether a person's address may receive `kind`. An address nobody has shown they read (a password
 * account that has not followed its check link yet) gets only the mail that proves or uses that
 * it is theirs: the check itself, a password reset they asked for, an admin's test. Jam mail waits
 * until the address is checked, so a sign-up with someone else's address sends that person nothing
 * but one check mail. Accounts of the company's sign-on (no password) are vouched for by it.
 */
export function addressMayReceive(kind: MailKind, person: { emailVerifiedAt: number | null; passwordHash: string }): boolean {
  if (!isChoosable(kind)) return true;
  return person.emailVerifiedAt !== null || person.passwordHash === "";
}

// ---------------------------------------------------------------------------
// The outbox

/** A message is given up (status failed, shown to the admin) after this many attempts. */
export const MAX_SEND_ATTEMPTS = 8;
/** The first retry waits this long; each one after waits twice as long as the one before. */
export const FIRST_RETRY_MS = 60_000;
/** No wait between attempts is longer than this. */
export const LONGEST_RETRY_MS = 6 * 60 * 60_000;

/**
 * How long to wait before the next attempt, after `attempts` attempts have failed: 1 min, 2, 4, 8,
 * … up to 6 hours (the eight attempts span about four hours). `jitter` in [0, 1) spreads retries of
 * many messages that failed together by up to a fifth of the wait.
 */
export function retryDelayMs(attempts: number, jitter = 0): number {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 + Math.min(Math.max(jitter, 0), 0.999) / 5));
}

/** After a failed attempt: try again at `at`, or give up. */
export function afterFailure(attempts: number, now: number, jitter = 0): { retryAt: number } | { giveUp: true } {
  if (attempts >= MAX_SEND_ATTEMPTS) return { giveUp: true };
  return { retryAt: now + retryDelayMs(attempts, jitter) };
}

// ---------------------------------------------------------------------------
// Digests

/** Digests go out at this hour (UTC): daily every day, weekly on Mondays. */
export const DIGEST_HOUR_UTC = 7;
const DAY_MS = 24 * 60 * 60_000;

/**
 * When a digest item queued at `now` goes out: the next 07:00 UTC after it (daily), or the next
 * Monday 07:00 UTC (weekly). Every item due at the same moment joins one message per person.
 */
export function digestDueAt(delivery: DigestDelivery, now: number): number {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  let due = day + DIGEST_HOUR_UTC * 60 * 60_000;
  if (due <= now) due += DAY_MS;
  if (delivery === "weekly") {
    // 1970-01-01 was a Thursday: getUTCDay() is 0 on Sundays, 1 on Mondays.
    while (new Date(due).getUTCDay() !== 1) due += DAY_MS;
  }
  return due;
}

// ---------------------------------------------------------------------------
// Writing a message

/** Text for HTML: the five characters that could start markup or end an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export interface MailContent {
  /** The first line: "Hello Sam," */
  greeting?: string;
  /** Paragraphs of plain text (what people wrote is quoted as text, never as HTML). */
  paragraphs: string[];
  /** The one thing to do: a button in HTML, a line with the address in text. */
  action?: { label: string; url: string };
  /** Small print after the action. */
  after?: string[];
}

const STYLE = {
  body: "margin:0;padding:24px;background:#f5f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1d1d1f;",
  card: "max-width:560px;margin:0 auto;background:#ffffff;border-radius:12px;padding:28px;",
  p: "margin:0 0 14px;font-size:15px;line-height:1.5;",
  button: "display:inline-block;background:#4338ca;color:#ffffff;text-decoration:none;padding:11px 18px;border-radius:8px;font-weight:600;font-size:15px;",
  small: "margin:0 0 8px;font-size:13px;line-height:1.5;color:#555;",
};

/** A message's plain-text part and an HTML part saying the same, every piece of text escaped. */
export function composeMail(content: MailContent): { text: string; html: string } {
  const text = [
    ...(content.greeting ? [content.greeting, ""] : []),
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    ...(content.after ?? []).flatMap((p) => [p, ""]),
  ]
    .join("\n")
    .trimEnd();
  const p = (s: string, style = STYLE.p) => `<p style="${style}">${escapeHtml(s).replace(/\n/g, "<br>")}</p>`;
  const html = [
    `<div style="${STYLE.card}">`,
    ...(content.greeting ? [p(content.greeting)] : []),
    ...content.paragraphs.map((s) => p(s)),
    ...(content.action
      ? [`<p style="margin:20px 0;"><a href="${escapeHtml(content.action.url)}" style="${STYLE.button}">${escapeHtml(content.action.label)}</a></p>`]
      : []),
    ...(content.after ?? []).map((s) => p(s, STYLE.small)),
    `</div>`,
  ].join("\n");
  return { text, html };
}

/** A whole HTML document around a message's HTML part, with its footer. */
export function htmlDocument(subject: string, inner: string, footerHtml: string): string {
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    inner,
    `<div style="max-width:560px;margin:16px auto 0;font-size:12px;line-height:1.5;color:#666;">${footerHtml}</div>`,
    "</body></html>",
  ].join("\n");
}

/** What an unsubscribe link switches off: one kind, every kind that comes in one digest, or all mail a person can switch off. */
export type UnsubscribeScope = ChoosableMailKind | "daily_digest" | "weekly_digest" | "all";

export function unsubscribeScopeOf(kind: MailKind | "daily_digest" | "weekly_digest"): UnsubscribeScope {
  if (kind === "daily_digest" || kind === "weekly_digest") return kind;
  return isChoosable(kind) ? kind : "all";
}

/** What an unsubscribe scope stops, in words. */
export function unsubscribeScopeLabel(scope: UnsubscribeScope): string {
  if (scope === "all") return "all e-mail about jams";
  if (scope === "daily_digest") return "the daily digest";
  if (scope === "weekly_digest") return "the weekly digest";
  return `“${MAIL_KIND_LABELS[scope]}” e-mails`;
}

/**
 * The kinds a scope switches to "nothing", given what the person has now: one kind; every kind
 * that now comes in that digest; or every kind.
 */
export function kindsStoppedBy(scope: UnsubscribeScope, current: Record<ChoosableMailKind, MailDelivery>): ChoosableMailKind[] {
  if (scope === "all") return [...CHOOSABLE_MAIL_KINDS];
  if (scope === "daily_digest") return CHOOSABLE_MAIL_KINDS.filter((k) => current[k] === "daily");
  if (scope === "weekly_digest") return CHOOSABLE_MAIL_KINDS.filter((k) => current[k] === "weekly");
  return [scope];
}

/** What an outbox row can be: one kind of mail, or a digest collecting several. */
export const OUTBOX_KINDS = [...MAIL_KINDS, "daily_digest", "weekly_digest"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_KIND_LABELS: Record<OutboxKind, string> = {
  ...MAIL_KIND_LABELS,
  daily_digest: "Daily digest",
  weekly_digest: "Weekly digest",
};

/** Where a message stands in the outbox. */
export const OUTBOX_STATUSES = ["queued", "sent", "failed", "cancelled"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
