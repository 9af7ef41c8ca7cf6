import type { Graph } from "./graph";

/**
 * Tie weight between departments: weights[i][j] is the total weight of ties
 * from people of departmentIds[i] to people of departmentIds[j] (rows = from).
 * Ties inside a department land on the diagonal. People with no department,
 * or one not listed, are left out. Self-loops are ignored.
 */
export function departmentMatrix(
  graph: Graph,
  departmentOf: (id: number) => number | null | undefined,
  departmentIds: readonly number[],
): number[][] {
  const position = new Map(departmentIds.map((id, i) => [id, i]));
  const weights = departmentIds.map(() => departmentIds.map(() => 0));
  for (const edge of graph.edges) {
    if (edge.source === edge.target) continue;
    const from = position.get(departmentOf(edge.source) ?? Number.NaN);
    const to = position.get(departmentOf(edge.target) ?? Number.NaN);
    if (from === undefined || to === undefined) continue;
    weights[from]![to]! += edge.weight;
  }
  return weights;
}
