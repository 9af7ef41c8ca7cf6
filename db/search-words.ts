/**
 * The words a search looks for, the same on both engines (FTS5 in db/fts.ts, PostgreSQL's tsquery
 * in db/pg/search.ts): runs of letters and digits, lower-cased. Nothing else (quotes, operators,
 * punctuation) ever reaches a query.
 */

/** The words of what a person typed that a search looks for, each a prefix: each once, at most 12. */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 12);
}

/** The commonest English words: "similar ideas" and the other any-word searches leave them out. */
const COMMON = new Set(
  "the and for with that this from have are was were will would could should our your their about into more less than then them they you not but can all any out get use make more most very just also".split(
    " ",
  ),
);

/** The words "similar ideas" looks for (any of them): three letters or more, not the commonest, each once, at most 16. */
export function meaningfulWords(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !COMMON.has(w));
  return [...new Set(words)].slice(0, 16);
}
