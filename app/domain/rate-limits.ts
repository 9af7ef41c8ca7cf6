/**
 * Per-person rate limits on what people write: pure rules, no I/O.
 *
 * The numbers are far above what a real person does by hand (a fast typist posts an
 * idea a minute at best; a keen voter clicks through a list at maybe one vote every
 * two seconds) and low enough that a script hammering one account is stopped early.
 *
 * | action  | covers                                              | limits               |
 * |---------|-----------------------------------------------------|----------------------|
 * | idea    | postIdea                                            | 10 / minute, 60 / hour |
 * | comment | postComment                                         | 20 / minute, 200 / hour |
 * | vote    | castVote, withdrawVote, castStance, setDots (one budget) | 120 / minute, 1500 / hour |
 * | edit    | editIdea, editComment, proposeAmendment, co-author invitations | 20 / minute, 200 / hour |
 *
 * Every window is a sliding window: an attempt is allowed when fewer than `max`
 * accepted attempts fall in the last `windowMs` milliseconds.
 */
export type RateLimitedAction = "idea" | "comment" | "vote" | "question" | "answer" | "edit";

export interface RateLimit {
  windowMs: number;
  max: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const RATE_LIMITS: Record<RateLimitedAction, readonly RateLimit[]> = {
  idea: [
    { windowMs: MINUTE, max: 10 },
    { windowMs: HOUR, max: 60 },
  ],
  comment: [
    { windowMs: MINUTE, max: 20 },
    { windowMs: HOUR, max: 200 },
  ],
  vote: [
    { windowMs: MINUTE, max: 120 },
    { windowMs: HOUR, max: 1500 },
  ],
  // Each question notifies and e-mails up to three people: far fewer than ideas.
  question: [
    { windowMs: MINUTE, max: 10 },
    { windowMs: HOUR, max: 30 },
  ],
  answer: [
    { windowMs: MINUTE, max: 10 },
    { windowMs: HOUR, max: 100 },
  ],
  edit: [
    { windowMs: MINUTE, max: 20 },
    { windowMs: HOUR, max: 200 },
  ],
};

/**
 * Sign-in and sign-up throttles (app/services/commands/accounts.server.ts), kept in the same shared store.
 * A sign-in attempt is counted before its password is checked and given back when it succeeds,
 * so what stays counted are failures. A browser is trusted for an account when it shows a genuine
 * device cookie for that account (app/auth/device.server.ts).
 *
 * | key                                         | counts                   | limits              |
 * |---------------------------------------------|--------------------------|---------------------|
 * | a trusted browser (its device cookie)        | its failed sign-ins      | 5 / 15 minutes      |
 * | an account, for all its untrusted browsers   | their failed sign-ins    | 5 / 15 minutes      |
 * | an address, for its untrusted browsers       | their failed sign-ins    | 100 / 15 minutes    |
 * | an address                                   | sign-ups                 | 5 / minute, 50 / hour |
 *
 * The address cap is twenty times the account cap and never holds up a trusted browser, so a
 * company behind one NAT address is not locked out by a few colleagues mistyping; it stops one
 * guesser spraying many accounts from one place.
 */
export const SIGN_IN_LIMITS = {
  device: [{ windowMs: 15 * MINUTE, max: 5 }],
  account: [{ windowMs: 15 * MINUTE, max: 5 }],
  address: [{ windowMs: 15 * MINUTE, max: 100 }],
} as const satisfies Record<string, readonly RateLimit[]>;

export const SIGN_UP_LIMITS: readonly RateLimit[] = [
  { windowMs: MINUTE, max: 5 },
  { windowMs: HOUR, max: 50 },
];

/**
 * Mail people can make the app send (app/services/commands/password-reset.server.ts, commands/email-check.server.ts,
 * mail-admin.server.ts). Always on, even with RATE_LIMITS=off: they protect inboxes, including other
 * people's (a stranger typing your address into "Forgot your password?").
 *
 * | key                          | counts                                   | limits                  |
 * |------------------------------|------------------------------------------|-------------------------|
 * | an address typed in the form | password reset requests for it           | 3 / 15 minutes, 6 / hour |
 * | a network address            | password reset requests from it          | 30 / hour                |
 * | a person                     | "send the check again"                   | 3 / hour                 |
 * | an admin                     | test e-mails                             | 5 / 10 minutes           |
 *
 * Windows stay within an hour, the limiter's longest (its keys are swept after it).
 */
export const PASSWORD_RESET_LIMITS = {
  address: [
    { windowMs: 15 * MINUTE, max: 3 },
    { windowMs: HOUR, max: 6 },
  ],
  network: [{ windowMs: HOUR, max: 30 }],
} as const satisfies Record<string, readonly RateLimit[]>;

export const EMAIL_CHECK_LIMITS: readonly RateLimit[] = [{ windowMs: HOUR, max: 3 }];

export const TEST_MAIL_LIMITS: readonly RateLimit[] = [{ windowMs: 10 * MINUTE, max: 5 }];

/**
 * Data rights (app/services/commands/data-export.server.ts, commands/erasure.server.ts):
 *
 * | key                        | counts                                   | limits               |
 * |----------------------------|------------------------------------------|----------------------|
 * | a person's data archive    | archives made (each reads all they did)  | 3 / minute, 10 / hour |
 * | a person's erase confirmation | wrong passwords typed to confirm      | 5 / 15 minutes       |
 */
export const DATA_EXPORT_LIMITS: readonly RateLimit[] = [
  { windowMs: MINUTE, max: 3 },
  { windowMs: HOUR, max: 10 },
];

export const ERASE_CONFIRM_LIMITS: readonly RateLimit[] = [{ windowMs: 15 * MINUTE, max: 5 }];

export function dataExportThrottledMessage(seconds: number): string {
  return `You have downloaded your data several times just now. Try again in ${wait(seconds)}.`;
}

export function eraseConfirmThrottledMessage(seconds: number): string {
  return `Too many wrong passwords. Try again in ${wait(seconds)}.`;
}

/** The longest window of any limit: a key with no hit this recent can be forgotten. */
export const LONGEST_WINDOW_MS = Math.max(
  ...[
    ...Object.values(RATE_LIMITS),
    ...Object.values(SIGN_IN_LIMITS),
    SIGN_UP_LIMITS,
    ...Object.values(PASSWORD_RESET_LIMITS),
    EMAIL_CHECK_LIMITS,
    TEST_MAIL_LIMITS,
    DATA_EXPORT_LIMITS,
    ERASE_CONFIRM_LIMITS,
  ].flatMap((ls) => ls.map((l) => l.windowMs)),
);

/** The most hits any action needs remembered (its largest `max`). */
export function historyNeeded(limits: readonly RateLimit[]): number {
  return Math.max(...limits.map((l) => l.max));
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number; limit: RateLimit };

/**
 * Decides one attempt at `now` given the times of earlier accepted attempts
 * (ascending). Refused when some window already holds `max` hits; the wait is
 * until the oldest hit that keeps it full leaves that window. Hits "in the
 * future" (a clock that went backwards) count as inside every window.
 */
export function decide(hits: readonly number[], limits: readonly RateLimit[], now: number): RateDecision {
  let worst: { retryAfterMs: number; limit: RateLimit } | null = null;
  for (const limit of limits) {
    const from = now - limit.windowMs; // a hit at `from` or earlier has left the window
    let inWindow = 0;
    for (let i = hits.length - 1; i >= 0 && hits[i]! > from; i--) inWindow++;
    if (inWindow < limit.max) continue;
    // The window holds hits[n - inWindow .. n-1]; it frees a slot when hits[n - max] leaves it.
    const blocker = hits[hits.length - limit.max]!;
    const retryAfterMs = Math.max(1, blocker + limit.windowMs - now);
    if (!worst || retryAfterMs > worst.retryAfterMs) worst = { retryAfterMs, limit };
  }
  return worst ? { allowed: false, ...worst } : { allowed: true };
}

/** Whole seconds to wait, at least 1 (what Retry-After carries). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

const VERBS: Record<RateLimitedAction, string> = { idea: "posting ideas", comment: "commenting", vote: "voting", question: "asking questions", answer: "answering", edit: "editing" };

/** The message a person sees when refused. */
export function tooFastMessage(action: RateLimitedAction, seconds: number): string {
  return `You're ${VERBS[action]} very fast. Try again in ${wait(seconds)}.`;
}

function wait(seconds: number): string {
  return seconds === 1 ? "1 second" : seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** The message a person sees when sign-in is throttled for `whom`. */
export function signInThrottledMessage(whom: "device" | "account" | "address", seconds: number): string {
  const why = {
    device: "Too many failed sign-ins from this browser.",
    account: "Too many failed sign-ins to this account from browsers it has not used before.",
    address: "Too many failed sign-ins from your network.",
  }[whom];
  const elsewhere = whom === "device" ? "" : " A browser you have signed in with before can still sign in.";
  return `${why} Try again in ${wait(seconds)}.${elsewhere}`;
}

/** The message a person sees when sign-ups from their address are throttled. */
export function signUpThrottledMessage(seconds: number): string {
  return `Too many accounts were created from your network just now. Try again in ${wait(seconds)}.`;
}

/** The message a person sees when they asked for mail too often. */
export function mailThrottledMessage(what: "reset-address" | "reset-network" | "check" | "test", seconds: number): string {
  const why = {
    "reset-address": "A reset link was asked for this address several times just now.",
    "reset-network": "Many reset links were asked for from your network just now.",
    check: "We sent the check e-mail several times already.",
    test: "You sent several test e-mails just now.",
  }[what];
  return `${why} Try again in ${wait(seconds)}.`;
}
