/**
 * What the server processes share. `npm start` runs one server process per core on one SQLite
 * file; whatever one process must learn from another goes through these few calls, backed by
 * tables of that file (db/schema/shared.ts):
 *
 * - live events: `appendEvent` gives each event its place in one order across processes;
 *   every process reads what is new with `eventsAfter` (a poll, see app/live/bus.ts) and a
 *   reconnecting browser's missed events come from `jamEventsAfter`;
 * - counts: `updateHits` reads and rewrites a key's recent hits in one IMMEDIATE transaction
 *   (rate limits hold across processes);
 * - leases: `tryLease` lets one process at a time do a piece of background work;
 * - live streams: `openStreamSlot` counts a person's open streams across processes, each stream
 *   renewing its registration while it runs (`renewStreamSlot`), so one whose process died expires.
 *
 * On PostgreSQL the same calls run on its tables, and a committed live event wakes the other server
 * processes through NOTIFY (app/live/bus.ts listens).
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { ENGINE, transaction, type Db } from "~db/client";

/** This process, as a lease holder: host, pid and a random part (a restarted pid is another holder). */
export const PROCESS_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** How many of the newest live events are kept for replay; older ones are pruned. */
export const LIVE_EVENTS_KEPT = 10_000;
const PRUNE_EVERY = 256;

/** The channel a PostgreSQL server process listens on for other processes' live events (app/live/bus.ts). */
export const LIVE_CHANNEL = "jamboree_live";

/**
 * On PostgreSQL, appending a live event takes this transaction-level advisory lock first, so events
 * commit in the order of their ids: a process that has delivered up to id N never sees an N - 1
 * commit after it. It is held from the append to the commit (the end of the command).
 */
const LIVE_ORDER_LOCK = 0x6a616d; // "jam"

export interface SharedEvent {
  id: number;
  jamId: number;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

/** The statements, written once for both engines: `?` placeholders, quoted camelCase aliases. */
const SQL = {
  append: 'INSERT INTO live_events (jam_id, type, data, at) VALUES (?, ?, ?, ?) RETURNING id',
  prune: "DELETE FROM live_events WHERE id <= ?",
  after: 'SELECT id, jam_id AS "jamId", type, data, at FROM live_events WHERE id > ? ORDER BY id LIMIT ?',
  jamAfter: 'SELECT id, jam_id AS "jamId", type, data, at FROM live_events WHERE jam_id = ? AND id > ? ORDER BY id LIMIT ?',
  newest: "SELECT coalesce(max(id), 0) AS n FROM live_events",
  newestOfJam: "SELECT coalesce(max(id), 0) AS n FROM live_events WHERE jam_id = ?",
  oldest: "SELECT min(id) AS n FROM live_events",
  hitsOf: "SELECT hits FROM rate_hits WHERE key = ?",
  saveHits:
    "INSERT INTO rate_hits (key, hits, last_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET hits = excluded.hits, last_at = excluded.last_at",
  sweepHits: "DELETE FROM rate_hits WHERE last_at <= ?",
  lease: `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
          ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  sweepStreams: "DELETE FROM live_streams WHERE expires_at <= ?",
  countStreams: "SELECT count(*) AS n FROM live_streams WHERE user_id = ? AND expires_at > ?",
  saveStream: "INSERT INTO live_streams (id, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at",
  dropStream: "DELETE FROM live_streams WHERE id = ?",
} as const;

/**
 * On PostgreSQL the append is one statement (one round trip, not three): the order lock is taken in
 * the subquery the row is selected from, so before the row's id is drawn from the sequence (a
 * subquery calling a volatile function is run as it stands, not merged into the outer one), and the
 * NOTIFY goes with RETURNING (it is sent when the transaction commits, never for a rollback).
 */
const PG_APPEND =
  "INSERT INTO live_events (jam_id, type, data, at) SELECT ?, ?, ?, ? FROM (SELECT pg_advisory_xact_lock(?)) AS ordered RETURNING id, pg_notify(?, id::text)";

type Row = Record<string, unknown>;
const pgTexts = new Map<string, string>();

/**
 * Runs one of the statements above on `conn` (a connection or a transaction): on SQLite through
 * the connection's cached prepared statement, on PostgreSQL through its client with `$1`… placeholders.
 */
async function run(conn: Db, text: string, params: unknown[]): Promise<{ rows: Row[]; changes: number }> {
  if (ENGINE === "postgres") {
    let pgText = pgTexts.get(text);
    if (!pgText) {
      let n = 0;
      pgTexts.set(text, (pgText = text.replace(/\?/g, () => `$${++n}`)));
    }
    const result = await (conn.$client as unknown as pg.Pool).query(pgText, params);
    return { rows: result.rows as Row[], changes: result.rowCount ?? 0 };
  }
  const statement = conn.$client.prepare(text);
  if (statement.reader) return { rows: statement.all(...params) as Row[], changes: 0 };
  return { rows: [], changes: statement.run(...params).changes };
}

async function one(conn: Db, text: string, params: unknown[] = []): Promise<Row | undefined> {
  return (await run(conn, text, params)).rows[0];
}

function parse(row: Row): SharedEvent {
  return { id: Number(row.id), jamId: Number(row.jamId), type: String(row.type), data: JSON.parse(String(row.data)) as Record<string, unknown>, at: Number(row.at) };
}

/**
 * Stores an event in the caller's transaction `tx`; returns its id (its place in the one order every
 * process delivers in). On PostgreSQL the other server processes are woken when it commits (NOTIFY
 * is delivered at commit, and never for a rollback).
 */
export async function appendEvent(tx: Db, jamId: number, type: string, data: Record<string, unknown>, at: number): Promise<number> {
  // Outside a transaction (the pool, not one client of it) the order lock would end with its own
  // statement, before the event is stored: the lock, the event and the NOTIFY get a transaction.
  if (ENGINE === "postgres" && tx.$client instanceof pg.Pool) return await transaction(async (own) => await appendEvent(own, jamId, type, data, at));
  const id = Number(
    (ENGINE === "postgres"
      ? await one(tx, PG_APPEND, [jamId, type, JSON.stringify(data), at, LIVE_ORDER_LOCK, LIVE_CHANNEL])
      : await one(tx, SQL.append, [jamId, type, JSON.stringify(data), at]))!.id,
  );
  if (id % PRUNE_EVERY === 0) await run(tx, SQL.prune, [id - LIVE_EVENTS_KEPT]);
  return id;
}

/** Every event after `afterId`, oldest first, at most `limit`. */
export async function eventsAfter(conn: Db, afterId: number, limit: number): Promise<SharedEvent[]> {
  return (await run(conn, SQL.after, [afterId, limit])).rows.map(parse);
}

/**
 * One jam's events after `afterId`, oldest first; null when they are no longer all kept, or when
 * `afterId` is newer than any event (the database was replaced): the browser reloads instead.
 */
export async function jamEventsAfter(conn: Db, jamId: number, afterId: number): Promise<SharedEvent[] | null> {
  const newest = await newestEventId(conn);
  if (afterId > newest) return null;
  const oldestRow = await one(conn, SQL.oldest);
  const oldest = oldestRow?.n == null ? newest + 1 : Number(oldestRow.n);
  if (afterId + 1 < oldest) return null;
  return (await run(conn, SQL.jamAfter, [jamId, afterId, LIVE_EVENTS_KEPT + PRUNE_EVERY])).rows.map(parse);
}

/** The newest event's id (0 before any). */
export async function newestEventId(conn: Db): Promise<number> {
  return Number((await one(conn, SQL.newest))!.n);
}

/** The newest event of one jam, from any process (0 when it has none kept). */
export async function newestJamEventId(conn: Db, jamId: number): Promise<number> {
  return Number((await one(conn, SQL.newestOfJam, [jamId]))!.n);
}

/**
 * Reads a key's recent hits and, in the caller's transaction `tx` (IMMEDIATE on SQLite, SERIALIZABLE
 * on PostgreSQL: no other process can count in between), stores what `update` returns: new hits,
 * or null to keep them as they were.
 */
export async function updateHits<T>(tx: Db, key: string, now: number, update: (hits: number[]) => { hits: number[] | null; result: T }): Promise<T> {
  const stored = (await one(tx, SQL.hitsOf, [key]))?.hits as string | undefined;
  const { hits, result } = update(stored ? (JSON.parse(stored) as number[]) : []);
  if (hits) await run(tx, SQL.saveHits, [key, JSON.stringify(hits), hits.length > 0 ? hits[hits.length - 1]! : now]);
  return result;
}

/** Drops the keys whose newest hit is at or before `before`. */
export async function sweepHits(conn: Db, before: number) {
  await run(conn, SQL.sweepHits, [before]);
}

/**
 * Takes (or renews) the lease `name` for this process until `now + ttlMs`, if nobody else holds
 * it unexpired. True when this process holds it now.
 */
export async function tryLease(conn: Db, name: string, ttlMs: number, now: number = Date.now()): Promise<boolean> {
  return (await run(conn, SQL.lease, [name, PROCESS_ID, now + ttlMs, now])).changes > 0;
}

/**
 * Registers a live stream of `userId` until `now + ttlMs`, unless the person already has `max`
 * unexpired ones open in any process: returns the registration's id, or null. Registrations that
 * expired (their process died, or stopped renewing them) are dropped first. One IMMEDIATE
 * transaction, so two processes cannot both take the last place.
 */
export async function openStreamSlot(userId: number, max: number, ttlMs: number, now: number = Date.now()): Promise<string | null> {
  return await transaction(async (tx) => {
    await run(tx, SQL.sweepStreams, [now]);
    if (Number((await one(tx, SQL.countStreams, [userId, now]))!.n) >= max) return null;
    const id = `${PROCESS_ID}:${randomBytes(8).toString("hex")}`;
    await run(tx, SQL.saveStream, [id, userId, now + ttlMs]);
    return id;
  });
}

/** Keeps a stream's registration until `now + ttlMs` (registers it again if it had expired meanwhile). */
export async function renewStreamSlot(conn: Db, id: string, userId: number, ttlMs: number, now: number = Date.now()) {
  await run(conn, SQL.saveStream, [id, userId, now + ttlMs]);
}

/** The stream has ended: its place is free at once. */
export async function closeStreamSlot(conn: Db, id: string) {
  await run(conn, SQL.dropStream, [id]);
}

/**
 * Whether the process named by a holder id (PROCESS_ID's `host:pid:random`) has certainly died: it
 * ran on this machine and no process has its pid any more. A holder on another machine, or a pid
 * now in use (perhaps by another process), counts as alive: its claim simply runs out.
 */
export function holderIsGone(holder: string): boolean {
  const [host, pidText] = holder.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // This very pid: either this process, or an earlier one that had the same pid and is gone.
  if (pid === process.pid) return holder !== PROCESS_ID;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
