import { sql, type SQL } from "drizzle-orm";

/**
 * Turns what a person typed into a safe FTS5 query: every word must appear
 * (as a prefix), operators and quotes are never passed through. Returns null
 * when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words)].slice(0, 12);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"*`).join(" ");
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
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !COMMON.has(w));
  const unique = [...new Set(words)].slice(0, 16);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"*`).join(" OR ");
}
