import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `column IN (the list bound to the placeholder)`, for prepared queries (db/client.ts
 * `preparedQuery`): the list is bound as one JSON array and read with SQLite's json_each, so one
 * statement serves any number of ids (Drizzle's `inArray` writes one parameter per id, a new SQL
 * text per length). SQLite still seeks the column's index once per id. Bind the value with
 * `jsonList`. (PostgreSQL would say `= ANY($1)`.)
 */
export function inList(column: SQLiteColumn, placeholder: string): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(placeholder)}))`;
}

/** The value for an `inList` placeholder. */
export function jsonList(ids: readonly number[]): string {
  return JSON.stringify(ids);
}
