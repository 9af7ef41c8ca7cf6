/**
 * Points rules: what earns points, how many, and the limits that keep the game
 * about quality rather than volume. Pure: the gamification service applies them.
 */
import { z } from "zod";

export const POINT_REASONS = [
  "idea_posted",
  "comment_replied",
  "support_received",
  "idea_tagged_best",
  "idea_shortlisted",
  "idea_selected",
  "first_of_day",
  "amendment_accepted",
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

/**
 * Points earned outside any jam (the learning network): fixed rules, not a jam's settings, and
 * outside a jam's daily cap. Each is written once per (person, reason, source) like the others.
 */
export const LEARNING_POINTS = {
  /** Checking in at a jelly with its code (once per person and jelly). */
  jelly_checked_in: 15,
} as const;
export type LearningPointReason = keyof typeof LEARNING_POINTS;

export const LEARNING_POINT_LABELS: Record<LearningPointReason, string> = {
  jelly_checked_in: "Checking in at a jelly",
};

/** Compensating entries: never deletions. */
export type LedgerReason = PointReason | "reversal" | "restoral";

const rulePoints = () => {
  const message = "Enter a whole number from 0 to 1000.";
  return z.number({ error: message }).int(message).min(0, message).max(1000, message);
};

export const PointRules = z.object({
  idea_posted: rulePoints(),
  comment_replied: rulePoints(),
  support_received: rulePoints(),
  idea_tagged_best: rulePoints(),
  // Added after jams were saved with rules: a jam saved without them gets the default.
  idea_shortlisted: rulePoints().default(15),
  idea_selected: rulePoints(),
  first_of_day: rulePoints(),
  amendment_accepted: rulePoints().default(15),
  dailyCap: z
    .number({ error: "Enter a daily cap from 1 to 100,000." })
    .int("Enter a daily cap from 1 to 100,000.")
    .min(1, "Enter a daily cap from 1 to 100,000.")
    .max(100_000, "Enter a daily cap from 1 to 100,000."),
});
export type PointRules = z.infer<typeof PointRules>;

export const DEFAULT_POINT_RULES: PointRules = {
  idea_posted: 10,
  comment_replied: 5,
  support_received: 2,
  idea_tagged_best: 25,
  idea_shortlisted: 15,
  idea_selected: 50,
  first_of_day: 5,
  amendment_accepted: 15,
  // Like Stack Overflow's daily reputation cap.
  dailyCap: 200,
};

export const POINT_REASON_LABELS: Record<PointReason, string> = {
  idea_posted: "Posting an idea",
  comment_replied: "A comment of yours gets its first reply",
  support_received: "Each person who supports your idea",
  idea_tagged_best: "Your idea is tagged “best”",
  idea_shortlisted: "Your idea is shortlisted in a review",
  idea_selected: "Your idea is selected for follow-up",
  first_of_day: "First contribution of the day",
  amendment_accepted: "A change you proposed is accepted into someone's idea",
};

/** A jam's rules: the defaults with the facilitator's overrides (stored as JSON) on top. */
export function jamPointRules(overridesJson: string | null | undefined): PointRules {
  if (!overridesJson) return DEFAULT_POINT_RULES;
  try {
    const parsed = PointRules.partial().safeParse(JSON.parse(overridesJson));
    return parsed.success ? { ...DEFAULT_POINT_RULES, ...parsed.data } : DEFAULT_POINT_RULES;
  } catch {
    return DEFAULT_POINT_RULES;
  }
}

/** The UTC day number of a moment: the daily cap and "first of the day" count per UTC day. */
export function utcDay(at: number): number {
  return Math.floor(at / 86_400_000);
}

/**
 * How many of `wanted` points may still be awarded today, given what was
 * already earned today in this jam. Never negative.
 */
export function cappedPoints(wanted: number, earnedToday: number, dailyCap: number): number {
  if (wanted <= 0) return 0;
  return Math.max(0, Math.min(wanted, dailyCap - earnedToday));
}

/** Serial voting: more than this many votes on one author's ideas within the window. */
export const SERIAL_VOTING = { maxVotesOnOneAuthor: 5, windowMs: 60 * 60 * 1000 } as const;

export function isSerialVote(votesOnAuthorInWindow: number): boolean {
  return votesOnAuthorInWindow > SERIAL_VOTING.maxVotesOnOneAuthor;
}

/** Reasons earned by the person acting; every other reason is earned from someone else's action. */
const SELF_EARNED: ReadonlySet<PointReason> = new Set(["idea_posted", "first_of_day"]);

/**
 * Outcomes decided after the jam, usually once it has ended (a review, a follow-up action): they
 * are earned once the jam has started, whether it is still live or has ended.
 */
export const OUTCOME_REASONS: ReadonlySet<PointReason> = new Set(["idea_shortlisted", "idea_selected"]);

/**
 * Whether an action earns points at all. Nobody earns from their own action on
 * their own content (a reply to oneself, tagging one's own idea), anonymous
 * contributions earn nothing (points are public and would reveal the author),
 * and points stop when the jam is not live (outcomes, once it has started).
 */
export function earnsPoints(input: {
  reason: PointReason;
  earnerId: number;
  actorId: number;
  anonymous: boolean;
  jamLive: boolean;
  /** The jam has started (live or ended): enough for an outcome (OUTCOME_REASONS). */
  jamStarted?: boolean;
}): boolean {
  if (input.anonymous) return false;
  if (!(input.jamLive || (OUTCOME_REASONS.has(input.reason) && input.jamStarted))) return false;
  return SELF_EARNED.has(input.reason) ? input.earnerId === input.actorId : input.earnerId !== input.actorId;
}
