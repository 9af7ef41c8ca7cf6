/**
 * Badges with levels, declared in one place (as Decidim does): each has level
 * thresholds and a function that computes its score from facts about a person,
 * which the gamification service gathers from source data. A level is always
 * recomputable: grant = the level the current score reaches.
 */
export interface BadgeFacts {
  /** Visible, named (not anonymous) ideas. */
  ideasPosted: number;
  /** Visible comments that got at least one reply from someone else. */
  commentsWithReplies: number;
  /** Support votes from other people on the person's visible, named ideas. */
  supportsReceived: number;
  /** Named ideas supported by people from at least three departments. */
  bridgeIdeas: number;
  /** Named ideas posted in the first hour of their jam. */
  earlyIdeas: number;
  /** Multi-day jams in which the person contributed on every day. */
  marathonJams: number;
  /** Jellies (informal meetups) the person checked in at with the code. */
  jelliesAttended: number;
  /** Others' visible questions the person answered (one per question), an accepted answer counting twice. */
  questionsAnswered: number;
}

export const EMPTY_FACTS: BadgeFacts = {
  ideasPosted: 0,
  commentsWithReplies: 0,
  supportsReceived: 0,
  bridgeIdeas: 0,
  earlyIdeas: 0,
  marathonJams: 0,
  jelliesAttended: 0,
  questionsAnswered: 0,
};

export interface BadgeDefinition {
  key: string;
  name: string;
  description: string;
  /** What the score counts, one and many: "idea" / "ideas", for "3 more ideas". */
  unit: readonly [one: string, many: string];
  /** Score needed for level 1, 2, 3, ... (strictly increasing). */
  levels: readonly number[];
  /** The facts the score reads, so an action recomputes only the badges it can change. */
  facts: readonly (keyof BadgeFacts)[];
  score: (facts: BadgeFacts) => number;
}

export const BADGES = [
  {
    key: "idea-sparker",
    name: "Idea Sparker",
    description: "Posts ideas under their own name.",
    unit: ["idea", "ideas"],
    levels: [1, 5, 15, 40],
    facts: ["ideasPosted"],
    score: (f) => f.ideasPosted,
  },
  {
    key: "conversation-builder",
    name: "Conversation Builder",
    description: "Writes comments that others reply to.",
    unit: ["comment with replies", "comments with replies"],
    levels: [1, 5, 15, 40],
    facts: ["commentsWithReplies"],
    score: (f) => f.commentsWithReplies,
  },
  {
    key: "crowd-favourite",
    name: "Crowd Favourite",
    description: "Ideas that colleagues support.",
    unit: ["support", "supports"],
    levels: [5, 25, 100, 250],
    facts: ["supportsReceived"],
    score: (f) => f.supportsReceived,
  },
  {
    key: "bridge-builder",
    name: "Bridge Builder",
    description: "Ideas supported by people from three or more departments.",
    unit: ["idea", "ideas"],
    levels: [1, 3, 10],
    facts: ["bridgeIdeas"],
    score: (f) => f.bridgeIdeas,
  },
  {
    key: "early-bird",
    name: "Early Bird",
    description: "Ideas posted in the first hour of a jam.",
    unit: ["idea", "ideas"],
    levels: [1, 3, 10],
    facts: ["earlyIdeas"],
    score: (f) => f.earlyIdeas,
  },
  {
    key: "marathoner",
    name: "Marathoner",
    description: "Contributed on every day of a multi-day jam.",
    unit: ["jam", "jams"],
    levels: [1, 2, 5],
    facts: ["marathonJams"],
    score: (f) => f.marathonJams,
  },
  {
    key: "meetup-regular",
    name: "Meetup Regular",
    description: "Checked in at jellies, the informal meetups colleagues host.",
    unit: ["jelly", "jellies"],
    levels: [1, 3, 10, 25],
    facts: ["jelliesAttended"],
    score: (f) => f.jelliesAttended,
  },
  {
    key: "expert",
    name: "Expert",
    description: "Answers colleagues' questions; an accepted answer counts twice.",
    unit: ["answer", "answers"],
    levels: [1, 5, 15, 40],
    facts: ["questionsAnswered"],
    score: (f) => f.questionsAnswered,
  },
] as const satisfies readonly BadgeDefinition[];

export type BadgeKey = (typeof BADGES)[number]["key"];

export function badgeByKey(key: string): BadgeDefinition | undefined {
  return BADGES.find((b) => b.key === key);
}

/** The level a score reaches: 0 below the first threshold. */
export function levelFor(levels: readonly number[], score: number): number {
  let level = 0;
  for (const threshold of levels) {
    if (score >= threshold) level += 1;
    else break;
  }
  return level;
}

export interface BadgeProgress {
  key: string;
  name: string;
  description: string;
  unit: readonly [one: string, many: string];
  level: number;
  maxLevel: number;
  score: number;
  /** Score needed for the next level, or null at the top level. */
  nextAt: number | null;
  /** 0..1 of the way from this level's threshold to the next. */
  progress: number;
}

export function badgeProgress(badge: BadgeDefinition, facts: BadgeFacts): BadgeProgress {
  const score = badge.score(facts);
  const level = levelFor(badge.levels, score);
  const nextAt = badge.levels[level] ?? null;
  const from = level === 0 ? 0 : badge.levels[level - 1]!;
  const progress = nextAt === null ? 1 : Math.min(1, Math.max(0, (score - from) / (nextAt - from)));
  return {
    key: badge.key,
    name: badge.name,
    description: badge.description,
    unit: badge.unit,
    level,
    maxLevel: badge.levels.length,
    score,
    nextAt,
    progress,
  };
}

/** Level names shown beside a badge. */
export const LEVEL_NAMES = ["", "Bronze", "Silver", "Gold", "Platinum"] as const;

function count(n: number, [one, many]: readonly [string, string]) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/**
 * A badge's progress in words, singular and plural right: "1 idea to go for the badge",
 * "1 support so far, 4 to go for the badge", "Top level reached (41 ideas)".
 */
export function progressLabel(p: Pick<BadgeProgress, "unit" | "level" | "score" | "nextAt">): string {
  if (p.nextAt === null) return `Top level reached (${count(p.score, p.unit)}).`;
  const target = p.level === 0 ? "the badge" : LEVEL_NAMES[p.level + 1];
  const left = p.nextAt - p.score;
  if (p.score === 0) return `${count(left, p.unit)} to go for ${target}.`;
  return `${count(p.score, p.unit)} so far, ${left.toLocaleString("en")} to go for ${target}.`;
}
