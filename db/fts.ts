/**
 * Full-text search, the one entry services call on either engine (decision 021): what a person
 * typed becomes a `SearchQuery` (its words, never its syntax), and the conditions and rankings
 * below turn it into SQL for the engine `ENGINE` names: FTS5 (ideas_fts, questions_fts) on SQLite,
 * the `search` tsvector columns on PostgreSQL (db/pg/search.ts). Services hold no FTS5 or
 * tsvector SQL of their own.
 *
 * What is searched is the same on both engines: an idea's title and body; a question's title,
 * details and accepted answer (while that answer is not hidden).
 */
import { sql, type SQL } from "drizzle-orm";
import { ENGINE } from "./client";
import { ideaMatchesPg, questionMatchesPg, rankedIdeasPg, tsWordsQuery } from "./pg/search";
import { meaningfulWords, searchWords } from "./search-words";

export { meaningfulWords, searchWords };

/**
 * What to look for: words made of letters and digits only (searchWords / meaningfulWords), each a
 * prefix; `any` when one of them is enough, else all must appear.
 */
export interface SearchQuery {
  readonly words: readonly string[];
  readonly any: boolean;
}

/** Every word of what a person typed must appear, as a prefix. Null when nothing searchable is left. */
export function allWords(text: string): SearchQuery | null {
  const words = searchWords(text);
  return words.length === 0 ? null : { words, any: false };
}

/** Any meaningful word of the text may appear, as a prefix ("similar ideas", who knows about…). Null when none is left. */
export function anyWord(text: string): SearchQuery | null {
  const words = meaningfulWords(text);
  return words.length === 0 ? null : { words, any: true };
}

/** One query per word of `query` (to weigh each word on its own). */
export function eachWord(query: SearchQuery): SearchQuery[] {
  return query.words.map((w) => ({ words: [w], any: false }));
}

/** A person's text (every word must appear) or a query made above. */
type Search = string | SearchQuery;

/** Only words of letters and digits ever reach a query, however the SearchQuery was made. */
const WORD = /^[\p{L}\p{N}]+$/u;

function queryOf(search: Search): SearchQuery | null {
  if (typeof search === "string") return allWords(search);
  const words = search.words.filter((w) => WORD.test(w));
  return words.length === 0 ? null : { words, any: search.any };
}

/**
 * Turns what a person typed into a safe FTS5 query: every word must appear
 * (as a prefix), operators and quotes are never passed through. Returns null
 * when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const unique = searchWords(text);
  return unique.length === 0 ? null : ftsWordsQuery(unique, false);
}

/** The FTS5 query for any of the meaningful words of the text (ftsQuery's any-word twin). */
export function ftsAnyQuery(text: string): string | null {
  const unique = meaningfulWords(text);
  return unique.length === 0 ? null : ftsWordsQuery(unique, true);
}

/** An FTS5 query for the words, each a quoted prefix term: all of them, or (`any`) one is enough. */
export function ftsWordsQuery(words: readonly string[], any: boolean): string {
  return words.map((w) => `"${w}"*`).join(any ? " OR " : " ");
}

/** The engine's query text: FTS5's `"w"* "x"*` / `"w"* OR "x"*`, or PostgreSQL's `'w':* & 'x':*` / `'w':* | 'x':*`. */
function engineQuery(query: SearchQuery): string {
  return ENGINE === "postgres" ? tsWordsQuery(query.words, query.any) : ftsWordsQuery(query.words, query.any);
}

const NOTHING = sql`1 = 0`;

/**
 * The ideas that match: `"ideas"."id" IN (matching ideas)` (the outer query reads "ideas" by that
 * name), or, with `id`, that expression in the matching ideas (a vote's idea id, an alias's id).
 * A text with nothing searchable in it matches nothing.
 */
export function ideaMatches(search: Search, id?: SQL): SQL {
  const query = queryOf(search);
  if (!query) return NOTHING;
  const q = engineQuery(query);
  if (ENGINE === "postgres") {
    return id ? sql`${id} IN (SELECT "id" FROM "ideas" WHERE ${ideaMatchesPg(q)})` : ideaMatchesPg(q);
  }
  return sql`${id ?? sql`"ideas"."id"`} IN (SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH ${q})`;
}

/**
 * The matching ideas with how well each matches, as a FROM item with columns `id` and `score`:
 * order by `score` ascending (best first), then by id, as "similar ideas" does. FTS5's bm25 rank on
 * SQLite; PostgreSQL's ts_rank, negated (db/pg/search.ts says how close the two orders are).
 */
export function rankedIdeas(search: Search): SQL {
  const query = queryOf(search);
  if (!query) return sql`(SELECT 0 AS "id", 0 AS "score" WHERE 1 = 0)`;
  const q = engineQuery(query);
  if (ENGINE === "postgres") return rankedIdeasPg(q);
  return sql`(SELECT rowid AS "id", rank AS "score" FROM ideas_fts WHERE ideas_fts MATCH ${q})`;
}

/**
 * The questions that match, by title, details or accepted answer (one not hidden): `${id} IN
 * (matching questions)`, `id` being the outer query's question id (`q.id`). A text with nothing
 * searchable in it matches nothing.
 */
export function questionMatches(search: Search, id: SQL): SQL {
  const query = queryOf(search);
  if (!query) return NOTHING;
  const q = engineQuery(query);
  if (ENGINE === "postgres") return sql`${id} IN (SELECT "id" FROM "questions" WHERE ${questionMatchesPg(q)})`;
  return sql`${id} IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ${q})`;
}
