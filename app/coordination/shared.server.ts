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
 * A PostgreSQL mode supplies the same calls (LISTEN/NOTIFY can replace the poll).
 */
import type Database from "better-sqlite3";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { transaction, type Db } from "~db/client";

/** This process, as a lease holder: host, pid and a random part (a restarted pid is another holder). */
export const PROCESS_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** How many of the newest live events are kept for replay; older ones are pruned. */
export const LIVE_EVENTS_KEPT = 10_000;
const PRUNE_EVERY = 256;

export interface SharedEvent {
  id: number;
  jamId: number;
  type: string;
  data: Record<string, unknown>;
  at: number;
}

interface Statements {
  append: Database.Statement;
  prune: Database.Statement;
  after: Database.Statement;
  jamAfter: Database.Statement;
  newest: Database.Statement;
  newestOfJam: Database.Statement;
  oldest: Database.Statement;
  hitsOf: Database.Statement;
  saveHits: Database.Statement;
  sweepHits: Database.Statement;
  lease: Database.Statement;
  sweepStreams: Database.Statement;
  countStreams: Database.Statement;
  saveStream: Database.Statement;
  dropStream: Database.Statement;
}

const prepared = new WeakMap<Database.Database, Statements>();
function statements(conn: Db): Statements {
  const client = conn.$client;
  let s = prepared.get(client);
  if (!s) {
    s = {
      append: client.prepare("INSERT INTO live_events (jam_id, type, data, at) VALUES (?, ?, ?, ?)"),
      prune: client.prepare("DELETE FROM live_events WHERE id <= ?"),
      after: client.prepare("SELECT id, jam_id AS jamId, type, data, at FROM live_events WHERE id > ? ORDER BY id LIMIT ?"),
      jamAfter: client.prepare("SELECT id, jam_id AS jamId, type, data, at FROM live_events WHERE jam_id = ? AND id > ? ORDER BY id LIMIT ?"),
      newest: client.prepare("SELECT coalesce(max(id), 0) AS id FROM live_events").pluck(),
      newestOfJam: client.prepare("SELECT coalesce(max(id), 0) AS id FROM live_events WHERE jam_id = ?").pluck(),
      oldest: client.prepare("SELECT min(id) AS id FROM live_events").pluck(),
      hitsOf: client.prepare("SELECT hits FROM rate_hits WHERE key = ?").pluck(),
      saveHits: client.prepare(
        "INSERT INTO rate_hits (key, hits, last_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET hits = excluded.hits, last_at = excluded.last_at",
      ),
      sweepHits: client.prepare("DELETE FROM rate_hits WHERE last_at <= ?"),
      lease: client.prepare(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      ),
      sweepStreams: client.prepare("DELETE FROM live_streams WHERE expires_at <= ?"),
      countStreams: client.prepare("SELECT count(*) FROM live_streams WHERE user_id = ? AND expires_at > ?").pluck(),
      saveStream: client.prepare(
        "INSERT INTO live_streams (id, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at",
      ),
      dropStream: client.prepare("DELETE FROM live_streams WHERE id = ?"),
    };
    prepared.set(client, s);
  }
  return s;
}

function parse(row: { id: number; jamId: number; type: string; data: string; at: number }): SharedEvent {
  return { id: row.id, jamId: row.jamId, type: row.type, data: JSON.parse(row.data) as Record<string, unknown>, at: row.at };
}

/** Stores an event; returns its id (its place in the one order every process delivers in). */
export function appendEvent(conn: Db, jamId: number, type: string, data: Record<string, unknown>, at: number): number {
  const s = statements(conn);
  const id = Number(s.append.run(jamId, type, JSON.stringify(data), at).lastInsertRowid);
  if (id % PRUNE_EVERY === 0) s.prune.run(id - LIVE_EVENTS_KEPT);
  return id;
}

/** Every event after `afterId`, oldest first, at most `limit`. */
export function eventsAfter(conn: Db, afterId: number, limit: number): SharedEvent[] {
  return (statements(conn).after.all(afterId, limit) as Parameters<typeof parse>[0][]).map(parse);
}

/**
 * One jam's events after `afterId`, oldest first; null when they are no longer all kept, or when
 * `afterId` is newer than any event (the database was replaced): the browser reloads instead.
 */
export function jamEventsAfter(conn: Db, jamId: number, afterId: number): SharedEvent[] | null {
  const s = statements(conn);
  const newest = s.newest.get() as number;
  if (afterId > newest) return null;
  const oldest = (s.oldest.get() as number | null) ?? newest + 1;
  if (afterId + 1 < oldest) return null;
  return (s.jamAfter.all(jamId, afterId, LIVE_EVENTS_KEPT + PRUNE_EVERY) as Parameters<typeof parse>[0][]).map(parse);
}

/** The newest event's id (0 before any). */
export function newestEventId(conn: Db): number {
  return statements(conn).newest.get() as number;
}

/** The newest event of one jam, from any process (0 when it has none kept). */
export function newestJamEventId(conn: Db, jamId: number): number {
  return statements(conn).newestOfJam.get(jamId) as number;
}

/**
 * Reads a key's recent hits and, in the caller's IMMEDIATE transaction `tx` (no other process can
 * count in between), stores what `update` returns: new hits, or null to keep them as they were.
 */
export function updateHits<T>(tx: Db, key: string, now: number, update: (hits: number[]) => { hits: number[] | null; result: T }): T {
  const s = statements(tx);
  const stored = s.hitsOf.get(key) as string | undefined;
  const { hits, result } = update(stored ? (JSON.parse(stored) as number[]) : []);
  if (hits) s.saveHits.run(key, JSON.stringify(hits), hits.length > 0 ? hits[hits.length - 1]! : now);
  return result;
}

/** Drops the keys whose newest hit is at or before `before`. */
export function sweepHits(conn: Db, before: number) {
  statements(conn).sweepHits.run(before);
}

/**
 * Takes (or renews) the lease `name` for this process until `now + ttlMs`, if nobody else holds
 * it unexpired. True when this process holds it now.
 */
export function tryLease(conn: Db, name: string, ttlMs: number, now: number = Date.now()): boolean {
  return statements(conn).lease.run(name, PROCESS_ID, now + ttlMs, now).changes > 0;
}

/**
 * Registers a live stream of `userId` until `now + ttlMs`, unless the person already has `max`
 * unexpired ones open in any process: returns the registration's id, or null. Registrations that
 * expired (their process died, or stopped renewing them) are dropped first. One IMMEDIATE
 * transaction, so two processes cannot both take the last place.
 */
export async function openStreamSlot(userId: number, max: number, ttlMs: number, now: number = Date.now()): Promise<string | null> {
  return await transaction(async (tx) => {
    const s = statements(tx);
    s.sweepStreams.run(now);
    if ((s.countStreams.get(userId, now) as number) >= max) return null;
    const id = `${PROCESS_ID}:${randomBytes(8).toString("hex")}`;
    s.saveStream.run(id, userId, now + ttlMs);
    return id;
  });
}

/** Keeps a stream's registration until `now + ttlMs` (registers it again if it had expired meanwhile). */
export function renewStreamSlot(conn: Db, id: string, userId: number, ttlMs: number, now: number = Date.now()) {
  statements(conn).saveStream.run(id, userId, now + ttlMs);
}

/** The stream has ended: its place is free at once. */
export function closeStreamSlot(conn: Db, id: string) {
  statements(conn).dropStream.run(id);
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
