/**
 * The theme engine: groups short texts into themes, chooses how many, labels
 * them, picks representative texts, sets aside what fits nowhere ("Other"),
 * and lays the texts out in 2-D for a map.
 *
 * Pipeline (each step is its own module, unit-tested):
 *  1. TF-IDF over stemmed words and adjacent-word bigrams (sublinear tf, smooth
 *     idf, unit rows; min-df 2 and max-df 50 % on 50+ texts).
 *  2. The number of themes k, unless given: subsampling stability. For each k
 *     on a grid (every k up to 12, then steps of about 20 %), three or four
 *     spherical k-means runs, each on a different random 80 % of a sample of at
 *     most 3,000 texts, are compared on a common evaluation set with the
 *     adjusted Rand index; the k whose runs agree most wins.
 *  3. Consensus clustering at k: `runs` spherical k-means runs (k-means++,
 *     different seeds), combined through their co-association vectors (see
 *     consensus.ts) and clustered again. Above `clusterSample` texts this runs
 *     on a seeded sample and every text then joins its nearest theme centre.
 *  4. When k was chosen automatically, themes that the base runs keep
 *     together (co-association centroid cosine >= `mergeThreshold`) merge.
 *  5. Texts whose leave-one-out cosine to their theme's centre is below
 *     `otherThreshold`, texts with no known word, and members of themes smaller
 *     than `minThemeSize` that no other theme absorbs go to Other (id -1).
 *  6. Labels and keywords by class-based term weights, representatives by MMR
 *     (vote-weighted when votes are given), 2-D coordinates by PCA of each
 *     text's cosines to the theme centres.
 *
 * Pure and deterministic: same docs, options and seed give the same result.
 * To split one theme, call `buildThemes` again on that theme's documents.
 */
import { membershipMatrix, type BaseClustering } from "./consensus";
import { pca } from "./linalg";
import { adjustedRandIndex } from "./metrics";
import { classTfidf, pickTerms } from "./labels";
import { mmrRepresentatives } from "./representatives";
import { deriveSeed, mulberry32, sampleIndexes } from "./rng";
import { assignRows, centresFromLabels, scoreRow, sparseSphericalKMeans } from "./sparse-kmeans";
import { compactColumns, remapColumns, selectRows, type SparseMatrix } from "./sparse";
import { buildTfidf } from "./tfidf";

/** The id of the Other bucket in `assignments` and `themes`. */
export const OTHER_ID = -1;
export const OTHER_LABEL = "Other";

export interface ThemeDoc<Id = string | number> {
  id: Id;
  /** Title and body, already joined (e.g. `${title}\n${body}`). */
  text: string;
  votes?: number;
  /** Epoch ms; used only to report each theme's newest text. */
  createdAt?: number;
}

export interface ThemeOptions {
  /** Exact number of themes to form (before small ones fold and Other is set aside). Default: chosen. */
  k?: number;
  seed?: number;
  /** Themes with fewer texts are dissolved into others or Other. Default max(2, 0.25 % of texts) (3 from 400 texts). */
  minThemeSize?: number;
  /** Largest k the automatic choice considers. Default round(sqrt(n / 2)) within [2, 40]. */
  maxK?: number;
  /** Smallest k the automatic choice considers. Default 2. */
  minK?: number;
  /** Base clusterings combined by consensus. Default 10. */
  runs?: number;
  /** Leave-one-out cosine to the theme centre below which a text goes to Other. Default 0.03. */
  otherThreshold?: number;
  /** Consensus cosine above which two automatically found themes merge. Default 0.5. */
  mergeThreshold?: number;
  /** Representatives per theme. Default 3. */
  representatives?: number;
  /** Keywords per theme. Default 8. */
  keywords?: number;
  /** Cluster at most this many texts (a seeded sample); the rest join the nearest theme. Default: a quarter of the texts, within 5,000..12,000. */
  clusterSample?: number;
  /** Put every text in a theme: no Other bucket (used when splitting a theme). Default false. */
  noOther?: boolean;
  /** Called with a percentage (0-100) and the stage name as the work advances. */
  onProgress?: (percent: number, stage: ThemeStage) => void;
}

export type ThemeStage = "vectorise" | "choose-k" | "cluster" | "describe" | "done";

export interface Theme<Id = string | number> {
  /** 0.. in decreasing size; OTHER_ID (-1) for Other. */
  id: number;
  label: string;
  keywords: string[];
  size: number;
  /** Indexes into the input docs. */
  members: number[];
  memberIds: Id[];
  /** Indexes into the input docs, best first. */
  representatives: number[];
  representativeIds: Id[];
  /** Mean cosine of the members to the theme centre (0 for Other). */
  cohesion: number;
  votes: number;
  newestAt: number | null;
  /** Mean of the members' 2-D coordinates. */
  centre2d: [number, number];
}

export interface StabilityScore {
  k: number;
  /** Mean adjusted Rand index between subsample runs. */
  score: number;
}

export interface ThemeResult<Id = string | number> {
  /** Themes by decreasing size, then Other (id -1) when it is not empty. */
  themes: Theme<Id>[];
  /** Theme id of each input doc (OTHER_ID for Other). */
  assignments: number[];
  otherIds: Id[];
  /** One [x, y] per input doc, for a map. */
  coords2d: [number, number][];
  /** k the clustering ran with (before merges and folding). */
  k: number;
  kChosenBy: "given" | "stability" | "trivial";
  stability: StabilityScore[];
}

const DEFAULTS = {
  seed: 1,
  clusterSample: 5_000,
  clusterSampleMax: 12_000,
  baseTolerance: 0.01,
  consensusRestarts: 3,
  runs: 10,
  otherThreshold: 0.03,
  mergeThreshold: 0.5,
  representatives: 3,
  keywords: 8,
};

export function defaultMinThemeSize(n: number): number {
  return Math.max(2, n >= 400 ? Math.max(3, Math.round(n * 0.0025)) : 2);
}

export function buildThemes<Id = string | number>(docs: readonly ThemeDoc<Id>[], options: ThemeOptions = {}): ThemeResult<Id> {
  const n = docs.length;
  const seed = options.seed ?? DEFAULTS.seed;
  const noOther = options.noOther ?? false;
  const otherThreshold = noOther ? -Infinity : (options.otherThreshold ?? DEFAULTS.otherThreshold);
  const minThemeSize = Math.max(1, options.minThemeSize ?? defaultMinThemeSize(n));
  const progress = options.onProgress ?? (() => {});
  progress(0, "vectorise");
  const tf = buildTfidf(docs.map((d) => d.text));
  const x = tf.matrix;

  // Texts with no known word cannot be placed: Other.
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (x.indptr[r + 1]! > x.indptr[r]!) rows.push(r);
  const xs = rows.length === n ? x : selectRows(x, rows);
  const m = rows.length;

  let k: number;
  let kChosenBy: ThemeResult["kChosenBy"];
  let stability: StabilityScore[] = [];
  let minSize = minThemeSize;
  if (m < 4) {
    // Too few texts to compare groupings: one theme (or the k asked for), nothing dissolves.
    k = Math.max(1, Math.min(m, options.k ?? 1));
    kChosenBy = options.k !== undefined ? "given" : "trivial";
    minSize = 1;
  } else if (options.k !== undefined) {
    k = Math.max(1, Math.min(Math.round(options.k), m));
    kChosenBy = "given";
  } else {
    const maxK = Math.max(2, Math.min(options.maxK ?? Math.min(40, Math.round(Math.sqrt(m / 2))), Math.floor(m / minThemeSize), m - 1));
    const minK = Math.max(2, Math.min(options.minK ?? 2, maxK));
    progress(10, "choose-k");
    stability = stabilityScores(xs, minK, maxK, seed);
    k = stability.reduce((best, s) => (s.score > best.score + 1e-9 ? s : best), stability[0]!).k;
    kChosenBy = "stability";
  }

  // Consensus clustering of the non-empty rows.
  let labels: Int32Array;
  progress(kChosenBy === "stability" ? 35 : 10, "cluster");
  if (k <= 1 || m === 0) {
    labels = new Int32Array(m);
  } else {
    const start = kChosenBy === "stability" ? 35 : 10;
    // Big inputs: cluster a seeded sample, then every text joins its nearest theme centre.
    const cap = options.clusterSample ?? Math.min(DEFAULTS.clusterSampleMax, Math.max(DEFAULTS.clusterSample, Math.round(m / 4)));
    const sample = m > cap ? sampleIndexes(mulberry32(deriveSeed(seed, 0xca)), m, cap).sort((a, b) => a - b) : null;
    // Cluster in the sample's own (compacted) vocabulary: centre updates cost columns x k.
    const compact = compactColumns(sample ? selectRows(xs, sample) : xs);
    const xc = compact.matrix;
    const runs = baseRuns(xc, k, options.runs ?? DEFAULTS.runs, seed, DEFAULTS.baseTolerance, (done, total) =>
      progress(start + ((75 - start) * done) / total, "cluster"),
    );
    const membership = membershipMatrix(xc.rows, runs);
    labels = sparseSphericalKMeans(membership, k, { seed: deriveSeed(seed, 0xc0), restarts: DEFAULTS.consensusRestarts }).labels;
    if (kChosenBy === "stability") labels = mergeAgreeing(membership, labels, k, options.mergeThreshold ?? DEFAULTS.mergeThreshold);
    if (sample) labels = assignRows(remapColumns(xs, compact.map, xc.cols), centresFromLabels(xc, labels, k).centresT, k).labels;
  }

  // Other, small themes, final centres.
  const full = new Int32Array(n).fill(OTHER_ID);
  rows.forEach((r, i) => (full[r] = labels[i]!));
  const settled = settle(x, full, minSize, otherThreshold);
  let { assignments, centresT, count } = settled;
  if (noOther && assignments.includes(OTHER_ID)) {
    // Texts with no known word join the largest theme (or form one theme).
    assignments = Int32Array.from(assignments, (a) => (a === OTHER_ID ? 0 : a));
    count = Math.max(count, 1);
    centresT = centresFromLabels(x, assignments, count).centresT;
  }
  progress(85, "describe");
  const result = describe(docs, x, tf, assignments, centresT, count, {
    k,
    kChosenBy,
    stability,
    seed,
    representatives: options.representatives ?? DEFAULTS.representatives,
    keywords: options.keywords ?? DEFAULTS.keywords,
  });
  progress(100, "done");
  return result;
}

/** Stability of k-means for each k on a geometric grid (see the module comment). */
export function stabilityScores(x: SparseMatrix, minK: number, maxK: number, seed: number): StabilityScore[] {
  const n = x.rows;
  const rng = mulberry32(deriveSeed(seed, 0x57));
  const pool = n > 2000 ? sampleIndexes(rng, n, 2000).sort((a, b) => a - b) : Array.from({ length: n }, (_, i) => i);
  const evalRows = pool.length > 1000 ? sampleIndexes(rng, pool.length, 1000).map((i) => pool[i]!).sort((a, b) => a - b) : pool;
  const evalX = selectRows(x, evalRows);
  const fitSize = Math.max(2, Math.round(pool.length * 0.8));
  const grid: number[] = [];
  // Every k up to 12 (small themes counts matter most to people), then steps of about 20 %.
  for (let k = minK; k <= maxK; k = k < 12 ? k + 1 : Math.max(k + 1, Math.round(k * 1.2))) grid.push(k);
  const runsPerK = pool.length <= 1000 ? 4 : 3;
  const out: StabilityScore[] = [];
  for (const k of grid) {
    const partitions: Int32Array[] = [];
    for (let r = 0; r < runsPerK; r++) {
      const runSeed = deriveSeed(seed, 0x5e, k, r);
      const fit = sampleIndexes(mulberry32(runSeed), pool.length, fitSize).map((i) => pool[i]!).sort((a, b) => a - b);
      const { matrix, map } = compactColumns(selectRows(x, fit));
      const km = sparseSphericalKMeans(matrix, k, { seed: runSeed, restarts: 1, tolerance: 0.01, maxIterations: 25 });
      partitions.push(assignRows(remapColumns(evalX, map, matrix.cols), km.centresT, k).labels);
    }
    let score = 0;
    let pairs = 0;
    for (let a = 0; a < partitions.length; a++) {
      for (let b = a + 1; b < partitions.length; b++) {
        score += adjustedRandIndex(partitions[a]!, partitions[b]!);
        pairs++;
      }
    }
    out.push({ k, score: score / pairs });
  }
  return out;
}

/** Base clusterings for the consensus: different seeds; on big inputs each fits a random 60 % (bagging). */
function baseRuns(
  x: SparseMatrix,
  k: number,
  count: number,
  seed: number,
  tolerance: number,
  onRun: (done: number, total: number) => void = () => {},
): BaseClustering[] {
  const n = x.rows;
  const runs: BaseClustering[] = [];
  for (let r = 0; r < Math.max(1, count); r++) {
    const runSeed = deriveSeed(seed, 0xba, r);
    if (n > 8000) {
      const fit = sampleIndexes(mulberry32(runSeed), n, Math.round(n * 0.6)).sort((a, b) => a - b);
      const { matrix, map } = compactColumns(selectRows(x, fit));
      const km = sparseSphericalKMeans(matrix, k, { seed: runSeed, restarts: 1, tolerance });
      runs.push({ labels: assignRows(remapColumns(x, map, matrix.cols), km.centresT, k).labels, k });
    } else {
      const km = sparseSphericalKMeans(x, k, { seed: runSeed, restarts: 1, tolerance });
      runs.push({ labels: km.labels, k });
    }
    onRun(r + 1, count);
  }
  return runs;
}

/**
 * Merges clusters whose consensus centres are close (the base runs did not
 * separate them): repeatedly join the most similar pair at or above the
 * threshold. Returns labels renumbered 0..count-1.
 */
function mergeAgreeing(membership: SparseMatrix, labels: Int32Array, k: number, threshold: number): Int32Array {
  const current = Int32Array.from(labels);
  for (;;) {
    const { centresT, sizes } = centresFromLabels(membership, current, k);
    let best = -Infinity;
    let pair: [number, number] | null = null;
    for (let a = 0; a < k; a++) {
      if (sizes[a] === 0) continue;
      for (let b = a + 1; b < k; b++) {
        if (sizes[b] === 0) continue;
        let s = 0;
        for (let t = 0; t < membership.cols; t++) s += centresT[t * k + a]! * centresT[t * k + b]!;
        if (s > best) {
          best = s;
          pair = [a, b];
        }
      }
    }
    if (!pair || best < threshold) break;
    for (let i = 0; i < current.length; i++) if (current[i] === pair[1]) current[i] = pair[0];
  }
  return current;
}

/**
 * Final assignment. Themes below the minimum size dissolve: their texts join
 * the most similar remaining theme, or Other when no theme reaches
 * `otherThreshold`. A text whose leave-one-out cosine to its own theme (the
 * theme's centre without the text itself, which matters in small themes) is
 * below `otherThreshold` goes to Other. Repeated (at most three times) while
 * themes dissolve or removals shrink a theme below the minimum. Themes are renumbered by
 * decreasing size.
 */
function settle(
  x: SparseMatrix,
  initial: Int32Array,
  minThemeSize: number,
  otherThreshold: number,
): { assignments: Int32Array; centresT: Float64Array; count: number } {
  const n = x.rows;
  let labels = Int32Array.from(initial);
  let k = 0;
  for (const l of labels) k = Math.max(k, l + 1);
  for (let pass = 0; pass < 3 && k > 0; pass++) {
    const { centresT, sizes, norms } = centresFromLabels(x, labels, k);
    const keep: number[] = [];
    for (let j = 0; j < k; j++) if (sizes[j]! >= minThemeSize) keep.push(j);
    keep.sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    const kk = keep.length;
    if (kk === 0) {
      labels.fill(OTHER_ID);
      k = 0;
      break;
    }
    const keptT = new Float64Array(x.cols * kk);
    for (let t = 0; t < x.cols; t++) keep.forEach((j, jj) => (keptT[t * kk + jj] = centresT[t * k + j]!));
    const rank = new Map(keep.map((j, jj) => [j, jj]));
    const scores = new Float64Array(kk);
    const next = new Int32Array(n).fill(OTHER_ID);
    let removed = 0;
    for (let r = 0; r < n; r++) {
      if (labels[r] === OTHER_ID) continue;
      scoreRow(x, r, keptT, kk, scores);
      const own = rank.get(labels[r]!);
      if (own === undefined) {
        let best = 0;
        for (let j = 1; j < kk; j++) if (scores[j]! > scores[best]!) best = j;
        next[r] = scores[best]! >= otherThreshold ? best : OTHER_ID;
        continue;
      }
      const j = keep[own]!;
      const raw = scores[own]! * norms[j]!; // x . (sum of the theme's rows)
      const loo = sizes[j]! >= 2 ? (raw - 1) / Math.sqrt(Math.max(norms[j]! ** 2 - 2 * raw + 1, 1e-12)) : scores[own]!;
      if (loo >= otherThreshold) next[r] = own;
      else removed++;
    }
    labels = next;
    // Another pass only when themes dissolved (their texts moved) or removals left a theme too small.
    let tooSmall = false;
    if (removed > 0) {
      const after = new Int32Array(kk);
      for (const l of labels) if (l >= 0) after[l]!++;
      tooSmall = after.some((c) => c > 0 && c < minThemeSize);
    }
    const stable = kk === k && !tooSmall;
    k = kk;
    if (stable) break;
  }
  // Renumber by final size.
  const sizes = new Int32Array(k);
  for (const l of labels) if (l >= 0) sizes[l]!++;
  const order = Array.from({ length: k }, (_, j) => j)
    .filter((j) => sizes[j]! > 0)
    .sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const rank = new Map(order.map((j, jj) => [j, jj]));
  const assignments = Int32Array.from(labels, (l) => (l >= 0 ? rank.get(l)! : OTHER_ID));
  const count = order.length;
  const { centresT } = centresFromLabels(x, assignments, count);
  return { assignments, centresT, count };
}

function describe<Id>(
  docs: readonly ThemeDoc<Id>[],
  x: SparseMatrix,
  tf: ReturnType<typeof buildTfidf>,
  assignments: Int32Array,
  centresT: Float64Array,
  count: number,
  meta: { k: number; kChosenBy: ThemeResult["kChosenBy"]; stability: StabilityScore[]; seed: number; representatives: number; keywords: number },
): ThemeResult<Id> {
  const n = docs.length;
  // Cosines of every text to every theme centre: the reduced space for the map and for relevance.
  const sims = new Float64Array(n * Math.max(1, count));
  const scores = new Float64Array(count);
  for (let r = 0; r < n; r++) {
    if (count === 0) break;
    scoreRow(x, r, centresT, count, scores);
    sims.set(scores, r * count);
  }
  const coords2d = mapCoordinates(sims, n, count, meta.seed);

  const members: number[][] = Array.from({ length: count }, () => []);
  const other: number[] = [];
  for (let r = 0; r < n; r++) {
    const a = assignments[r]!;
    if (a === OTHER_ID) other.push(r);
    else members[a]!.push(r);
  }
  const themes: Theme<Id>[] = members.map((rowsOf, j) => {
    const centreSims = rowsOf.map((r) => sims[r * count + j]!);
    const votes = docs.some((d) => d.votes !== undefined) ? rowsOf.map((r) => docs[r]!.votes ?? 0) : undefined;
    const reps = mmrRepresentatives(x, rowsOf, centreSims, votes, { count: meta.representatives });
    const terms = pickTerms(classTfidf(x, tf.vocab, rowsOf), tf.vocab, { maxKeywords: meta.keywords });
    return themeRecord(docs, j, terms.label, terms.keywords, rowsOf, reps, centreSims, coords2d);
  });
  if (other.length > 0) {
    // Other's representatives: its most-voted texts, then input order.
    const reps = other
      .slice()
      .sort((a, b) => (docs[b]!.votes ?? 0) - (docs[a]!.votes ?? 0) || a - b)
      .slice(0, meta.representatives);
    themes.push(themeRecord(docs, OTHER_ID, OTHER_LABEL, [], other, reps, other.map(() => 0), coords2d));
  }
  return {
    themes,
    assignments: Array.from(assignments),
    otherIds: other.map((r) => docs[r]!.id),
    coords2d,
    k: meta.k,
    kChosenBy: meta.kChosenBy,
    stability: meta.stability,
  };
}

function themeRecord<Id>(
  docs: readonly ThemeDoc<Id>[],
  id: number,
  label: string,
  keywords: string[],
  rowsOf: number[],
  reps: number[],
  centreSims: number[],
  coords2d: [number, number][],
): Theme<Id> {
  let votes = 0;
  let newest: number | null = null;
  let cx = 0;
  let cy = 0;
  for (const r of rowsOf) {
    votes += docs[r]!.votes ?? 0;
    const c = docs[r]!.createdAt;
    if (c !== undefined && (newest === null || c > newest)) newest = c;
    cx += coords2d[r]![0];
    cy += coords2d[r]![1];
  }
  const size = rowsOf.length;
  return {
    id,
    label,
    keywords,
    size,
    members: rowsOf,
    memberIds: rowsOf.map((r) => docs[r]!.id),
    representatives: reps,
    representativeIds: reps.map((r) => docs[r]!.id),
    cohesion: size > 0 ? centreSims.reduce((a, b) => a + b, 0) / size : 0,
    votes,
    newestAt: newest,
    centre2d: size > 0 ? [cx / size, cy / size] : [0, 0],
  };
}

/** 2-D map: PCA (power iteration) of each text's cosines to the theme centres. */
function mapCoordinates(sims: Float64Array, n: number, count: number, seed: number): [number, number][] {
  if (n === 0) return [];
  if (count < 2) return Array.from({ length: n }, (_, r) => [count === 1 ? sims[r]! : 0, 0]);
  const { projections } = pca(sims, n, count, 2, mulberry32(deriveSeed(seed, 0x2d)));
  return Array.from({ length: n }, (_, r) => [round6(projections[r * 2]!), round6(projections[r * 2 + 1]!)]);
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
