import { mulberry32 } from "~/synthesis/rng";
import { indexGraph, undirectedAdjacency, type Graph } from "./graph";

export interface Brokerage {
  /** Other departments this person has at least one tie with (either direction). */
  departments: number;
  /** Distinct people of other departments tied to this person. */
  crossPeople: number;
  /** Weight of the ties (both directions) with people of other departments: with interactions as weights, how many crossed. */
  crossWeight: number;
  /** Distinct people tied to this person, either direction. */
  ties: number;
}

/**
 * Department brokerage: how many OTHER departments a person is tied to, and
 * how many people of other departments. Counts spread out where a share of
 * tie weight does not (in a company of many departments almost every tie
 * crosses one, so everyone's share is about the same). A tie where either
 * end has no department (null) never counts as crossing.
 */
export function brokerage(graph: Graph, departmentOf: (id: number) => number | null | undefined): Map<number, Brokerage> {
  const g = indexGraph(graph);
  const n = g.ids.length;
  const dept = g.ids.map((id) => departmentOf(id) ?? null);
  const { offsets, neighbours } = undirectedAdjacency(g);
  const crossWeight = new Float64Array(n);
  for (let e = 0; e < g.source.length; e++) {
    const a = g.source[e]!;
    const b = g.target[e]!;
    if (a === b || dept[a] === null || dept[b] === null || dept[a] === dept[b]) continue;
    crossWeight[a]! += g.weight[e]!;
    crossWeight[b]! += g.weight[e]!;
  }
  const result = new Map<number, Brokerage>();
  for (let i = 0; i < n; i++) {
    const own = dept[i];
    const reached = new Set<number>();
    let crossPeople = 0;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const other = dept[neighbours[p]!];
      if (own === null || other === null || other === own) continue;
      reached.add(other);
      crossPeople++;
    }
    result.set(g.ids[i]!, { departments: reached.size, crossPeople, crossWeight: crossWeight[i]!, ties: offsets[i + 1]! - offsets[i]! });
  }
  return result;
}

export interface BetweennessOptions {
  /**
   * Number of BFS sources. Exact (every node) when left out or >= the node
   * count; otherwise the Brandes–Pich estimate: k sources drawn without
   * replacement by a seeded generator, scores scaled by n / k.
   */
  samples?: number;
  seed?: number;
}

/**
 * Betweenness centrality (Brandes 2001) on the UNDIRECTED, UNWEIGHTED tie
 * graph: how often a person lies on shortest paths between two others. Ties
 * are hops whatever their weight or direction (who can reach whom through
 * whom). Normalised to 0..1 by the number of pairs (n-1)(n-2)/2, so the middle
 * of a 3-node path scores 1. O(k·(n+m)) time for k sources.
 */
export function betweenness(graph: Graph, options: BetweennessOptions = {}): Map<number, number> {
  const g = indexGraph(graph);
  const n = g.ids.length;
  const { offsets, neighbours } = undirectedAdjacency(g);
  const score = new Float64Array(n);
  let sources: number[] = Array.from({ length: n }, (_, i) => i);
  const k = options.samples === undefined ? n : Math.max(1, Math.min(n, Math.floor(options.samples)));
  if (k < n) {
    const random = mulberry32(options.seed ?? 1);
    // Partial Fisher–Yates: the first k entries are a uniform sample.
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (n - i));
      [sources[i], sources[j]] = [sources[j]!, sources[i]!];
    }
    sources = sources.slice(0, k);
  }
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  for (const s of sources) {
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    sigma[s] = 1;
    dist[s] = 0;
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    while (head < tail) {
      const v = order[head++]!;
      const dv = dist[v]!;
      for (let p = offsets[v]!; p < offsets[v + 1]!; p++) {
        const w = neighbours[p]!;
        if (dist[w] === -1) {
          dist[w] = dv + 1;
          order[tail++] = w;
        }
        if (dist[w] === dv + 1) sigma[w]! += sigma[v]!;
      }
    }
    // Back-propagate dependencies in reverse BFS order (predecessors are the neighbours one hop closer).
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i]!;
      const dw = dist[w]!;
      const coefficient = (1 + delta[w]!) / sigma[w]!;
      for (let p = offsets[w]!; p < offsets[w + 1]!; p++) {
        const v = neighbours[p]!;
        if (dist[v] === dw - 1) delta[v]! += sigma[v]! * coefficient;
      }
      score[w]! += delta[w]!;
    }
  }
  // Each unordered pair is seen from both ends when all sources run: halve; scale samples up to n.
  const pairs = ((n - 1) * (n - 2)) / 2;
  const scale = (n / sources.length) / 2 / (pairs > 0 ? pairs : 1);
  const result = new Map<number, number>();
  for (let i = 0; i < n; i++) result.set(g.ids[i]!, pairs > 0 ? score[i]! * scale : 0);
  return result;
}
