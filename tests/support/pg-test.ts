/** A fresh, migrated PostgreSQL database for one test file, on the run's cluster (tests/setup/pg-global.ts). */
import { inject } from "vitest";
import { migratePg } from "../../db/pg/migrate";
import { openPg, type PgDb } from "../../db/pg/client";
import { createDatabase } from "./postgres";

export async function freshPgDatabase(options: { migrate?: boolean } = {}): Promise<{ url: string; pgDb: PgDb; close: () => Promise<void> }> {
  const name = `test_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const url = await createDatabase(inject("pgAdminUrl"), name);
  if (options.migrate !== false) await migratePg(url);
  const pgDb = openPg(url, { max: 4 });
  return { url, pgDb, close: () => pgDb.$client.end() };
}
