import { sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { ENGINE } from "./client";

/**
 * `column` contains `text` as typed (case-insensitive, as SQLite's LIKE is for ASCII; PostgreSQL's
 * LIKE is case-sensitive, so ILIKE there): the wildcards `%` and `_` and the escape character
 * itself match only themselves.
 */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return ENGINE === "postgres" ? sql`${column} ILIKE ${pattern} ESCAPE '\\'` : sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
