import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { isPostgresUrl } from "./engine.js";
import { installPgCompat } from "./pg/compat";
import * as pgSchema from "./pg/schema";
import { applyPragmas } from "./pragmas";
import * as schema from "./schema/sqlite";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const DEFAULT_DATABASE_URL = "./data/jamboree.db";

/**
 * The engine DATABASE_URL names, read once (as db/schema/index.ts chooses its tables): PostgreSQL
 * for a postgres:// URL, else SQLite.
 */
export const ENGINE: "sqlite" | "postgres" = isPostgresUrl(process.env.DATABASE_URL) ? "postgres" : "sqlite";

/**
 * The database file named by DATABASE_URL (a path, or `file:` URL), else ./data/jamboree.db. On
 * PostgreSQL there is no file: files the app keeps beside the database (attachments) need their
 * own folder, and this answers for ./data/jamboree.db.
 */
export function databasePath(url = process.env.DATABASE_URL): string {
  const file = isPostgresUrl(url) ? undefined : (url as string | undefined);
  const raw = file && file.trim() !== "" ? file : DEFAULT_DATABASE_URL;
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

/**
 * The process's connections, opened on first use. Reads outside a transaction go to `reader`,
 * which sees only what has committed; every write transaction runs on `writer`, one at a time
 * (an in-process FIFO queue); a consistent read (`{ snapshot: true }`) runs on `snapshot`, one at
 * a time too, so it never holds up the other two.
 */
type Connections = { reader: Db; writer: Db; snapshot: Db };
let connections: Connections | undefined;

function open(): Connections {
  if (ENGINE === "postgres") throw new Error("SQLite connections asked for while serving from PostgreSQL");
  if (connections) return connections;
  const path = databasePath();
  const writer = openDb(path);
  // The writer never waits inside SQLite: a busy handler would block the event loop, and with
  // it the transaction of this process that holds the lock. BEGIN IMMEDIATE waits between
  // attempts instead (beginImmediate).
  writer.$client.pragma("busy_timeout = 0");
  connections = { writer, reader: openDb(path), snapshot: openDb(path) };
  return connections;
}

/** What a running transaction knows about itself (AsyncLocalStorage: several requests interleave). */
type Scope = { tx: Db; kind: "write" | "snapshot"; afterCommit: (() => void)[]; open: boolean };
const scope = new AsyncLocalStorage<Scope>();

/**
 * Reaching for the connection inside a transaction is refused outside production: code that
 * runs inside a transaction takes it as its first parameter (decision 021). On SQLite the
 * mistake would read the reader connection, which does not see the transaction's own writes;
 * on PostgreSQL a transaction holds one client of a pool and the global connection is another.
 */
const REFUSE_INSIDE_TRANSACTION = process.env.NODE_ENV !== "production";

/**
 * The process-wide connection for reads, opened on first use. Only entry points call it (a
 * page service for its reads, the background rounds, seeds and the CLI); every function they
 * call takes the connection or transaction as its first parameter. It sees only committed
 * data. Writes go through `transaction()`: a write through this connection would wait for the
 * lock inside SQLite and block the event loop.
 */
export function db(): Db {
  if (REFUSE_INSIDE_TRANSACTION && scope.getStore()?.open) {
    throw new Error("db() called inside a transaction: pass the transaction down as the first parameter");
  }
  return ENGINE === "postgres" ? openPool().db : open().reader;
}

/** Every connection of this process (tests that measure what all of them did). */
export function openConnections(): Db[] {
  if (ENGINE === "postgres") return [openPool().db];
  const { reader, writer, snapshot } = open();
  return [reader, writer, snapshot];
}

/** Closes this process's connections (a pool's clients once they are given back). */
export async function closeDb() {
  if (pool) {
    const { pool: closing } = pool;
    pool = undefined;
    await closing.end();
  }
  if (!connections) return;
  const { reader, writer, snapshot } = connections;
  connections = undefined;
  for (const conn of [reader, writer, snapshot]) conn.$client.close();
}

/**
 * On PostgreSQL: one pool of connections for the process (PG_POOL_MAX, default 10). Reads outside
 * a transaction take any client; a transaction holds one client until it ends. The query builders
 * get SQLite's get/all/run calls (db/pg/compat.ts), so services run unchanged on both engines.
 */
let pool: { pool: pg.Pool; db: Db } | undefined;
const pgConnections = new WeakMap<pg.PoolClient, Db>();

function openPool() {
  if (pool) return pool;
  installPgCompat();
  const max = Number(process.env.PG_POOL_MAX ?? "") || 10;
  const created = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  // An idle client whose server went away must not take the process with it; the next query reconnects.
  created.on("error", (error) => console.error("PostgreSQL connection lost", error.message));
  pool = { pool: created, db: drizzlePg(created, { schema: pgSchema }) as unknown as Db };
  return pool;
}

/** The Drizzle database over one pool client, made once per client (prepared queries are kept per connection). */
function onClient(client: pg.PoolClient): Db {
  let conn = pgConnections.get(client);
  if (!conn) pgConnections.set(client, (conn = drizzlePg(client, { schema: pgSchema }) as unknown as Db));
  return conn;
}

/**
 * A query built once per connection and then run with placeholders
 * (`sql.placeholder("name")`, values passed to `.get()`/`.all()`/`.run()`).
 * Building SQL with Drizzle's query builder costs more than running a small
 * indexed query, so the queries on every request or every write use this.
 * Each connection (the reader, the writer a transaction runs on) gets its own.
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

/** A FIFO of waiters for one connection: each transaction runs alone on it, in arrival order. */
class Queue {
  private waiting: (() => void)[] = [];
  private held = false;

  get idle() {
    return !this.held;
  }

  /** Takes the connection now if it is free (a synchronous caller cannot wait). */
  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

const queues = { write: new Queue(), snapshot: new Queue() };

/** How long BEGIN IMMEDIATE keeps trying while another process holds the write lock (as busy_timeout did). */
const BUSY_TIMEOUT_MS = 5000;

function isBusy(error: unknown) {
  const code = (error as { code?: string }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

/**
 * BEGIN IMMEDIATE on the writer, waiting for another process that holds the write lock without
 * blocking the event loop: the writer's busy_timeout is 0, and a busy attempt is retried after a
 * timer (1, 2, 4 … up to 50 ms) until BUSY_TIMEOUT_MS have passed.
 */
async function beginImmediate(conn: Db) {
  const started = Date.now();
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      conn.$client.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() - started >= BUSY_TIMEOUT_MS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The same for a synchronous transaction, which cannot yield: SQLite's busy handler waits. */
function beginImmediateSync(conn: Db) {
  conn.$client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  try {
    conn.$client.exec("BEGIN IMMEDIATE");
  } finally {
    conn.$client.pragma("busy_timeout = 0");
  }
}

function rollback(conn: Db) {
  if (conn.$client.inTransaction) conn.$client.exec("ROLLBACK");
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function finish(run: Scope, queue: Queue) {
  queue.release();
  for (const callback of run.afterCommit) callback();
}

/**
 * Runs `work` in one transaction and hands it the transaction, which everything it calls takes
 * as its first parameter.
 *
 * A write transaction runs on the writer connection behind an in-process FIFO queue, so nothing
 * else of this process interleaves inside a read-modify-write, and in BEGIN IMMEDIATE (the write
 * lock is taken at BEGIN, so nothing of another process does either). `work` may be async: the
 * transaction commits when its promise resolves and rolls everything back when it rejects (or
 * `work` throws). A call inside another transaction joins it. Callbacks given to
 * `publishAfterCommit` run once it has committed, in order.
 *
 * `{ snapshot: true }` is for a read that must see one moment across many queries (a person's
 * data archive): a DEFERRED transaction on a connection of its own, which takes no write lock.
 */
export function transaction<T>(work: (tx: Db) => T, options: { snapshot?: boolean } = {}): T {
  const joined = scope.getStore();
  if (joined?.open) {
    if (joined.kind === "snapshot" && !options.snapshot) throw new Error("a write transaction cannot join a snapshot read");
    return work(joined.tx);
  }
  const kind = options.snapshot ? "snapshot" : "write";
  if (ENGINE === "postgres") return runPg(work, kind) as T;
  const queue = queues[kind];
  // An async callback waits its turn; a synchronous one cannot, so it runs now or is refused.
  if (work.constructor.name === "AsyncFunction") return runAsync(work as (tx: Db) => Promise<unknown>, kind, queue) as T;
  if (!queue.idle) throw new Error("a synchronous transaction cannot wait for the open one: make its callback async");
  return runSync(work, kind, queue);
}

async function runAsync<T>(work: (tx: Db) => Promise<T>, kind: Scope["kind"], queue: Queue): Promise<T> {
  await queue.acquire();
  const tx = open()[kind === "write" ? "writer" : "snapshot"];
  const run: Scope = { tx, kind, afterCommit: [], open: true };
  let result: T;
  try {
    if (kind === "write") await beginImmediate(tx);
    else tx.$client.exec("BEGIN DEFERRED");
    try {
      result = await scope.run(run, () => work(tx));
      run.open = false;
      tx.$client.exec("COMMIT");
    } catch (error) {
      run.open = false;
      rollback(tx);
      throw error;
    }
  } catch (error) {
    queue.release();
    throw error;
  }
  finish(run, queue);
  return result;
}

/** A synchronous callback (nothing of it awaits) commits before `transaction()` returns. */
function runSync<T>(work: (tx: Db) => T, kind: Scope["kind"], queue: Queue): T {
  queue.tryAcquire();
  const tx = open()[kind === "write" ? "writer" : "snapshot"];
  const run: Scope = { tx, kind, afterCommit: [], open: true };
  let result: T;
  try {
    if (kind === "write") beginImmediateSync(tx);
    else tx.$client.exec("BEGIN DEFERRED");
    result = scope.run(run, () => work(tx));
  } catch (error) {
    run.open = false;
    rollback(tx);
    queue.release();
    throw error;
  }
  if (isThenable(result)) {
    // A plain function that returned a promise: the transaction stays open until it settles.
    return Promise.resolve(result).then(
      (value) => {
        run.open = false;
        commit(tx, run, queue);
        return value;
      },
      (error: unknown) => {
        run.open = false;
        rollback(tx);
        queue.release();
        throw error;
      },
    ) as T;
  }
  run.open = false;
  commit(tx, run, queue);
  return result;
}

/** COMMIT, then the after-commit callbacks; a COMMIT that fails rolls back and frees the connection. */
function commit(tx: Db, run: Scope, queue: Queue) {
  try {
    tx.$client.exec("COMMIT");
  } catch (error) {
    rollback(tx);
    queue.release();
    throw error;
  }
  finish(run, queue);
}

/** How many times a PostgreSQL write transaction is run again after a serialization failure or deadlock. */
const PG_ATTEMPTS = 30;

/**
 * SQLSTATE 40001 (could not serialize) and 40P01 (deadlock): the transaction did nothing and may
 * run again. Drizzle wraps the driver's error ("Failed query: …") with it as the cause.
 */
export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code === "40001" || code === "40P01";
}

/** The SQLSTATE of a PostgreSQL error, also when Drizzle wrapped it ("Failed query: …", the driver's error as cause). */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * How many times a write transaction that failed on a unique constraint (23505) is run again. Two
 * transactions inserting the same key at once: on SQLite the second waits for the first and then
 * sees its row (the service takes its "already there" path); on PostgreSQL, unless the second had
 * read that key before (then it is a 40001), it fails on the constraint. Run again, it sees the
 * committed row and ends as on SQLite. A violation that is still there on the next run is real.
 */
const PG_UNIQUE_ATTEMPTS = 3;

/**
 * A transaction on PostgreSQL. Writes run SERIALIZABLE: PostgreSQL lets them run side by side
 * and fails one that could not have run as if alone (SQLSTATE 40001), which is rolled back and run
 * again from the start, with a short random wait, up to PG_ATTEMPTS times. That gives what the
 * IMMEDIATE transaction gives on SQLite: a read-modify-write sees nothing interleave. A callback
 * may therefore run more than once: it must not do anything outside the database before it
 * returns except through `publishAfterCommit`, which runs only for the attempt that committed.
 * A snapshot read runs REPEATABLE READ READ ONLY: one moment across every query, no locks.
 */
async function runPg<T>(work: (tx: Db) => T | Promise<T>, kind: Scope["kind"]): Promise<T> {
  const { pool: connections } = openPool();
  for (let attempt = 1; ; attempt++) {
    const client = await connections.connect();
    const tx = onClient(client);
    const run: Scope = { tx, kind, afterCommit: [], open: true };
    let result: T;
    try {
      await client.query(kind === "write" ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      result = await scope.run(run, () => work(tx));
      run.open = false;
      await client.query("COMMIT");
    } catch (error) {
      run.open = false;
      let broken: Error | undefined;
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      client.release(broken);
      const again = isRetryable(error) ? attempt < PG_ATTEMPTS : sqlState(error) === "23505" && attempt < PG_UNIQUE_ATTEMPTS;
      if (kind === "write" && again) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 100)));
        continue;
      }
      throw error;
    }
    client.release();
    for (const callback of run.afterCommit) callback();
    return result;
  }
}

/**
 * The one after-commit mechanism: runs `callback` once the current transaction has committed,
 * and never if it rolls back. Outside a transaction it runs at once. Live events and the mail
 * sender's wake-up go through this.
 */
export function publishAfterCommit(callback: () => void) {
  const run = scope.getStore();
  if (run?.open) run.afterCommit.push(callback);
  else callback();
}
