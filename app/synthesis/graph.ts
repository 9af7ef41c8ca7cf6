/**
 * Similarity graphs and community detection.
 *
 * - `knnDense`: each row's k most cosine-similar rows (unit vectors), by brute force.
 * - `knnToGraph`: a symmetric weighted graph from kNN lists.
 * - `louvain`: modularity communities (Blondel et al. 2008) with a resolution
 *   parameter: local moving in a seeded random order, then aggregation,
 *   repeated until nothing moves. It chooses the number of communities itself.
 */
import { mulberry32, shuffle, type Rng } from "./rng";

export interface Knn {
  k: number;
  /** n x k neighbour ids (-1 when fewer exist). */
  ids: Int32Array;
  /** n x k similarities, descending per row. */
  sims: Float64Array;
}

/** Inserts (id, sim) into a descending top-k list held in ids/sims at offset o. */
function pushTop(ids: Int32Array, sims: Float64Array, o: number, k: number, id: number, sim: number): void {
  if (sim <= sims[o + k - 1]!) return;
  let p = k - 1;
  while (p > 0 && sims[o + p - 1]! < sim) {
    sims[o + p] = sims[o + p - 1]!;
    ids[o + p] = ids[o + p - 1]!;
    p--;
  }
  sims[o + p] = sim;
  ids[o + p] = id;
}

/** Exact kNN by cosine for unit rows of x (n x d). O(n^2 d). */
export function knnDense(x: Float64Array, n: number, d: number, k: number): Knn {
  const ids = new Int32Array(n * k).fill(-1);
  const sims = new Float64Array(n * k).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    for (let j = i + 1; j < n; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += x[a + t]! * x[b + t]!;
      pushTop(ids, sims, i * k, k, j, s);
      pushTop(ids, sims, j * k, k, i, s);
    }
  }
  return { k, ids, sims };
}

export interface Graph {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float64Array;
}

/** Builds a graph from adjacency maps (must already be symmetric). */
export function graphFromMaps(adj: Map<number, number>[]): Graph {
  const n = adj.length;
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i]! + adj[i]!.size;
  const indices = new Int32Array(indptr[n]!);
  const weights = new Float64Array(indptr[n]!);
  for (let i = 0; i < n; i++) {
    const entries = [...adj[i]!.entries()].sort((a, b) => a[0] - b[0]);
    let p = indptr[i]!;
    for (const [j, w] of entries) {
      indices[p] = j;
      weights[p] = w;
      p++;
    }
  }
  return { n, indptr, indices, weights };
}

/**
 * Symmetric graph from kNN lists: an edge i-j when either is among the other's
 * neighbours with similarity above `minSim`; weight = the similarity (each
 * pair counted once).
 */
export function knnToGraph(knn: Knn, n: number, minSim = 0): Graph {
  const adj: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < knn.k; r++) {
      const j = knn.ids[i * knn.k + r]!;
      const s = knn.sims[i * knn.k + r]!;
      if (j < 0 || j === i || !(s > minSim)) continue;
      const prev = adj[i]!.get(j) ?? 0;
      if (s > prev) {
        adj[i]!.set(j, s);
        adj[j]!.set(i, s);
      }
    }
  }
  return graphFromMaps(adj);
}

export interface LouvainOptions {
  /** Resolution: above 1 gives more, smaller communities; below 1 fewer, larger. Default 1. */
  resolution?: number;
  seed?: number;
  maxLevels?: number;
}

/** Louvain communities. Returns a community id (0..count-1, by decreasing size) per node. */
export function louvain(graph: Graph, options: LouvainOptions = {}): { labels: Int32Array; count: number; modularity: number } {
  const gamma = options.resolution ?? 1;
  const rng = mulberry32(options.seed ?? 0);
  const n0 = graph.n;
  let membership = Int32Array.from({ length: n0 }, (_, i) => i);
  let g = graph;
  for (let level = 0; level < (options.maxLevels ?? 20); level++) {
    const { community, moved } = localMoving(g, gamma, rng);
    // Renumber communities densely.
    const map = new Map<number, number>();
    for (let i = 0; i < g.n; i++) if (!map.has(community[i]!)) map.set(community[i]!, map.size);
    const dense = Int32Array.from(community, (c) => map.get(c)!);
    membership = Int32Array.from(membership, (c) => dense[c]!);
    if (!moved || map.size === g.n) break;
    g = aggregate(g, dense, map.size);
  }
  return finish(graph, membership, gamma);
}

function localMoving(g: Graph, gamma: number, rng: Rng): { community: Int32Array; moved: boolean } {
  const n = g.n;
  const community = Int32Array.from({ length: n }, (_, i) => i);
  const degree = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) s += g.weights[p]!;
    degree[i] = s;
    total += s;
  }
  if (total === 0) return { community, moved: false };
  const tot = Float64Array.from(degree);
  const order = shuffle(rng, Array.from({ length: n }, (_, i) => i));
  const neighWeight = new Float64Array(n);
  const neighList: number[] = [];
  let movedAny = false;
  for (let pass = 0; pass < 100; pass++) {
    let moves = 0;
    for (const i of order) {
      const ci = community[i]!;
      neighList.length = 0;
      for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) {
        const j = g.indices[p]!;
        const w = g.weights[p]!;
        if (j === i) continue;
        const cj = community[j]!;
        if (neighWeight[cj] === 0) neighList.push(cj);
        neighWeight[cj]! += w;
      }
      const ki = degree[i]!;
      tot[ci]! -= ki;
      // gain(c) = w(i, c) - gamma * tot(c) * k_i / total  (total = 2m)
      let best = ci;
      let bestGain = neighWeight[ci]! - (gamma * tot[ci]! * ki) / total;
      for (const c of neighList) {
        const gain = neighWeight[c]! - (gamma * tot[c]! * ki) / total;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          best = c;
        }
      }
      tot[best]! += ki;
      for (const c of neighList) neighWeight[c] = 0;
      neighWeight[ci] = 0;
      if (best !== ci) {
        community[i] = best;
        moves++;
      }
    }
    if (moves === 0) break;
    movedAny = true;
  }
  return { community, moved: movedAny };
}

function aggregate(g: Graph, community: Int32Array, count: number): Graph {
  const adj: Map<number, number>[] = Array.from({ length: count }, () => new Map());
  for (let i = 0; i < g.n; i++) {
    const ci = community[i]!;
    for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) {
      const cj = community[g.indices[p]!]!;
      const m = adj[ci]!;
      m.set(cj, (m.get(cj) ?? 0) + g.weights[p]!);
    }
  }
  return graphFromMaps(adj);
}

/** Modularity of a partition (with resolution). */
export function modularity(g: Graph, labels: ArrayLike<number>, gamma = 1): number {
  let total = 0;
  const tot = new Map<number, number>();
  let inside = 0;
  for (let i = 0; i < g.n; i++) {
    for (let p = g.indptr[i]!; p < g.indptr[i + 1]!; p++) {
      const w = g.weights[p]!;
      total += w;
      tot.set(labels[i]!, (tot.get(labels[i]!) ?? 0) + w);
      if (labels[g.indices[p]!] === labels[i]) inside += w;
    }
  }
  if (total === 0) return 0;
  let expected = 0;
  for (const t of tot.values()) expected += (t / total) ** 2;
  return inside / total - gamma * expected;
}

function finish(g: Graph, membership: Int32Array, gamma: number): { labels: Int32Array; count: number; modularity: number } {
  const sizes = new Map<number, number>();
  for (const c of membership) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
  const rank = new Map(order.map((c, i) => [c, i]));
  const labels = Int32Array.from(membership, (c) => rank.get(c)!);
  return { labels, count: order.length, modularity: modularity(g, labels, gamma) };
}
