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
