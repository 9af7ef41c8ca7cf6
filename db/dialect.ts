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

/** The larger of two values (SQLite's two-argument `max`, PostgreSQL's `GREATEST`). */
export function greatest(a: SQL | AnyColumn, b: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`GREATEST(${a}, ${b})` : sql`max(${a}, ${b})`;
}

/** The smaller of two values (SQLite's two-argument `min`, PostgreSQL's `LEAST`). */
export function least(a: SQL | AnyColumn, b: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`LEAST(${a}, ${b})` : sql`min(${a}, ${b})`;
}

/**
 * The text at a path of keys in a JSON value stored as text (SQLite's `json_extract(x, '$.a.b')`,
 * PostgreSQL's `x::jsonb #>> '{a,b}'`). Keys are the code's own names, never user input.
 */
export function jsonText(value: SQL | AnyColumn, ...keys: string[]): SQL {
  if (!keys.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) throw new Error(`jsonText: bad key in ${keys.join(".")}`);
  return ENGINE === "postgres"
    ? sql`(${value}::jsonb #>> ${sql.raw(`'{${keys.join(",")}}'`)})`
    : sql`json_extract(${value}, ${sql.raw(`'$.${keys.join(".")}'`)})`;
}

/**
 * A text to order by without regard to case (SQLite's `COLLATE NOCASE`, which folds ASCII only;
 * PostgreSQL has no such collation: `lower()`).
 */
export function caseless(value: SQL | AnyColumn): SQL {
  return ENGINE === "postgres" ? sql`lower(${value})` : sql`${value} COLLATE NOCASE`;
}
