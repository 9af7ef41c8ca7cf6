/**
 * Sparse TF-IDF: term counts per text, document frequencies, smooth idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn defines it), sublinear tf
 * (1 + ln tf), rows scaled to unit length.
 *
 * Terms are the analyser's (tokenize.ts): Porter stems of content words and
 * bigrams of adjacent content words. Built for speed: each distinct surface
 * word is analysed once, then texts are lists of integer ids.
 */
import { isContentToken, tokenize, type AnalyzeOptions } from "./tokenize";
import { createStemmer } from "./stem";
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

/** Pairs of ids below 2^21 packed into one exact double. */
const PAIR = 2 ** 21;

export function buildTfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfResult {
  const n = texts.length;
  const minDf = options.minDf ?? (n >= 50 ? 2 : 1);
  const maxDfRatio = options.maxDfRatio ?? (n >= 20 ? 0.5 : 1);
  const sublinear = options.sublinearTf ?? true;
  const withBigrams = options.bigrams ?? true;
  const stem = options.stem === false ? (w: string) => w : createStemmer();

  // Surface words (distinct tokens) -> id; each analysed once.
  const surfaceId = new Map<string, number>();
  const surfaceText: string[] = [];
  const surfaceTerm: number[] = []; // unigram term id, -1 for stop words and numbers
  const surfaceCount: number[] = [];
  // Terms (unigram stems and bigrams) -> provisional id.
  const termId = new Map<string, number>();
  const termText: string[] = [];
  const termDf: number[] = [];
  const bigramId = new Map<number, number>(); // packed (term a, term b) -> term id
  const bigramSurfaceCount = new Map<number, number>(); // packed (surface a, surface b) -> count

  const newTerm = (text: string): number => {
    const id = termText.length;
    termId.set(text, id);
    termText.push(text);
    termDf.push(0);
    return id;
  };

  // Per-text term ids, flat.
  const docPtr = new Int32Array(n + 1);
  let docIds = new Int32Array(Math.max(16, n * 8));
  let docTf = new Int32Array(docIds.length);
  let used = 0;
  let buffer = new Int32Array(256);

  for (let d = 0; d < n; d++) {
    const tokens = tokenize(texts[d] ?? "");
    let count = 0;
    let prevTerm = -1;
    let prevSurface = -1;
    const push = (id: number) => {
      if (count === buffer.length) {
        const bigger = new Int32Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      buffer[count++] = id;
    };
    for (const token of tokens) {
      let s = surfaceId.get(token);
      if (s === undefined) {
        s = surfaceText.length;
        surfaceId.set(token, s);
        surfaceText.push(token);
        surfaceCount.push(0);
        if (isContentToken(token)) {
          const st = stem(token);
          surfaceTerm.push(termId.get(st) ?? newTerm(st));
        } else {
          surfaceTerm.push(-1);
        }
      }
      const t = surfaceTerm[s]!;
      if (t < 0) {
        prevTerm = -1;
        continue;
      }
      surfaceCount[s]!++;
      push(t);
      if (withBigrams && prevTerm >= 0 && prevTerm !== t) {
        const key = prevTerm * PAIR + t;
        let b = bigramId.get(key);
        if (b === undefined) {
          b = newTerm(`${termText[prevTerm]} ${termText[t]}`);
          bigramId.set(key, b);
        }
        push(b);
        const sKey = prevSurface * PAIR + s;
        bigramSurfaceCount.set(sKey, (bigramSurfaceCount.get(sKey) ?? 0) + 1);
      }
      prevTerm = t;
      prevSurface = s;
    }
    // Distinct ids with counts, ascending.
    const ids = buffer.subarray(0, count).sort();
    if (used + count > docIds.length) {
      const size = Math.max(docIds.length * 2, used + count);
      const a = new Int32Array(size);
      a.set(docIds.subarray(0, used));
      docIds = a;
      const b = new Int32Array(size);
      b.set(docTf.subarray(0, used));
      docTf = b;
    }
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (i > 0 && id === ids[i - 1]) {
        docTf[used - 1]!++;
      } else {
        docIds[used] = id;
        docTf[used] = 1;
        used++;
        termDf[id]!++;
      }
    }
    docPtr[d + 1] = used;
  }

  // Keep terms within the df bounds, in first-seen order.
  const maxDf = Math.max(minDf, Math.floor(maxDfRatio * n));
  const P = termText.length;
  const remap = new Int32Array(P).fill(-1);
  const terms: string[] = [];
  const dfList: number[] = [];
  for (let id = 0; id < P; id++) {
    const df = termDf[id]!;
    if (df < minDf || df > maxDf) continue;
    remap[id] = terms.length;
    terms.push(termText[id]!);
    dfList.push(df);
  }
  const V = terms.length;

  // Most frequent surface of each kept term (ties: shorter, then alphabetical).
  const surfaces = new Array<string>(V).fill("");
  const best = new Float64Array(V).fill(-1);
  const offer = (col: number, text: string, c: number) => {
    const cur = surfaces[col]!;
    if (c > best[col]! || (c === best[col]! && (text.length < cur.length || (text.length === cur.length && text < cur)))) {
      surfaces[col] = text;
      best[col] = c;
    }
  };
  for (let s = 0; s < surfaceText.length; s++) {
    const t = surfaceTerm[s]!;
    if (t >= 0 && remap[t]! >= 0) offer(remap[t]!, surfaceText[s]!, surfaceCount[s]!);
  }
  for (const [key, c] of bigramSurfaceCount) {
    const sa = Math.floor(key / PAIR);
    const sb = key - sa * PAIR;
    const b = bigramId.get(surfaceTerm[sa]! * PAIR + surfaceTerm[sb]!);
    if (b !== undefined && remap[b]! >= 0) offer(remap[b]!, `${surfaceText[sa]} ${surfaceText[sb]}`, c);
  }

  const df = Int32Array.from(dfList);
  const idf = new Float64Array(V);
  const isBigram = new Uint8Array(V);
  for (let t = 0; t < V; t++) {
    idf[t] = smoothIdf(n, df[t]!);
    isBigram[t] = terms[t]!.includes(" ") ? 1 : 0;
  }

  // CSR. Ids are ascending within a text and remap is increasing, so columns stay ascending.
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let d = 0; d < n; d++) {
    for (let q = docPtr[d]!; q < docPtr[d + 1]!; q++) if (remap[docIds[q]!]! >= 0) nnz++;
    indptr[d + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  const counts = new Float64Array(nnz);
  for (let d = 0; d < n; d++) {
    let p = indptr[d]!;
    let norm = 0;
    for (let q = docPtr[d]!; q < docPtr[d + 1]!; q++) {
      const col = remap[docIds[q]!]!;
      if (col < 0) continue;
      const c = docTf[q]!;
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
