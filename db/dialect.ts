/**
 * SQL that differs between the two engines, in one place (decision 021): services write the SQL
 * both engines share and take the rest from here. Full-text search has its own pair (db/fts.ts,
 * db/pg/search.ts), as do lists bound as one value (db/lists.ts) and text search with LIKE (db/like.ts).
 */
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { ENGINE } from "./client";

/**
 * Ends a SELECT that claims rows for this transaction: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so
 * two servers claiming work at once each take other rows instead of waiting for (or failing on)
 * the same ones; on SQLite nothing (a write transaction already holds the one write lock).
 */
export function skipLocked(): SQL {
  return ENGINE === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
}

/**
 * Whether `text` occurs in `haystack`, exactly as written (case-sensitive, no wildcards): SQLite's
 * `instr`, PostgreSQL's `strpos`. For "does this text name the person" checks, not for search.
 */
export function containsExactly(haystack: SQL | AnyColumn, text: SQL | string): SQL {
  return ENGINE === "postgres" ? sql`strpos(${haystack}, ${text}) > 0` : sql`instr(${haystack}, ${text}) > 0`;
}

/**
 * The values of a group joined by `separator`, in the order `orderBy` gives (SQLite's
 * `group_concat`, PostgreSQL's `string_agg`; the value is made text first, as SQLite does).
 * Null when the group is empty, on both.
 */
export function joinedText(value: SQL, separator: string, orderBy: SQL): SQL<string | null> {
  return ENGINE === "postgres"
    ? sql<string | null>`string_agg(CAST(${value} AS text), ${separator} ORDER BY ${orderBy})`
    : sql<string | null>`group_concat(${value}, ${separator} ORDER BY ${orderBy})`;
}

/** The larger of two values (SQLite's two-argument `max`, PostgreSQL's `GREATEST`). */
export function greatest(a: SQL | AnyColumn, b: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`GREATEST(${a}, ${b})` : sql`max(${a}, ${b})`;
}

/** The smaller of two values (SQLite's two-argument `min`, PostgreSQL's `LEAST`). */
export function least(a: SQL | AnyColumn, b: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`LEAST(${a}, ${b})` : sql`min(${a}, ${b})`;
}

/**
 * A join that keeps its left side the outer loop: SQLite's `CROSS JOIN` (its planner never
 * reorders it, so a query reads the viewer's few rows first and seeks the rest); on PostgreSQL a
 * plain `JOIN` (CROSS JOIN takes no ON there, and its planner orders joins by their cost). Write
 * `${orderedJoin()} table alias ON …`.
 */
export function orderedJoin(): SQL {
  return ENGINE === "postgres" ? sql`JOIN` : sql`CROSS JOIN`;
}

/**
 * An ORDER BY key that sorts text without regard to case: SQLite's `COLLATE NOCASE` (ASCII
 * letters), PostgreSQL's `lower()` (every letter).
 */
export function caseless(expr: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`lower(${expr})` : sql`${expr} COLLATE NOCASE`;
}

/**
 * The whole number `text` starts with (`12` of `12#answer-5`), as an integer to compare with an
 * id: SQLite's CAST reads the leading digits (0 when there are none); PostgreSQL's CAST refuses
 * anything but a number, so the digits are taken first (NULL when there are none). Neither 0 nor
 * NULL is an id, so both engines find the same rows.
 */
export function leadingInteger(text: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`CAST(substring(${text} from '^[0-9]+') AS bigint)` : sql`CAST(${text} AS INTEGER)`;
}
