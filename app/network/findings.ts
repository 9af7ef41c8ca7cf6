/**
 * What a leader can act on, from a network snapshot: which departments never
 * met and which met least. Pure.
 */

export interface DepartmentPair {
  /** Department ids, a < b. */
  a: number;
  b: number;
  /** Interactions both ways between the two departments. */
  interactions: number;
}

/**
 * Every unordered pair of departments with the interactions between them
 * (both directions added), fewest first (ties by ids). `weights[i][j]` counts
 * interactions from departmentIds[i] to departmentIds[j].
 */
export function departmentPairs(matrix: { departmentIds: readonly number[]; weights: readonly (readonly number[])[] }): DepartmentPair[] {
  const { departmentIds: ids, weights } = matrix;
  const pairs: DepartmentPair[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = ids[i]! < ids[j]! ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
      pairs.push({ a, b, interactions: (weights[i]?.[j] ?? 0) + (weights[j]?.[i] ?? 0) });
    }
  }
  return pairs.sort((x, y) => x.interactions - y.interactions || x.a - y.a || x.b - y.b);
}

/** Pairs that never met (no interaction at all), and the `fewest` pairs that met least (at least once). */
export function departmentGaps(pairs: readonly DepartmentPair[], fewest = 3) {
  return {
    neverMet: pairs.filter((p) => p.interactions === 0),
    leastMet: pairs.filter((p) => p.interactions > 0).slice(0, fewest),
  };
}

/**
 * Departments of `all` with no interaction with any other department: absent
 * from the matrix (nobody of theirs interacted) or with nothing off its diagonal.
 */
export function silentDepartments(matrix: { departmentIds: readonly number[]; weights: readonly (readonly number[])[] }, all: readonly number[]): number[] {
  const position = new Map(matrix.departmentIds.map((id, i) => [id, i]));
  return all.filter((id) => {
    const i = position.get(id);
    if (i === undefined) return true;
    return matrix.weights.every((row, j) => j === i || ((row[i] ?? 0) === 0 && (matrix.weights[i]?.[j] ?? 0) === 0));
  });
}
