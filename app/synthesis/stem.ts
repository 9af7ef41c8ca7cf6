/**
 * The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980),
 * written from the paper, with the two departures Porter himself later adopted
 * ("bli" -> "ble" and "logi" -> "log" in step 2). Input: one lower-case word of
 * the letters a-z; anything else is returned unchanged.
 */

function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  // a e i o u
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  // y is a vowel when it follows a consonant
  if (c === 121) return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** m: the number of VC sequences in w[0..end). */
function measure(w: string, end: number): number {
  let n = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    n++;
  }
  return n;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

/** *d: ends with a double consonant. */
function endsDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y. */
function endsCvc(w: string, end: number): boolean {
  if (end < 3) return false;
  if (!isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3)) return false;
  const c = w[end - 1];
  return c !== "w" && c !== "x" && c !== "y";
}

type Rule = readonly [suffix: string, replacement: string];

// Longest suffix first: the first suffix that matches is the only one tried.
const byLength = (rules: Rule[]): Rule[] => rules.slice().sort((a, b) => b[0].length - a[0].length);

const STEP2 = byLength([
  ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"],
  ["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"],
  ["ization", "ize"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["iveness", "ive"],
  ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"],
  ["logi", "log"],
]);

const STEP3 = byLength([
  ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""],
]);

const STEP4 = [
  "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
  "ism", "ate", "iti", "ous", "ive", "ize",
].sort((a, b) => b.length - a.length);

function applyRules(w: string, rules: Rule[], minMeasure: number): string {
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix)) {
      const stemEnd = w.length - suffix.length;
      return measure(w, stemEnd) > minMeasure ? w.slice(0, stemEnd) + replacement : w;
    }
  }
  return w;
}

const WORD = /^[a-z]+$/;

/** Porter stem of one lower-case word. Words of one or two letters, and non a-z words, are unchanged. */
export function porterStem(word: string): string {
  if (word.length <= 2 || !WORD.test(word)) return word;
  let w = word;

  // Step 1a
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("ss")) {
    /* unchanged */
  } else if (w.endsWith("s")) w = w.slice(0, -1);

  // Step 1b
  if (w.endsWith("eed")) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else {
    let stripped = false;
    if (w.endsWith("ed") && hasVowel(w, w.length - 2)) {
      w = w.slice(0, -2);
      stripped = true;
    } else if (w.endsWith("ing") && hasVowel(w, w.length - 3)) {
      w = w.slice(0, -3);
      stripped = true;
    }
    if (stripped) {
      if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
      else if (endsDoubleConsonant(w, w.length)) {
        const last = w[w.length - 1];
        if (last !== "l" && last !== "s" && last !== "z") w = w.slice(0, -1);
      } else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += "e";
    }
  }

  // Step 1c
  if (w.endsWith("y") && hasVowel(w, w.length - 1)) w = w.slice(0, -1) + "i";

  // Steps 2 and 3
  w = applyRules(w, STEP2, 0);
  w = applyRules(w, STEP3, 0);

  // Step 4
  for (const suffix of STEP4) {
    if (w.endsWith(suffix)) {
      const stemEnd = w.length - suffix.length;
      if (measure(w, stemEnd) > 1) {
        if (suffix !== "ion" || w[stemEnd - 1] === "s" || w[stemEnd - 1] === "t") w = w.slice(0, stemEnd);
      }
      break;
    }
  }

  // Step 5a
  if (w.endsWith("e")) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  // Step 5b
  if (w.endsWith("ll") && measure(w, w.length) > 1) w = w.slice(0, -1);

  return w;
}

/** A memoising wrapper: the same words come back again and again in a corpus. */
export function createStemmer(): (word: string) => string {
  const cache = new Map<string, string>();
  return (word) => {
    let s = cache.get(word);
    if (s === undefined) {
      s = porterStem(word);
      if (cache.size < 200_000) cache.set(word, s);
    }
    return s;
  };
}
