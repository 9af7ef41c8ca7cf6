// Load shedding for server.js (plain JS so the server imports it without a build).
// An overloaded server answers new requests at once with 503 + Retry-After rather
// than queueing them until they time out. Two signals, both cheap:
//   - sustained event-loop lag: in each of the last SHED_LAG_WINDOWS one-second
//     windows (default 2), the loop's typical (median) delay was over SHED_LAG_MS
//     (default 500 ms). Work is queueing: most turns of the loop wait. One long
//     task with nothing queued (a big page, a scheduler tick) is one late turn
//     among many on-time ones and never sheds the requests that follow it;
//   - requests in flight over MAX_IN_FLIGHT (default 500): work piles up faster
//     than it finishes (long-lived /events streams are not counted).
// Never shed: /healthz (the load balancer must see the truth), static files and
// the route manifest (cheap, and a browser refused it shows an error page).
import { monitorEventLoopDelay } from "node:perf_hooks";

/** Static files: the built assets and the public files, which all have a file extension. */
export function isStaticFile(path) {
  return path.startsWith("/assets/") || /\.(css|js|map|png|svg|ico|jpg|jpeg|webp|woff2?|txt|webmanifest)$/.test(path);
}

/** Paths that are always served: health checks, static assets and Remix's route manifest. */
export function isExempt(path) {
  return path === "/healthz" || path === "/__manifest" || isStaticFile(path);
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
 * Sustained lag from one-second windows of event-loop delay: the lowest of the last
 * `windows` medians (0 until there are that many). A single long task raises one
 * window's median at most; queueing raises them all.
 * @param {number[]} medians oldest first
 * @param {number} windows
 */
export function sustainedLag(medians, windows) {
  if (medians.length < windows) return 0;
  return Math.min(...medians.slice(-windows));
}

/** Reads the event loop's median delay each second and reports the sustained lag (ms). */
function eventLoopLag(windows) {
  // Resolution 20 ms; the histogram is read and reset every second.
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const medians = [];
  setInterval(() => {
    medians.push(histogram.count > 0 ? histogram.percentile(50) / 1e6 : 0);
    if (medians.length > windows) medians.shift();
    histogram.reset();
  }, 1000).unref();
  return () => sustainedLag(medians, windows);
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
