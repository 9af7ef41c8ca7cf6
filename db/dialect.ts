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

/** The values of a group joined into one text with `separator` (SQLite's `group_concat`, PostgreSQL's `string_agg`). */
export function groupConcat(value: SQL | AnyColumn, separator: string): SQL {
  return ENGINE === "postgres" ? sql`string_agg((${value})::text, ${separator})` : sql`group_concat(${value}, ${separator})`;
}

/** Whether `text` contains `part` exactly (case-sensitive, no wildcards): SQLite's `instr`, PostgreSQL's `strpos`. */
export function containsExactly(text: SQL | AnyColumn, part: SQL | string): SQL {
  return ENGINE === "postgres" ? sql`strpos(${text}, ${part}) > 0` : sql`instr(${text}, ${part}) > 0`;
}

/**
 * The join keyword for a join whose order the query fixes: SQLite's `CROSS JOIN` (its planner
 * never reorders one, so the small side stays the outer loop); PostgreSQL's plain `JOIN` (it has
 * no `CROSS JOIN … ON`, and plans the order itself).
 */
export function joinInOrder(): SQL {
  return ENGINE === "postgres" ? sql`JOIN` : sql`CROSS JOIN`;
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
