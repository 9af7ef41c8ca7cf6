/**
 * Clustering quality against known labels: NMI (normalised by the arithmetic
 * mean of the two entropies, scikit-learn's default) and ACC (accuracy after
 * the best one-to-one matching of clusters to classes, found with the
 * Hungarian algorithm). Labels can be any integers (e.g. -1 for Other, which
 * then counts as a cluster of its own).
 */

function relabel(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let id = map.get(l);
    if (id === undefined) {
      id = map.size;
      map.set(l, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

/** Contingency table: rows = predicted clusters, columns = true classes. */
export function contingency(truth: ArrayLike<number>, predicted: ArrayLike<number>): { table: number[][]; rows: number; cols: number } {
  if (truth.length !== predicted.length) throw new Error("label arrays differ in length");
  const t = relabel(truth);
  const p = relabel(predicted);
  const table = Array.from({ length: p.count }, () => new Array<number>(t.count).fill(0));
  for (let i = 0; i < truth.length; i++) table[p.ids[i]!]![t.ids[i]!]!++;
  return { table, rows: p.count, cols: t.count };
}

/** Normalised mutual information, arithmetic normalisation, in [0, 1]. */
export function nmi(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (n === 0) return 1;
  const { table, rows, cols } = contingency(truth, predicted);
  const rowSum = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = new Array<number>(cols).fill(0);
  for (const r of table) r.forEach((v, j) => (colSum[j]! += v));
  let mi = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = table[i]![j]!;
      if (v > 0) mi += (v / n) * Math.log((n * v) / (rowSum[i]! * colSum[j]!));
    }
  }
  const entropy = (sums: number[]) => -sums.reduce((h, s) => (s > 0 ? h + (s / n) * Math.log(s / n) : h), 0);
  const hp = entropy(rowSum);
  const ht = entropy(colSum);
  if (hp === 0 && ht === 0) return 1;
  const denom = (hp + ht) / 2;
  return denom > 0 ? Math.max(0, mi / denom) : 0;
}

/**
 * Hungarian algorithm (Kuhn–Munkres with potentials, O(n^3)) for a rectangular
 * cost matrix: returns, for each row, the column assigned to it (-1 when there
 * are more rows than columns and the row is left out), minimising total cost.
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  const n = Math.max(rows, cols);
  const c = (i: number, j: number) => (i < rows && j < cols ? cost[i]![j]! : 0);
  // 1-based arrays as in the textbook formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row matched to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = c(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i >= 0 && i < rows && j - 1 < cols) assignment[i] = j - 1;
  }
  return assignment;
}

/** Clustering accuracy: share of items whose cluster maps to their class under the best one-to-one matching. */
export function clusteringAccuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (n === 0) return 1;
  const { table } = contingency(truth, predicted);
  let max = 0;
  for (const r of table) for (const v of r) max = Math.max(max, v);
  const assignment = hungarian(table.map((r) => r.map((v) => max - v)));
  let hit = 0;
  assignment.forEach((j, i) => {
    if (j >= 0) hit += table[i]![j]!;
  });
  return hit / n;
}

/** Adjusted Rand index (Hubert & Arabie): pair-counting agreement corrected for chance; 1 = identical partitions. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return 1;
  const { table } = contingency(a, b);
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  const rowSums: number[] = [];
  const colSums: number[] = new Array(table[0]?.length ?? 0).fill(0);
  for (const row of table) {
    let rs = 0;
    row.forEach((v, j) => {
      sumCells += c2(v);
      rs += v;
      colSums[j]! += v;
    });
    rowSums.push(rs);
  }
  const sumRows = rowSums.reduce((s, v) => s + c2(v), 0);
  const sumCols = colSums.reduce((s, v) => s + c2(v), 0);
  const expected = (sumRows * sumCols) / c2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1;
  return (sumCells - expected) / (max - expected);
}
