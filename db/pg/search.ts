/**
 * Full-text search on PostgreSQL: the dialect twin of db/fts.ts. Ideas carry a generated `search`
 * tsvector (db/pg/migrations/0001_ideas_search.sql, GIN-indexed); what a person typed becomes a
 * prefix tsquery from the same words FTS5 gets (searchWords / meaningfulWords), so both engines
 * find the same ideas. Each word goes in as a quoted lexeme with `:*`: no operator, quote or
 * parenthesis typed by a person can reach the query's syntax, and the text itself is a bound value.
 */
import { sql, type SQL } from "drizzle-orm";
import { meaningfulWords, searchWords } from "../fts";

/** The text search configuration the `search` column is built with (letters and digits, unaccented, no stemming). */
export const SEARCH_CONFIG = "jamboree_words";

function prefixTerms(words: string[]): string[] {
  // Words hold only letters and digits (no quote, backslash, colon, star or operator), so quoting is enough.
  return words.map((w) => `'${w}':*`);
}

/** Every word must appear, as a prefix (ftsQuery's twin). Null when nothing searchable is left. */
export function tsPrefixQuery(text: string): string | null {
  const words = searchWords(text);
  return words.length === 0 ? null : prefixTerms(words).join(" & ");
}

/** Any meaningful word may appear, as a prefix (ftsAnyQuery's twin, for "similar ideas"). Null when none is left. */
export function tsAnyQuery(text: string): string | null {
  const words = meaningfulWords(text);
  return words.length === 0 ? null : prefixTerms(words).join(" | ");
}

/** The tsquery for a query made by tsPrefixQuery or tsAnyQuery, parsed with the column's configuration. */
export function tsQuery(query: string): SQL {
  return sql`to_tsquery(${SEARCH_CONFIG}::regconfig, ${query})`;
}

/** `"ideas"."search" @@ query`: ideaMatches' twin (it uses the GIN index). */
export function ideaMatchesPg(query: string): SQL {
  return sql`"ideas"."search" @@ ${tsQuery(query)}`;
}

/**
 * How well an idea matches, higher is better (FTS5's `rank` is bm25, lower is better): ts_rank
 * divided by 1 + log of the number of distinct words in the idea (normalisation 16), so, as with
 * bm25, an idea that holds more of the words, or holds them more often for its length, comes
 * first. Of ts_rank's normalisations this is the one that orders the test corpus as bm25 does
 * (db/pg/search.pg.test.ts); bm25 also weighs rare words more (IDF), which ts_rank cannot, so two
 * ideas close in score may swap places. Order by it DESC, then by id.
 */
export function ideaRankPg(query: string): SQL<number> {
  return sql<number>`ts_rank("ideas"."search", ${tsQuery(query)}, 16)`;
}
