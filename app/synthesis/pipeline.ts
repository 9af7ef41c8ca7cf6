/**
 * The synthesis as the product runs it (in a worker thread): themes of a
 * jam's ideas and, for stance challenges, opinion groups. Plain data in, plain
 * (structured-clone / JSON safe) data out; no I/O.
 */
import { opinionGroups, type Vote } from "./opinion";
import { nameGroup, nameTheme } from "./naming";
import { buildThemes, OTHER_ID, type Theme } from "./themes";

export interface SynthesisInput {
  ideas: { id: number; text: string; votes?: number; createdAt?: number }[];
  /** Number of themes; the engine chooses when absent. */
  k?: number;
  seed: number;
  /** Agree (1) / disagree (-1) / pass (0) votes on ideas, for opinion groups. */
  stance: {
    votes: { participant: number; ideaId: number; value: number }[];
  } | null;
  /** Every idea in a theme, no Other (splitting a theme). */
  noOther?: boolean;
  /** 1: one flat level (splitting a theme); default 2. */
  levels?: 1 | 2;
}

export interface SynthesisTheme {
  /** The engine's keyword label ("agents, tickets, queue"). */
  label: string;
  /** What a leader reads: a representative idea's own title (see naming.ts). */
  title: string;
  /** One sentence drawn from the representative ideas ("" when there is none). */
  summary: string;
  keywords: string[];
  representativeIds: number[];
  isOther: boolean;
  /** The theme's own ideas; empty for a top-level theme that has sub-themes (they hold the ideas). */
  ideaIds: number[];
  /** Index in `themes` of the top-level theme this sub-theme belongs to; null for a top-level theme. */
  parent: number | null;
}

export interface OpinionSummary {
  /** People whose votes were grouped. */
  participants: number;
  groups: {
    size: number;
    /** Ideas this group agrees (or disagrees) with more than the others do, best first. */
    representativeIds: number[];
    representatives: {
      ideaId: number;
      direction: "agree" | "disagree";
      ratio: number;
      probability: number;
      significant: boolean;
    }[];
  }[];
  /** Ideas every group tends to agree with (group-aware consensus), best first. */
  consensusIds: number[];
  /** Ideas every group tends to reject. */
  rejectedIds: number[];
  /** Ideas on which the groups differ most. */
  divisiveIds: number[];
  /**
   * For every idea named above: each group's votes on it (groups in the order of `groups`),
   * so a page can show how much each group agreed and disagreed. Versions made before this
   * was kept do not have it.
   */
  votesByGroup?: Record<number, { agree: number; disagree: number; seen: number }[]>;
}

export interface SynthesisOutput {
  /**
   * Two levels, flat: each top-level theme (by decreasing size), followed by its sub-themes when it
   * has two or more (a top-level theme with one would repeat it, so it holds the ideas itself);
   * Other (isOther) last when not empty.
   */
  themes: SynthesisTheme[];
  /** 2-D map position of each idea, by idea id. */
  coords: Record<number, [number, number]>;
  opinions: OpinionSummary | null;
  /** k the clustering ran with, and whether it was given or chosen. */
  k: number;
  kChosenBy: string;
}

/** Fewer people than this and opinion groups say nothing useful. */
const MIN_OPINION_PARTICIPANTS = 4;

export function runSynthesis(input: SynthesisInput, onProgress: (percent: number) => void = () => {}): SynthesisOutput {
  const withOpinions = input.stance !== null && input.stance.votes.length > 0;
  const themeShare = withOpinions ? 90 : 100;
  const result = buildThemes(
    input.ideas.map((i) => ({
      id: i.id,
      text: i.text,
      votes: i.votes,
      createdAt: i.createdAt,
    })),
    {
      k: input.k,
      seed: input.seed,
      noOther: input.noOther ?? false,
      levels: input.levels ?? 2,
      onProgress: (percent) => onProgress((percent * themeShare) / 100),
    },
  );
  const coords: Record<number, [number, number]> = {};
  input.ideas.forEach((idea, i) => (coords[idea.id] = result.coords2d[i]!));
  // An idea's text is its title, a line break, then its description.
  const written = new Map(
    input.ideas.map((i) => {
      const cut = i.text.indexOf("\n");
      return [i.id, cut < 0 ? { title: i.text, body: "" } : { title: i.text.slice(0, cut), body: i.text.slice(cut + 1) }];
    }),
  );
  // Each theme named by one of its own ideas, another than the themes named before it (its top-level theme's, its siblings').
  const taken = new Set<string>();
  const describe = (t: Omit<Theme<number>, "parentId">, parent: number | null, ideaIds: number[], isGroup = false): SynthesisTheme => {
    const reps = t.representativeIds.flatMap((id) => (written.has(id) ? [written.get(id)!] : []));
    const name =
      t.id === OTHER_ID ? { title: t.label, summary: "" } : isGroup ? nameGroup(reps, t.keywords, t.label) : nameTheme(reps, t.keywords, t.label, taken);
    taken.add(name.title);
    return {
      label: t.label,
      ...name,
      keywords: t.keywords,
      representativeIds: t.representativeIds,
      isOther: t.id === OTHER_ID,
      ideaIds,
      parent,
    };
  };
  const themes: SynthesisTheme[] = [];
  const finest = new Map(result.themes.map((t) => [t.id, t]));
  if (result.parents.length === 0) {
    for (const t of result.themes) if (t.id !== OTHER_ID) themes.push(describe(t, null, t.memberIds));
  }
  for (const group of result.parents) {
    if (group.children.length === 1) {
      const only = finest.get(group.children[0]!)!;
      themes.push(describe(only, null, only.memberIds));
      continue;
    }
    const at = themes.push(describe(group, null, [], true)) - 1;
    for (const child of group.children) themes.push(describe(finest.get(child)!, at, finest.get(child)!.memberIds));
  }
  const other = finest.get(OTHER_ID);
  if (other) themes.push(describe(other, null, other.memberIds));
  const opinions = withOpinions ? summariseOpinions(input, input.seed) : null;
  onProgress(100);
  return { themes, coords, opinions, k: result.k, kChosenBy: result.kChosenBy };
}

function summariseOpinions(input: SynthesisInput, seed: number): OpinionSummary | null {
  const known = new Set(input.ideas.map((i) => i.id));
  const votes = (input.stance?.votes ?? []).filter((v) => known.has(v.ideaId) && (v.value === 1 || v.value === -1 || v.value === 0));
  const people = [...new Set(votes.map((v) => v.participant))].sort((a, b) => a - b);
  const statements = [...new Set(votes.map((v) => v.ideaId))].sort((a, b) => a - b);
  if (people.length < MIN_OPINION_PARTICIPANTS || statements.length < 2) return null;
  const row = new Map(people.map((p, i) => [p, i]));
  const col = new Map(statements.map((s, j) => [s, j]));
  const matrix: Vote[][] = people.map(() => new Array<Vote>(statements.length).fill(null));
  for (const v of votes) matrix[row.get(v.participant)!]![col.get(v.ideaId)!] = v.value as Vote;
  const result = opinionGroups(matrix, { seed });
  const groups = result.groups.length;
  // Consensus: every group more likely to agree than not (geometric mean of the group probabilities above 1/2).
  const broad = (score: number) => groups > 0 && Math.pow(score, 1 / groups) > 0.5;
  const consensusIds = result.consensus.agree.filter((c) => broad(c.score)).map((c) => statements[c.statement]!);
  const rejectedIds = result.consensus.disagree.filter((c) => broad(c.score)).map((c) => statements[c.statement]!);
  const divisiveIds = result.divisive.filter((d) => d.score > 0.01).map((d) => statements[d.statement]!);
  const named = new Set([...result.representatives.flat().map((r) => statements[r.statement]!), ...consensusIds, ...rejectedIds, ...divisiveIds]);
  const votesByGroup: NonNullable<OpinionSummary["votesByGroup"]> = {};
  for (const ideaId of named) {
    const j = col.get(ideaId)!;
    votesByGroup[ideaId] = result.groups.map((_, gi) => ({
      agree: result.stats.agree[gi]![j]!,
      disagree: result.stats.disagree[gi]![j]!,
      seen: result.stats.seen[gi]![j]!,
    }));
  }
  return {
    participants: people.length - result.unclustered.length,
    groups: result.groups.map((g, gi) => ({
      size: g.members.length,
      representativeIds: result.representatives[gi]!.map((r) => statements[r.statement]!),
      representatives: result.representatives[gi]!.map((r) => ({
        ideaId: statements[r.statement]!,
        direction: r.direction,
        ratio: r.ratio,
        probability: r.probability,
        significant: r.significant,
      })),
    })),
    consensusIds,
    rejectedIds,
    divisiveIds,
    votesByGroup,
  };
}
