/**
 * Online backup: `npm run db:backup -- FILE` copies the live database (the file
 * named by DATABASE_URL) to FILE with SQLite's online backup API, while the
 * server keeps reading and writing. The copy is one consistent snapshot: the
 * pages are copied in one step inside one read transaction, so it never mixes
 * the states before and after a transaction (and a busy writer cannot make it
 * start over again and again).
 *
 * Restore: stop the server, replace the database file with the backup, delete the
 * old `-wal` and `-shm` files beside it, start the server. See README "Operations".
 */
import { isPostgresUrl } from "./engine.js";
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { databasePath } from "./client";

export async function backupDatabase(source: string, target: string): Promise<{ pages: number; integrity: string }> {
  const to = resolve(target);
  if (to === resolve(source)) throw new Error("The backup file must not be the database itself.");
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  mkdirSync(dirname(to), { recursive: true });
  // Write beside the target and rename at the end, so a failed backup never leaves a half file under its name.
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  const conn = new Database(source, { fileMustExist: true });
  try {
    conn.pragma("busy_timeout = 5000");
    // All remaining pages in one step: the step reads one snapshot (WAL readers do not block
    // the writer), so a busy server cannot keep restarting the copy.
    const { totalPages } = await conn.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial, { fileMustExist: true });
    let integrity: string;
    try {
      // The copy is a standalone file: no WAL beside it, whatever mode the source used.
      copy.pragma("journal_mode = DELETE");
      integrity = String(copy.pragma("integrity_check", { simple: true }));
    } finally {
      copy.close();
    }
    if (integrity !== "ok") throw new Error(`The backup failed its integrity check: ${integrity}`);
    for (const suffix of ["-wal", "-shm"]) rmSync(to + suffix, { force: true });
    renameSync(partial, to);
    return { pages: totalPages, integrity };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    conn.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: npm run db:backup -- FILE");
    process.exit(2);
  }
  if (isPostgresUrl(process.env.DATABASE_URL)) {
    console.error(
      "DATABASE_URL names a PostgreSQL database: back it up with PostgreSQL's own tools, e.g.\n" +
        '  pg_dump -Fc -f jamboree.dump "$DATABASE_URL"\n' +
        "(README, Running on PostgreSQL). npm run db:backup copies an SQLite file.",
    );
    process.exit(2);
  }
  const source = databasePath();
  try {
    const { pages } = await backupDatabase(source, target);
    console.log(`backed up ${source} to ${resolve(target)} (${pages} pages, integrity ok)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
