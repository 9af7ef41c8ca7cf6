import { sql, type SQL } from "drizzle-orm";

/**
 * Turns what a person typed into a safe FTS5 query: every word must appear
 * (as a prefix), operators and quotes are never passed through. Returns null
 * when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const unique = searchWords(text);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"*`).join(" ");
}

/**
 * The words of what a person typed that a search looks for, each a prefix (both engines: FTS5
 * here, PostgreSQL's tsquery in db/pg/search.ts): runs of letters and digits, lower-cased, each
 * once, at most 12. Nothing else (quotes, operators, punctuation) ever reaches a query.
 */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 12);
}

/** `ideas.id IN (matching rows)` for a query made by ftsQuery. */
export function ideaMatches(query: string): SQL {
  return sql`"ideas"."id" IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH ${query})`;
}

/**
 * A query that matches ideas sharing ANY meaningful word with the text (for
 * "similar ideas" while someone types), best matches first via FTS5's rank.
 * Words under three letters and the commonest English words are left out.
 */
const COMMON = new Set(
  "the and for with that this from have are was were will would could should our your their about into more less than then them they you not but can all any out get use make more most very just also".split(
    " ",
  ),
);

export function ftsAnyQuery(text: string): string | null {
  const unique = meaningfulWords(text);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"*`).join(" OR ");
}

/** The words "similar ideas" looks for (any of them): three letters or more, not the commonest, each once, at most 16. */
export function meaningfulWords(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !COMMON.has(w));
  return [...new Set(words)].slice(0, 16);
}
