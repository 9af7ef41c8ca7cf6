/**
 * Spherical k-means on sparse unit rows (TF-IDF): similarity is the dot
 * product with dense unit centres. Centres are held transposed (cols x k), so
 * scoring a text costs (its non-zeros) x k. k-means++ seeding on 1 - cos,
 * several restarts, the best total similarity wins.
 */
import { deriveSeed, mulberry32, randomInt } from "./rng";
import type { SparseMatrix } from "./sparse";

export interface SparseKMeansResult {
  labels: Int32Array;
  /** Centres transposed: cols x k, row-major (entry [t * k + j] = weight of term t in centre j). Unit columns. */
  centresT: Float64Array;
  k: number;
  /** Cosine of every row to its own centre. */
  sims: Float64Array;
  /** Sum of cosines to the own centre. */
  objective: number;
  iterations: number;
}

export interface SparseKMeansOptions {
  seed?: number;
  restarts?: number;
  maxIterations?: number;
  /** Start from these labels (centres are their means); restarts are then ignored. */
  initialLabels?: Int32Array;
  /** Rows with a zero weight do not pull their centre (default: all 1). */
  weights?: Float64Array;
  /** Euclidean k-means (mean centres, nearest by distance) instead of spherical. Default false. */
  euclidean?: boolean;
  /** Stop when fewer than this share of rows change cluster in an iteration. Default 0.001. */
  tolerance?: number;
}

/** Scores row r against every centre: out[j] = <x_r, c_j>. */
export function scoreRow(x: SparseMatrix, r: number, centresT: Float64Array, k: number, out: Float64Array): void {
  out.fill(0);
  for (let q = x.indptr[r]!; q < x.indptr[r + 1]!; q++) {
    const v = x.data[q]!;
    const o = x.indices[q]! * k;
    for (let j = 0; j < k; j++) out[j]! += v * centresT[o + j]!;
  }
}

/** Unit centres (cols x k) from labels; returns the sizes too. Labels < 0 are skipped. */
export function centresFromLabels(
  x: SparseMatrix,
  labels: ArrayLike<number>,
  k: number,
  weights?: Float64Array,
  euclidean = false,
): { centresT: Float64Array; sizes: Int32Array; sqNorms: Float64Array; norms: Float64Array } {
  const out = newCentres(x.cols, k);
  computeCentres(x, labels, k, weights, euclidean, out, true);
  return { centresT: out.centresT, sizes: out.sizes, sqNorms: out.sqNorms, norms: out.norms };
}

interface Centres {
  centresT: Float64Array;
  sizes: Int32Array;
  sqNorms: Float64Array;
  scale: Float64Array;
  /** Euclidean length of each centre's (weighted) sum before scaling. */
  norms: Float64Array;
}

function newCentres(cols: number, k: number): Centres {
  return {
    centresT: new Float64Array(cols * k),
    sizes: new Int32Array(k),
    sqNorms: new Float64Array(k),
    scale: new Float64Array(k),
    norms: new Float64Array(k),
  };
}

/**
 * In-place version of centresFromLabels, reusing the buffers of `out`. With
 * `applyScale` false the centres stay as sums and `out.scale` holds the factor
 * that would normalise each (the Lloyd loop multiplies scores by it instead of
 * rescaling columns x k entries every iteration).
 */
function computeCentres(
  x: SparseMatrix,
  labels: ArrayLike<number>,
  k: number,
  weights: Float64Array | undefined,
  euclidean: boolean,
  out: Centres,
  applyScale: boolean,
): void {
  const { centresT, sizes, sqNorms, scale } = out;
  centresT.fill(0);
  sizes.fill(0);
  const wsum = new Float64Array(k);
  for (let r = 0; r < x.rows; r++) {
    const j = labels[r]!;
    if (j < 0) continue;
    const w = weights ? weights[r]! : 1;
    if (w === 0) continue;
    sizes[j]!++;
    wsum[j]! += w;
    for (let q = x.indptr[r]!; q < x.indptr[r + 1]!; q++) centresT[x.indices[q]! * k + j]! += w * x.data[q]!;
  }
  const norms = new Float64Array(k);
  const total = x.cols * k;
  for (let p = 0; p < total; p += k) for (let j = 0; j < k; j++) norms[j]! += centresT[p + j]! * centresT[p + j]!;
  for (let j = 0; j < k; j++) {
    out.norms[j] = Math.sqrt(norms[j]!);
    if (euclidean) {
      scale[j] = wsum[j]! > 0 ? 1 / wsum[j]! : 0;
      sqNorms[j] = norms[j]! * scale[j]! * scale[j]!;
    } else {
      scale[j] = norms[j]! > 0 ? 1 / Math.sqrt(norms[j]!) : 0;
      sqNorms[j] = norms[j]! > 0 ? 1 : 0;
    }
  }
  if (applyScale) {
    for (let p = 0; p < total; p += k) for (let j = 0; j < k; j++) centresT[p + j]! *= scale[j]!;
    scale.fill(1);
  }
}

function lloyd(
  x: SparseMatrix,
  k: number,
  labels: Int32Array,
  maxIter: number,
  weights: Float64Array | undefined,
  euclidean: boolean,
  tolerance: number,
): SparseKMeansResult {
  const n = x.rows;
  const sims = new Float64Array(n);
  const scores = new Float64Array(k);
  const built = newCentres(x.cols, k);
  const { centresT, sizes, sqNorms, scale } = built;
  const { indptr, indices, data } = x;
  let objective = 0;
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    computeCentres(x, labels, k, weights, euclidean, built, false);
    // An empty cluster takes the row worst served by its centre.
    for (let j = 0; j < k; j++) {
      if (sizes[j]! > 0 || it === 0) continue;
      let worst = -1;
      for (let r = 0; r < n; r++) if (indptr[r + 1]! > indptr[r]! && (worst < 0 || sims[r]! < sims[worst]!)) worst = r;
      if (worst < 0) break;
      sims[worst] = Infinity;
      for (let t = 0; t < x.cols; t++) centresT[t * k + j] = 0;
      for (let q = indptr[worst]!; q < indptr[worst + 1]!; q++) centresT[indices[q]! * k + j] = data[q]!;
      sqNorms[j] = 1;
      scale[j] = 1;
    }
    let changed = 0;
    objective = 0;
    for (let r = 0; r < n; r++) {
      scores.fill(0);
      for (let q = indptr[r]!; q < indptr[r + 1]!; q++) {
        const v = data[q]!;
        const o = indices[q]! * k;
        for (let j = 0; j < k; j++) scores[j]! += v * centresT[o + j]!;
      }
      if (euclidean) for (let j = 0; j < k; j++) scores[j] = 2 * scores[j]! * scale[j]! - sqNorms[j]!;
      else for (let j = 0; j < k; j++) scores[j]! *= scale[j]!;
      let best = labels[r]! >= 0 ? labels[r]! : 0;
      let bestS = scores[best]!;
      for (let j = 0; j < k; j++) {
        if (scores[j]! > bestS) {
          bestS = scores[j]!;
          best = j;
        }
      }
      if (best !== labels[r]) {
        labels[r] = best;
        changed++;
      }
      sims[r] = bestS;
      objective += bestS;
    }
    if (changed <= tolerance * n) break;
  }
  let centresOut: Float64Array = centresT;
  if (euclidean) {
    // Report cosines to the (normalised) centres, like the spherical variant.
    const unit = centresFromLabels(x, labels, k, weights, false).centresT;
    centresOut = unit;
    objective = 0;
    for (let r = 0; r < n; r++) {
      scoreRow(x, r, unit, k, scores);
      sims[r] = scores[labels[r]!]!;
      objective += sims[r]!;
    }
  } else {
    computeCentres(x, labels, k, weights, false, built, true);
  }
  return { labels, centresT: centresOut, k, sims, objective, iterations };
}

/**
 * k-means++ seeding: k row indexes, each drawn with probability proportional to (1 - best cos)^2,
 * and every row's label: the seed it is most similar to (the first on a tie; a seed row is its
 * own), which the seeding computes anyway.
 */
function seedRows(x: SparseMatrix, k: number, rng: () => number): { seeds: number[]; labels: Int32Array } {
  const n = x.rows;
  const dense = new Float64Array(x.cols);
  const best = new Float64Array(n).fill(Infinity);
  const labels = new Int32Array(n);
  const chosen: number[] = [];
  let next = randomInt(rng, n);
  while (chosen.length < k) {
    const previous = chosen[chosen.length - 1];
    if (previous !== undefined) for (let q = x.indptr[previous]!; q < x.indptr[previous + 1]!; q++) dense[x.indices[q]!] = 0;
    chosen.push(next);
    const j = chosen.length - 1;
    for (let q = x.indptr[next]!; q < x.indptr[next + 1]!; q++) dense[x.indices[q]!] = x.data[q]!;
    let total = 0;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let q = x.indptr[r]!; q < x.indptr[r + 1]!; q++) s += x.data[q]! * dense[x.indices[q]!]!;
      const dist = Math.max(0, 1 - s);
      const d2 = dist * dist;
      if (d2 < best[r]!) {
        best[r] = d2;
        labels[r] = j;
      }
      total += best[r]!;
    }
    if (chosen.length >= k) break;
    if (total <= 0) {
      next = randomInt(rng, n);
      continue;
    }
    let target = rng() * total;
    next = n - 1;
    for (let r = 0; r < n; r++) {
      target -= best[r]!;
      if (target <= 0) {
        next = r;
        break;
      }
    }
  }
  chosen.forEach((row, j) => (labels[row] = j));
  return { seeds: chosen, labels };
}

export function sparseSphericalKMeans(x: SparseMatrix, k: number, options: SparseKMeansOptions = {}): SparseKMeansResult {
  const kk = Math.max(1, Math.min(k, x.rows));
  const maxIter = options.maxIterations ?? 40;
  const euclidean = options.euclidean ?? false;
  const tolerance = options.tolerance ?? 0.001;
  if (options.initialLabels) return lloyd(x, kk, Int32Array.from(options.initialLabels), maxIter, options.weights, euclidean, tolerance);
  const restarts = Math.max(1, options.restarts ?? 5);
  let best: SparseKMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const rng = mulberry32(deriveSeed(options.seed ?? 0, 0x5a, r));
    const { labels } = seedRows(x, kk, rng);
    const result = lloyd(x, kk, labels, maxIter, options.weights, euclidean, tolerance);
    if (!best || result.objective > best.objective) best = result;
  }
  return best!;
}

/** Nearest centre (by dot product) for every row; rows with no terms get label 0 and similarity 0. */
export function assignRows(x: SparseMatrix, centresT: Float64Array, k: number): { labels: Int32Array; sims: Float64Array } {
  const labels = new Int32Array(x.rows);
  const sims = new Float64Array(x.rows);
  const scores = new Float64Array(k);
  for (let r = 0; r < x.rows; r++) {
    scoreRow(x, r, centresT, k, scores);
    let best = 0;
    for (let j = 1; j < k; j++) if (scores[j]! > scores[best]!) best = j;
    labels[r] = best;
    sims[r] = scores[best]!;
  }
  return { labels, sims };
}
