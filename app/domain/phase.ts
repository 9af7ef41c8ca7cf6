/**
 * A jam's phase comes from the clock and its draft flag, in this one function,
 * and is never stored. What each phase allows comes from one table of rules.
 */
export type JamPhase = "draft" | "scheduled" | "live" | "ended";

export interface JamTiming {
  startsAt: number;
  endsAt: number;
  isDraft: boolean;
}

export function jamPhase(jam: JamTiming, now: number): JamPhase {
  if (jam.isDraft) return "draft";
  if (now < jam.startsAt) return "scheduled";
  if (now < jam.endsAt) return "live";
  return "ended";
}

/** `edit`: authors change their ideas and comments, propose and accept amendments (the posting window). */
export type PhaseAction = "view" | "postIdea" | "edit" | "comment" | "vote" | "editSchedule";

/** What each phase allows (as Decidim's per-step settings do). */
export const PHASE_RULES: Record<JamPhase, Record<PhaseAction, boolean>> = {
  draft: { view: false, postIdea: false, edit: false, comment: false, vote: false, editSchedule: true },
  scheduled: { view: true, postIdea: false, edit: false, comment: false, vote: false, editSchedule: true },
  live: { view: true, postIdea: true, edit: true, comment: true, vote: true, editSchedule: true },
  ended: { view: true, postIdea: false, edit: false, comment: false, vote: false, editSchedule: false },
};

export function phaseAllows(phase: JamPhase, action: PhaseAction): boolean {
  return PHASE_RULES[phase][action];
}

export const PHASE_LABELS: Record<JamPhase, string> = {
  draft: "Draft",
  scheduled: "Upcoming",
  live: "Live",
  ended: "Ended",
};

/** Why an action is refused in a phase, in words a participant understands. */
export function phaseRefusal(phase: JamPhase): string {
  switch (phase) {
    case "draft":
      return "This jam has not been published yet.";
    case "scheduled":
      return "This jam has not started yet.";
    case "ended":
      return "This jam has ended.";
    case "live":
      return "";
  }
}
