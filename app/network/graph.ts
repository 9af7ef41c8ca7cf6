/**
 * The interaction graph as plain data, and a compact indexed form the
 * algorithms share. Pure: no database, no React.
 */

/** A weighted directed edge between two people (ids). Parallel edges add up. */
export interface Edge {
  source: number;
  target: number;
  weight: number;
}

export interface Graph {
  /** Every person in the graph; people with no ties may be listed too. */
  nodes: readonly number[];
  edges: readonly Edge[];
}

/** Nodes as 0..n-1 with edges in typed arrays. Edges naming unknown nodes add those nodes at the end. */
export interface IndexedGraph {
  ids: number[];
  index: Map<number, number>;
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
}

export function indexGraph(graph: Graph): IndexedGraph {
  const ids: number[] = [];
  const index = new Map<number, number>();
  const add = (id: number) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  for (const id of graph.nodes) add(id);
  const m = graph.edges.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const weight = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const edge = graph.edges[e]!;
    source[e] = add(edge.source);
    target[e] = add(edge.target);
    weight[e] = edge.weight;
  }
  return { ids, index, source, target, weight };
}

/**
 * Undirected, de-duplicated adjacency (compressed rows): each tie counts once
 * whatever its direction or weight. Self-loops are dropped.
 */
export function undirectedAdjacency(g: IndexedGraph): { offsets: Int32Array; neighbours: Int32Array } {
  const n = g.ids.length;
  const seen = new Set<number>();
  const pairs: number[] = [];
  for (let e = 0; e < g.source.length; e++) {
    const a = g.source[e]!;
    const b = g.target[e]!;
    if (a === b) continue;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * n + hi;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(lo, hi);
  }
  const degree = new Int32Array(n + 1);
  for (let p = 0; p < pairs.length; p++) degree[pairs[p]! + 1]!++;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i + 1]!;
  const fill = offsets.slice(0, n);
  const neighbours = new Int32Array(pairs.length);
  for (let p = 0; p < pairs.length; p += 2) {
    const a = pairs[p]!;
    const b = pairs[p + 1]!;
    neighbours[fill[a]!++] = b;
    neighbours[fill[b]!++] = a;
  }
  return { offsets, neighbours };
}
