/**
 * From an interaction graph to the stored snapshot: PageRank, brokerage
 * (departments reached), betweenness, the department matrix (interactions
 * counted) and the heaviest edges. Pure.
 */
import { betweenness, brokerage } from "./brokerage";
import type { Graph } from "./graph";
import { departmentMatrix } from "./matrix";
import { pageRank } from "./pagerank";

/** Suggested weights of each kind of interaction. */
export const INTERACTION_WEIGHTS = { comments: 3, replies: 2, supports: 1, merges: 2 } as const;

export interface InteractionCounts {
  comments: number;
  replies: number;
  supports: number;
  merges: number;
}

export interface InteractionEdge extends InteractionCounts {
  source: number;
  target: number;
  weight: number;
}

export interface NetworkPerson {
  id: number;
  departmentId: number | null;
}

export function edgeWeight(c: InteractionCounts): number {
  return (
    c.comments * INTERACTION_WEIGHTS.comments +
    c.replies * INTERACTION_WEIGHTS.replies +
    c.supports * INTERACTION_WEIGHTS.supports +
    c.merges * INTERACTION_WEIGHTS.merges
  );
}

/** Interactions of every kind, each counted once (what a leader reads as "interactions"). */
export function interactionCount(c: InteractionCounts): number {
  return c.comments + c.replies + c.supports + c.merges;
}

export interface PersonMetrics {
  id: number;
  departmentId: number | null;
  pagerank: number;
  /** Other departments this person has ties with (absent in snapshots written before it existed). */
  departmentsReached?: number;
  /** Distinct people of other departments tied to this person (absent in older snapshots). */
  crossPeople?: number;
  /** Interactions with people of other departments, both directions (absent in older snapshots). */
  crossInteractions?: number;
  betweenness: number;
  inWeight: number;
  outWeight: number;
  /** Distinct people tied to this person, either direction. */
  ties: number;
}

export interface NetworkData {
  computedAt: number;
  people: PersonMetrics[];
  edges: InteractionEdge[];
  /** Interactions (counted, not weighted) between departments; rows = from. */
  departmentMatrix: { departmentIds: number[]; weights: number[][] };
  /** How betweenness was computed: exact, or estimated from `sources` sampled BFS sources. */
  betweenness: { exact: boolean; sources: number };
  /** Edges in the whole graph (only the heaviest `edges.length` are kept). */
  edgeCount: number;
}

export interface AnalyseOptions {
  computedAt: number;
  /** Heaviest edges kept in the snapshot. */
  maxEdges?: number;
  /** Exact betweenness up to this many people; beyond, `betweennessSamples` sampled sources. */
  exactBetweennessUpTo?: number;
  betweennessSamples?: number;
  seed?: number;
  /** Edges among this many top people (by PageRank) are always kept, so the page can draw them. */
  drawPeople?: number;
}

const round6 = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(6)));

export function analyseNetwork(
  input: { people: readonly NetworkPerson[]; edges: readonly InteractionEdge[] },
  options: AnalyseOptions,
): NetworkData {
  const graph: Graph = { nodes: input.people.map((p) => p.id), edges: input.edges };
  const departmentById = new Map(input.people.map((p) => [p.id, p.departmentId]));
  const departmentOf = (id: number) => departmentById.get(id) ?? null;
  const ranks = pageRank(graph);
  // Counted interactions as weights, so crossWeight reads as interactions across departments.
  const counted: Graph = { nodes: graph.nodes, edges: input.edges.map((e) => ({ ...e, weight: interactionCount(e) })) };
  const brokers = brokerage(counted, departmentOf);
  const n = graph.nodes.length;
  const exact = n <= (options.exactBetweennessUpTo ?? 2_000);
  const samples = exact ? n : Math.min(n, options.betweennessSamples ?? 48);
  const between = betweenness(graph, exact ? {} : { samples, seed: options.seed ?? 2026 });
  const inWeight = new Map<number, number>();
  const outWeight = new Map<number, number>();
  for (const e of input.edges) {
    outWeight.set(e.source, (outWeight.get(e.source) ?? 0) + e.weight);
    inWeight.set(e.target, (inWeight.get(e.target) ?? 0) + e.weight);
  }
  const people: PersonMetrics[] = input.people.map((p) => {
    const b = brokers.get(p.id);
    return {
      id: p.id,
      departmentId: p.departmentId,
      pagerank: round6(ranks.get(p.id) ?? 0),
      departmentsReached: b?.departments ?? 0,
      crossPeople: b?.crossPeople ?? 0,
      crossInteractions: b?.crossWeight ?? 0,
      betweenness: round6(between.get(p.id) ?? 0),
      inWeight: inWeight.get(p.id) ?? 0,
      outWeight: outWeight.get(p.id) ?? 0,
      ties: b?.ties ?? 0,
    };
  });
  people.sort((a, b) => b.pagerank - a.pagerank || a.id - b.id);
  const departmentIds = [...new Set(input.people.map((p) => p.departmentId).filter((d): d is number => d !== null))].sort((a, b) => a - b);
  const edges = keptEdges(input.edges, options.maxEdges ?? 2_000, new Set(people.slice(0, options.drawPeople ?? 150).map((p) => p.id)));
  return {
    computedAt: options.computedAt,
    people,
    edges,
    departmentMatrix: {
      departmentIds,
      weights: departmentMatrix(counted, departmentOf, departmentIds),
    },
    betweenness: { exact, sources: samples },
    edgeCount: input.edges.length,
  };
}

/**
 * The heaviest `max` edges (ties broken by ids), plus every edge between two
 * people of `always`. Finds the weight threshold with one typed-array sort
 * instead of sorting the edge objects.
 */
function keptEdges(all: readonly InteractionEdge[], max: number, always: ReadonlySet<number>): InteractionEdge[] {
  let threshold = -Infinity;
  if (all.length > max && max > 0) {
    const weights = Float64Array.from(all, (e) => e.weight).sort();
    threshold = weights[weights.length - max]!;
  } else if (max <= 0) threshold = Infinity;
  const heavy = all.filter((e) => e.weight >= threshold);
  heavy.sort((a, b) => b.weight - a.weight || a.source - b.source || a.target - b.target);
  const kept = heavy.slice(0, Math.max(0, max));
  const seen = new Set(kept);
  for (const e of all) if (!seen.has(e) && always.has(e.source) && always.has(e.target)) kept.push(e);
  return kept.map((e) => ({ ...e }));
}
