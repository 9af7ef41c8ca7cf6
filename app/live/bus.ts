/**
 * The live event bus. Services publish inside their transaction: the event is written in the
 * same commit and delivered once it has committed (db/client.ts `publishAfterCommit`); SSE streams
 * subscribe per jam. Events go through the shared store
 * (app/coordination/shared.server.ts), which gives each its place in one order across every
 * server process: each process polls for what is new and delivers it to its own streams in that
 * order, and a reconnecting client gets what it missed (Last-Event-ID) from any process. A
 * process delivers its own events as soon as the request that made them has answered.
 *
 * On PostgreSQL (several servers) a process LISTENs on one channel while it has streams: a
 * committed event NOTIFYs it (app/coordination/shared.server.ts) and it reads what is new at once;
 * the poll stays, slower, for whatever a dropped listening connection missed.
 */
import pg from "pg";
import { appendEvent, eventsAfter, jamEventsAfter, LIVE_CHANNEL, newestEventId, newestJamEventId } from "~/coordination/shared.server";
import { db, ENGINE, publishAfterCommit, type Db } from "~db/client";
import { coalesce } from "./coalesce";

export type LiveEventType =
  | "idea.created"
  | "idea.changed"
  | "comment.created"
  | "vote.changed"
  | "points.changed"
  | "announcement.created"
  | "jam.changed"
  /** Flags and hand-off notes changed: carries no data (staff pages refresh their own). */
  | "moderation.changed";

export interface LiveEvent {
  id: number;
  jamId: number;
  type: LiveEventType;
  data: Record<string, unknown>;
  at: number;
}

/** Receives one turn's new events of its jam, in order, coalesced (`coalesce`): one call, one write per stream. */
type Listener = (events: readonly LiveEvent[]) => void;

/** How often a process looks for other processes' events (on PostgreSQL NOTIFY wakes it sooner). */
const POLL_MS = ENGINE === "postgres" ? 1_000 : 50;
/** How long a PostgreSQL listener waits before it reconnects after losing its connection. */
const RELISTEN_MS = 500;
/** At most this many events delivered per look (the rest at the next). */
const POLL_BATCH = 2_000;

class LiveBus {
  /** Per jam, each listener and the id after which it wants events. */
  private readonly listeners = new Map<number, Map<Listener, number>>();
  /** The connection the position below belongs to (tests switch databases). */
  /** The database (its file) the positions are in: a transaction and a read use different connections to it. */
  private database: string | null = null;
  private delivered = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private soon: ReturnType<typeof setImmediate> | null = null;
  /** A look in progress, and whether another is wanted after it (looks never overlap). */
  private looking: Promise<void> | null = null;
  private lookAgain = false;
  private listener: pg.Client | null = null;

  /**
   * Stores an event and delivers it once the current transaction commits (at once outside one).
   * Inside a transaction the event is written with the change itself, in the same commit: a
   * rollback takes both away, and nobody hears of what did not happen.
   */
  async publish(tx: Db, jamId: number, type: LiveEventType, data: Record<string, unknown>): Promise<LiveEvent> {
    const at = Date.now();
    const id = await appendEvent(tx, jamId, type, data, at);
    // A process that has not read the newest id of this database yet starts just before its own event.
    if (this.database !== databaseOf(tx)) {
      this.database = databaseOf(tx);
      this.delivered = id - 1;
    }
    publishAfterCommit(() => {
      if (this.listeners.size > 0) this.deliverSoon();
      else this.delivered = Math.max(this.delivered, id);
    });
    return { id, jamId, type, data, at };
  }

  /**
   * Listens to a jam's events after `after` (default: the newest event now, so a new listener
   * starts with what happens next; a stream that replayed missed events passes the last one).
   */
  async subscribe(jamId: number, listener: Listener, after?: number): Promise<() => void> {
    after ??= await this.newest();
    await this.follow(db());
    const set = this.listeners.get(jamId) ?? new Map<Listener, number>();
    // Nobody was listening here: the position starts at this listener's (what came before was not waited for).
    if (this.listeners.size === 0) this.delivered = after;
    set.set(listener, after);
    this.listeners.set(jamId, set);
    this.startPolling();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jamId);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** The newest event id of the current database. */
  async newest(): Promise<number> {
    const conn = db();
    await this.follow(conn);
    return await newestEventId(conn);
  }

  /**
   * Delivers every event stored since the last look to this process's listeners: per jam, the
   * turn's events in id order, coalesced, in one call. Runs every POLL_MS, right after a
   * publish of this process has committed, and on PostgreSQL when another process's event is
   * NOTIFYed. One look at a time: a call during a look makes one more look after it.
   */
  async poll(): Promise<void> {
    if (this.looking) {
      this.lookAgain = true;
      return await this.looking;
    }
    this.looking = (async () => {
      try {
        do {
          this.lookAgain = false;
          await this.look();
        } while (this.lookAgain);
      } finally {
        this.looking = null;
      }
    })();
    return await this.looking;
  }

  private async look() {
    const conn = db();
    await this.follow(conn);
    for (;;) {
      const batch = (await eventsAfter(conn, this.delivered, POLL_BATCH)) as LiveEvent[];
      if (batch.length === 0) return;
      this.delivered = batch[batch.length - 1]!.id;
      const byJam = new Map<number, LiveEvent[]>();
      for (const event of batch) {
        if (!this.listeners.has(event.jamId)) continue;
        const events = byJam.get(event.jamId);
        if (events) events.push(event);
        else byJam.set(event.jamId, [event]);
      }
      for (const [jamId, events] of byJam) {
        // One list for every listener that is past none of it: a stream can encode it once for all.
        const turn = coalesce(events);
        for (const [listener, after] of this.listeners.get(jamId) ?? []) {
          const due = after < turn[0]!.id ? turn : turn.filter((event) => event.id > after);
          if (due.length === 0) continue;
          try {
            listener(due);
          } catch (error) {
            console.error("live listener failed", error);
          }
        }
      }
      if (batch.length < POLL_BATCH) return;
    }
  }

  /**
   * Resolves once every delivery this process has scheduled or started has run: a publish that
   * committed has then reached this process's listeners. On SQLite a look reads synchronously and
   * is over within the turn after the commit; on PostgreSQL its reads take their own time.
   */
  async settled(): Promise<void> {
    for (;;) {
      if (this.soon) await new Promise<void>((resolve) => setImmediate(resolve));
      else if (this.looking) await this.looking.catch(() => {});
      else return;
    }
  }

  /**
   * Delivers this process's own new events right after the current request has answered
   * (setImmediate): the person who posted does not wait for thousands of streams to be written.
   */
  private deliverSoon() {
    if (this.soon) return;
    this.soon = setImmediate(() => {
      this.soon = null;
      this.poll().catch((error: unknown) => console.error("live delivery failed", error));
    });
  }

  /** Starts from the newest event of the current database (a new process, or a test's new database). */
  private async follow(conn: Db) {
    const database = databaseOf(conn);
    if (database !== this.database) {
      this.delivered = await newestEventId(conn);
      this.database = database;
    }
  }

  /** A process looks for other processes' events while it has streams to deliver them to. */
  private startPolling() {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.poll().catch((error: unknown) => console.error("live poll failed", error));
    }, POLL_MS);
    this.timer.unref();
    if (ENGINE === "postgres") this.listen();
  }

  private stopPolling() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const listener = this.listener;
    this.listener = null;
    listener?.end().catch(() => {});
  }

  /**
   * PostgreSQL: LISTEN on the live channel on a connection of its own (a pooled one would be
   * handed to others). A lost connection is made again after RELISTEN_MS while streams are open,
   * and a look then delivers whatever was committed meanwhile.
   */
  private listen() {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    this.listener = client;
    const again = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => {});
      setTimeout(() => {
        if (this.timer && !this.listener) this.listen();
      }, RELISTEN_MS).unref();
    };
    client.on("notification", () => this.deliverSoon());
    client.on("error", again);
    client.on("end", again);
    client
      .connect()
      .then(() => client.query(`LISTEN ${LIVE_CHANNEL}`))
      .then(() => this.deliverSoon())
      .catch(again);
  }

  /**
   * The jam's events after `lastId`, or null when they are no longer all kept (or
   * `lastId` is newer than any): the client should reload instead of replaying.
   */
  async since(jamId: number, lastId: number): Promise<LiveEvent[] | null> {
    return (await jamEventsAfter(db(), jamId, lastId)) as LiveEvent[] | null;
  }

  /**
   * The id of the jam's latest event, from any process (0 when it has none kept): whatever
   * changes a jam publishes, so a cache can tell it is stale.
   */
  async lastEventId(conn: Db, jamId: number): Promise<number> {
    await this.follow(conn);
    return await newestJamEventId(conn, jamId);
  }

  subscriberCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

const globalKey = Symbol.for("jamboree.liveBus");
const holder = globalThis as unknown as Record<symbol, LiveBus | undefined>;
/** One bus per process (kept across development reloads). */
export const liveBus: LiveBus = (holder[globalKey] ??= new LiveBus());

/** Publishes inside the caller's transaction (`tx`): stored with its change, delivered once it commits. */
export async function publish(tx: Db, jamId: number, type: LiveEventType, data: Record<string, unknown>) {
  return await liveBus.publish(tx, jamId, type, data);
}

/** Which database a connection is on: the SQLite file, or the PostgreSQL URL (tests switch databases). */
function databaseOf(conn: Db): string {
  return ENGINE === "postgres" ? (process.env.DATABASE_URL ?? "") : conn.$client.name;
}

/**
 * Where a page's data stands in the live stream: read by a loader before it reads anything else,
 * the page opens its stream from here, so what changed while the page was rendered and loaded
 * in the browser is replayed to it instead of lost.
 */
export async function livePosition(): Promise<number> {
  return await liveBus.newest();
}
