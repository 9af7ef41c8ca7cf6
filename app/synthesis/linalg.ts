/**
 * Dense linear algebra for the engine: Gram matrices, top eigenvectors of a
 * symmetric matrix by power iteration with deflation, and PCA built on them.
 * Matrices are row-major Float64Arrays.
 */
import { gaussian, type Rng } from "./rng";

/** X^T X for a row-major n x k matrix (k x k). */
export function gram(x: Float64Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < n; r++) {
    const o = r * k;
    for (let i = 0; i < k; i++) {
      const xi = x[o + i]!;
      if (xi === 0) continue;
      const gi = i * k;
      for (let j = i; j < k; j++) g[gi + j]! += xi * x[o + j]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) g[i * k + j] = g[j * k + i]!;
  return g;
}

/**
 * Top eigenvectors of a symmetric k x k matrix by power iteration with
 * deflation (each vector is re-orthogonalised against the ones already found).
 * Returns vectors as rows (count x k) and their eigenvalues.
 */
export function powerIteration(
  matrix: Float64Array,
  k: number,
  count: number,
  rng: Rng,
  options: { iterations?: number; tolerance?: number } = {},
): { vectors: Float64Array[]; values: number[] } {
  const iterations = options.iterations ?? 500;
  const tol = options.tolerance ?? 1e-10;
  const vectors: Float64Array[] = [];
  const values: number[] = [];
  for (let c = 0; c < Math.min(count, k); c++) {
    let v = new Float64Array(k);
    for (let i = 0; i < k; i++) v[i] = gaussian(rng);
    orthogonalizeAgainst(v, vectors);
    normalize(v);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += matrix[i * k + j]! * v[j]!;
        next[i] = s;
      }
      orthogonalizeAgainst(next, vectors);
      const norm = normalize(next);
      let diff = 0;
      for (let i = 0; i < k; i++) diff += (next[i]! - v[i]!) ** 2;
      v = next;
      lambda = norm;
      if (norm === 0 || diff < tol) break;
    }
    // Deterministic sign: largest-magnitude entry positive.
    let big = 0;
    for (let i = 0; i < k; i++) if (Math.abs(v[i]!) > Math.abs(big)) big = v[i]!;
    if (big < 0) for (let i = 0; i < k; i++) v[i] = -v[i]!;
    vectors.push(v);
    values.push(lambda);
  }
  return { vectors, values };
}

function orthogonalizeAgainst(v: Float64Array, basis: Float64Array[]): void {
  for (const b of basis) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * b[i]!;
    for (let i = 0; i < v.length; i++) v[i]! -= dot * b[i]!;
  }
}

function normalize(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return norm;
}

/**
 * PCA of a dense n x k matrix to `components` dimensions: centre the columns,
 * form the k x k covariance, find its top eigenvectors by power iteration and
 * project. Returns the n x components projections (row-major) and the axes.
 */
export function pca(
  x: Float64Array,
  n: number,
  k: number,
  components: number,
  rng: Rng,
): { projections: Float64Array; axes: Float64Array[]; mean: Float64Array; variances: number[] } {
  const mean = new Float64Array(k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) mean[j]! += x[r * k + j]!;
  if (n > 0) for (let j = 0; j < k; j++) mean[j]! /= n;
  const centred = new Float64Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) centred[r * k + j] = x[r * k + j]! - mean[j]!;
  const cov = gram(centred, n, k);
  if (n > 1) for (let i = 0; i < cov.length; i++) cov[i]! /= n - 1;
  const { vectors, values } = powerIteration(cov, k, components, rng);
  const projections = new Float64Array(n * components);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < vectors.length; c++) {
      let s = 0;
      const axis = vectors[c]!;
      for (let j = 0; j < k; j++) s += centred[r * k + j]! * axis[j]!;
      projections[r * components + c] = s;
    }
  }
  return { projections, axes: vectors, mean, variances: values };
}
