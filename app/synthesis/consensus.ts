/**
 * Consensus clustering (evidence accumulation). Several base clusterings of
 * the same texts are combined by giving every text a sparse "membership"
 * vector: one entry per base run, at the cluster it fell in, weighted
 * 1/sqrt(runs). The dot product of two such vectors is the share of runs that
 * put the two texts together (their co-association), so spherical k-means on
 * these vectors clusters by agreement between runs — it smooths out the
 * accidents of any one k-means run.
 */
import type { SparseMatrix } from "./sparse";

export interface BaseClustering {
  labels: Int32Array;
  k: number;
}

/** Membership vectors: n rows, (sum of k) columns, one non-zero per run. */
export function membershipMatrix(n: number, runs: readonly BaseClustering[]): SparseMatrix {
  const r = runs.length;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(n * r);
  const data = new Float64Array(n * r).fill(r > 0 ? 1 / Math.sqrt(r) : 0);
  const offsets: number[] = [];
  let cols = 0;
  for (const run of runs) {
    offsets.push(cols);
    cols += run.k;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < r; j++) indices[i * r + j] = offsets[j]! + runs[j]!.labels[i]!;
    indptr[i + 1] = (i + 1) * r;
  }
  return { rows: n, cols, indptr, indices, data };
}
