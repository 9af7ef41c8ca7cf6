import { indexGraph, type Graph } from "./graph";

export interface PageRankOptions {
  /** Probability of following a tie rather than jumping anywhere. */
  damping?: number;
  /** Upper bound on power iterations. */
  iterations?: number;
  /** Stop when the L1 change between iterations falls below this. */
  tolerance?: number;
}

/**
 * Weighted PageRank by power iteration. A person passes their rank along
 * their outgoing ties in proportion to the ties' weights; a person with no
 * outgoing ties (dangling) spreads theirs uniformly over everyone. Scores sum
 * to 1. Returns a map from person id to score.
 */
export function pageRank(graph: Graph, options: PageRankOptions = {}): Map<number, number> {
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const g = indexGraph(graph);
  const n = g.ids.length;
  const result = new Map<number, number>();
  if (n === 0) return result;
  const m = g.source.length;
  const outWeight = new Float64Array(n);
  for (let e = 0; e < m; e++) if (g.weight[e]! > 0) outWeight[g.source[e]!]! += g.weight[e]!;
  // Edge share of its source's out-weight, computed once.
  const share = new Float64Array(m);
  for (let e = 0; e < m; e++) share[e] = g.weight[e]! > 0 ? g.weight[e]! / outWeight[g.source[e]!]! : 0;

  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (outWeight[i] === 0) dangling += rank[i]!;
    const base = (1 - damping) / n + (damping * dangling) / n;
    next.fill(base);
    for (let e = 0; e < m; e++) next[g.target[e]!]! += damping * rank[g.source[e]!]! * share[e]!;
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs(next[i]! - rank[i]!);
    [rank, next] = [next, rank];
    if (change < tolerance) break;
  }
  for (let i = 0; i < n; i++) result.set(g.ids[i]!, rank[i]!);
  return result;
}
