import { describe, expect, it } from "vitest";
import { analyseNetwork, edgeWeight } from "./analyse";
import { betweenness, brokerage } from "./brokerage";
import type { Edge } from "./graph";
import { forceLayout } from "./layout";
import { departmentMatrix } from "./matrix";
import { pageRank } from "./pagerank";

const e = (source: number, target: number, weight = 1): Edge => ({ source, target, weight });

describe("pageRank", () => {
  it("gives every node of a 3-node cycle 1/3", () => {
    const ranks = pageRank({ nodes: [1, 2, 3], edges: [e(1, 2), e(2, 3), e(3, 1)] });
    for (const id of [1, 2, 3]) expect(ranks.get(id)).toBeCloseTo(1 / 3, 9);
  });

  it("ranks a star's centre highest; the dangling centre spreads its rank uniformly", () => {
    // Leaves 1..4 point to 0. By hand (d = 0.85, n = 5): r_leaf = 0.03 + 0.17·r_c and
    // r_c = 1 − 4·r_leaf, so r_c = 0.88 / 1.68 and r_leaf = 0.03 + 0.17·r_c.
    const ranks = pageRank({ nodes: [0, 1, 2, 3, 4], edges: [e(1, 0), e(2, 0), e(3, 0), e(4, 0)] });
    const centre = 0.88 / 1.68;
    expect(ranks.get(0)).toBeCloseTo(centre, 8);
    for (const id of [1, 2, 3, 4]) expect(ranks.get(id)).toBeCloseTo(0.03 + 0.17 * centre, 8);
    const sum = [...ranks.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
  });

  it("solves a two-node chain by hand: A→B, B dangling", () => {
    // r_A = 0.075 + 0.425·r_B, r_A + r_B = 1 → r_A = 0.5 / 1.425.
    const ranks = pageRank({ nodes: [1, 2], edges: [e(1, 2)] });
    expect(ranks.get(1)).toBeCloseTo(0.5 / 1.425, 8);
    expect(ranks.get(2)).toBeCloseTo(1 - 0.5 / 1.425, 8);
  });

  it("follows weights: the heavier tie passes more rank", () => {
    const ranks = pageRank({ nodes: [1, 2, 3], edges: [e(1, 2, 3), e(1, 3, 1), e(2, 1), e(3, 1)] });
    expect(ranks.get(2)!).toBeGreaterThan(ranks.get(3)!);
    expect(ranks.get(1)!).toBeGreaterThan(ranks.get(2)!);
  });

  it("handles an empty graph and isolated nodes", () => {
    expect(pageRank({ nodes: [], edges: [] }).size).toBe(0);
    const ranks = pageRank({ nodes: [1, 2], edges: [] });
    expect(ranks.get(1)).toBeCloseTo(0.5, 10);
  });
});

describe("brokerage and betweenness", () => {
  // Path 1-2-3-4-5; 1 and 2 in department X (10), 3 alone in Z (30), 4 and 5 in Y (20).
  const path = { nodes: [1, 2, 3, 4, 5], edges: [e(1, 2, 3), e(2, 3), e(3, 4, 2), e(5, 4)] };
  const dept = new Map([[1, 10], [2, 10], [3, 30], [4, 20], [5, 20]]);
  const departmentOf = (id: number) => dept.get(id);

  it("gives the node bridging two departments brokerage 1", () => {
    const b = brokerage(path, departmentOf);
    expect(b.get(3)).toEqual({ share: 1, crossWeight: 3, totalWeight: 3, ties: 2 });
    // Node 2: tie weight 3 inside X, 1 across to 3 → 1/4.
    expect(b.get(2)!.share).toBeCloseTo(0.25, 12);
    expect(b.get(1)!.share).toBe(0);
    // Node 4: 2 across (to 3), 1 inside (from 5) → 2/3.
    expect(b.get(4)!.share).toBeCloseTo(2 / 3, 12);
    expect(b.get(5)!.ties).toBe(1);
  });

  it("gives the middle of a path the highest betweenness (by hand: 4 of 6 pairs)", () => {
    const c = betweenness(path);
    expect(c.get(3)).toBeCloseTo(4 / 6, 12);
    expect(c.get(2)).toBeCloseTo(3 / 6, 12);
    expect(c.get(4)).toBeCloseTo(3 / 6, 12);
    expect(c.get(1)).toBe(0);
    expect(c.get(5)).toBe(0);
  });

  it("splits credit between two equal shortest paths", () => {
    // Square 1-2-4-3-1: of the 3 pairs not involving 2, only (1,4) passes through it,
    // along one of two shortest paths → ½ of 1 pair out of 3 = 1/6. Same for 3.
    const c = betweenness({ nodes: [1, 2, 3, 4], edges: [e(1, 2), e(2, 4), e(1, 3), e(3, 4)] });
    expect(c.get(2)).toBeCloseTo(1 / 6, 12);
    expect(c.get(3)).toBeCloseTo(1 / 6, 12);
  });

  it("estimates from sampled sources deterministically; all sources equals exact", () => {
    const ring = { nodes: Array.from({ length: 40 }, (_, i) => i), edges: Array.from({ length: 40 }, (_, i) => e(i, (i + 1) % 40)) };
    const exact = betweenness(ring);
    expect(betweenness(ring, { samples: 40 })).toEqual(exact);
    const a = betweenness(ring, { samples: 10, seed: 7 });
    expect(betweenness(ring, { samples: 10, seed: 7 })).toEqual(a);
    // On a ring every node has the same exact score; the estimate's mean is close to it.
    const mean = [...a.values()].reduce((s, v) => s + v, 0) / 40;
    expect(mean).toBeCloseTo(exact.get(0)!, 6);
  });
});

describe("departmentMatrix", () => {
  it("sums directed weights between two departments (rows = from)", () => {
    const dept = new Map([[1, 10], [2, 10], [3, 20], [4, null]]);
    const graph = { nodes: [1, 2, 3, 4], edges: [e(1, 2, 3), e(1, 3, 1), e(3, 1, 2), e(2, 3, 5), e(3, 3, 9), e(4, 1, 7)] };
    expect(departmentMatrix(graph, (id) => dept.get(id), [10, 20])).toEqual([
      [3, 6],
      [2, 0],
    ]);
  });
});

describe("forceLayout", () => {
  const nodes = [1, 2, 3, 4, 5, 6];
  const edges = [e(1, 2, 5), e(2, 3, 5), e(3, 1, 5), e(4, 5, 5), e(5, 6, 5), e(6, 4, 5), e(3, 4)];

  it("is deterministic for a seed and stays in the unit square", () => {
    const a = forceLayout(nodes, edges, { seed: 3 });
    expect(forceLayout(nodes, edges, { seed: 3 })).toEqual(a);
    for (const p of a.values()) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
  });

  it("puts tied people closer than untied ones", () => {
    const p = forceLayout(nodes, edges, { seed: 3 });
    const d = (a: number, b: number) => Math.hypot(p.get(a)!.x - p.get(b)!.x, p.get(a)!.y - p.get(b)!.y);
    expect(d(1, 2)).toBeLessThan(d(1, 5));
    expect(d(5, 6)).toBeLessThan(d(2, 6));
  });
});

describe("analyseNetwork", () => {
  it("weighs kinds 3/2/1/2, keeps the heaviest edges and the drawn people's edges", () => {
    expect(edgeWeight({ comments: 1, replies: 1, supports: 1, merges: 1 })).toBe(8);
    const people = [1, 2, 3, 4].map((id) => ({ id, departmentId: id <= 2 ? 1 : 2 }));
    const k = (source: number, target: number, supports: number) => ({ source, target, comments: 0, replies: 0, supports, merges: 0, weight: supports });
    const data = analyseNetwork({ people, edges: [k(1, 2, 5), k(2, 3, 1), k(3, 4, 9), k(4, 1, 2)] }, { computedAt: 7, maxEdges: 1, drawPeople: 0 });
    expect(data.edges.map((x) => [x.source, x.target])).toEqual([[3, 4]]);
    expect(data.edgeCount).toBe(4);
    expect(data.departmentMatrix).toEqual({ departmentIds: [1, 2], weights: [[5, 1], [2, 9]] });
    expect(data.people.reduce((s, p) => s + p.pagerank, 0)).toBeCloseTo(1, 4);
    const all = analyseNetwork({ people, edges: [k(1, 2, 5), k(2, 3, 1), k(3, 4, 9), k(4, 1, 2)] }, { computedAt: 7, maxEdges: 1, drawPeople: 4 });
    expect(all.edges.length).toBe(4);
  });
});
