/**
 * Theme labels and keywords from class-based term weights (a c-TF-IDF
 * variant computed on document presence). A term's weight in theme c is
 *
 *   P(t | c) * P(c | t) = (in_c(t) / |c|) * (in_c(t) / (df(t) + 1))
 *
 * where in_c(t) is the number of the theme's texts that contain t and df(t)
 * the number of texts in the whole corpus that contain it: how much of the
 * theme uses the term, times how much of the term's use falls in the theme
 * (the class-based "idf"; the +1 keeps one-off words from winning in small
 * themes). Frequent in the theme and rare elsewhere wins; unlike
 * BERTopic's log(1 + A / df), a word used by most of the theme beats a
 * phrase from a handful of its texts.
 *
 * A bigram ("help centre") replaces its two words when it scores at least
 * `bigramRatio` of the better of them: it reads better and says more.
 */
import type { SparseMatrix } from "./sparse";
import type { Vocabulary } from "./tfidf";

export interface ThemeTerms {
  /** Readable label: the top phrases (up to 3, at most 5 words), joined by ", ". */
  label: string;
  /** Up to `maxKeywords` surface forms, best first. */
  keywords: string[];
  /** Their c-TF-IDF weights. */
  weights: number[];
}

export interface LabelOptions {
  maxKeywords?: number;
  /** At most this many phrases in the label. Default 3. */
  labelPhrases?: number;
  /** At most this many words in the label (the first phrase is always kept). Default 5. */
  maxLabelWords?: number;
  bigramRatio?: number;
}

/** Class-based weights for one theme: term index -> weight, for terms present in the theme. */
export function classTfidf(x: SparseMatrix, vocab: Vocabulary, members: readonly number[]): Map<number, number> {
  const presence = new Map<number, number>();
  for (const r of members) {
    for (let q = x.indptr[r]!; q < x.indptr[r + 1]!; q++) {
      const t = x.indices[q]!;
      presence.set(t, (presence.get(t) ?? 0) + 1);
    }
  }
  const out = new Map<number, number>();
  const size = Math.max(1, members.length);
  for (const [t, c] of presence) {
    out.set(t, (c / size) * (c / (vocab.df[t]! + 1)));
  }
  return out;
}

/** Chooses keywords and a label from c-TF-IDF weights, merging bigrams with their words. */
export function pickTerms(weights: Map<number, number>, vocab: Vocabulary, options: LabelOptions = {}): ThemeTerms {
  const maxKeywords = options.maxKeywords ?? 8;
  const labelPhrases = options.labelPhrases ?? 3;
  const maxLabelWords = options.maxLabelWords ?? 5;
  const ratio = options.bigramRatio ?? 0.8;
  const ranked = [...weights.entries()].sort((a, b) => b[1] - a[1] || (vocab.terms[a[0]]! < vocab.terms[b[0]]! ? -1 : 1));
  const score = (t: string) => {
    const id = vocab.index.get(t);
    return id === undefined ? 0 : (weights.get(id) ?? 0);
  };
  const chosen: { term: string; surface: string; weight: number }[] = [];
  const covered = new Set<string>(); // unigram stems already shown (alone or inside a bigram)
  for (const [id, w] of ranked) {
    if (chosen.length >= maxKeywords || w <= 0) break;
    const term = vocab.terms[id]!;
    if (vocab.isBigram[id]) {
      const [a, b] = term.split(" ") as [string, string];
      if (covered.has(a) && covered.has(b)) continue;
      if (w < ratio * Math.max(score(a), score(b))) continue;
      // Replace a single word already chosen that this phrase contains.
      for (let i = chosen.length - 1; i >= 0; i--) {
        if (chosen[i]!.term === a || chosen[i]!.term === b) chosen.splice(i, 1);
      }
      chosen.push({ term, surface: vocab.surfaces[id]!, weight: w });
      covered.add(a);
      covered.add(b);
    } else {
      if (covered.has(term)) continue;
      // A strong phrase containing this word, still to come, is preferred.
      let phrase = -1;
      for (const [id2, w2] of ranked) {
        if (w2 < ratio * w) break;
        if (!vocab.isBigram[id2]) continue;
        const parts = vocab.terms[id2]!.split(" ") as [string, string];
        if ((parts[0] === term || parts[1] === term) && w2 >= ratio * Math.max(score(parts[0]), score(parts[1]))) {
          phrase = id2;
          break;
        }
      }
      if (phrase >= 0) {
        const pTerm = vocab.terms[phrase]!;
        const [a, b] = pTerm.split(" ") as [string, string];
        if (!(covered.has(a) && covered.has(b))) {
          for (let i = chosen.length - 1; i >= 0; i--) {
            if (chosen[i]!.term === a || chosen[i]!.term === b) chosen.splice(i, 1);
          }
          chosen.push({ term: pTerm, surface: vocab.surfaces[phrase]!, weight: weights.get(phrase)! });
          covered.add(a);
          covered.add(b);
          continue;
        }
      }
      chosen.push({ term, surface: vocab.surfaces[id]!, weight: w });
      covered.add(term);
    }
  }
  const keywords = chosen.map((c) => c.surface);
  const labelParts: string[] = [];
  let words = 0;
  for (const k of keywords) {
    const w = k.split(" ").length;
    if (labelParts.length >= labelPhrases || (labelParts.length > 0 && words + w > maxLabelWords)) break;
    labelParts.push(k);
    words += w;
  }
  return {
    label: labelParts.join(", ") || "(no words)",
    keywords,
    weights: chosen.map((c) => c.weight),
  };
}
