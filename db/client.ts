import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { servingRefusal } from "./engine.js";
import { applyPragmas } from "./pragmas";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const DEFAULT_DATABASE_URL = "./data/jamboree.db";

/**
 * The database file named by DATABASE_URL (a path, or `file:` URL), else ./data/jamboree.db. A
 * postgres:// URL is refused with what works on PostgreSQL today (db/engine.js).
 */
export function databasePath(url = process.env.DATABASE_URL): string {
  const refusal = servingRefusal(url);
  if (refusal) throw new Error(refusal);
  const raw = url && url.trim() !== "" ? url : DEFAULT_DATABASE_URL;
  return resolve(raw.replace(/^file:(\/\/)?/, ""));
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Drizzle prepares every query it runs, and SQLite's prepare (parsing and
 * planning the SQL) costs more than running a small indexed query. The
 * connection keeps the last STATEMENT_CACHE_SIZE statements by SQL text and
 * hands the same one out again. A statement in the middle of an iteration is
 * busy and cannot be shared, so that caller gets a fresh one. A cached
 * statement is given back with the modes a newly prepared one has (objects, not
 * arrays or plucked values; numbers, not bigints): Drizzle switches to array
 * mode with `raw()` itself when it wants rows as arrays. Never `bind()` a
 * statement of this connection: a bound statement cannot take other values, and
 * the next caller of that SQL would get it.
 */
function cacheStatements(sqlite: Database.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      // Most recently used last, so the first key is the one to evict.
      cache.delete(source);
      cache.set(source, cached);
      if (cached.reader) cached.raw(false).pluck(false).expand(false);
      cached.safeIntegers(false);
      return cached;
    }
    const statement = prepare(source);
    if (!cached) {
      cache.set(source, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/** Deletes a database file with its WAL, shared-memory and journal files (throwaway test and benchmark databases). */
export function removeDatabaseFiles(path: string) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
}

export function openDb(path = databasePath()): Db {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  cacheStatements(sqlite);
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

/**
 * A query built once per connection and then run with placeholders
 * (`sql.placeholder("name")`, values passed to `.get()`/`.all()`/`.run()`).
 * Building SQL with Drizzle's query builder costs more than running a small
 * indexed query, so the queries on every request or every write use this.
 * Transactions run on the same connection, so a prepared query works in one.
 * Placeholders in `.values()` and `.set()` go through the column's mapping, as
 * values do; placeholders in conditions and `sql` templates are bound as given
 * (compare a boolean column with 1 or 0).
 */
export function preparedQuery<Q>(build: (conn: Db) => Q): (conn?: Db) => Q {
  const byConnection = new WeakMap<Db, Q>();
  return (conn = db()) => {
    let query = byConnection.get(conn);
    if (!query) {
      query = build(conn);
      byConnection.set(conn, query);
    }
    return query;
  };
}

/**
 * preparedQuery for a query that comes in a few shapes (an order, a role's conditions, with or
 * without a cursor): one prepared query per connection and key, each built on its first use.
 * Keep the keys few: each one is a statement held for the connection's life.
 */
export function preparedQueries<K extends string, Q>(build: (conn: Db, key: K) => Q): (key: K, conn?: Db) => Q {
  const byConnection = new WeakMap<Db, Map<K, Q>>();
  return (key, conn = db()) => {
    let queries = byConnection.get(conn);
    if (!queries) byConnection.set(conn, (queries = new Map()));
    let query = queries.get(key);
    if (!query) queries.set(key, (query = build(conn, key)));
    return query;
  };
}

/** One better-sqlite3 transaction function per connection, reused for every transaction. */
const immediateRunners = new WeakMap<Db, (work: (tx: Db) => unknown) => unknown>();
function runImmediate(conn: Db, work: (tx: Db) => unknown): unknown {
  let run = immediateRunners.get(conn);
  if (!run) {
    run = conn.$client.transaction((job: (tx: Db) => unknown) => {
      const value = job(conn);
      if (value instanceof Promise) throw new Error("transaction callbacks must be synchronous");
      return value;
    }).immediate;
    immediateRunners.set(conn, run);
  }
  return run(work);
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
    const result = runImmediate(conn, work) as T;
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
