import { liveBus, type LiveEvent } from "./bus";

const HEARTBEAT_MS = 25_000;
const encoder = new TextEncoder();

function frameText(event: LiveEvent) {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A turn's events as one chunk, encoded once however many streams it goes to (the bus hands every stream the same list). */
const turns = new WeakMap<readonly LiveEvent[], Uint8Array>();
function frames(events: readonly LiveEvent[]) {
  let bytes = turns.get(events);
  if (!bytes) {
    bytes = encoder.encode(events.map(frameText).join(""));
    turns.set(events, bytes);
  }
  return bytes;
}

/** How a stream keeps checking that its reader may still read it. */
export interface StreamAccess {
  /** Whether the reader may still receive the jam's events (a failure counts as no); the stream ends when not. */
  stillAllowed(): boolean | Promise<boolean>;
  /** How often to ask; it is also asked before every jam.changed event is sent. */
  everyMs: number;
  /** Called once when the stream ends, however it ends. */
  onEnd(): void;
}

async function allowed(access: StreamAccess | undefined) {
  if (!access) return true;
  try {
    return await access.stillAllowed();
  } catch (error) {
    console.error("live stream access check failed", error);
    return false;
  }
}

/**
 * A Server-Sent Events response for one jam: first what the client missed
 * (after Last-Event-ID), then every new event until the client goes away, or until
 * `access` says the reader may no longer read it.
 */
export function jamEventStream(request: Request, jamId: number, access?: StreamAccess): Response {
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  const lastId = header && /^\d+$/.test(header) ? Number(header) : null;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Uint8Array) => {
        try {
          controller.enqueue(chunk);
        } catch {
          cleanup();
        }
      };
      // What happens next, or, after a replay of what the client missed, what comes after that.
      // The first bytes go out once the stream listens: nothing published after them is missed.
      let after: number | undefined;
      let first = `retry: 3000\n: connected\n\n`;
      let replay: Uint8Array | null = null;
      if (lastId !== null) {
        const missed = await liveBus.since(jamId, lastId);
        if (missed === null) first += `event: reset\ndata: {}\n\n`;
        else {
          if (missed.length > 0) replay = frames(missed);
          after = missed.at(-1)?.id ?? lastId;
        }
      }
      let ended = false;
      const close = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      // The access check is async: turns go out one after the other, in the order they came.
      let turns: Promise<void> = Promise.resolve();
      const unsubscribe = await liveBus.subscribe(
        jamId,
        (events) => {
          turns = turns.then(async () => {
            if (ended) return;
            // A change to the jam (back to draft, say) may end the reader's access: check before telling them.
            if (events.some((event) => event.type === "jam.changed") && !(await allowed(access))) return close();
            send(frames(events));
          });
        },
        after,
      );
      send(encoder.encode(first));
      if (replay) send(replay);
      const heartbeat = setInterval(() => send(encoder.encode(`: keep-alive\n\n`)), HEARTBEAT_MS);
      const recheck = access ? setInterval(() => void allowed(access).then((ok) => ok || close()), access.everyMs) : undefined;
      cleanup = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        access?.onEnd();
      };
      if (request.signal.aborted) close();
      else request.signal.addEventListener("abort", close);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
