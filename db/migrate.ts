import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { fileURLToPath } from "node:url";
import { databasePath, openDb, type Db } from "./client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export function migrateDb(conn: Db) {
  migrate(conn, { migrationsFolder: MIGRATIONS_FOLDER });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const conn = openDb();
  migrateDb(conn);
  conn.$client.close();
  console.log(`migrated ${databasePath()}`);
}
