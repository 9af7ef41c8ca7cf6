/**
 * Sparse TF-IDF: term counts per text, document frequencies, smooth idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn defines it), sublinear tf
 * (1 + ln tf), rows scaled to unit length.
 */
import { createAnalyzer, type AnalyzeOptions } from "./tokenize";
import type { SparseMatrix } from "./sparse";

export interface TfidfOptions extends AnalyzeOptions {
  /** Drop terms found in fewer texts than this. Default: 2 for 50+ texts, else 1. */
  minDf?: number;
  /** Drop terms found in more than this share of texts. Default 0.5 (1 for fewer than 20 texts). */
  maxDfRatio?: number;
  /** 1 + ln(tf) instead of tf. Default true. */
  sublinearTf?: boolean;
}

export interface Vocabulary {
  /** Term strings: a stem, or two stems joined by one space for a bigram. */
  terms: string[];
  /** The most frequent surface form of each term, as people wrote it. */
  surfaces: string[];
  /** Number of texts holding each term. */
  df: Int32Array;
  idf: Float64Array;
  /** 1 for a bigram. */
  isBigram: Uint8Array;
  index: Map<string, number>;
}

export interface TfidfResult {
  /** Unit-length rows (an empty text gives an all-zero row). */
  matrix: SparseMatrix;
  /** Raw term counts, same sparsity as `matrix`. */
  counts: Float64Array;
  vocab: Vocabulary;
}

/** Smooth idf, as scikit-learn's TfidfVectorizer computes it. */
export function smoothIdf(n: number, df: number): number {
  return Math.log((1 + n) / (1 + df)) + 1;
}

export function buildTfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfResult {
  const n = texts.length;
  const minDf = options.minDf ?? (n >= 50 ? 2 : 1);
  const maxDfRatio = options.maxDfRatio ?? (n >= 20 ? 0.5 : 1);
  const sublinear = options.sublinearTf ?? true;
  const analyzer = createAnalyzer(options);

  // Pass 1: analyse, give every term seen a provisional id, count df and surfaces.
  const provisional = new Map<string, number>();
  const provTerms: string[] = [];
  const provDf: number[] = [];
  const surfaceCounts: Map<string, number>[] = [];
  const docTerms: { ids: number[]; tf: number[] }[] = new Array(n);
  for (let d = 0; d < n; d++) {
    const { terms, surfaces } = analyzer(texts[d] ?? "");
    const local = new Map<number, number>();
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as string;
      let id = provisional.get(t);
      if (id === undefined) {
        id = provTerms.length;
        provisional.set(t, id);
        provTerms.push(t);
        provDf.push(0);
        surfaceCounts.push(new Map());
      }
      const sc = surfaceCounts[id]!;
      const s = surfaces[i] as string;
      sc.set(s, (sc.get(s) ?? 0) + 1);
      local.set(id, (local.get(id) ?? 0) + 1);
    }
    const ids = [...local.keys()];
    for (const id of ids) provDf[id]!++;
    docTerms[d] = { ids, tf: ids.map((id) => local.get(id)!) };
  }

  // Keep terms within the df bounds, in first-seen order.
  const maxDf = Math.max(minDf, Math.floor(maxDfRatio * n));
  const remap = new Int32Array(provTerms.length).fill(-1);
  const terms: string[] = [];
  const surfaces: string[] = [];
  const dfList: number[] = [];
  for (let id = 0; id < provTerms.length; id++) {
    const df = provDf[id]!;
    if (df < minDf || df > maxDf) continue;
    remap[id] = terms.length;
    terms.push(provTerms[id]!);
    surfaces.push(bestSurface(surfaceCounts[id]!));
    dfList.push(df);
  }
  const V = terms.length;
  const df = Int32Array.from(dfList);
  const idf = new Float64Array(V);
  const isBigram = new Uint8Array(V);
  for (let t = 0; t < V; t++) {
    idf[t] = smoothIdf(n, df[t]!);
    isBigram[t] = terms[t]!.includes(" ") ? 1 : 0;
  }

  // Pass 2: CSR with sorted column indexes per row.
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let d = 0; d < n; d++) {
    for (const id of docTerms[d]!.ids) if (remap[id]! >= 0) nnz++;
    indptr[d + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  const counts = new Float64Array(nnz);
  for (let d = 0; d < n; d++) {
    const { ids, tf } = docTerms[d]!;
    const row: [number, number][] = [];
    for (let i = 0; i < ids.length; i++) {
      const col = remap[ids[i]!]!;
      if (col >= 0) row.push([col, tf[i]!]);
    }
    row.sort((a, b) => a[0] - b[0]);
    let p = indptr[d]!;
    let norm = 0;
    for (const [col, c] of row) {
      const w = (sublinear ? 1 + Math.log(c) : c) * idf[col]!;
      indices[p] = col;
      data[p] = w;
      counts[p] = c;
      norm += w * w;
      p++;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let q = indptr[d]!; q < p; q++) data[q]! *= inv;
    }
  }

  const index = new Map<string, number>();
  terms.forEach((t, i) => index.set(t, i));
  return {
    matrix: { rows: n, cols: V, indptr, indices, data },
    counts,
    vocab: { terms, surfaces, df, idf, isBigram, index },
  };
}

function bestSurface(counts: Map<string, number>): string {
  let best = "";
  let bestCount = -1;
  for (const [s, c] of counts) {
    if (c > bestCount || (c === bestCount && (s.length < best.length || (s.length === best.length && s < best)))) {
      best = s;
      bestCount = c;
    }
  }
  return best;
}
