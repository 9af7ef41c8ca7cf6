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
  "idea_selected",
  "first_of_day",
  "amendment_accepted",
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

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
  idea_selected: rulePoints(),
  first_of_day: rulePoints(),
  amendment_accepted: rulePoints(),
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
 * Whether an action earns points at all. Nobody earns from their own action on
 * their own content (a reply to oneself, tagging one's own idea), anonymous
 * contributions earn nothing (points are public and would reveal the author),
 * and points stop when the jam is not live.
 */
export function earnsPoints(input: {
  reason: PointReason;
  earnerId: number;
  actorId: number;
  anonymous: boolean;
  jamLive: boolean;
}): boolean {
  if (!input.jamLive || input.anonymous) return false;
  return SELF_EARNED.has(input.reason) ? input.earnerId === input.actorId : input.earnerId !== input.actorId;
}
