/**
 * k-means on dense row-major data (sparse text vectors use sparse-kmeans.ts).
 *
 * - `euclideanKMeans`: plain Lloyd's k-means with k-means++ seeding and
 *   restarts, for low-dimensional points (opinion groups on two PCA components).
 * - `silhouette`: mean silhouette width (Euclidean), for choosing k.
 */
import { deriveSeed, mulberry32, randomInt, type Rng } from "./rng";

export interface KMeansResult {
  labels: Int32Array;
  /** k x d centres, row-major. */
  centroids: Float64Array;
  k: number;
  /** Sum of squared distances to the own centre. */
  objective: number;
  iterations: number;
}

export interface KMeansOptions {
  seed?: number;
  restarts?: number;
  maxIterations?: number;
}

function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const diff = x[a + t]! - c[b + t]!;
    s += diff * diff;
  }
  return s;
}

/** k-means++ seeding. `distance(i, centreRow)` is computed against rows of the data. */
function plusPlus(n: number, k: number, rng: Rng, distance: (i: number, row: number) => number): number[] {
  const chosen: number[] = [randomInt(rng, n)];
  const best = new Float64Array(n);
  for (let i = 0; i < n; i++) best[i] = distance(i, chosen[0]!);
  while (chosen.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += best[i]!;
    let next: number;
    if (total <= 0) {
      next = randomInt(rng, n);
    } else {
      let target = rng() * total;
      next = n - 1;
      for (let i = 0; i < n; i++) {
        target -= best[i]!;
        if (target <= 0) {
          next = i;
          break;
        }
      }
    }
    chosen.push(next);
    for (let i = 0; i < n; i++) {
      const dd = distance(i, next);
      if (dd < best[i]!) best[i] = dd;
    }
  }
  return chosen;
}

/** Lloyd's k-means (squared Euclidean) with k-means++ seeding and restarts. */
export function euclideanKMeans(x: Float64Array, n: number, d: number, k: number, options: KMeansOptions = {}): KMeansResult {
  const kk = Math.max(1, Math.min(k, n));
  const maxIter = options.maxIterations ?? 100;
  const restarts = Math.max(1, options.restarts ?? 5);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const rng = mulberry32(deriveSeed(options.seed ?? 0, 0xe1, r));
    const seeds = plusPlus(n, kk, rng, (i, row) => sqDist(x, i, x, row, d));
    const centroids = new Float64Array(kk * d);
    seeds.forEach((row, j) => centroids.set(x.subarray(row * d, row * d + d), j * d));
    const labels = new Int32Array(n).fill(-1);
    let objective = 0;
    let iterations = 0;
    for (let it = 0; it < maxIter; it++) {
      iterations = it + 1;
      let changed = 0;
      objective = 0;
      for (let i = 0; i < n; i++) {
        let bestJ = 0;
        let bestD = Infinity;
        for (let j = 0; j < kk; j++) {
          const dd = sqDist(x, i, centroids, j, d);
          if (dd < bestD) {
            bestD = dd;
            bestJ = j;
          }
        }
        if (labels[i] !== bestJ) changed++;
        labels[i] = bestJ;
        objective += bestD;
      }
      const sums = new Float64Array(kk * d);
      const sizes = new Int32Array(kk);
      for (let i = 0; i < n; i++) {
        sizes[labels[i]!]!++;
        for (let t = 0; t < d; t++) sums[labels[i]! * d + t]! += x[i * d + t]!;
      }
      for (let j = 0; j < kk; j++) {
        if (sizes[j]! > 0) for (let t = 0; t < d; t++) centroids[j * d + t] = sums[j * d + t]! / sizes[j]!;
      }
      if (changed === 0) break;
    }
    const result = { labels, centroids, k: kk, objective, iterations };
    if (!best || result.objective < best.objective) best = result;
  }
  return best!;
}

/**
 * Mean silhouette width with Euclidean distances: for each point, a = mean
 * distance to its own cluster, b = the smallest mean distance to another
 * cluster, s = (b - a) / max(a, b); a point alone in its cluster scores 0.
 * O(n^2 d): pass a sample for large n.
 */
export function silhouette(x: Float64Array, n: number, d: number, labels: ArrayLike<number>, k: number): number {
  if (k < 2 || n < 2) return 0;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  let total = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums[labels[j]!]! += Math.sqrt(sqDist(x, i, x, j, d));
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
