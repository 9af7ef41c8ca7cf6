/**
 * Dense linear algebra for the engine: symmetric eigen-decomposition (cyclic
 * Jacobi), orthonormalising tall matrices, randomized truncated SVD of a
 * sparse matrix (Halko, Martinsson & Tropp 2011) for LSA, and PCA by power
 * iteration. Matrices are row-major Float64Arrays.
 */
import { gaussian, mulberry32, type Rng } from "./rng";
import { spmm, spmmT, type SparseMatrix } from "./sparse";

/** Eigen-decomposition of a symmetric k x k matrix. Values descending; vectors as columns of a k x k row-major matrix. */
export function symmetricEigen(input: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += a[i * k + i]! * a[i * k + i]!;
      for (let j = i + 1; j < k; j++) off += a[i * k + j]! * a[i * k + j]!;
    }
    if (off <= 1e-26 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => a[y * k + y]! - a[x * k + x]! || x - y);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = a[src * k + src]!;
    // Fix the sign so the largest-magnitude entry is positive: deterministic output.
    let big = 0;
    for (let r = 0; r < k; r++) if (Math.abs(v[r * k + src]!) > Math.abs(big)) big = v[r * k + src]!;
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < k; r++) vectors[r * k + dst] = sign * v[r * k + src]!;
  });
  return { values, vectors };
}

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

/** X (n x k) times M (k x m) -> n x m. */
export function matmul(x: Float64Array, n: number, k: number, m: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    const o = r * cols;
    const xo = r * k;
    for (let i = 0; i < k; i++) {
      const xi = x[xo + i]!;
      if (xi === 0) continue;
      const mo = i * cols;
      for (let j = 0; j < cols; j++) out[o + j]! += xi * m[mo + j]!;
    }
  }
  return out;
}

/**
 * An orthonormal basis of the column space of a tall n x k matrix, through the
 * eigen-decomposition of its Gram matrix (columns with negligible weight are
 * dropped, so rank-deficient input is fine). Returns the basis and its width.
 */
export function orthonormalize(y: Float64Array, n: number, k: number): { q: Float64Array; k: number } {
  let cur = y;
  let width = k;
  for (let pass = 0; pass < 2; pass++) {
    const { values, vectors } = symmetricEigen(gram(cur, n, width), width);
    const top = values[0]! > 0 ? values[0]! : 0;
    let keep = 0;
    while (keep < width && values[keep]! > 1e-12 * top && values[keep]! > 1e-300) keep++;
    const w = new Float64Array(width * keep);
    for (let i = 0; i < width; i++) for (let j = 0; j < keep; j++) w[i * keep + j] = vectors[i * width + j]! / Math.sqrt(values[j]!);
    cur = matmul(cur, n, width, w, keep);
    width = keep;
  }
  return { q: cur, k: width };
}

export interface TruncatedSvd {
  /** Left singular vectors, n x d. */
  u: Float64Array;
  /** Singular values, descending. */
  s: Float64Array;
  /** Right singular vectors, cols x d. */
  v: Float64Array;
  d: number;
}

/** Top-d singular triplets of a sparse matrix by randomized subspace iteration. */
export function randomizedSvd(
  a: SparseMatrix,
  dims: number,
  options: { oversample?: number; powerIterations?: number; seed?: number } = {},
): TruncatedSvd {
  const rng = mulberry32(options.seed ?? 0);
  const l0 = Math.max(1, Math.min(dims + (options.oversample ?? 10), a.rows, a.cols));
  const omega = new Float64Array(a.cols * l0);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rng);
  let { q, k } = orthonormalize(spmm(a, omega, l0), a.rows, l0);
  const iters = options.powerIterations ?? 3;
  for (let it = 0; it < iters && k > 0; it++) {
    const z = orthonormalize(spmmT(a, q, k), a.cols, k);
    ({ q, k } = orthonormalize(spmm(a, z.q, z.k), a.rows, z.k));
  }
  // B = Q^T A (k x cols); held transposed as bt = A^T Q (cols x k).
  const bt = spmmT(a, q, k);
  const { values, vectors } = symmetricEigen(gram(bt, a.cols, k), k);
  const d = Math.min(dims, k);
  let kept = 0;
  while (kept < d && values[kept]! > 1e-12 * Math.max(values[0]!, 1e-300)) kept++;
  const s = new Float64Array(kept);
  const w = new Float64Array(k * kept);
  const wInv = new Float64Array(k * kept);
  for (let j = 0; j < kept; j++) {
    s[j] = Math.sqrt(values[j]!);
    for (let i = 0; i < k; i++) {
      w[i * kept + j] = vectors[i * k + j]!;
      wInv[i * kept + j] = vectors[i * k + j]! / s[j]!;
    }
  }
  return { u: matmul(q, a.rows, k, w, kept), s, v: matmul(bt, a.cols, k, wInv, kept), d: kept };
}

/** Scales every row of an n x k matrix to unit length (zero rows stay zero). In place. */
export function normalizeRows(x: Float64Array, n: number, k: number): Float64Array {
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += x[r * k + j]! * x[r * k + j]!;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < k; j++) x[r * k + j]! *= inv;
    }
  }
  return x;
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
