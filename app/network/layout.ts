import { mulberry32 } from "~/synthesis/rng";
import { type Edge } from "./graph";

export interface LayoutOptions {
  seed?: number;
  iterations?: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Fruchterman–Reingold force-directed layout, plain O(n²) per iteration (fine
 * for the ≤ 500 nodes a page draws; pick the top nodes first). Ties pull
 * (more with more weight, logarithmically), everyone repels, a weak pull to the
 * centre keeps separate groups on screen, the temperature cools linearly.
 * Deterministic for a given seed, node order and edge order. Positions are
 * scaled into [0, 1] × [0, 1] (with a 5 % margin).
 */
export function forceLayout(nodes: readonly number[], edges: readonly Edge[], options: LayoutOptions = {}): Map<number, Point> {
  const n = nodes.length;
  const iterations = options.iterations ?? 300;
  const random = mulberry32(options.seed ?? 42);
  const index = new Map(nodes.map((id, i) => [id, i]));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = random();
    y[i] = random();
  }
  const links = edges
    .map((e) => ({ a: index.get(e.source), b: index.get(e.target), w: 1 + Math.log1p(Math.max(0, e.weight)) }))
    .filter((l): l is { a: number; b: number; w: number } => l.a !== undefined && l.b !== undefined && l.a !== l.b);
  const k = Math.sqrt(1 / Math.max(1, n));
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    const temperature = 0.1 * (1 - it / iterations) + 0.001;
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ddx = x[i]! - x[j]!;
        let ddy = y[i]! - y[j]!;
        let d2 = ddx * ddx + ddy * ddy;
        if (d2 < 1e-12) {
          // Coincident: push apart along a fixed direction derived from the indices.
          ddx = 1e-3 * (((i * 31 + j) % 7) - 3 || 1);
          ddy = 1e-3;
          d2 = ddx * ddx + ddy * ddy;
        }
        const force = (k * k) / d2; // (k²/d) / d, times the unit vector below
        dx[i]! += ddx * force;
        dy[i]! += ddy * force;
        dx[j]! -= ddx * force;
        dy[j]! -= ddy * force;
      }
    }
    for (const { a, b, w } of links) {
      const ddx = x[a]! - x[b]!;
      const ddy = y[a]! - y[b]!;
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 1e-9;
      const force = (d / k) * w; // (d²/k) / d
      dx[a]! -= ddx * force;
      dy[a]! -= ddy * force;
      dx[b]! += ddx * force;
      dy[b]! += ddy * force;
    }
    for (let i = 0; i < n; i++) {
      dx[i]! += (0.5 - x[i]!) * k * 2;
      dy[i]! += (0.5 - y[i]!) * k * 2;
      const length = Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!) || 1e-9;
      const step = Math.min(length, temperature);
      x[i]! += (dx[i]! / length) * step;
      y[i]! += (dy[i]! / length) * step;
    }
  }
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, x[i]!);
    maxX = Math.max(maxX, x[i]!);
    minY = Math.min(minY, y[i]!);
    maxY = Math.max(maxY, y[i]!);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const result = new Map<number, Point>();
  for (let i = 0; i < n; i++) {
    const px = n === 1 ? 0.5 : 0.05 + (0.9 * (x[i]! - minX)) / span + (0.9 * (1 - (maxX - minX) / span)) / 2;
    const py = n === 1 ? 0.5 : 0.05 + (0.9 * (y[i]! - minY)) / span + (0.9 * (1 - (maxY - minY) / span)) / 2;
    result.set(nodes[i]!, { x: round(px), y: round(py) });
  }
  return result;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * Marks evenly spaced on a circle, the first at the top, clockwise: for a few
 * nodes (departments) every mark keeps its distance from the others. Positions
 * in [0, 1] × [0, 1].
 */
export function circleLayout(nodes: readonly number[], radius = 0.36): Map<number, Point> {
  const result = new Map<number, Point>();
  nodes.forEach((id, i) => {
    if (nodes.length === 1) return result.set(id, { x: 0.5, y: 0.5 });
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
    result.set(id, { x: round(0.5 + radius * Math.cos(angle)), y: round(0.5 + radius * Math.sin(angle)) });
  });
  return result;
}
