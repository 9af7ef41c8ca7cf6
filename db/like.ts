import { sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";

/**
 * `column` contains `text` as typed (case-insensitive for ASCII, as SQLite's LIKE is): the
 * wildcards `%` and `_` and the escape character itself match only themselves.
 */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
