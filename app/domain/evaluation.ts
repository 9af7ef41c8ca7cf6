/**
 * Evaluation: the stages an idea goes through, the criteria a review scores, how scores become a
 * ranked shortlist, and how reviewers are spread over ideas. Pure: no I/O, no clock. The review
 * services (app/services/commands/reviews.server.ts) apply these rules.
 */

// ---------------------------------------------------------------------------
// Stages

export const IDEA_STAGES = ["submitted", "in_review", "shortlisted", "selected", "not_selected"] as const;
export type IdeaStage = (typeof IDEA_STAGES)[number];

export const STAGE_LABELS: Record<IdeaStage, string> = {
  submitted: "Submitted",
  in_review: "In review",
  shortlisted: "Shortlisted",
  selected: "Selected",
  not_selected: "Not selected",
};

/** What a facilitator may decide about an idea in a review. */
export const DECISIONS = ["shortlisted", "selected", "not_selected"] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Which stage may follow which. Selected is final (the idea became a follow-up action); an idea
 * not selected may be reconsidered. A stage never goes back to "submitted", and opening a new
 * review moves only a submitted idea to "in review" (a shortlisted one stays shortlisted).
 */
const NEXT: Record<IdeaStage, readonly IdeaStage[]> = {
  submitted: ["in_review", "shortlisted", "selected", "not_selected"],
  in_review: ["shortlisted", "selected", "not_selected"],
  shortlisted: ["selected", "not_selected"],
  not_selected: ["shortlisted", "selected"],
  selected: [],
};

export function canMoveTo(from: IdeaStage, to: IdeaStage): boolean {
  return NEXT[from].includes(to);
}

/** The stages that earn the author points (once per stage and idea, never for an anonymous idea). */
export const STAGES_THAT_EARN = { shortlisted: "idea_shortlisted", selected: "idea_selected" } as const;

const q = (text: string) => `“${text}”`;

/** The author's notification when their idea's stage changes (an anonymous idea's author is told privately). */
export function stageNotice(input: { stage: IdeaStage; ideaTitle: string; reviewTitle: string; reason?: string | null; anonymous?: boolean }): string {
  const idea = `Your ${input.anonymous ? "anonymous idea" : "idea"} ${q(input.ideaTitle)}`;
  switch (input.stage) {
    case "in_review":
      return `${idea} is in review: ${q(input.reviewTitle)}`;
    case "shortlisted":
      return `${idea} was shortlisted in ${q(input.reviewTitle)}`;
    case "selected":
      return `${idea} was selected in ${q(input.reviewTitle)} and becomes a follow-up action`;
    case "not_selected":
      return `${idea} was not selected in ${q(input.reviewTitle)}${input.reason ? `. Reason: ${input.reason}` : ""}`;
    case "submitted":
      return `${idea} is submitted`;
  }
}

// ---------------------------------------------------------------------------
// Criteria and scores

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;
export const WEIGHT_MIN = 1;
export const WEIGHT_MAX = 10;
export const MAX_CRITERIA = 8;
export const CRITERION_NAME_MAX = 60;
export const CRITERION_HINT_MAX = 200;
export const REVIEW_COMMENT_MAX = 2000;
export const REASON_MAX = 1000;

export interface CriterionSpec {
  name: string;
  description: string;
  weight: number;
}

/** Every criterion is scored so that 5 is best: for cost, 5 means cheap. */
export const DEFAULT_CRITERIA: CriterionSpec[] = [
  { name: "Value", description: "How much good it would do: 5 is a lot.", weight: 1 },
  { name: "Cost", description: "What it would take: 5 is cheap, 1 is costly.", weight: 1 },
  { name: "Feasibility", description: "How sure we are that it can be done: 5 is sure.", weight: 1 },
];

export function isScore(value: number): boolean {
  return Number.isInteger(value) && value >= SCORE_MIN && value <= SCORE_MAX;
}

/**
 * Reviewers disagreed about an idea when the standard deviation of their scores (each reviewer's
 * weighted mean, population standard deviation) is at or above this, on the 1 to 5 scale. Two
 * reviewers disagree at a distance of 2 (2 and 4), three when one stands about 2 away from the two
 * others. One reviewer never disagrees with themself.
 */
export const DISAGREEMENT_SD = 1;

export interface CriterionWeight {
  id: number;
  weight: number;
}

export interface ScoreRow {
  ideaId: number;
  reviewerId: number;
  criterionId: number;
  score: number;
}

export interface ReviewerScore {
  reviewerId: number;
  /** The reviewer's weighted mean over the criteria they scored (weights renormalised over those). */
  score: number;
  criteriaScored: number;
}

export interface RankedIdea {
  ideaId: number;
  /** 1 for the first; ties are broken (see `rankIdeas`), so every idea has its own rank. */
  rank: number;
  /** The mean of the reviewers' scores; null when nobody scored it. */
  score: number | null;
  reviewers: ReviewerScore[];
  /** Population standard deviation of the reviewers' scores (0 for one reviewer), null without scores. */
  sd: number | null;
  min: number | null;
  max: number | null;
  disagreed: boolean;
}

/** Sums compared at this precision, so 3.3333… reached by two roads is one value. */
const PRECISION = 1e9;
const exact = (x: number) => Math.round(x * PRECISION) / PRECISION;

/**
 * One reviewer's score of one idea: the weighted mean of the criteria they scored. A criterion
 * they left out does not count as zero: the weights are renormalised over the criteria scored.
 * Null when they scored none.
 */
export function reviewerScore(weights: Map<number, number>, scores: { criterionId: number; score: number }[]): number | null {
  let sum = 0;
  let weight = 0;
  for (const s of scores) {
    const w = weights.get(s.criterionId);
    if (w === undefined || w <= 0 || !isScore(s.score)) continue;
    sum += w * s.score;
    weight += w;
  }
  return weight === 0 ? null : exact(sum / weight);
}

/**
 * The ranked shortlist. Each idea's score is the mean over its reviewers of each reviewer's
 * weighted mean (a reviewer who scored nothing is left out, so an unfinished review neither
 * lowers nor raises it); scores for criteria not in the review or outside 1 to 5 are ignored.
 *
 * Order: higher score first; ideas nobody scored last. Ties, in turn: more reviewers first (more
 * people looked at it), then the smaller standard deviation (they agreed more), then the older
 * idea (lower id). So the same scores always give the same order.
 */
export function rankIdeas(ideaIds: number[], criteria: CriterionWeight[], scores: ScoreRow[]): RankedIdea[] {
  const weights = new Map(criteria.map((c) => [c.id, c.weight]));
  const byIdea = new Map<number, Map<number, { criterionId: number; score: number }[]>>();
  for (const s of scores) {
    let reviewers = byIdea.get(s.ideaId);
    if (!reviewers) byIdea.set(s.ideaId, (reviewers = new Map()));
    const list = reviewers.get(s.reviewerId);
    if (list) list.push(s);
    else reviewers.set(s.reviewerId, [s]);
  }
  const results = [...new Set(ideaIds)].map((ideaId): Omit<RankedIdea, "rank"> => {
    const reviewers: ReviewerScore[] = [];
    for (const [reviewerId, list] of [...(byIdea.get(ideaId) ?? new Map<number, { criterionId: number; score: number }[]>())].sort((a, b) => a[0] - b[0])) {
      const score = reviewerScore(weights, list);
      if (score !== null) reviewers.push({ reviewerId, score, criteriaScored: list.filter((s) => weights.has(s.criterionId) && isScore(s.score)).length });
    }
    if (reviewers.length === 0) return { ideaId, score: null, reviewers, sd: null, min: null, max: null, disagreed: false };
    const values = reviewers.map((r) => r.score);
    const mean = exact(values.reduce((a, b) => a + b, 0) / values.length);
    const sd = exact(Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length));
    return {
      ideaId,
      score: mean,
      reviewers,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
      disagreed: values.length >= 2 && sd >= DISAGREEMENT_SD,
    };
  });
  results.sort(compareRanked);
  return results.map((r, i) => ({ ...r, rank: i + 1 }));
}

function compareRanked(a: Omit<RankedIdea, "rank">, b: Omit<RankedIdea, "rank">): number {
  if (a.score === null || b.score === null) {
    if (a.score !== b.score) return a.score === null ? 1 : -1;
    return a.ideaId - b.ideaId;
  }
  if (a.score !== b.score) return b.score - a.score;
  if (a.reviewers.length !== b.reviewers.length) return b.reviewers.length - a.reviewers.length;
  if (a.sd !== b.sd) return (a.sd ?? 0) - (b.sd ?? 0);
  return a.ideaId - b.ideaId;
}

// ---------------------------------------------------------------------------
// Assigning reviewers

export const MAX_REVIEWERS_PER_IDEA = 10;
export const MAX_POOL = 200;
export const MAX_REVIEW_IDEAS = 500;

export interface IdeaToStaff {
  id: number;
  /** People who may not review it: its author (and co-authors). */
  conflicts: readonly number[];
  /** Reviewers it has already. */
  assigned: readonly number[];
}

export interface PoolAssignment {
  assignments: { ideaId: number; reviewerId: number }[];
  /** Ideas that could not get `perIdea` reviewers from the pool (too few people without a conflict). */
  short: { ideaId: number; missing: number }[];
}

/**
 * Round-robin with a balanced load: each idea in turn gets reviewers from the pool until it has
 * `perIdea`, always the people with the fewest ideas so far (their load, counting what they had
 * before), ties to the one listed first. Nobody reviews an idea they wrote or is given the same
 * idea twice. Deterministic: the same input gives the same assignments.
 */
export function assignFromPool(ideas: IdeaToStaff[], pool: readonly number[], perIdea: number, load: ReadonlyMap<number, number> = new Map()): PoolAssignment {
  const people = [...new Set(pool)];
  const count = new Map(people.map((p) => [p, load.get(p) ?? 0]));
  const order = new Map(people.map((p, i) => [p, i]));
  const assignments: PoolAssignment["assignments"] = [];
  const short: PoolAssignment["short"] = [];
  for (const idea of ideas) {
    const has = new Set(idea.assigned);
    const conflicts = new Set(idea.conflicts);
    let need = perIdea - has.size;
    if (need <= 0) continue;
    const candidates = people
      .filter((p) => !has.has(p) && !conflicts.has(p))
      .sort((a, b) => count.get(a)! - count.get(b)! || order.get(a)! - order.get(b)!);
    for (const reviewerId of candidates) {
      if (need === 0) break;
      assignments.push({ ideaId: idea.id, reviewerId });
      count.set(reviewerId, count.get(reviewerId)! + 1);
      need -= 1;
    }
    if (need > 0) short.push({ ideaId: idea.id, missing: need });
  }
  return { assignments, short };
}

/** A reviewer has finished a review when they submitted every idea given to them. */
export function reviewerFinished(assignments: { submittedAt: number | null }[]): boolean {
  return assignments.length > 0 && assignments.every((a) => a.submittedAt !== null);
}

/** A review is due by the end of its due day (UTC); `dueAt` is the start of that day, as a date input gives it. */
export const DUE_DAY_MS = 24 * 60 * 60_000;

/** Reviewers who have not finished are reminded once, this long before the due day ends. */
export const REMIND_BEFORE_MS = 24 * 60 * 60_000;

/** When a review is due: the end of its due day. */
export function dueEnd(dueAt: number): number {
  return dueAt + DUE_DAY_MS;
}

/** Whether an open review's reviewers are due their reminder now: inside the window before the due day ends, or past it. */
export function reminderDue(dueAt: number | null, now: number): boolean {
  return dueAt !== null && now >= dueEnd(dueAt) - REMIND_BEFORE_MS;
}
