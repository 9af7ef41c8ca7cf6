import { describe, expect, it } from "vitest";
import { analyseNetwork, edgeWeight } from "./analyse";
import { betweenness, brokerage } from "./brokerage";
import type { Edge } from "./graph";
import { departmentGaps, departmentPairs, silentDepartments } from "./findings";
import { boxesOverlap, labelBox, placeLabels } from "./labels";
import { circleLayout, forceLayout } from "./layout";
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

  it("counts the other departments and the people in them each person is tied to", () => {
    const b = brokerage(path, departmentOf);
    // 3 (Z) is tied to 2 (X) and 4 (Y): two other departments, two people.
    expect(b.get(3)).toEqual({ departments: 2, crossPeople: 2, crossWeight: 3, ties: 2 });
    expect(b.get(2)).toEqual({ departments: 1, crossPeople: 1, crossWeight: 1, ties: 2 });
    expect(b.get(1)).toEqual({ departments: 0, crossPeople: 0, crossWeight: 0, ties: 1 });
    expect(b.get(5)!.ties).toBe(1);
  });

  it("tells apart people whom a share of cross-department weight scores alike", () => {
    // Six departments; everyone's ties all cross departments (a share would give everyone 1),
    // but 1 reaches four departments, 2 two, 7 one.
    const dept6 = new Map([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50], [6, 60], [7, 20]]);
    const g = { nodes: [1, 2, 3, 4, 5, 6, 7], edges: [e(1, 2), e(1, 3), e(4, 1), e(5, 1), e(2, 6), e(3, 7, 9)] };
    const b = brokerage(g, (id) => dept6.get(id));
    expect([1, 2, 7].map((id) => b.get(id)!.departments)).toEqual([4, 2, 1]);
    // Direction and weight do not matter; a tie with someone of no department never crosses.
    expect(brokerage({ nodes: [1, 2], edges: [e(1, 2, 5)] }, (id) => (id === 1 ? 10 : null)).get(1)).toEqual({ departments: 0, crossPeople: 0, crossWeight: 0, ties: 1 });
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
    expect(data.people.find((p) => p.id === 2)).toMatchObject({ departmentsReached: 1, crossPeople: 1, crossInteractions: 1, ties: 2 });
    expect(data.people.reduce((s, p) => s + p.pagerank, 0)).toBeCloseTo(1, 4);
    const all = analyseNetwork({ people, edges: [k(1, 2, 5), k(2, 3, 1), k(3, 4, 9), k(4, 1, 2)] }, { computedAt: 7, maxEdges: 1, drawPeople: 4 });
    expect(all.edges.length).toBe(4);
  });
});

describe("analyseNetwork's department matrix", () => {
  it("counts interactions, not their weights", () => {
    const people = [1, 2].map((id) => ({ id, departmentId: id }));
    const edge = { source: 1, target: 2, comments: 2, replies: 1, supports: 1, merges: 0, weight: 9 };
    expect(analyseNetwork({ people, edges: [edge] }, { computedAt: 1 }).departmentMatrix.weights).toEqual([
      [0, 4],
      [0, 0],
    ]);
  });
});

describe("departments that never met", () => {
  // Departments 1, 2, 3, 4: 1↔2 met 5 times (3 + 2), 1→3 once, 2↔3 4 times, 4 met nobody.
  const matrix = {
    departmentIds: [1, 2, 3, 4],
    weights: [
      [7, 3, 1, 0],
      [2, 0, 0, 0],
      [0, 4, 0, 0],
      [0, 0, 0, 9],
    ],
  };

  it("adds both directions per pair, ignores each department's own ties, and puts the fewest first", () => {
    expect(departmentPairs(matrix)).toEqual([
      { a: 1, b: 4, interactions: 0 },
      { a: 2, b: 4, interactions: 0 },
      { a: 3, b: 4, interactions: 0 },
      { a: 1, b: 3, interactions: 1 },
      { a: 2, b: 3, interactions: 4 },
      { a: 1, b: 2, interactions: 5 },
    ]);
  });

  it("names the pairs that never met and, apart, the ones that met least", () => {
    const gaps = departmentGaps(departmentPairs(matrix), 2);
    expect(gaps.neverMet.map((p) => [p.a, p.b])).toEqual([[1, 4], [2, 4], [3, 4]]);
    expect(gaps.leastMet.map((p) => [p.a, p.b, p.interactions])).toEqual([[1, 3, 1], [2, 3, 4]]);
    expect(departmentGaps(departmentPairs({ departmentIds: [5], weights: [[3]] }))).toEqual({ neverMet: [], leastMet: [] });
  });
});

describe("silentDepartments", () => {
  it("names departments with ties only inside, and departments nobody of theirs took part from", () => {
    const matrix = { departmentIds: [1, 2, 3], weights: [[4, 1, 0], [0, 0, 0], [0, 0, 6]] };
    expect(silentDepartments(matrix, [1, 2, 3, 4])).toEqual([3, 4]);
  });
});

describe("placeLabels", () => {
  const options = { width: 200, height: 120, fontSize: 12 };

  it("never lets two labels or a label and a mark overlap, and keeps labels inside the frame", () => {
    // A tight cluster: not every label can fit, and none of those placed may touch.
    const marks = Array.from({ length: 12 }, (_, i) => ({ key: i, x: 60 + (i % 4) * 22, y: 40 + Math.floor(i / 4) * 20, r: 5, text: `Person ${i}`, priority: 12 - i }));
    const placed = placeLabels(marks, options);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(marks.length);
    const boxes = placed.map((l) => labelBox(l, options));
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(options.width);
      for (let j = i + 1; j < boxes.length; j++) expect(boxesOverlap(b, boxes[j]!)).toBe(false);
      for (const m of marks) expect(boxesOverlap(b, { left: m.x - m.r, right: m.x + m.r, top: m.y - m.r, bottom: m.y + m.r })).toBe(false);
    }
    // The most important mark is labelled first, to its right when there is room.
    expect(placed[0]).toMatchObject({ key: 0 });
  });

  it("moves a label to the left near the right edge, and skips empty texts", () => {
    const placed = placeLabels(
      [
        { key: 1, x: 190, y: 60, r: 5, text: "Operations", priority: 1 },
        { key: 2, x: 20, y: 60, r: 5, text: "", priority: 2 },
      ],
      options,
    );
    expect(placed).toEqual([{ key: 1, text: "Operations", x: 182, y: 60 + 12 * 0.3, anchor: "end" }]);
  });
});

describe("circleLayout", () => {
  it("spaces marks evenly on a circle, the first at the top", () => {
    const p = circleLayout([7, 8, 9, 10], 0.4);
    expect(p.get(7)).toEqual({ x: 0.5, y: 0.1 });
    expect(p.get(8)).toEqual({ x: 0.9, y: 0.5 });
    expect(circleLayout([3]).get(3)).toEqual({ x: 0.5, y: 0.5 });
  });
});
