// Admission control for server.js (plain JS so the server imports it without a build).
//
// One server process is one thread: requests that run "at once" only take turns on it, so
// letting 200 of them in makes each take 200 times its own time, and every answer comes
// late. Instead a few page requests run at a time (ADMIT_CONCURRENCY), the rest wait in a
// first-in first-out queue whose wait is bounded, CoDel-style:
//   - while the queue has been empty within the last QUEUE_BURST_MS, it absorbs a burst: a
//     request waits at most QUEUE_BURST_MS;
//   - once it has stayed non-empty for that long (more arrives than the process serves),
//     waiting longer only makes answers late: a request waits at most QUEUE_TARGET_MS, until
//     the queue has stayed empty for QUEUE_TARGET_MS.
// A request that would wait longer than its bound (estimated from how long requests hold
// their turn) is answered 503 + Retry-After at once; one that waited past its bound after
// all is answered 503 when its turn comes instead of being run. Served answers then take
// about their bound plus their own time, and the process keeps serving at its full rate.
//
// Writes (every method but GET and HEAD) have a queue of their own, and the two take turns: a
// write waits behind at most as many reads as there are writes ahead of it, however many
// reads are queued (a person who pressed "Post" has something to lose), while a flood of
// writes (a sign-in form needs no account) still leaves the page reads every other turn.
// Both waits are bounded the same way.
//
// Not queued or counted: the health check, static files and live streams (/events), which
// hold their connection for minutes. A request counts against the limit until its answer is
// sent, or for at most a second: one held by a slow reader or by work off this thread (a
// password hash, a worker) stops blocking the others. A served request that waited has its
// wait in `req.queuedMs` (server.js logs it).
//
// One connection gets at most one 503 per REFUSAL_PAUSE_MS: a client that asks again at once,
// ignoring Retry-After, waits out the pause for its next refusal (when there is room, its
// requests are still let in at once), so its retries cannot become most of the process's work.
import { performance } from "node:perf_hooks";

/** Static files: the built assets and the public files, which all have a file extension. */
export function isStaticFile(path) {
  return path.startsWith("/assets/") || /\.(css|js|map|png|svg|ico|jpg|jpeg|webp|woff2?|txt|webmanifest)$/.test(path);
}

/** Paths that are never queued or refused: health checks and static assets. */
export function isExempt(path) {
  return path === "/healthz" || isStaticFile(path);
}

/** Long-lived streams: they hold a connection for minutes and are not load. */
export function isStream(path) {
  return path.endsWith("/events");
}

/** How long a running request counts against the limit at most (ms). */
export const LEASE_MS = 1_000;

/** One connection gets at most one 503 per this many ms (ms). */
export const REFUSAL_PAUSE_MS = 200;
const lastRefusal = Symbol("last refusal");

/**
 * The admission decisions, pure: no timers, no I/O; time comes from `now()`.
 *
 * `arrive(kind, handlers)` returns "run" (it runs now; call `ticket.done()` when answered),
 * "queued" (`handlers.run()` or `handlers.refuse()` is called later, from `done()`,
 * `tick()` or another arrival), or "refused" (answer 503 now). `tick()` refuses the queued
 * requests past their bound and frees the turns held longer than LEASE_MS; call it while
 * `waiting()` is not 0.
 *
 * @param {{ limit: number, targetMs: number, burstMs: number, now?: () => number, leaseMs?: number }} options
 */
export function createAdmission({ limit, targetMs, burstMs, now = () => performance.now(), leaseMs = LEASE_MS }) {
  /** @type {{ write: any[], read: any[] }} */
  const queues = { write: [], read: [] };
  /** Running requests, by ticket. */
  const running = new Set();
  /** Since when the queue has been non-empty (null: empty), and since when empty. */
  let queuedSince = null;
  let emptySince = -Infinity;
  /**
   * Overloaded: the queue has not emptied for QUEUE_BURST_MS. It stays so until the queue has
   * stayed empty for QUEUE_TARGET_MS: a queue that empties for a moment (a slow request, a
   * garbage collection) under sustained load does not win back the burst allowance.
   */
  let overloadedState = false;
  /** Estimated time between two turns coming free (ms): how long a request holds its turn, over the limit. */
  let turnMs = 5;
  const stats = { ran: 0, refusedOnArrival: 0, refusedInQueue: 0 };

  const waiting = () => queues.write.length + queues.read.length;
  function overloaded(t) {
    if (!overloadedState && queuedSince !== null && t - queuedSince >= burstMs) overloadedState = true;
    else if (overloadedState && queuedSince === null && t - emptySince >= targetMs) overloadedState = false;
    return overloadedState;
  }
  function emptied(t) {
    if (waiting() > 0 || queuedSince === null) return;
    overloaded(t);
    queuedSince = null;
    emptySince = t;
  }

  function start(t) {
    const ticket = { startedAt: t, counted: true, waitedMs: 0 };
    running.add(ticket);
    stats.ran++;
    ticket.done = () => finish(ticket);
    return ticket;
  }

  /** A running request answered (or gone): its turn passes to the queue. */
  function finish(ticket) {
    if (ticket.finished) return;
    ticket.finished = true;
    const t = now();
    if (ticket.counted) {
      ticket.counted = false;
      running.delete(ticket);
      const held = Math.min(t - ticket.startedAt, leaseMs);
      turnMs = 0.9 * turnMs + (0.1 * held) / limit;
    }
    pump(t);
  }

  /** Which queue had the last turn: with both waiting, the other goes next. */
  let lastTurn = "read";
  function nextEntry() {
    const kind = queues.write.length === 0 ? "read" : queues.read.length === 0 ? "write" : lastTurn === "read" ? "write" : "read";
    lastTurn = kind;
    return queues[kind].shift();
  }

  /** Hands free turns to the queues' heads, taking turns; refuses heads past their bound. */
  function pump(t) {
    while (running.size < limit && waiting() > 0) {
      const entry = nextEntry();
      if (t > entry.deadline) {
        stats.refusedInQueue++;
        entry.handlers.refuse();
        continue;
      }
      entry.ticket = start(t);
      entry.ticket.waitedMs = t - entry.at;
      entry.handlers.run(entry.ticket);
    }
    emptied(t);
  }

  return {
    /**
     * @param {"read" | "write"} kind
     * @param {{ run: (ticket: { done(): void }) => void, refuse: () => void }} handlers
     */
    arrive(kind, handlers) {
      const t = now();
      const queue = kind === "write" ? queues.write : queues.read;
      if (running.size < limit && waiting() === 0) {
        return { decision: "run", ticket: start(t) };
      }
      const bound = overloaded(t) ? targetMs : burstMs;
      // Turns before this one: its own queue, and as many of the other (they alternate).
      const other = kind === "write" ? queues.read.length : queues.write.length;
      const ahead = queue.length + Math.min(other, queue.length + 1);
      if ((ahead + 1) * turnMs > bound) {
        stats.refusedOnArrival++;
        return { decision: "refused" };
      }
      const entry = { at: t, deadline: t + bound, handlers, ticket: null };
      queue.push(entry);
      if (queuedSince === null) {
        overloaded(t);
        queuedSince = t;
      }
      return {
        decision: "queued",
        /** The request went away while waiting (its client closed): it leaves the queue. */
        cancel() {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          emptied(now());
        },
      };
    },
    tick() {
      const t = now();
      for (const ticket of running) {
        if (t - ticket.startedAt >= leaseMs) {
          ticket.counted = false;
          running.delete(ticket);
        }
      }
      for (const queue of [queues.write, queues.read]) {
        for (let i = 0; i < queue.length; ) {
          if (t > queue[i].deadline) {
            const [entry] = queue.splice(i, 1);
            stats.refusedInQueue++;
            entry.handlers.refuse();
          } else i++;
        }
      }
      pump(t);
    },
    waiting,
    running: () => running.size,
    overloaded: () => overloaded(now()),
    turnMs: () => turnMs,
    stats: () => ({ ...stats }),
  };
}

const BUSY = Buffer.from("The server is busy. Please try again in a moment.");
const BUSY_HEADERS = {
  "Retry-After": "2",
  "Cache-Control": "no-store",
  "Content-Type": "text/plain; charset=utf-8",
  "Content-Length": String(BUSY.length),
};

/** The path of a Node request (no framework needed: `pages` runs before Express). */
function pathOf(req) {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

function numberFrom(value, fallback) {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * Connect-style middlewares (Node's own request and response, no Express needed) around
 * createAdmission(), one controller for both:
 *   - `pages`, in front of the app: GET and HEAD take their turn (or are refused) before any
 *     other work, Express's included, so a refusal costs next to nothing and is not logged line
 *     by line (one line a second says how many);
 *   - `writes`, once the body is read (a slow upload holds no turn): every other method.
 * Options default from the environment: ADMIT_CONCURRENCY (4), QUEUE_TARGET_MS (100),
 * QUEUE_BURST_MS (500). `log()` and `now()` can be injected for tests.
 */
export function admissionControl(options = {}) {
  const limit = Math.max(1, Math.round(options.limit ?? numberFrom(process.env.ADMIT_CONCURRENCY, 4)));
  const targetMs = options.targetMs ?? numberFrom(process.env.QUEUE_TARGET_MS, 100);
  const burstMs = Math.max(targetMs, options.burstMs ?? numberFrom(process.env.QUEUE_BURST_MS, 500));
  const log = options.log ?? ((line) => console.warn(line));
  const core = createAdmission({ limit, targetMs, burstMs, now: options.now });
  let refusedSinceLog = 0;
  let lastLogAt = 0;
  let timer = null;

  function refuse(req, res) {
    refusedSinceLog++;
    const at = Date.now();
    // At most one log line a second while refusing, with how many were refused.
    if (at - lastLogAt >= 1000) {
      log(
        `busy: refused ${refusedSinceLog} request(s) (${core.running()} running, ${core.waiting()} waiting, ` +
          `${core.overloaded() ? "overloaded" : "burst"}), latest ${req.method} ${pathOf(req)}`,
      );
      lastLogAt = at;
      refusedSinceLog = 0;
    }
    // A connection gets at most one refusal per REFUSAL_PAUSE_MS: a client that asks again at
    // once, ignoring Retry-After, waits out the rest of the pause for its next 503, so its
    // retries cannot become most of what the process does.
    const socket = req.socket;
    const now = Date.now();
    const wait = socket ? (socket[lastRefusal] ?? -Infinity) + REFUSAL_PAUSE_MS - now : 0;
    if (socket) socket[lastRefusal] = Math.max(now, now + wait);
    if (wait > 0) setTimeout(() => send503(res), wait).unref();
    else send503(res);
  }

  function send503(res) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(503, BUSY_HEADERS);
    res.end(BUSY);
  }

  /** While requests wait, a 10 ms timer refuses the ones past their bound and frees overdue turns. */
  function watch() {
    if (timer || core.waiting() === 0) return;
    timer = setInterval(() => {
      core.tick();
      if (core.waiting() === 0) {
        clearInterval(timer);
        timer = null;
      }
    }, 10);
    timer.unref();
  }

  function admit(kind, req, res, next) {
    const whenDone = (ticket) => {
      res.once("finish", ticket.done);
      res.once("close", ticket.done);
    };
    const arrival = core.arrive(kind, {
      run: (ticket) => {
        res.off("close", cancel);
        if (res.destroyed) return ticket.done();
        req.queuedMs = ticket.waitedMs;
        whenDone(ticket);
        next();
      },
      refuse: () => {
        res.off("close", cancel);
        refuse(req, res);
      },
    });
    function cancel() {
      arrival.cancel?.();
    }
    if (arrival.decision === "run") {
      whenDone(arrival.ticket);
      return next();
    }
    if (arrival.decision === "refused") return refuse(req, res);
    res.once("close", cancel);
    watch();
  }

  const isRead = (req) => req.method === "GET" || req.method === "HEAD";
  const skip = (req) => {
    const path = pathOf(req);
    return isExempt(path) || isStream(path);
  };
  return {
    pages: (req, res, next) => (skip(req) || !isRead(req) ? next() : admit("read", req, res, next)),
    writes: (req, res, next) => (skip(req) || isRead(req) ? next() : admit("write", req, res, next)),
    core,
    settings: { limit, targetMs, burstMs },
  };
}
