/**
 * "Ask the people who know": the pure rules. How many people a question goes to, what answering
 * earns, when an unanswered question goes to the facilitators, and how candidates are ranked.
 */

/** People asked at once when a question is asked; the next in line is asked when one declines. */
export const ASKED_AT_ONCE = 3;
/** Candidates kept in line per question (the asked ones included). */
export const ROUTE_CANDIDATES = 10;

/** Points outside any jam, written to the same ledger (jam_id null) and counted in the all-jams totals. */
export const QUESTION_POINTS = {
  /** A first visible answer to someone else's question (once per question and person). */
  question_answered: 5,
  /** The asker accepted your answer (once per question). */
  answer_accepted: 20,
} as const;
export type QuestionPointReason = keyof typeof QUESTION_POINTS;

/** At most this many question points a person earns per UTC day (like a jam's daily cap). */
export const QUESTION_DAILY_CAP = 100;

/** Hours a question waits for an answer before it goes to the facilitators (a setting; this is its default). */
export const DEFAULT_ESCALATION_HOURS = 48;

/**
 * What a candidate's contributions on the question's words are worth: each named idea on them
 * counts 1, each person from ANOTHER department who supported one of those ideas 2, each from the
 * same department 1, each accepted answer on a matching question 3, and, for a question asked from
 * a theme, the theme's go-to engagement once.
 */
export interface CandidateFacts {
  ideas: number;
  crossSupporters: number;
  sameSupporters: number;
  acceptedAnswers: number;
  themeEngagement: number;
}

export function candidateScore(f: CandidateFacts): number {
  return f.ideas + 2 * f.crossSupporters + f.sameSupporters + 3 * f.acceptedAnswers + f.themeEngagement;
}

/** Best first; equal scores by the lower id, so the order is stable. */
export function rankCandidates<T extends { id: number; facts: CandidateFacts }>(people: readonly T[], max = ROUTE_CANDIDATES): T[] {
  return [...people]
    .map((p) => ({ p, score: candidateScore(p.facts) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.p.id - b.p.id)
    .slice(0, max)
    .map((x) => x.p);
}

export type QuestionStatus = "open" | "answered" | "accepted";

/** Open (no visible answer yet), answered (answers, none accepted), accepted. */
export function questionStatus(q: { acceptedAnswerId: number | null; answers: number }): QuestionStatus {
  if (q.acceptedAnswerId !== null) return "accepted";
  return q.answers > 0 ? "answered" : "open";
}

export const QUESTION_STATUS_LABELS: Record<QuestionStatus, string> = {
  open: "Waiting for an answer",
  answered: "Answered",
  accepted: "Answer accepted",
};

export const QUESTION_TABS = ["mine", "asked", "open", "answered"] as const;
export type QuestionTab = (typeof QUESTION_TABS)[number];
export const QUESTION_TAB_LABELS: Record<QuestionTab, string> = {
  mine: "My questions",
  asked: "Asked to me",
  open: "Open",
  answered: "Answered",
};

/** Words every question is made of, which say nothing about what it is about; left out when routing. */
export const QUESTION_STOP_WORDS = new Set(
  "how who what why where when which whom whose does did done anyone anybody someone somebody know knows knew there here has had been being please thanks thank help need want good best way ways start started run runs running work works working use used using find found best better tips advice idea ideas".split(
    " ",
  ),
);
