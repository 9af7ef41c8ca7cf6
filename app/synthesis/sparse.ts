/**
 * Compressed sparse rows (CSR) and the few products the engine needs.
 * Dense matrices are row-major Float64Arrays with an explicit column count.
 */

export interface SparseMatrix {
  rows: number;
  cols: number;
  /** Row r's entries are at [indptr[r], indptr[r+1]). */
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** Builds a CSR matrix from per-row (index, value) lists; indexes in a row must be distinct. */
export function csrFromRows(rows: readonly { indices: ArrayLike<number>; values: ArrayLike<number> }[], cols: number): SparseMatrix {
  let nnz = 0;
  for (const r of rows) nnz += r.indices.length;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let p = 0;
  rows.forEach((r, i) => {
    for (let j = 0; j < r.indices.length; j++) {
      indices[p] = r.indices[j] as number;
      data[p] = r.values[j] as number;
      p++;
    }
    indptr[i + 1] = p;
  });
  return { rows: rows.length, cols, indptr, indices, data };
}

/** A new CSR matrix holding the given rows, in the given order. */
export function selectRows(m: SparseMatrix, rowIds: readonly number[]): SparseMatrix {
  let nnz = 0;
  for (const r of rowIds) nnz += m.indptr[r + 1]! - m.indptr[r]!;
  const indptr = new Int32Array(rowIds.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let p = 0;
  rowIds.forEach((r, i) => {
    for (let q = m.indptr[r]!; q < m.indptr[r + 1]!; q++) {
      indices[p] = m.indices[q]!;
      data[p] = m.data[q]!;
      p++;
    }
    indptr[i + 1] = p;
  });
  return { rows: rowIds.length, cols: m.cols, indptr, indices, data };
}

/** Scales every row to unit Euclidean length (empty rows stay zero). In place. */
export function normalizeRowsSparse(m: SparseMatrix): SparseMatrix {
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let q = m.indptr[r]!; q < m.indptr[r + 1]!; q++) s += m.data[q]! * m.data[q]!;
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let q = m.indptr[r]!; q < m.indptr[r + 1]!; q++) m.data[q]! *= inv;
    }
  }
  return m;
}

/** A (rows x cols) times dense B (cols x k, row-major) -> rows x k. */
export function spmm(a: SparseMatrix, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    const o = r * k;
    for (let q = a.indptr[r]!; q < a.indptr[r + 1]!; q++) {
      const v = a.data[q]!;
      const bo = a.indices[q]! * k;
      for (let j = 0; j < k; j++) out[o + j]! += v * b[bo + j]!;
    }
  }
  return out;
}

/** A^T (cols x rows) times dense B (rows x k) -> cols x k. */
export function spmmT(a: SparseMatrix, b: Float64Array, k: number): Float64Array {
  const out = new Float64Array(a.cols * k);
  for (let r = 0; r < a.rows; r++) {
    const bo = r * k;
    for (let q = a.indptr[r]!; q < a.indptr[r + 1]!; q++) {
      const v = a.data[q]!;
      const o = a.indices[q]! * k;
      for (let j = 0; j < k; j++) out[o + j]! += v * b[bo + j]!;
    }
  }
  return out;
}

/** Dot product of sparse row r with a dense vector. */
export function rowDot(a: SparseMatrix, r: number, dense: Float64Array): number {
  let s = 0;
  for (let q = a.indptr[r]!; q < a.indptr[r + 1]!; q++) s += a.data[q]! * dense[a.indices[q]!]!;
  return s;
}

/**
 * Drops the columns no row uses (a sample of rows uses a fraction of the
 * vocabulary, and centre updates cost columns x k). Returns the compacted
 * matrix and `map` from old column to new (-1 when dropped).
 */
export function compactColumns(m: SparseMatrix): { matrix: SparseMatrix; map: Int32Array } {
  const map = new Int32Array(m.cols).fill(-1);
  let cols = 0;
  for (let q = 0; q < m.indices.length; q++) {
    const c = m.indices[q]!;
    if (map[c] === -1) map[c] = cols++;
  }
  // Keep the original column order so row indexes stay sorted.
  let next = 0;
  for (let c = 0; c < m.cols; c++) if (map[c]! >= 0) map[c] = next++;
  const indices = Int32Array.from(m.indices, (c) => map[c]!);
  return { matrix: { rows: m.rows, cols, indptr: m.indptr, indices, data: m.data }, map };
}

/** Re-expresses rows in a compacted column space (entries of dropped columns are left out). */
export function remapColumns(m: SparseMatrix, map: Int32Array, cols: number): SparseMatrix {
  const indptr = new Int32Array(m.rows + 1);
  let nnz = 0;
  for (let q = 0; q < m.indices.length; q++) if (map[m.indices[q]!]! >= 0) nnz++;
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let p = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let q = m.indptr[r]!; q < m.indptr[r + 1]!; q++) {
      const c = map[m.indices[q]!]!;
      if (c < 0) continue;
      indices[p] = c;
      data[p] = m.data[q]!;
      p++;
    }
    indptr[r + 1] = p;
  }
  return { rows: m.rows, cols, indptr, indices, data };
}
