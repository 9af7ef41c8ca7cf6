/**
 * Full-text search on PostgreSQL: the dialect twin of the FTS5 SQL in db/fts.ts (services call
 * db/fts.ts, which picks the engine). Ideas carry a generated `search` tsvector
 * (db/pg/migrations/0001_ideas_search.sql), questions one kept by a trigger with their title,
 * details and accepted answer (0011_questions_search.sql), both GIN-indexed; what a person typed
 * becomes a prefix tsquery from the same words FTS5 gets (searchWords / meaningfulWords), so both
 * engines find the same rows. Each word goes in as a quoted lexeme with `:*`: no operator, quote or
 * parenthesis typed by a person can reach the query's syntax, and the text itself is a bound value.
 */
import { sql, type SQL } from "drizzle-orm";
import { meaningfulWords, searchWords } from "../search-words";

/** The text search configuration the `search` columns are built with (letters and digits, unaccented, no stemming). */
export const SEARCH_CONFIG = "jamboree_words";

/**
 * A tsquery text for the words, each a quoted prefix lexeme: all of them (`&`), or (`any`) one is
 * enough (`|`). The words hold only letters and digits (no quote, backslash, colon, star or
 * operator), so quoting is enough.
 */
export function tsWordsQuery(words: readonly string[], any: boolean): string {
  return words.map((w) => `'${w}':*`).join(any ? " | " : " & ");
}

/** Every word must appear, as a prefix (ftsQuery's twin). Null when nothing searchable is left. */
export function tsPrefixQuery(text: string): string | null {
  const words = searchWords(text);
  return words.length === 0 ? null : tsWordsQuery(words, false);
}

/** Any meaningful word may appear, as a prefix (ftsAnyQuery's twin, for "similar ideas"). Null when none is left. */
export function tsAnyQuery(text: string): string | null {
  const words = meaningfulWords(text);
  return words.length === 0 ? null : tsWordsQuery(words, true);
}

/** The tsquery for a query made by tsWordsQuery, parsed with the columns' configuration. */
export function tsQuery(query: string): SQL {
  return sql`to_tsquery(${SEARCH_CONFIG}::regconfig, ${query})`;
}

/** `"ideas"."search" @@ query`: the FTS5 MATCH's twin (it uses the GIN index). */
export function ideaMatchesPg(query: string): SQL {
  return sql`"ideas"."search" @@ ${tsQuery(query)}`;
}

/** `"questions"."search" @@ query`: questions_fts MATCH's twin (title, details and accepted answer). */
export function questionMatchesPg(query: string): SQL {
  return sql`"questions"."search" @@ ${tsQuery(query)}`;
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

/** The matching ideas as a FROM item (`id`, `score`: lower is better, as FTS5's rank): db/fts.ts rankedIdeas' twin. */
export function rankedIdeasPg(query: string): SQL {
  return sql`(SELECT "ideas"."id" AS "id", -${ideaRankPg(query)} AS "score" FROM "ideas" WHERE ${ideaMatchesPg(query)})`;
}
