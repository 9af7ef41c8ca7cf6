/**
 * The theme engine: groups short texts into themes, chooses how many, labels
 * them, picks representative texts, sets aside what fits nowhere ("Other"),
 * and lays the texts out in 2-D for a map.
 *
 * Pipeline (each step is its own module, unit-tested):
 *  1. TF-IDF over stemmed words and adjacent-word bigrams (sublinear tf, smooth
 *     idf, unit rows; min-df 2 and max-df 50 % on 50+ texts).
 *  2. The number of themes, unless given: subsampling stability. For each k
 *     on a grid (every k up to 12, then steps of about 20 %, up to 250 and at
 *     most one theme per minimum theme size), three or four spherical k-means
 *     runs, each on a different random 80 % of a sample of at most 2,000
 *     texts, are compared on a common evaluation set with the adjusted Rand
 *     index. On that curve (smoothed by a running median of three), the
 *     smallest k within the curve's noise (at least a tenth) of the best is
 *     the finest level's count; the same rule within 5..25 gives the top
 *     level's (see simplestOf). The finest level is never coarser than the top.
 *  3. Consensus clustering at k: `runs` spherical k-means runs (k-means++,
 *     different seeds), combined through their co-association vectors (see
 *     consensus.ts) and clustered again. Above `clusterSample` texts this runs
 *     on a seeded sample and every text then joins its nearest theme centre.
 *  4. When k was chosen automatically, themes that the base runs keep
 *     together (co-association centroid cosine >= `mergeThreshold`) merge.
 *     With two levels, the finest themes then group into the top level by
 *     size-weighted spherical k-means of their centres (each theme is its own
 *     top-level theme when there are no more of them than the top's count).
 *  5. Texts whose leave-one-out cosine to their theme's centre is below
 *     `otherThreshold`, texts with no known word, and members of themes smaller
 *     than `minThemeSize` that no other theme absorbs go to Other (id -1).
 *  6. Labels and keywords by class-based term weights, representatives by MMR
 *     (vote-weighted when votes are given), 2-D coordinates laid out theme by
 *     theme (see mapCoordinates).
 *
 * Pure and deterministic: same docs, options and seed give the same result.
 * To split one theme, call `buildThemes` again on that theme's documents.
 * docs/decisions/007-two-level-themes.md records why the engine chooses this way.
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
  /** Largest k the automatic choice considers. Default 250 (and no more than one theme per minimum theme size). */
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
  /**
   * 2 (default): top-level themes (5 to 25 where the texts allow, fewer for a small jam), each split
   * into sub-themes where its texts have reproducible structure; `themes` are the finest level and
   * carry a `parentId`. 1: one flat level.
   */
  levels?: 1 | 2;
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
  /** The top-level theme (an id in `parents`) this theme belongs to; null for Other and for one level. */
  parentId: number | null;
}

/** A top-level theme: the union of its sub-themes (ids in `children`). */
export interface ParentTheme<Id = string | number> extends Omit<Theme<Id>, "parentId"> {
  children: number[];
}

export interface StabilityScore {
  k: number;
  /** Mean adjusted Rand index between subsample runs. */
  score: number;
}

export interface ThemeResult<Id = string | number> {
  /** The finest level: themes by decreasing size, then Other (id -1) when it is not empty. */
  themes: Theme<Id>[];
  /**
   * The top level (two levels only, else empty): ids continue after the finest level's, by
   * decreasing size. A top-level theme with one child has the same members as that child.
   */
  parents: ParentTheme<Id>[];
  /** Theme id of each input doc (OTHER_ID for Other). */
  assignments: number[];
  otherIds: Id[];
  /** One [x, y] per input doc, for a map. */
  coords2d: [number, number][];
  /** k the finest level's clustering ran with (before merges and folding). */
  k: number;
  kChosenBy: "given" | "stability" | "trivial";
  /** Every candidate k's stability score (how the counts were chosen); empty when k was given to one level. */
  stability: StabilityScore[];
  /** Two levels: the top level's count and the finest level's chosen (or given) k. */
  split?: { topK: number; fineK: number };
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

/** The top level's range: what a leader reads at a glance (fewer when the texts are few). */
const TOP_LEVEL = { min: 5, max: 25 };
/** The widest k the two-level search considers (the finest level of a jam with many small topics). */
const WIDE_MAX_K = 250;

/** The largest k worth considering for m texts: round(sqrt(m / 2)) within [2, 40], and no theme below the minimum size. */
function defaultMaxK(m: number, minThemeSize: number, cap?: number): number {
  return Math.max(2, Math.min(cap ?? Math.min(40, Math.round(Math.sqrt(m / 2))), Math.floor(m / minThemeSize), m - 1));
}

/** How much a k's stability moves between reruns with other seeds, relative to it (see simplestOf). */
const RERUN_SPREAD = 0.1;

/**
 * The simplest k the scores support. The curve is first smoothed by a running median of three
 * neighbours (a single k whose runs agreed by accident, often on one giant theme, does not stand
 * out); then the smallest k whose smoothed stability is within the curve's own noise of the best
 * wins, the noise being the median change between neighbouring candidates. Where many k are about
 * as stable (a plateau), this takes the fewest themes; where stability keeps rising (many small
 * topics), it takes the peak.
 */
function simplestOf(scores: StabilityScore[]): StabilityScore {
  const smooth = smoothed(scores);
  const steps = smooth.slice(1).map((v, i) => Math.abs(v - smooth[i]!)).sort((a, b) => a - b);
  const noise = steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : 0;
  const best = Math.max(...smooth);
  // A score from three or four runs is itself uncertain by about a tenth: never ask for more.
  return scores[smooth.findIndex((v) => v >= best - Math.max(noise, RERUN_SPREAD * best))]!;
}

/** The scores smoothed by a running median of three (the mean of two at either end). */
function smoothed(scores: StabilityScore[]): number[] {
  return scores.map((s, i) => {
    const window = scores.slice(Math.max(0, i - 1), i + 2).map((w) => w.score).sort((a, b) => a - b);
    return window.length === 3 ? window[1]! : window.reduce((a, b) => a + b, 0) / window.length;
  });
}

/**
 * True once the curve has clearly turned: its last three smoothed scores all lie more than two
 * rerun spreads below its best. A curve that keeps rising (many small topics) never turns.
 */
function pastThePeak(scores: StabilityScore[]): boolean {
  if (scores.length < 5) return false;
  const smooth = smoothed(scores);
  const best = Math.max(...smooth);
  return smooth.slice(-3).every((v) => v < best * (1 - 2 * RERUN_SPREAD));
}

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

  const levels = options.levels ?? 2;
  const runs = options.runs ?? DEFAULTS.runs;
  const capOf = (rowsCount: number) =>
    options.clusterSample ?? Math.min(DEFAULTS.clusterSampleMax, Math.max(DEFAULTS.clusterSample, Math.round(rowsCount / 4)));
  const cluster = (mx: SparseMatrix, kk: number, s: number, merge: boolean, from: number, to: number) =>
    consensusLabels(mx, kk, { seed: s, runs, cap: capOf(mx.rows), merge: merge ? (options.mergeThreshold ?? DEFAULTS.mergeThreshold) : null }, (done) =>
      progress(from + (to - from) * done, "cluster"),
    );

  let k: number;
  let kChosenBy: ThemeResult["kChosenBy"];
  let stability: StabilityScore[] = [];
  let minSize = minThemeSize;
  let labels: Int32Array;
  /** Two levels: the top-level theme of each non-empty row. */
  let topLabels: Int32Array | null = null;
  let split: ThemeResult["split"];
  if (m < 4) {
    // Too few texts to compare groupings: one theme (or the k asked for), nothing dissolves.
    k = Math.max(1, Math.min(m, options.k ?? 1));
    kChosenBy = options.k !== undefined ? "given" : "trivial";
    minSize = 1;
    labels = cluster(xs, k, seed, false, 10, 75);
  } else {
    // One stability search gives both levels' counts: the simplest k it supports in the range a leader
    // reads at a glance is the top level's; the simplest k it supports overall, the finest level's.
    const maxTop = Math.min(TOP_LEVEL.max, defaultMaxK(m, minThemeSize));
    const minTop = Math.min(TOP_LEVEL.min, maxTop);
    const given = options.k !== undefined ? Math.max(1, Math.min(Math.round(options.k), m)) : null;
    const wideMax = given !== null ? Math.min(maxTop, given - 1) : defaultMaxK(m, minThemeSize, options.maxK ?? WIDE_MAX_K);
    progress(5, "choose-k");
    let topK = 0;
    let fineK = given ?? 1;
    if (wideMax >= Math.max(2, minTop) && (given === null || levels === 2)) {
      stability = stabilityScores(xs, Math.max(2, Math.min(options.minK ?? 2, wideMax)), wideMax, seed, { stopPastPeakFrom: maxTop });
      const readable = stability.filter((c) => c.k >= minTop && c.k <= maxTop);
      topK = readable.length > 0 ? simplestOf(readable).k : 0;
      if (given === null) fineK = Math.max(simplestOf(stability).k, topK);
    }
    k = fineK;
    kChosenBy = given !== null ? "given" : "stability";
    progress(30, "cluster");
    labels = cluster(xs, k, seed, given === null, 30, 75);
    if (levels === 2) {
      let count = 0;
      for (const l of labels) count = Math.max(count, l + 1);
      // Each theme its own top-level theme when there are no more than the top level's count.
      const parentOfFine = topK >= 2 && count > topK ? groupThemes(xs, labels, count, topK, deriveSeed(seed, 0x70)) : null;
      topLabels = parentOfFine ? Int32Array.from(labels, (l) => parentOfFine[l]!) : Int32Array.from(labels);
      split = { topK: topK || count, fineK };
    }
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
  // Each finest theme's top-level theme: the one holding most of its texts.
  let parentOf: Int32Array | null = null;
  if (topLabels) {
    const fullTop = new Int32Array(n).fill(OTHER_ID);
    rows.forEach((r, i) => (fullTop[r] = topLabels![i]!));
    parentOf = majorityParent(assignments, fullTop, count);
  }
  const result = describe(docs, x, tf, assignments, centresT, count, parentOf, {
    k,
    split,
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
export function stabilityScores(x: SparseMatrix, minK: number, maxK: number, seed: number, options: { stopPastPeakFrom?: number } = {}): StabilityScore[] {
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
    // Larger k cost the most; once the curve has turned (and the k that must be scored are), they cannot win.
    if (options.stopPastPeakFrom !== undefined && k >= options.stopPastPeakFrom && pastThePeak(out)) break;
  }
  return out;
}

/**
 * Consensus clustering at k (the module comment's step 3): labels for every row of x. Above `cap`
 * rows it clusters a seeded sample in the sample's own vocabulary, then every row joins its nearest
 * theme centre. `merge` (a threshold) joins themes the base runs keep together.
 */
function consensusLabels(
  x: SparseMatrix,
  k: number,
  options: { seed: number; runs: number; cap: number; merge: number | null },
  onProgress: (done: number) => void = () => {},
): Int32Array {
  const m = x.rows;
  if (k <= 1 || m === 0) return new Int32Array(m);
  const sample = m > options.cap ? sampleIndexes(mulberry32(deriveSeed(options.seed, 0xca)), m, options.cap).sort((a, b) => a - b) : null;
  // Cluster in the sample's own (compacted) vocabulary: centre updates cost columns x k.
  const compact = compactColumns(sample ? selectRows(x, sample) : x);
  const xc = compact.matrix;
  const runs = baseRuns(xc, k, options.runs, options.seed, DEFAULTS.baseTolerance, (done, total) => onProgress(done / total));
  const membership = membershipMatrix(xc.rows, runs);
  let labels = sparseSphericalKMeans(membership, k, { seed: deriveSeed(options.seed, 0xc0), restarts: DEFAULTS.consensusRestarts }).labels;
  if (options.merge !== null) labels = mergeAgreeing(membership, labels, k, options.merge);
  if (sample) labels = assignRows(remapColumns(x, compact.map, xc.cols), centresFromLabels(xc, labels, k).centresT, k).labels;
  return labels;
}

/** The top level over `k` themes: spherical k-means (size-weighted) of their centres into `topK` groups; the group of each theme. */
function groupThemes(x: SparseMatrix, labels: Int32Array, k: number, topK: number, seed: number): Int32Array {
  const { centresT, sizes } = centresFromLabels(x, labels, k);
  const indptr = new Int32Array(k + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < x.cols; t++) {
      const v = centresT[t * k + j]!;
      if (v !== 0) {
        indices.push(t);
        data.push(v);
      }
    }
    indptr[j + 1] = indices.length;
  }
  const centres: SparseMatrix = { rows: k, cols: x.cols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
  return sparseSphericalKMeans(centres, topK, { seed, restarts: 5, weights: Float64Array.from(sizes) }).labels;
}

/** For each of `count` themes, the top-level label most of its texts carry (renumbered 0.. by first use). */
function majorityParent(assignments: Int32Array, top: Int32Array, count: number): Int32Array {
  const votes = new Map<number, Map<number, number>>();
  for (let r = 0; r < assignments.length; r++) {
    const a = assignments[r]!;
    if (a === OTHER_ID || top[r]! < 0) continue;
    const v = votes.get(a) ?? new Map<number, number>();
    v.set(top[r]!, (v.get(top[r]!) ?? 0) + 1);
    votes.set(a, v);
  }
  const parent = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    let best = -1;
    let most = -1;
    for (const [t, c] of votes.get(j) ?? []) if (c > most || (c === most && t < best)) [best, most] = [t, c];
    parent[j] = best;
  }
  return parent;
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
  parentOf: Int32Array | null,
  meta: {
    k: number;
    kChosenBy: ThemeResult["kChosenBy"];
    split: ThemeResult["split"];
    stability: StabilityScore[];
    seed: number;
    representatives: number;
    keywords: number;
  },
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
  const coords2d = mapCoordinates(sims, n, count, meta.seed, assignments);

  const members: number[][] = Array.from({ length: count }, () => []);
  const other: number[] = [];
  for (let r = 0; r < n; r++) {
    const a = assignments[r]!;
    if (a === OTHER_ID) other.push(r);
    else members[a]!.push(r);
  }
  const hasVotes = docs.some((d) => d.votes !== undefined);
  const record = (id: number, rowsOf: number[], centreSims: number[]) => {
    const votes = hasVotes ? rowsOf.map((r) => docs[r]!.votes ?? 0) : undefined;
    const reps = mmrRepresentatives(x, rowsOf, centreSims, votes, { count: meta.representatives });
    const terms = pickTerms(classTfidf(x, tf.vocab, rowsOf), tf.vocab, { maxKeywords: meta.keywords });
    return themeRecord(docs, id, terms.label, terms.keywords, rowsOf, reps, centreSims, coords2d);
  };
  const themes: Theme<Id>[] = members.map((rowsOf, j) => record(j, rowsOf, rowsOf.map((r) => sims[r * count + j]!)));

  // The top level: unions of the finest themes that share a parent, by decreasing size.
  const parents: ParentTheme<Id>[] = [];
  if (parentOf && count > 0) {
    const groups = new Map<number, number[]>();
    for (let j = 0; j < count; j++) groups.set(parentOf[j]!, [...(groups.get(parentOf[j]!) ?? []), j]);
    const size = (children: number[]) => children.reduce((a, j) => a + members[j]!.length, 0);
    const ordered = [...groups.values()].sort((a, b) => size(b) - size(a) || a[0]! - b[0]!);
    const parentAssign = new Int32Array(n).fill(OTHER_ID);
    ordered.forEach((children, p) => children.forEach((j) => members[j]!.forEach((r) => (parentAssign[r] = p))));
    const pc = ordered.length;
    const parentCentres = centresFromLabels(x, parentAssign, pc).centresT;
    const parentScores = new Float64Array(pc);
    ordered.forEach((children, p) => {
      const rowsOf = children.flatMap((j) => members[j]!).sort((a, b) => a - b);
      const centreSims = rowsOf.map((r) => {
        scoreRow(x, r, parentCentres, pc, parentScores);
        return parentScores[p]!;
      });
      const { parentId: _none, ...theme } = record(count + p, rowsOf, centreSims);
      parents.push({ ...theme, children: children.slice() });
      for (const j of children) themes[j]!.parentId = count + p;
    });
  }
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
    parents,
    k: meta.k,
    kChosenBy: meta.kChosenBy,
    stability: meta.stability,
    ...(meta.split ? { split: meta.split } : {}),
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
    parentId: null,
  };
}

/**
 * 2-D map, laid out so every theme reads as its own patch. Each theme gets an anchor: PCA of the
 * themes' profiles (the mean cosine of a theme's texts to every theme centre), so similar themes sit
 * near each other, then pushed apart until no two patches overlap (a patch's radius grows with the
 * square root of its size). A text sits in its theme's patch: nearer the anchor the closer it is to
 * the theme's centre, on the side of the theme it is next closest to (with a little seeded spread).
 * Other's texts sit just outside the patch of the theme they are closest to.
 */
function mapCoordinates(sims: Float64Array, n: number, count: number, seed: number, assignments: Int32Array): [number, number][] {
  if (n === 0) return [];
  if (count === 0) return Array.from({ length: n }, () => [0, 0]);
  const rng = mulberry32(deriveSeed(seed, 0x2d));
  // Each text's own theme (Other: its closest), and each theme's profile.
  const home = Int32Array.from(assignments, (a, r) => {
    if (a !== OTHER_ID) return a;
    let best = 0;
    for (let j = 1; j < count; j++) if (sims[r * count + j]! > sims[r * count + best]!) best = j;
    return best;
  });
  const sizes = new Float64Array(count);
  const profile = new Float64Array(count * count);
  for (let r = 0; r < n; r++) {
    if (assignments[r] === OTHER_ID) continue;
    sizes[home[r]!]!++;
    for (let j = 0; j < count; j++) profile[home[r]! * count + j]! += sims[r * count + j]!;
  }
  for (let a = 0; a < count; a++) for (let j = 0; j < count; j++) profile[a * count + j]! /= Math.max(1, sizes[a]!);
  const maxSize = Math.max(1, ...sizes);
  const radius = Array.from(sizes, (s) => 0.08 + 0.22 * Math.sqrt(Math.max(s, 1) / maxSize));
  let anchors: [number, number][];
  if (count === 1) anchors = [[0, 0]];
  else {
    const { projections } = pca(profile, count, count, 2, rng);
    const spreadOf = Math.max(1e-9, ...Array.from(projections, Math.abs));
    anchors = Array.from({ length: count }, (_, a) => [projections[a * 2]! / spreadOf, projections[a * 2 + 1]! / spreadOf] as [number, number]);
  }
  // Push overlapping patches apart (a few rounds; each pair moves half the overlap each way).
  for (let round = 0; round < 60; round++) {
    let moved = false;
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        const dx = anchors[b]![0] - anchors[a]![0];
        const dy = anchors[b]![1] - anchors[a]![1];
        const d = Math.hypot(dx, dy);
        const need = radius[a]! + radius[b]! + 0.02;
        if (d >= need) continue;
        const [ux, uy] = d > 1e-9 ? [dx / d, dy / d] : [Math.cos(a + b), Math.sin(a + b)];
        const push = (need - d) / 2;
        anchors[a] = [anchors[a]![0] - ux * push, anchors[a]![1] - uy * push];
        anchors[b] = [anchors[b]![0] + ux * push, anchors[b]![1] + uy * push];
        moved = true;
      }
    }
    if (!moved) break;
  }
  const ownMax = new Float64Array(count);
  for (let r = 0; r < n; r++) ownMax[home[r]!] = Math.max(ownMax[home[r]!]!, sims[r * count + home[r]!]!);
  return Array.from({ length: n }, (_, r) => {
    const a = home[r]!;
    // The direction of the theme this text is next closest to.
    let next = -1;
    for (let j = 0; j < count; j++) if (j !== a && (next < 0 || sims[r * count + j]! > sims[r * count + next]!)) next = j;
    const toward = next >= 0 ? Math.atan2(anchors[next]![1] - anchors[a]![1], anchors[next]![0] - anchors[a]![0]) : 0;
    const angle = toward + (rng() - 0.5) * 2.4;
    const closeness = ownMax[a]! > 0 ? Math.max(0, Math.min(1, sims[r * count + a]! / ownMax[a]!)) : 0;
    const dist = assignments[r] === OTHER_ID ? radius[a]! * 1.15 : radius[a]! * Math.sqrt(1 - closeness * 0.9) * (0.75 + 0.25 * rng());
    return [round6(anchors[a]![0] + Math.cos(angle) * dist), round6(anchors[a]![1] + Math.sin(angle) * dist)];
  });
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
