/**
 * A mark of every write the app has made so far, on either engine, for tests that check a read
 * changes nothing: take it before and after, and compare.
 *
 * - SQLite: the rows changed through every connection of the process (`total_changes()`).
 * - PostgreSQL: for each table of the database, its row count and the transaction ids that wrote
 *   its rows (`xmin`). An insert or a delete changes the count, and an update writes a new row
 *   version with a new `xmin`, even when it sets the values a row already had.
 */
import { sql } from "drizzle-orm";
import { db, ENGINE, openConnections } from "~db/client";

export async function writesMark(): Promise<string> {
  if (ENGINE === "sqlite") {
    return String(openConnections().reduce((sum, conn) => sum + (conn.$client.prepare("select total_changes() as n").get() as { n: number }).n, 0));
  }
  const tables = await db().all<{ name: string }>(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const marks: string[] = [];
  for (const { name } of tables) {
    const row = await db().get<{ n: number; xids: string | null }>(
      sql`SELECT count(*) AS n, md5(string_agg(xmin::text, ',' ORDER BY xmin::text)) AS xids FROM ${sql.identifier(name)}`,
    );
    marks.push(`${name}:${row?.n ?? 0}:${row?.xids ?? ""}`);
  }
  return marks.join("\n");
}
