/**
 * Tokenising and term extraction.
 *
 * - `tokenize` lower-cases, strips accents and splits a text into word tokens.
 *   A token keeps inner dots and apostrophes and trailing `+`/`#`, so `asp.net`,
 *   `c++`, `c#` and `node.js` stay whole; hyphens and other punctuation split.
 *   A trailing possessive `'s` is dropped and inner apostrophes removed (`don't` -> `dont`).
 * - `analyze` turns tokens into terms: stop words, numbers and one-letter
 *   words are dropped, a-z words are Porter-stemmed, and optional bigrams join
 *   two terms that were adjacent in the text (no stop word between them), so a
 *   bigram reads as a phrase ("customer onboarding").
 *
 * Each term also records the surface form it came from, so labels can show
 * words as people wrote them ("onboarding", not "onboard").
 */
import { isStopWord } from "./stopwords";
import { createStemmer } from "./stem";

const TOKEN = /[\p{L}\p{N}_]+(?:['.][\p{L}\p{N}_]+)*[+#]*/gu;
const ASCII_TOKEN = /[a-z0-9_]+(?:['.][a-z0-9_]+)*[+#]*/g;
const NON_ASCII = /[^\x00-\x7f]/;
const DIACRITICS = /\p{M}+/gu;
const NUMERIC = /^[\p{N}.,_]+$/u;

/** Lower-case word tokens of a text, in order. */
export function tokenize(text: string): string[] {
  // Plain ASCII (most texts) skips Unicode normalisation and uses a simpler pattern.
  const ascii = !NON_ASCII.test(text);
  const normal = ascii ? text.toLowerCase() : text.normalize("NFKD").replace(DIACRITICS, "").toLowerCase().replace(/[’‘]/g, "'");
  const pattern = ascii ? ASCII_TOKEN : TOKEN;
  pattern.lastIndex = 0;
  const out: string[] = [];
  for (let match = pattern.exec(normal); match !== null; match = pattern.exec(normal)) {
    let t = match[0];
    if (t.includes("'")) {
      if (t.endsWith("'s")) t = t.slice(0, -2);
      t = t.replace(/'/g, "");
    }
    if (t.length > 0) out.push(t);
  }
  return out;
}

export interface AnalyzeOptions {
  /** Also emit bigrams of adjacent terms. Default true. */
  bigrams?: boolean;
  /** Stem a-z words with Porter. Default true. */
  stem?: boolean;
}

export interface Analyzed {
  /** Terms in text order: unigram stems, then (if asked) bigrams "stem1 stem2". */
  terms: string[];
  /** The surface form for each entry of `terms` ("onboarding", "customer onboarding"). */
  surfaces: string[];
}

/** Is this token a content word (not a stop word, a number or a single letter)? */
export function isContentToken(token: string): boolean {
  if (isStopWord(token)) return false;
  if (NUMERIC.test(token)) return false;
  if (token.length < 2) return false;
  return true;
}

export type Analyzer = (text: string) => Analyzed;

/** Builds an analyser with its own stemming cache (reuse one per corpus). */
export function createAnalyzer(options: AnalyzeOptions = {}): Analyzer {
  const withBigrams = options.bigrams ?? true;
  const stem = options.stem === false ? (w: string) => w : createStemmer();
  return (text) => {
    const tokens = tokenize(text);
    const terms: string[] = [];
    const surfaces: string[] = [];
    const bigramTerms: string[] = [];
    const bigramSurfaces: string[] = [];
    let prevTerm: string | null = null;
    let prevSurface = "";
    for (const token of tokens) {
      if (!isContentToken(token)) {
        prevTerm = null;
        continue;
      }
      const term = stem(token);
      terms.push(term);
      surfaces.push(token);
      if (withBigrams && prevTerm !== null && prevTerm !== term) {
        bigramTerms.push(`${prevTerm} ${term}`);
        bigramSurfaces.push(`${prevSurface} ${token}`);
      }
      prevTerm = term;
      prevSurface = token;
    }
    for (let i = 0; i < bigramTerms.length; i++) {
      terms.push(bigramTerms[i] as string);
      surfaces.push(bigramSurfaces[i] as string);
    }
    return { terms, surfaces };
  };
}

/** One-off analysis with a fresh stemmer cache. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analyzed {
  return createAnalyzer(options)(text);
}
