/**
 * Opinion groups and consensus from a participant x statement vote matrix,
 * following the method Polis published (implemented here from the formulas):
 *
 * 1. Votes: agree = 1, disagree = -1, pass = 0; a missing vote is null/undefined/NaN.
 *    Missing votes are imputed with the statement's mean vote (column mean).
 * 2. PCA to two components: power iteration (with deflation) on the
 *    statement covariance matrix of the centred, imputed matrix. Each
 *    participant's projection is scaled by sqrt(statements / statements they
 *    voted on), Polis's correction that keeps people who voted little from
 *    collapsing towards the centre.
 * 3. k-means on the 2-D projections for k = 2..5 (Lloyd's, k-means++ seeding,
 *    several restarts); the k with the best mean silhouette wins.
 * 4. Per group and statement, with add-one smoothing: p(agree) = (A + 1) / (S + 2),
 *    where A counts agrees and S counts votes seen (agree, disagree or pass) in the
 *    group; same for disagree.
 *    - representativeness ra = p_group(agree) / p_rest(agree) (and rd for disagree),
 *      significance by a two-proportion z-test between the group and the rest, and
 *      a one-proportion z-test of the group's own p against 1/2;
 *      a statement represents a group in the direction (agree or disagree) with the
 *      larger z; representatives are sorted by ratio x probability.
 *    - group-aware consensus: the product over groups of p_group(agree)
 *      (and of p_group(disagree)): high only when every group agrees.
 *    - divisiveness: the variance across groups of the smoothed agree rate.
 */
import { euclideanKMeans, silhouette } from "./kmeans";
import { powerIteration } from "./linalg";
import { deriveSeed, mulberry32 } from "./rng";

export type Vote = 1 | -1 | 0 | null | undefined;

export interface OpinionOptions {
  seed?: number;
  /** Participants with fewer votes are left out of the groups (Polis uses 7). Default 1. */
  minVotes?: number;
  /** Candidate numbers of groups. Default [2, 5]. */
  kRange?: [number, number];
  /** Representatives per group. Default 5. */
  representatives?: number;
  /** z above which a test counts as significant (one-sided). Default 1.2816 (90 %), as Polis. */
  zThreshold?: number;
  /** Consensus and divisive statements returned. Default 5. */
  top?: number;
}

export interface OpinionGroup {
  id: number;
  /** Participant indexes (rows of the vote matrix). */
  members: number[];
  /** Centre on the two PCA components. */
  centre: [number, number];
}

export interface RepresentativeStatement {
  statement: number;
  direction: "agree" | "disagree";
  /** p_group / p_rest in the chosen direction. */
  ratio: number;
  /** Smoothed p_group in the chosen direction. */
  probability: number;
  /** Two-proportion z (group vs rest). */
  zRepresentative: number;
  /** One-proportion z of p_group against 1/2. */
  zProbability: number;
  /** Both tests pass the threshold. */
  significant: boolean;
  /** ratio x probability, used for ordering. */
  score: number;
}

export interface StatementScore {
  statement: number;
  score: number;
}

export interface OpinionResult {
  groups: OpinionGroup[];
  /** [x, y] per participant (null for those left out). */
  projections: ([number, number] | null)[];
  /** Participants left out (too few votes). */
  unclustered: number[];
  k: number;
  silhouette: number;
  /** Per group (same order as `groups`): its representative statements, best first. */
  representatives: RepresentativeStatement[][];
  consensus: { agree: StatementScore[]; disagree: StatementScore[] };
  divisive: StatementScore[];
  /** Agree / disagree / seen counts per group (same order as `groups`) and statement. */
  stats: VoteStats;
}

/** Smoothed proportion (add-one, as Polis): (count + 1) / (seen + 2). */
export function smoothedProportion(count: number, seen: number): number {
  return (count + 1) / (seen + 2);
}

/** Two-proportion z-test statistic (pooled); 0 when either side saw nothing. */
export function twoProportionZ(success1: number, n1: number, success2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 0;
  const p1 = success1 / n1;
  const p2 = success2 / n2;
  const pooled = (success1 + success2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se > 0 ? (p1 - p2) / se : 0;
}

/** One-proportion z of successes/n against 1/2, with Polis's add-one smoothing. */
export function proportionZ(success: number, n: number): number {
  if (n === 0) return 0;
  return (2 * (success + 1) - (n + 2)) / Math.sqrt(n + 2);
}

function isVote(v: unknown): v is 1 | -1 | 0 {
  return v === 1 || v === -1 || v === 0;
}

/**
 * Opinion groups from `votes[participant][statement]`. Rows may differ in
 * length (missing trailing statements are missing votes).
 */
export function opinionGroups(votes: readonly (readonly Vote[])[], options: OpinionOptions = {}): OpinionResult {
  const seed = options.seed ?? 1;
  const minVotes = options.minVotes ?? 1;
  const [kLo, kHi] = options.kRange ?? [2, 5];
  const zThreshold = options.zThreshold ?? 1.2816;
  const top = options.top ?? 5;
  const p = votes.length;
  let s = 0;
  for (const row of votes) s = Math.max(s, row.length);

  const counted: number[] = [];
  const unclustered: number[] = [];
  for (let i = 0; i < p; i++) {
    let c = 0;
    for (const v of votes[i]!) if (isVote(v)) c++;
    if (c >= minVotes && c > 0) counted.push(i);
    else unclustered.push(i);
  }
  const m = counted.length;

  // Column means over the votes that exist.
  const mean = new Float64Array(s);
  const seenCol = new Float64Array(s);
  for (const i of counted) {
    const row = votes[i]!;
    for (let j = 0; j < s; j++) {
      const v = row[j];
      if (isVote(v)) {
        mean[j]! += v;
        seenCol[j]!++;
      }
    }
  }
  for (let j = 0; j < s; j++) mean[j] = seenCol[j]! > 0 ? mean[j]! / seenCol[j]! : 0;

  // Centred, imputed matrix (imputed entries are 0 after centring).
  const x = new Float64Array(m * s);
  const voted = new Float64Array(m);
  counted.forEach((i, r) => {
    const row = votes[i]!;
    for (let j = 0; j < s; j++) {
      const v = row[j];
      if (isVote(v)) {
        x[r * s + j] = v - mean[j]!;
        voted[r]!++;
      }
    }
  });

  // Covariance (s x s) and its top two eigenvectors by power iteration.
  const cov = new Float64Array(s * s);
  for (let r = 0; r < m; r++) {
    for (let a = 0; a < s; a++) {
      const xa = x[r * s + a]!;
      if (xa === 0) continue;
      for (let b = a; b < s; b++) cov[a * s + b]! += xa * x[r * s + b]!;
    }
  }
  for (let a = 0; a < s; a++) {
    for (let b = a; b < s; b++) {
      const v = m > 1 ? cov[a * s + b]! / (m - 1) : 0;
      cov[a * s + b] = v;
      cov[b * s + a] = v;
    }
  }
  const { vectors } = powerIteration(cov, s, 2, mulberry32(deriveSeed(seed, 0x9c)));
  const coords = new Float64Array(m * 2);
  for (let r = 0; r < m; r++) {
    const scale = voted[r]! > 0 ? Math.sqrt(s / voted[r]!) : 0;
    for (let c = 0; c < 2; c++) {
      const axis = vectors[c];
      if (!axis) continue;
      let dot = 0;
      for (let j = 0; j < s; j++) dot += x[r * s + j]! * axis[j]!;
      coords[r * 2 + c] = dot * scale;
    }
  }

  // k by silhouette.
  let best: { k: number; labels: Int32Array; centroids: Float64Array; sil: number } | null = null;
  const kMax = Math.min(kHi, m - 1);
  for (let k = Math.max(2, kLo); k <= kMax; k++) {
    const km = euclideanKMeans(coords, m, 2, k, { seed: deriveSeed(seed, 0x6b, k), restarts: 10 });
    const sizes = new Set(km.labels);
    if (sizes.size < k) continue;
    const sil = silhouette(coords, m, 2, km.labels, k);
    if (!best || sil > best.sil + 1e-12) best = { k, labels: km.labels, centroids: km.centroids, sil };
  }
  if (!best) {
    best = { k: m > 0 ? 1 : 0, labels: new Int32Array(m), centroids: new Float64Array(2), sil: 0 };
    if (m > 0) {
      let cx = 0;
      let cy = 0;
      for (let r = 0; r < m; r++) {
        cx += coords[r * 2]!;
        cy += coords[r * 2 + 1]!;
      }
      best.centroids[0] = cx / m;
      best.centroids[1] = cy / m;
    }
  }

  // Groups, ordered by decreasing size.
  const k = best.k;
  const memberLists: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < m; r++) memberLists[best.labels[r]!]!.push(counted[r]!);
  const order = Array.from({ length: k }, (_, j) => j)
    .filter((j) => memberLists[j]!.length > 0)
    .sort((a, b) => memberLists[b]!.length - memberLists[a]!.length || a - b);
  const groups: OpinionGroup[] = order.map((j, id) => ({
    id,
    members: memberLists[j]!,
    centre: [best.centroids[j * 2]!, best.centroids[j * 2 + 1]!],
  }));

  const projections: ([number, number] | null)[] = Array.from({ length: p }, () => null);
  counted.forEach((i, r) => (projections[i] = [coords[r * 2]!, coords[r * 2 + 1]!]));

  const stats = voteStats(votes, groups, s);
  return {
    groups,
    projections,
    unclustered,
    k: groups.length,
    silhouette: best.sil,
    representatives: groups.map((_, g) => representativeStatements(stats, g, s, zThreshold, options.representatives ?? 5)),
    ...consensusAndDivisive(stats, groups.length, s, top),
    stats,
  };
}

/** Agree / disagree / seen counts per group and statement, plus totals. */
export interface VoteStats {
  agree: number[][];
  disagree: number[][];
  seen: number[][];
  totalAgree: number[];
  totalDisagree: number[];
  totalSeen: number[];
}

export function voteStats(votes: readonly (readonly Vote[])[], groups: readonly { members: readonly number[] }[], s: number): VoteStats {
  const zeros = () => groups.map(() => new Array<number>(s).fill(0));
  const stats: VoteStats = {
    agree: zeros(),
    disagree: zeros(),
    seen: zeros(),
    totalAgree: new Array<number>(s).fill(0),
    totalDisagree: new Array<number>(s).fill(0),
    totalSeen: new Array<number>(s).fill(0),
  };
  groups.forEach((g, gi) => {
    for (const i of g.members) {
      const row = votes[i]!;
      for (let j = 0; j < s; j++) {
        const v = row[j];
        if (!isVote(v)) continue;
        stats.seen[gi]![j]!++;
        stats.totalSeen[j]!++;
        if (v === 1) {
          stats.agree[gi]![j]!++;
          stats.totalAgree[j]!++;
        } else if (v === -1) {
          stats.disagree[gi]![j]!++;
          stats.totalDisagree[j]!++;
        }
      }
    }
  });
  return stats;
}

/** Representative statements of group g (see the module comment). */
export function representativeStatements(stats: VoteStats, g: number, s: number, zThreshold: number, count: number): RepresentativeStatement[] {
  const out: RepresentativeStatement[] = [];
  for (let j = 0; j < s; j++) {
    const seen = stats.seen[g]![j]!;
    if (seen === 0) continue;
    const restSeen = stats.totalSeen[j]! - seen;
    const candidates = (["agree", "disagree"] as const).map((direction) => {
      const own = direction === "agree" ? stats.agree[g]![j]! : stats.disagree[g]![j]!;
      const rest = (direction === "agree" ? stats.totalAgree[j]! : stats.totalDisagree[j]!) - own;
      const probability = smoothedProportion(own, seen);
      const ratio = probability / smoothedProportion(rest, restSeen);
      const zRepresentative = twoProportionZ(own + 1, seen + 2, rest + 1, restSeen + 2);
      const zProbability = proportionZ(own, seen);
      return {
        statement: j,
        direction,
        ratio,
        probability,
        zRepresentative,
        zProbability,
        significant: zRepresentative > zThreshold && zProbability > zThreshold,
        score: ratio * probability,
      } satisfies RepresentativeStatement;
    });
    const pickedOne = candidates[0]!.zRepresentative >= candidates[1]!.zRepresentative ? candidates[0]! : candidates[1]!;
    if (pickedOne.ratio > 1) out.push(pickedOne);
  }
  // Significant ones first, then by score.
  out.sort((a, b) => Number(b.significant) - Number(a.significant) || b.score - a.score || a.statement - b.statement);
  return out.slice(0, count);
}

/** Group-aware consensus (agree and disagree) and divisiveness for every statement; the top ones. */
export function consensusAndDivisive(
  stats: VoteStats,
  groupCount: number,
  s: number,
  top: number,
): { consensus: { agree: StatementScore[]; disagree: StatementScore[] }; divisive: StatementScore[] } {
  const agree: StatementScore[] = [];
  const disagree: StatementScore[] = [];
  const divisive: StatementScore[] = [];
  for (let j = 0; j < s; j++) {
    if (stats.totalSeen[j] === 0 || groupCount === 0) continue;
    let pa = 1;
    let pd = 1;
    const rates: number[] = [];
    for (let g = 0; g < groupCount; g++) {
      const a = smoothedProportion(stats.agree[g]![j]!, stats.seen[g]![j]!);
      pa *= a;
      pd *= smoothedProportion(stats.disagree[g]![j]!, stats.seen[g]![j]!);
      rates.push(a);
    }
    agree.push({ statement: j, score: pa });
    disagree.push({ statement: j, score: pd });
    const meanRate = rates.reduce((x, y) => x + y, 0) / rates.length;
    divisive.push({ statement: j, score: rates.reduce((acc, r) => acc + (r - meanRate) ** 2, 0) / rates.length });
  }
  const byScore = (a: StatementScore, b: StatementScore) => b.score - a.score || a.statement - b.statement;
  return {
    consensus: { agree: agree.sort(byScore).slice(0, top), disagree: disagree.sort(byScore).slice(0, top) },
    divisive: divisive.sort(byScore).slice(0, top),
  };
}
