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
  connections: number;
  durationS: number;
  /** One mix: every request like it; several: each connection cycles through them in order. */
  mixes: Mix[];
  tag: string;
  progressMs?: number;
  /** Requests per second for all connections together (an open-loop arrival rate); unset, as fast as answers come. */
  overallRate?: number;
  /** Stop after this many requests instead of after `durationS` (every one answered before the run ends). */
  amount?: number;
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

async function run(spec: RunSpec): Promise<RunResult> {
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
  instance.on("response", (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 400 && served.length < 500_000) served.push(responseTime);
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
  const servedQ = (p: number) => (served.length ? served[Math.min(served.length - 1, Math.floor(p * served.length))]! : Number.NaN);
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
