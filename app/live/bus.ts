/**
 * The in-process live event bus. Services publish after their transaction
 * commits (db/client.ts `onCommit`); SSE streams subscribe per jam. The last
 * events are kept so a reconnecting client gets what it missed (Last-Event-ID).
 * Everything goes through `publish`, so a cross-process channel is an addition.
 */
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

type Listener = (event: LiveEvent) => void;

const BUFFER_SIZE = 2000;

class LiveBus {
  private nextId = 1;
  private readonly buffer: LiveEvent[] = [];
  private readonly listeners = new Map<number, Set<Listener>>();
  private readonly latestByJam = new Map<number, number>();
  /** Ids restart with the process; a client holding a newer id than we know starts over. */
  readonly epoch = Date.now().toString(36);

  publish(jamId: number, type: LiveEventType, data: Record<string, unknown>): LiveEvent {
    const event: LiveEvent = { id: this.nextId++, jamId, type, data, at: Date.now() };
    this.buffer.push(event);
    this.latestByJam.set(jamId, event.id);
    if (this.buffer.length > BUFFER_SIZE) this.buffer.splice(0, this.buffer.length - BUFFER_SIZE);
    for (const listener of this.listeners.get(jamId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        console.error("live listener failed", error);
      }
    }
    return event;
  }

  subscribe(jamId: number, listener: Listener): () => void {
    const set = this.listeners.get(jamId) ?? new Set();
    set.add(listener);
    this.listeners.set(jamId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jamId);
    };
  }

  /**
   * The jam's events after `lastId`, or null when they are no longer all in the
   * buffer (the client should reload instead of replaying).
   */
  since(jamId: number, lastId: number): LiveEvent[] | null {
    if (lastId >= this.nextId) return null;
    const oldest = this.buffer[0]?.id ?? this.nextId;
    if (lastId + 1 < oldest) return null;
    return this.buffer.filter((e) => e.id > lastId && e.jamId === jamId);
  }

  /** The id of the jam's latest event (0 when it has had none): whatever changes a jam publishes, so a cache can tell it is stale. */
  lastEventId(jamId: number): number {
    return this.latestByJam.get(jamId) ?? 0;
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

export function publish(jamId: number, type: LiveEventType, data: Record<string, unknown>) {
  return liveBus.publish(jamId, type, data);
}
