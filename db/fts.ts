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
