/**
 * How people vote in a challenge, chosen by the facilitator per challenge:
 *
 * - support: one up-vote per person per idea (the default);
 * - stance: agree / disagree / pass on each idea, as Polis does, one idea at a
 *   time, least-voted first so every idea gets seen;
 * - dots: each person spends a budget of dots, at most a few on one idea.
 *
 * Pure rules only: the services enforce them inside their transactions.
 */

export const VOTE_MODES = ["support", "stance", "dots"] as const;
export type VoteMode = (typeof VOTE_MODES)[number];

export const STANCES = ["agree", "disagree", "pass"] as const;
export type Stance = (typeof STANCES)[number];

/** What a person does to an idea; each mode allows exactly one of them. */
export type VoteAction = "support" | "stance" | "dots";

export const VOTE_MODE_LABELS: Record<VoteMode, string> = {
  support: "Support",
  stance: "Agree / disagree / pass",
  dots: "Dots",
};

export const VOTE_MODE_HINTS: Record<VoteMode, string> = {
  support: "Everyone can support as many ideas as they like, one vote per idea.",
  stance: "People agree, disagree or pass on each idea, one at a time; the least-voted ideas are shown first.",
  dots: "Everyone spends a budget of dots, with a limit per idea: good for a closing round.",
};

export const STANCE_LABELS: Record<Stance, string> = { agree: "Agree", disagree: "Disagree", pass: "Pass" };

/** Past tense, for "You agreed". */
export const STANCE_DONE: Record<Stance, string> = { agree: "agreed", disagree: "disagreed", pass: "passed" };

/** The keyboard shortcut of each stance button in the one-at-a-time flow. */
export const STANCE_KEYS: Record<Stance, string> = { agree: "a", disagree: "d", pass: "p" };

export function isVoteMode(value: unknown): value is VoteMode {
  return typeof value === "string" && (VOTE_MODES as readonly string[]).includes(value);
}

export function isStance(value: unknown): value is Stance {
  return typeof value === "string" && (STANCES as readonly string[]).includes(value);
}

export function modeAllows(mode: VoteMode, action: VoteAction): boolean {
  return mode === action;
}

const HOW: Record<VoteMode, string> = {
  support: "with support votes",
  stance: "by agreeing, disagreeing or passing",
  dots: "with dots",
};

const NOUN: Record<VoteAction, string> = {
  support: "support votes are",
  stance: "agree / disagree / pass votes are",
  dots: "dots are",
};

/** Why an action does not fit the challenge's mode, or null when it does. */
export function modeRefusal(mode: VoteMode, action: VoteAction): string | null {
  if (modeAllows(mode, action)) return null;
  return `This challenge votes ${HOW[mode]}; ${NOUN[action]} not used here.`;
}

/** Limits a facilitator may choose for dot voting. */
export const DOT_LIMITS = { minBudget: 1, maxBudget: 100, minPerIdea: 1 } as const;

export const DEFAULT_DOTS = { budget: 10, maxPerIdea: 3 } as const;

/** Why a dot budget / per-idea maximum pair is not acceptable, or null. */
export function dotSettingsRefusal(budget: number, maxPerIdea: number): { field: "dotBudget" | "dotMaxPerIdea"; message: string } | null {
  if (!Number.isInteger(budget) || budget < DOT_LIMITS.minBudget || budget > DOT_LIMITS.maxBudget) {
    return { field: "dotBudget", message: `Give each person between ${DOT_LIMITS.minBudget} and ${DOT_LIMITS.maxBudget} dots.` };
  }
  if (!Number.isInteger(maxPerIdea) || maxPerIdea < DOT_LIMITS.minPerIdea || maxPerIdea > budget) {
    return { field: "dotMaxPerIdea", message: `Allow between ${DOT_LIMITS.minPerIdea} and ${budget} dots on one idea (no more than the budget).` };
  }
  return null;
}

/**
 * Why a person may not move from `currentOnIdea` to `newOnIdea` dots on one
 * idea, given `currentTotal` dots already spent in the challenge (including
 * `currentOnIdea`), or null when they may. Taking dots back is always allowed,
 * so someone over budget (an idea restored after a hide) can recover.
 */
export function allocationRefusal(
  currentTotal: number,
  currentOnIdea: number,
  newOnIdea: number,
  budget: number,
  maxPerIdea: number,
): string | null {
  if (!Number.isInteger(newOnIdea) || newOnIdea < 0) return "Dots are whole numbers, zero or more.";
  if (newOnIdea <= currentOnIdea) return null;
  if (newOnIdea > maxPerIdea) return `You can put at most ${plural(maxPerIdea, "dot")} on one idea.`;
  const newTotal = currentTotal - currentOnIdea + newOnIdea;
  if (newTotal > budget) {
    const left = Math.max(0, budget - currentTotal);
    return left === 0
      ? `You have spent all ${plural(budget, "dot")}. Take dots off another idea first.`
      : `You have only ${plural(left, "dot")} left.`;
  }
  return null;
}

export function canAllocate(currentTotal: number, currentOnIdea: number, newOnIdea: number, budget: number, maxPerIdea: number): boolean {
  return allocationRefusal(currentTotal, currentOnIdea, newOnIdea, budget, maxPerIdea) === null;
}

export function dotsLeft(budget: number, spent: number): number {
  return Math.max(0, budget - spent);
}

/** Why + is disabled on an idea, or null when one more dot may go on it. */
export function addDotRefusal(spent: number, onIdea: number, budget: number, maxPerIdea: number): string | null {
  if (onIdea >= maxPerIdea) return `At most ${plural(maxPerIdea, "dot")} per idea.`;
  if (spent >= budget) return "All your dots are spent. Take one off another idea to move it here.";
  return null;
}

export interface StanceCounts {
  agreeCount: number;
  disagreeCount: number;
  passCount: number;
}

const COUNTER: Record<Stance, keyof StanceCounts> = { agree: "agreeCount", disagree: "disagreeCount", pass: "passCount" };

/** How each cached counter moves when a person's stance goes from `from` (none: null) to `to`. */
export function stanceDelta(from: Stance | null, to: Stance): StanceCounts {
  const delta: StanceCounts = { agreeCount: 0, disagreeCount: 0, passCount: 0 };
  if (from === to) return delta;
  if (from) delta[COUNTER[from]] -= 1;
  delta[COUNTER[to]] += 1;
  return delta;
}

export function stanceTotal(c: StanceCounts): number {
  return c.agreeCount + c.disagreeCount + c.passCount;
}

/** Whole-number percentages of each stance (they add up to 100 when anyone voted). */
export function stanceShares(c: StanceCounts): Record<Stance, number> {
  const total = stanceTotal(c);
  if (total === 0) return { agree: 0, disagree: 0, pass: 0 };
  const agree = Math.round((c.agreeCount / total) * 100);
  const disagree = Math.round((c.disagreeCount / total) * 100);
  return { agree, disagree, pass: Math.max(0, 100 - agree - disagree) };
}

/** Which cached counter ranks ideas under "Top" in each mode. */
export const RANKING_COUNTER: Record<VoteMode, "voteCount" | "agreeCount" | "dotCount"> = {
  support: "voteCount",
  stance: "agreeCount",
  dots: "dotCount",
};

/**
 * Why a challenge's voting mode is fixed now that `votesInMode` votes were cast in
 * it, or null while it may still change. The edit form shows this instead of a choice.
 */
export function voteModeLockReason(mode: VoteMode, votesInMode: number): string | null {
  if (votesInMode === 0) return null;
  return `People have already voted on this challenge ${HOW[mode]}; its voting mode can no longer change.`;
}

/** Whether a challenge may switch from `from` to `to` now that `votesInOldMode` votes were cast the old way. */
export function modeChangeRefusal(from: VoteMode, to: VoteMode, votesInOldMode: number): string | null {
  if (from === to) return null;
  return voteModeLockReason(from, votesInOldMode);
}

/**
 * Whether dot settings may change once dots were placed: only upwards, so
 * nobody is left over budget or over the per-idea limit.
 */
export function dotSettingsChangeRefusal(
  from: { budget: number; maxPerIdea: number },
  to: { budget: number; maxPerIdea: number },
  dotsPlaced: number,
): { field: "dotBudget" | "dotMaxPerIdea"; message: string } | null {
  if (dotsPlaced === 0) return null;
  if (to.budget < from.budget) {
    return { field: "dotBudget", message: `Dots have already been placed; the budget can grow but not shrink below ${from.budget}.` };
  }
  if (to.maxPerIdea < from.maxPerIdea) {
    return { field: "dotMaxPerIdea", message: `Dots have already been placed; the limit per idea can grow but not shrink below ${from.maxPerIdea}.` };
  }
  return null;
}

function plural(n: number, one: string) {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}
