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

/** The transaction whose callback is running now (better-sqlite3's are synchronous), else null. */
let current: Db | null = null;

/**
 * Reaching for the connection inside a transaction is refused outside production: code that
 * runs inside a transaction takes it as its first parameter (decision 021). On SQLite the two
 * are the same object, so the mistake would pass unnoticed until PostgreSQL, where a
 * transaction holds one client of a pool and the global connection is another.
 */
const REFUSE_INSIDE_TRANSACTION = process.env.NODE_ENV !== "production";

/**
 * The process-wide connection, opened on first use. Only entry points call it (a page service
 * for its reads, `transaction()` for a write, the background rounds, seeds and the CLI); every
 * function they call takes the connection or transaction as its first parameter.
 */
export function db(): Db {
  if (current && REFUSE_INSIDE_TRANSACTION) {
    throw new Error("db() called inside a transaction: pass the transaction down as the first parameter");
  }
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
export function preparedQuery<Q>(build: (conn: Db) => Q): (conn: Db) => Q {
  const byConnection = new WeakMap<Db, Q>();
  return (conn) => {
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
export function preparedQueries<K extends string, Q>(build: (conn: Db, key: K) => Q): (conn: Db, key: K) => Q {
  const byConnection = new WeakMap<Db, Map<K, Q>>();
  return (conn, key) => {
    let queries = byConnection.get(conn);
    if (!queries) byConnection.set(conn, (queries = new Map()));
    let query = queries.get(key);
    if (!query) queries.set(key, (query = build(conn, key)));
    return query;
  };
}

type Runner = (work: (tx: Db) => unknown) => unknown;

/** One better-sqlite3 transaction function per connection and kind, reused for every transaction. */
const runners = { immediate: new WeakMap<Db, Runner>(), deferred: new WeakMap<Db, Runner>() };
function run(conn: Db, kind: "immediate" | "deferred", work: (tx: Db) => unknown): unknown {
  let runner = runners[kind].get(conn);
  if (!runner) {
    runner = conn.$client.transaction((job: (tx: Db) => unknown) => {
      const value = job(conn);
      if (value instanceof Promise) throw new Error("transaction callbacks must be synchronous");
      return value;
    })[kind];
    runners[kind].set(conn, runner);
  }
  return runner(work);
}

let afterCommit: (() => void)[] | null = null;

/**
 * Runs `work` in one IMMEDIATE transaction (the write lock is taken at BEGIN, so
 * read-modify-write cannot interleave) and hands it the transaction, which everything it calls
 * takes as its first parameter. `work` must be synchronous: better-sqlite3 cannot roll back an
 * async callback. A call inside another transaction joins it. Callbacks given to
 * `publishAfterCommit` run once it has committed, in order.
 *
 * `{ snapshot: true }` is for a read that must see one moment across many queries (a person's
 * data archive): a DEFERRED transaction, which takes no write lock, so writers are not held up.
 */
export function transaction<T>(work: (tx: Db) => T, options: { snapshot?: boolean } = {}): T {
  if (current) return work(current);
  instance ??= openDb();
  const conn = instance;
  afterCommit = [];
  try {
    current = conn;
    let result: T;
    try {
      result = run(conn, options.snapshot ? "deferred" : "immediate", work) as T;
    } finally {
      current = null;
    }
    const callbacks = afterCommit;
    afterCommit = null;
    for (const callback of callbacks) callback();
    return result;
  } finally {
    current = null;
    afterCommit = null;
  }
}

/**
 * The one after-commit mechanism: runs `callback` once the current transaction has committed,
 * and never if it rolls back. Outside a transaction it runs at once. Live events and the mail
 * sender's wake-up go through this.
 */
export function publishAfterCommit(callback: () => void) {
  if (afterCommit) afterCommit.push(callback);
  else callback();
}
