// Load shedding for server.js (plain JS so the server imports it without a build).
// An overloaded server answers new requests at once with 503 + Retry-After rather
// than queueing them until they time out. Two signals, both cheap:
//   - sustained event-loop lag: in each of the last SHED_LAG_WINDOWS one-second
//     windows (default 2), the loop spent most of its time behind by more than
//     SHED_LAG_MS (default 500 ms): the time-weighted median of its delays was
//     over the target. Work is queueing. One long task with nothing queued (a big
//     page, a scheduler tick) fills one window at most and never sheds the
//     requests that follow it;
//   - requests in flight over MAX_IN_FLIGHT (default 500): work piles up faster
//     than it finishes (long-lived /events streams are not counted).
// Never shed: /healthz (the load balancer must see the truth) and static files.
import { performance } from "node:perf_hooks";

/** Static files: the built assets and the public files, which all have a file extension. */
export function isStaticFile(path) {
  return path.startsWith("/assets/") || /\.(css|js|map|png|svg|ico|jpg|jpeg|webp|woff2?|txt|webmanifest)$/.test(path);
}

/** Paths that are always served: health checks and static assets. */
export function isExempt(path) {
  return path === "/healthz" || isStaticFile(path);
}

/** Long-lived streams: they hold a connection for minutes and are not load. */
export function isStream(path) {
  return path.endsWith("/events");
}

/**
 * The decision, pure: shed this request or not, and why.
 * @param {{ path: string, inFlight: number, lagMs: number, maxInFlight: number, maxLagMs: number }} s
 * @returns {{ shed: false } | { shed: true, reason: "in-flight" | "event-loop-lag", retryAfterSeconds: number }}
 */
export function shouldShed({ path, inFlight, lagMs, maxInFlight, maxLagMs }) {
  if (isExempt(path)) return { shed: false };
  if (inFlight >= maxInFlight) return { shed: true, reason: "in-flight", retryAfterSeconds: 2 };
  if (lagMs > maxLagMs) return { shed: true, reason: "event-loop-lag", retryAfterSeconds: Math.min(30, Math.max(2, Math.ceil((2 * lagMs) / 1000))) };
  return { shed: false };
}

/**
 * Sustained lag from one-second windows: the lowest of the last `windows` window lags
 * (0 until there are that many). A single long task raises one window at most; queueing
 * raises them all.
 * @param {number[]} lags oldest first
 * @param {number} windows
 */
export function sustainedLag(lags, windows) {
  if (lags.length < windows) return 0;
  return Math.min(...lags.slice(-windows));
}

/**
 * A window's lag: the time-weighted median of the delays the loop's turns had, each turn
 * weighted by how long it took. A loop blocked 950 ms of every second by long tasks lags
 * about 950 ms, however many quick turns fill the other 50 ms.
 * @param {{ delay: number, took: number }[]} turns
 */
export function windowLag(turns) {
  const total = turns.reduce((sum, t) => sum + t.took, 0);
  if (total <= 0) return 0;
  const sorted = [...turns].sort((a, b) => a.delay - b.delay);
  let seen = 0;
  for (const t of sorted) {
    seen += t.took;
    if (seen >= total / 2) return t.delay;
  }
  return sorted[sorted.length - 1].delay;
}

const TICK_MS = 20;

/** Times a 20 ms timer's turns and reports the sustained lag (ms) of the last one-second windows. */
function eventLoopLag(windows) {
  const lags = [];
  let turns = [];
  let last = performance.now();
  let windowStart = last;
  setInterval(() => {
    const now = performance.now();
    const took = now - last;
    turns.push({ delay: Math.max(0, took - TICK_MS), took });
    last = now;
    if (now - windowStart >= 1000) {
      lags.push(windowLag(turns));
      if (lags.length > windows) lags.shift();
      turns = [];
      windowStart = now;
    }
  }, TICK_MS).unref();
  return () => sustainedLag(lags, windows);
}

/**
 * Express middleware. Options default from the environment: MAX_IN_FLIGHT (500),
 * SHED_LAG_MS (500), SHED_LAG_WINDOWS (2). `lag()` and `log()` can be injected for tests.
 */
export function loadShedding(options = {}) {
  const maxInFlight = options.maxInFlight ?? (Number(process.env.MAX_IN_FLIGHT) || 500);
  const maxLagMs = options.maxLagMs ?? (Number(process.env.SHED_LAG_MS) || 500);
  const log = options.log ?? ((line) => console.warn(line));
  const lag = options.lag ?? eventLoopLag(Math.max(1, Number(process.env.SHED_LAG_WINDOWS) || 2));
  let inFlight = 0;
  let shedSinceLog = 0;
  let lastLogAt = 0;

  const middleware = (req, res, next) => {
    const path = req.path;
    const decision = shouldShed({ path, inFlight, lagMs: lag(), maxInFlight, maxLagMs });
    if (decision.shed) {
      shedSinceLog++;
      const at = Date.now();
      // At most one log line a second while shedding, with how many were refused.
      if (at - lastLogAt >= 1000) {
        log(`load shedding (${decision.reason}, in flight ${inFlight}, lag ${Math.round(lag())} ms): refused ${shedSinceLog} request(s), latest ${req.method} ${path}`);
        lastLogAt = at;
        shedSinceLog = 0;
      }
      res.status(503).set("Retry-After", String(decision.retryAfterSeconds)).set("Cache-Control", "no-store").type("text/plain").send("The server is busy. Please try again in a moment.");
      return;
    }
    if (isStream(path) || isExempt(path)) return next();
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on("finish", finish);
    res.on("close", finish);
    next();
  };
  middleware.inFlight = () => inFlight;
  return middleware;
}
