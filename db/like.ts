import { sql, type SQL } from "drizzle-orm";
import type { AnyColumn } from "drizzle-orm";
import { ENGINE } from "./client";

/**
 * `column` contains `text` as typed, whatever the case (SQLite's LIKE folds ASCII letters,
 * PostgreSQL's ILIKE every letter; its LIKE would be case-sensitive): the wildcards `%` and `_`
 * and the escape character itself match only themselves. A NUL is looked for as U+FFFD on both
 * engines: SQLite's LIKE reads a pattern only up to a NUL (`%hi\0x%` would find every text ending
 * in "hi", `%\0` every text), and PostgreSQL binds a NUL as U+FFFD (db/pg/compat.ts `storable`).
 * So a search with a NUL in it finds the same on both: nothing, unless a text holds U+FFFD there.
 */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll("\u0000", "\uFFFD")}%`;
  return ENGINE === "postgres" ? sql`${column} ILIKE ${pattern} ESCAPE '\\'` : sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
