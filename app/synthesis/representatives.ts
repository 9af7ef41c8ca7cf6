/**
 * Representative texts by maximal marginal relevance (Carbonell & Goldstein
 * 1998): repeatedly take the member that maximises
 *
 *   lambda * relevance(d) - (1 - lambda) * max over chosen s of cos(d, s)
 *
 * where relevance is the cosine to the theme's centre, multiplied by a vote
 * boost 1 + voteWeight * ln(1 + votes) / ln(1 + max votes in the theme) when
 * votes are given. Close to the centre, popular, and not saying the same
 * thing twice.
 */
import type { SparseMatrix } from "./sparse";

export interface MmrOptions {
  count?: number;
  lambda?: number;
  voteWeight?: number;
}

/** Cosine of two unit sparse rows (both index lists sorted). */
export function sparseRowCosine(x: SparseMatrix, a: number, b: number): number {
  let p = x.indptr[a]!;
  let q = x.indptr[b]!;
  const pe = x.indptr[a + 1]!;
  const qe = x.indptr[b + 1]!;
  let s = 0;
  while (p < pe && q < qe) {
    const ip = x.indices[p]!;
    const iq = x.indices[q]!;
    if (ip === iq) {
      s += x.data[p]! * x.data[q]!;
      p++;
      q++;
    } else if (ip < iq) p++;
    else q++;
  }
  return s;
}

/**
 * Picks representatives among `members` (row indexes of x).
 * `centreSims[i]` is the cosine of members[i] to the theme's centre.
 */
export function mmrRepresentatives(
  x: SparseMatrix,
  members: readonly number[],
  centreSims: readonly number[],
  votes: readonly number[] | undefined,
  options: MmrOptions = {},
): number[] {
  const count = Math.min(options.count ?? 3, members.length);
  const lambda = options.lambda ?? 0.7;
  const voteWeight = options.voteWeight ?? 0.5;
  let maxVotes = 0;
  if (votes) for (const v of votes) maxVotes = Math.max(maxVotes, v);
  const relevance = members.map((_, i) => {
    const boost = votes && maxVotes > 0 ? 1 + (voteWeight * Math.log1p(Math.max(0, votes[i]!))) / Math.log1p(maxVotes) : 1;
    return centreSims[i]! * boost;
  });
  // Only the most relevant candidates are considered (keeps this O(count * pool)).
  const pool = members
    .map((_, i) => i)
    .sort((a, b) => relevance[b]! - relevance[a]! || members[a]! - members[b]!)
    .slice(0, Math.max(count * 20, 50));
  const chosen: number[] = [];
  const maxSim = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  while (chosen.length < count) {
    let best = -1;
    let bestScore = -Infinity;
    for (let p = 0; p < pool.length; p++) {
      if (taken[p]) continue;
      const s = lambda * relevance[pool[p]!]! - (1 - lambda) * (chosen.length ? maxSim[p]! : 0);
      if (s > bestScore) {
        bestScore = s;
        best = p;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    const row = members[pool[best]!]!;
    chosen.push(row);
    for (let p = 0; p < pool.length; p++) {
      if (taken[p]) continue;
      const sim = sparseRowCosine(x, row, members[pool[p]!]!);
      if (sim > maxSim[p]!) maxSim[p] = sim;
    }
  }
  return chosen;
}
