/**
 * The load generator for load.ts and soak.ts, run as a SEPARATE process (forked),
 * so autocannon and the server under test never share an event loop.
 *
 * Parent -> child: { type: "run", ...RunSpec }. Child -> parent: RunResult,
 * and during long runs { type: "progress", ... } every `progressMs`.
 * Each request is built by autocannon's setupRequest from a counter, so every
 * POST can carry a unique clientKey ({i}) and cycle through people ({u} in
 * bodies, the Cookie header) and targets (paths).
 */
import autocannon, { type Result } from "autocannon";
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface Mix {
  label: string;
  method: "GET" | "POST";
  /** Paths to cycle through (random pick when `random`). */
  paths: string[];
  random?: boolean;
  /** Cookies to cycle through (request i uses cookies[i % n]); empty for none. */
  cookies: string[];
  /** Author ids for {u} in the body (raw baseline), cycled like cookies. */
  authors?: number[];
  /** urlencoded body; {i} becomes the request number, {u} the author id. */
  body?: string;
  headers?: Record<string, string>;
}

export interface RunSpec {
  url: string;
  /**
   * Several servers of one database: the connections are spread over them round-robin (connection
   * k goes to urls[k % n]); `url` is then unused. Latencies and counts are of all of them together.
   */
  urls?: string[];
  connections: number;
  durationS: number;
  /** One mix: every request like it; several: each connection cycles through them in order. */
  mixes: Mix[];
  tag: string;
  progressMs?: number;
  /** Requests per second for all connections together; unset, as fast as answers come. */
  overallRate?: number;
  /** Stop after this many requests instead of after `durationS` (every one answered before the run ends). */
  amount?: number;
  /**
   * With overallRate: a true open loop (openLoop() below) instead of autocannon's rate limit,
   * which lets each connection send its share of a second back to back, every connection at the
   * same moment of the second, and waits for each answer before the next.
   */
  openLoop?: boolean;
  /** Also return every response as [ms since the start, latency ms, status] (up to 200,000). */
  samples?: boolean;
}

export interface RunResult {
  type: "result";
  rps: number;
  total: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  status: Record<string, number>;
  errors: number;
  timeouts: number;
  perMix: Record<string, { count: number; status: Record<string, number> }>;
  /** Latency of the served responses alone (2xx/3xx), not of refusals. */
  servedP50: number;
  servedP99: number;
  /** Latency of the 503 answers alone (refused by admission control). */
  refusedP50: number;
  refusedP99: number;
  /** Open loop only: the served answers' p99 for requests due after the first second (once a queue has formed). */
  servedP99AfterFirstSecond?: number;
  samples?: [number, number, number][];
}

let counter = 0;

function requestFor(mix: Mix, spec: RunSpec) {
  return {
    method: mix.method,
    setupRequest: (req: Record<string, unknown>) => {
      const i = counter++;
      const path = mix.random ? mix.paths[Math.floor(Math.random() * mix.paths.length)]! : mix.paths[i % mix.paths.length]!;
      const headers: Record<string, string> = { ...(mix.headers ?? {}) };
      if (mix.cookies.length > 0) headers.cookie = mix.cookies[i % mix.cookies.length]!;
      let body: string | undefined;
      if (mix.body !== undefined) {
        const u = mix.authors && mix.authors.length > 0 ? mix.authors[i % mix.authors.length]! : 0;
        body = mix.body.replaceAll("{i}", `${spec.tag}-${i}`).replaceAll("{u}", String(u));
        headers["content-type"] = "application/x-www-form-urlencoded";
      }
      return { ...req, method: mix.method, path, headers, body };
    },
  };
}

/**
 * An open loop: requests arrive at random (Poisson) at `overallRate` a second, whatever the
 * server answers, over `connections` keep-alive connections opened beforehand and used in turn
 * (node:http's Agent queues a request when all are busy). A request's latency counts from the
 * moment it was due, so time spent waiting for a free connection is counted too. Only answers
 * that arrive within the duration count, as with autocannon; `timeouts` counts the requests
 * still unanswered at the end.
 */
async function openLoop(spec: RunSpec): Promise<RunResult> {
  const mix = spec.mixes[0]!;
  const r = requestFor(mix, spec);
  const url = new URL(spec.url);
  // The connections are opened before the clock starts (one /healthz each) and taken in turn
  // (FIFO), like a proxy's pool or as many separate people: no connection carries most of the
  // load while others idle, and none is opened mid-run.
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections, maxFreeSockets: spec.connections, scheduling: "fifo" });
  await Promise.all(
    Array.from(
      { length: spec.connections },
      () =>
        new Promise<void>((resolve) => {
          const warm = http.get({ host: url.hostname, port: url.port, agent, path: "/healthz" }, (res) => res.resume().on("end", () => resolve()));
          warm.on("error", () => resolve());
        }),
    ),
  );
  const status: Record<string, number> = {};
  const all: number[] = [];
  const served: number[] = [];
  const servedLater: number[] = [];
  const refused: number[] = [];
  const samples: [number, number, number][] = [];
  let errors = 0;
  let outstanding = 0;
  const t0 = performance.now();
  const end = t0 + spec.durationS * 1000;
  let due = t0;
  const send = (dueAt: number) => {
    const req = r.setupRequest({}) as { method: string; path: string; headers: Record<string, string>; body?: string };
    outstanding++;
    const request = http.request({ host: url.hostname, port: url.port, agent, method: req.method, path: req.path, headers: req.headers }, (res) => {
      res.resume();
      res.on("end", () => {
        outstanding--;
        const now = performance.now();
        if (now > end) return;
        const latency = now - dueAt;
        const code = res.statusCode ?? 0;
        status[code] = (status[code] ?? 0) + 1;
        all.push(latency);
        if (code < 400) served.push(latency);
        if (code < 400 && dueAt - t0 >= 1000) servedLater.push(latency);
        if (code === 503) refused.push(latency);
        if (spec.samples && samples.length < 200_000) samples.push([now - t0, latency, code]);
      });
    });
    request.setTimeout(20_000, () => request.destroy(new Error("timeout")));
    request.on("error", () => {
      outstanding--;
      if (performance.now() <= end) errors++;
    });
    request.end(req.body);
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (due <= now && due < end) {
        send(due);
        due += -Math.log(1 - Math.random()) * (1000 / spec.overallRate!);
      }
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const timeouts = outstanding;
  agent.destroy();
  const q = (xs: number[], p: number) => (xs.sort((a, b) => a - b).length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : Number.NaN);
  return {
    type: "result",
    rps: all.length / spec.durationS,
    total: all.length,
    p50: q(all, 0.5),
    p99: q(all, 0.99),
    mean: all.reduce((a, b) => a + b, 0) / Math.max(1, all.length),
    max: all.length ? Math.max(...all) : Number.NaN,
    status,
    errors,
    timeouts,
    perMix: { [mix.label]: { count: all.length, status } },
    servedP50: q(served, 0.5),
    servedP99: q(served, 0.99),
    refusedP50: q(refused, 0.5),
    refusedP99: q(refused, 0.99),
    servedP99AfterFirstSecond: q(servedLater, 0.99),
    ...(spec.samples ? { samples } : {}),
  };
}

/** A run spread over several servers: one autocannon per server with its share of the connections, merged. */
async function spread(spec: RunSpec): Promise<RunResult> {
  const urls = spec.urls!;
  const parts = urls
    .map((url, k) => ({ url, connections: Math.floor(spec.connections / urls.length) + (k < spec.connections % urls.length ? 1 : 0) }))
    .filter((part) => part.connections > 0);
  // A form post names the server it is sent to as its Origin (the app refuses another origin).
  const toServer = (mix: Mix, url: string): Mix =>
    mix.headers && "origin" in mix.headers ? { ...mix, headers: { ...mix.headers, origin: new URL(url).origin } } : mix;
  const results = await Promise.all(
    parts.map((part) => run({ ...spec, urls: undefined, url: part.url, connections: part.connections, samples: true, mixes: spec.mixes.map((m) => toServer(m, part.url)) })),
  );
  const all: number[] = [];
  const served: number[] = [];
  const refused: number[] = [];
  const status: Record<string, number> = {};
  const perMix: RunResult["perMix"] = {};
  for (const r of results) {
    for (const [, latency, code] of r.samples ?? []) {
      all.push(latency);
      if (code < 400) served.push(latency);
      if (code === 503) refused.push(latency);
    }
    for (const [code, n] of Object.entries(r.status)) status[code] = (status[code] ?? 0) + n;
    for (const [label, m] of Object.entries(r.perMix)) {
      const into = (perMix[label] ??= { count: 0, status: {} });
      into.count += m.count;
      for (const [code, n] of Object.entries(m.status)) into.status[code] = (into.status[code] ?? 0) + n;
    }
  }
  const q = (xs: number[], p: number) => (xs.sort((a, b) => a - b).length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : Number.NaN);
  const total = results.reduce((n, r) => n + r.total, 0);
  return {
    type: "result",
    rps: results.reduce((n, r) => n + r.rps, 0),
    total,
    p50: q(all, 0.5),
    p99: q(all, 0.99),
    mean: results.reduce((n, r) => n + r.mean * r.total, 0) / Math.max(1, total),
    max: Math.max(...results.map((r) => r.max)),
    status,
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    perMix,
    servedP50: q(served, 0.5),
    servedP99: q(served, 0.99),
    refusedP50: q(refused, 0.5),
    refusedP99: q(refused, 0.99),
  };
}

async function run(spec: RunSpec): Promise<RunResult> {
  if (spec.urls && spec.urls.length > 1) return spread(spec);
  if (spec.urls?.length === 1) spec = { ...spec, url: spec.urls[0]! };
  if (spec.openLoop && spec.overallRate) return openLoop(spec);
  const perMix: RunResult["perMix"] = {};
  for (const m of spec.mixes) perMix[m.label] = { count: 0, status: {} };
  // Which mix a response belongs to: autocannon cycles requests per connection; the
  // label travels in a header we set, so count from the request we built.
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationS }),
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    timeout: 20,
    requests: spec.mixes.map((m) => {
      const r = requestFor(m, spec);
      return {
        method: r.method,
        setupRequest: (req: Record<string, unknown>) => {
          const out = r.setupRequest(req) as Record<string, unknown> & { headers: Record<string, string> };
          out.headers["x-bench-mix"] = m.label;
          return out;
        },
      };
    }),
  });
  let window = { count: 0, status: {} as Record<string, number>, latencies: [] as number[] };
  const served: number[] = [];
  const refused: number[] = [];
  const samples: [number, number, number][] = [];
  const t0 = performance.now();
  instance.on("response", (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 400 && served.length < 500_000) served.push(responseTime);
    if (statusCode === 503 && refused.length < 500_000) refused.push(responseTime);
    if (spec.samples && samples.length < 200_000) samples.push([performance.now() - t0, responseTime, statusCode]);
    window.count++;
    window.status[statusCode] = (window.status[statusCode] ?? 0) + 1;
    if (window.latencies.length < 200_000) window.latencies.push(responseTime);
    const label = (client as unknown as { requestIterator?: { currentRequest?: { headers?: Record<string, string> } } }).requestIterator
      ?.currentRequest?.headers?.["x-bench-mix"];
    if (label && perMix[label]) {
      perMix[label]!.count++;
      perMix[label]!.status[statusCode] = (perMix[label]!.status[statusCode] ?? 0) + 1;
    }
  });
  let timer: NodeJS.Timeout | undefined;
  if (spec.progressMs) {
    timer = setInterval(() => {
      const w = window;
      window = { count: 0, status: {}, latencies: [] };
      w.latencies.sort((a, b) => a - b);
      const q = (p: number) => (w.latencies.length ? w.latencies[Math.min(w.latencies.length - 1, Math.floor(p * w.latencies.length))]! : 0);
      process.send!({ type: "progress", count: w.count, rps: w.count / (spec.progressMs! / 1000), status: w.status, p50: q(0.5), p99: q(0.99) });
    }, spec.progressMs);
  }
  const result = await new Promise<Result>((resolve, reject) => {
    instance.on("done", resolve);
    instance.on("error", reject);
  });
  if (timer) clearInterval(timer);
  const status: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) status[code] = (s as { count: number }).count;
  served.sort((a, b) => a - b);
  refused.sort((a, b) => a - b);
  const servedQ = (p: number, xs = served) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : Number.NaN);
  return {
    type: "result",
    rps: result.requests.total / result.duration,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
    status,
    errors: result.errors,
    timeouts: result.timeouts,
    perMix,
    servedP50: servedQ(0.5),
    servedP99: servedQ(0.99),
    refusedP50: servedQ(0.5, refused),
    refusedP99: servedQ(0.99, refused),
    ...(spec.samples ? { samples } : {}),
  };
}

process.on("message", (msg: { type: string } & RunSpec) => {
  if (msg.type === "run") {
    run(msg).then(
      (r) => process.send!(r),
      (e) => process.send!({ type: "error", error: String(e?.stack ?? e) }),
    );
  } else if (msg.type === "exit") process.exit(0);
});
process.on("disconnect", () => process.exit(0));
