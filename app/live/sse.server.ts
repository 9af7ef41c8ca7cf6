import { liveBus, type LiveEvent } from "./bus";

const HEARTBEAT_MS = 25_000;
const encoder = new TextEncoder();

/** Each event is encoded once, however many streams it goes to. */
const frames = new WeakMap<LiveEvent, Uint8Array>();
function frame(event: LiveEvent) {
  let bytes = frames.get(event);
  if (!bytes) {
    bytes = encoder.encode(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    frames.set(event, bytes);
  }
  return bytes;
}

/**
 * A Server-Sent Events response for one jam: first what the client missed
 * (after Last-Event-ID), then every new event until the client goes away.
 */
export function jamEventStream(request: Request, jamId: number): Response {
  const header = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  const lastId = header && /^\d+$/.test(header) ? Number(header) : null;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: Uint8Array) => {
        try {
          controller.enqueue(chunk);
        } catch {
          cleanup();
        }
      };
      send(encoder.encode(`retry: 3000\n: connected\n\n`));
      // What happens next, or, after a replay of what the client missed, what comes after that.
      let after: number | undefined;
      if (lastId !== null) {
        const missed = liveBus.since(jamId, lastId);
        if (missed === null) send(encoder.encode(`event: reset\ndata: {}\n\n`));
        else {
          for (const event of missed) send(frame(event));
          after = missed.at(-1)?.id ?? lastId;
        }
      }
      const unsubscribe = liveBus.subscribe(jamId, (event) => send(frame(event)), after);
      const heartbeat = setInterval(() => send(encoder.encode(`: keep-alive\n\n`)), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        cleanup = () => {};
      };
      const close = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
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
