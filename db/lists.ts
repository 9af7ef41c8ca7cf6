import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { ENGINE } from "./client";

/**
 * `column IN (the list bound to the placeholder)`, for prepared queries (db/client.ts
 * `preparedQuery`): the list is bound as one JSON array, so one statement serves any number of
 * ids (Drizzle's `inArray` writes one parameter per id, a new SQL text per length). SQLite reads
 * it with json_each and seeks the column's index once per id; PostgreSQL with
 * `= ANY` over the array the JSON holds. Bind the value with `jsonList`.
 */
export function inList(column: SQLiteColumn, placeholder: string): SQL {
  return jsonListContains(column, sql.placeholder(placeholder));
}

/** `column IN (the ids of a JSON array)`: the JSON may be a placeholder or a bound value (`jsonList`). */
export function jsonListContains(column: SQLiteColumn | SQL, list: unknown): SQL {
  return ENGINE === "postgres"
    ? sql`${column} = ANY(ARRAY(SELECT jsonb_array_elements_text(${list}::jsonb)::bigint))`
    : sql`${column} IN (SELECT value FROM json_each(${list}))`;
}

/** The value for an `inList` placeholder. */
export function jsonList(ids: readonly number[]): string {
  return JSON.stringify(ids);
}
