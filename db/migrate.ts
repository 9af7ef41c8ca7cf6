import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { fileURLToPath } from "node:url";
import { databasePath, openDb, type Db } from "./client";
import { isPostgresUrl, redactUrl } from "./engine.js";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export function migrateDb(conn: Db) {
  migrate(conn, { migrationsFolder: MIGRATIONS_FOLDER });
}

// `npm run db:migrate`: the SQLite file DATABASE_URL names, or the PostgreSQL database when it is a
// postgres:// URL (db/pg/migrations).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL;
  if (isPostgresUrl(url)) {
    const { migratePg } = await import("./pg/migrate");
    try {
      await migratePg(url);
      console.log(`migrated ${redactUrl(url)}`);
    } catch (error) {
      console.error(`Could not migrate ${redactUrl(url)}: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  } else {
    const conn = openDb();
    migrateDb(conn);
    conn.$client.close();
    console.log(`migrated ${databasePath()}`);
  }
}
