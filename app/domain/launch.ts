/**
 * The launch checklist: what a draft jam needs before it can be scheduled
 * (published). Pure rules; the launch service reads the jam and applies them,
 * and the same list is both what the checklist page shows and why "Schedule"
 * is refused.
 */
import { dotSettingsRefusal, type VoteMode } from "./vote-modes";

const HOUR = 3_600_000;

/** The shortest time a jam may be open once it opens: shorter is a slip (a wrong day, AM for PM). */
export const MIN_OPEN_MS = HOUR;

export interface LaunchJam {
  startsAt: number;
  endsAt: number;
}

export interface LaunchChallenge {
  title: string;
  question: string;
  voteMode: VoteMode;
  dotBudget: number;
  dotMaxPerIdea: number;
}

/** The checklist's items that can need attention, in the order the page shows them. */
export const LAUNCH_ITEMS = ["challenges", "schedule", "voting", "points"] as const;
export type LaunchItem = (typeof LAUNCH_ITEMS)[number];

export type LaunchProblems = Record<LaunchItem, string[]>;

function challengeName(c: LaunchChallenge, index: number) {
  return c.title.trim() ? `Challenge ${index + 1} (“${c.title.trim()}”)` : `Challenge ${index + 1}`;
}

/** When the jam opens if it is scheduled at `now`: its start, or now when the start has passed. */
export function opensAt(jam: LaunchJam, now: number): number {
  return Math.max(jam.startsAt, now);
}

/** What needs attention, item by item (an empty list: done). */
export function launchProblems(jam: LaunchJam, challenges: LaunchChallenge[], now: number): LaunchProblems {
  const challengeProblems: string[] = [];
  if (challenges.length === 0) challengeProblems.push("Add at least one challenge: the question people answer.");
  challenges.forEach((c, i) => {
    if (!c.question.trim()) challengeProblems.push(`${challengeName(c, i)} has no question yet.`);
  });

  const schedule: string[] = [];
  if (jam.endsAt <= jam.startsAt) schedule.push("It ends before it starts: choose an end after the start.");
  else if (jam.endsAt <= now) schedule.push("Its end has passed: choose an end in the future.");
  else if (jam.endsAt - opensAt(jam, now) < MIN_OPEN_MS) {
    schedule.push("It would be open for less than an hour: give people more time.");
  }

  const voting: string[] = [];
  challenges.forEach((c, i) => {
    if (c.voteMode !== "dots") return;
    const refusal = dotSettingsRefusal(c.dotBudget, c.dotMaxPerIdea);
    if (refusal) voting.push(`${challengeName(c, i)}: ${refusal.message}`);
  });

  // Point rules always have valid values (defaults where none were chosen): nothing to fix, only to review.
  return { challenges: challengeProblems, schedule, voting, points: [] };
}

/** Every reason the jam cannot be scheduled now, in checklist order (empty: it can). */
export function scheduleRefusals(jam: LaunchJam, challenges: LaunchChallenge[], now: number): string[] {
  const problems = launchProblems(jam, challenges, now);
  return LAUNCH_ITEMS.flatMap((item) => problems[item]);
}

/**
 * Why a scheduled jam may not go back to draft, or null when it may. Once it has
 * started (or anyone has posted in it) it stays published: people may have taken
 * part, and their ideas, votes and points must not vanish from their pages.
 */
export function backToDraftRefusal(jam: LaunchJam & { isDraft: boolean }, ideaCount: number, now: number): string | null {
  if (jam.isDraft) return "This jam is already a draft.";
  if (now >= jam.startsAt || ideaCount > 0) {
    return "This jam has started, so it stays open to everyone. To stop it early, set its end to now on the edit page.";
  }
  return null;
}
