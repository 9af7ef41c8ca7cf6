import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const DEFAULT_DATABASE_URL = "./data/jamboree.db";

/** The database file named by DATABASE_URL (a path, or `file:` URL), else ./data/jamboree.db. */
export function databasePath(url = process.env.DATABASE_URL): string {
  const raw = url && url.trim() !== "" ? url : DEFAULT_DATABASE_URL;
  return resolve(raw.replace(/^file:(\/\/)?/, ""));
}

/**
 * SQLite-specific settings live here, so a second dialect is an addition.
 * WAL lets readers run beside the single writer; synchronous=NORMAL in WAL mode
 * keeps every committed transaction across an application crash (only an OS
 * crash or power loss can drop the last transactions).
 */
function applyPragmas(sqlite: Database.Database) {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -32000");
  sqlite.pragma("temp_store = MEMORY");
}

export function openDb(path = databasePath()): Db {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

let instance: Db | undefined;

/** The process-wide connection, opened on first use. */
export function db(): Db {
  instance ??= openDb();
  return instance;
}

export function closeDb() {
  instance?.$client.close();
  instance = undefined;
}

let afterCommit: (() => void)[] | null = null;

/**
 * Runs `work` in one IMMEDIATE transaction (the write lock is taken at BEGIN, so
 * read-modify-write cannot interleave). `work` must be synchronous: better-sqlite3
 * cannot roll back an async callback. A call inside another transaction joins it.
 */
export function transaction<T>(work: (tx: Db) => T): T {
  const conn = db();
  if (conn.$client.inTransaction) return work(conn);
  afterCommit = [];
  try {
    const result = conn.$client
      .transaction(() => {
        const value = work(conn);
        if (value instanceof Promise) throw new Error("transaction callbacks must be synchronous");
        return value;
      })
      .immediate();
    const callbacks = afterCommit;
    afterCommit = null;
    for (const callback of callbacks) callback();
    return result;
  } finally {
    afterCommit = null;
  }
}

/**
 * Runs `callback` once the current transaction has committed, and never if it
 * rolls back. Outside a transaction it runs at once. Live events go through this.
 */
export function onCommit(callback: () => void) {
  if (afterCommit) afterCommit.push(callback);
  else callback();
}
