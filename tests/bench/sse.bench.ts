/**
 * Live events (Server-Sent Events) benchmark against the PRODUCTION server
 * (a benchmark, not a test: it prints figures and asserts nothing about timings).
 *
 *   npm run bench:sse
 *
 * Builds a throwaway database under tests/.tmp/bench/ (a facilitator, ten
 * posters and one viewer per 20 connections, as a person may hold at most 20
 * live streams; one live jam with one challenge), starts `node server.js`
 * on 127.0.0.1 as `npm start` runs it (built first from the working tree),
 * signs in through POST /login, then, from a separate client process
 * (sse-client.ts), holds 5,000 SSE connections to /jams/<slug>/events and posts
 * 50 ideas at 5 per second through the real challenge form action. Every
 * (connection, idea.created) pair gives one delivery delay: receive time minus
 * POST send time, both on the client's clock. The same client then does the
 * same against a bare node:http SSE server (sse-raw-server.ts) for a baseline.
 *
 * Exits 1 only if connections could not be established or events were missed.
 * The server runs one process per core as `npm start` runs it (SSE_PROCESSES overrides), so the
 * streams spread over the processes and each idea reaches most of them from another process;
 * the server's CPU and memory are those of all its processes together.
 * Settings: SSE_CONNECTIONS (5000), SSE_EVENTS (50), SSE_PER_SECOND (5), SSE_PROCESSES, and
 * SSE_SERVER_ARGS (extra node flags for the Jamboree server, e.g. --cpu-prof).
 */
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import {
  childEnv,
  children,
  ensureBuild,
  freePort,
  killAllNow,
  log,
  procFigures,
  request,
  root,
  sleep,
  stop,
  track,
  waitHealthy,
  type ProcFigures,
} from "./load-common";
import type { ConnectCommand, ConnectResult, RunCommand, RunResult } from "./sse-client";
import { removeDatabaseFiles } from "../../db/client";
import { mapInOrder } from "~/domain/in-order";

// ---------------------------------------------------------------- settings

const CONNECTIONS = Number(process.env.SSE_CONNECTIONS ?? 5000);
const EVENTS = Number(process.env.SSE_EVENTS ?? 50);
const PER_SECOND = Number(process.env.SSE_PER_SECOND ?? 5);
/** Posts made before any stream opens, for what a post costs on its own. */
const QUIET_EVENTS = Number(process.env.SSE_QUIET_EVENTS ?? 20);
/** Server processes, as `npm start` runs them: one per core unless SSE_PROCESSES says otherwise. */
const PROCESSES = Number(process.env.SSE_PROCESSES ?? cpus().length);
/** Extra node flags for the Jamboree server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/sse-prof". */
const SERVER_ARGS = (process.env.SSE_SERVER_ARGS ?? "").split(" ").filter(Boolean);
/** A person holds at most LIVE_STREAMS_PER_PERSON (20) live streams: one viewer per 20 connections. */
const VIEWERS = Math.ceil(CONNECTIONS / 20);
/** Several people post, so nobody reaches the daily points cap: every idea gives idea.created + points.changed. */
const POSTERS = 10;
const PARALLEL_CONNECTS = 200;
const CONNECT_TIMEOUT_MS = 60_000;
const DRAIN_MS = 15_000;
const TIME_LIMIT_MS = 235_000;
const FIRST_PORT = 3341;
const PASSWORD = "sse-bench-password-1";

const dir = resolve("tests/.tmp/bench");
const file = join(dir, `sse-${process.pid}-${Date.now()}.db`);
const clientScript = resolve("tests/bench/sse-client.ts");
const rawScript = resolve("tests/bench/sse-raw-server.ts");

const started = performance.now();

// ---------------------------------------------------------------- processes and cleanup

function removeFiles() {
  removeDatabaseFiles(file);
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Someone else's file is there: leave the folder.
  }
}

process.on("exit", () => {
  killAllNow();
  removeFiles();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping`);
    process.exit(1);
  });
}
const watchdog = setTimeout(() => {
  log(`\nTime limit (${TIME_LIMIT_MS / 1000} s) reached: stopping.`);
  process.exit(1);
}, TIME_LIMIT_MS);
watchdog.unref();

// ---------------------------------------------------------------- /proc figures

const CLOCK_TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  } catch {
    return 10;
  }
})();

interface Snapshot extends ProcFigures {
  cpuMs: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): ppid is [1], utime [11], stime [12]. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The server and its server processes (the children of the first process, when there are several). */
function serverPids(pid: number): number[] {
  const kids = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((p) => {
      try {
        return Number(statFields(p)[1]) === pid;
      } catch {
        return false;
      }
    });
  return [pid, ...kids];
}

/** CPU and memory of the whole server: the first process and every server process it started. */
function snapshot(pid: number): Snapshot {
  const total: Snapshot = { rssMb: 0, hwmMb: 0, anonMb: 0, fileMb: 0, cpuMs: 0 };
  for (const p of serverPids(pid)) {
    const rest = statFields(p);
    const figures = procFigures(p);
    total.cpuMs += (Number(rest[11]) + Number(rest[12])) * CLOCK_TICK_MS;
    total.rssMb += figures.rssMb;
    total.hwmMb += figures.hwmMb;
    total.anonMb += figures.anonMb;
    total.fileMb += figures.fileMb;
  }
  return total;
}



// ---------------------------------------------------------------- servers

interface Server {
  child: ChildProcess;
  port: number;
  /** stdout lines seen (one per finished request: morgan) */
  lines: string[];
  stderr: string[];
}


function capture(child: ChildProcess): Pick<Server, "lines" | "stderr"> {
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  return { lines, stderr };
}

async function startJamboree(port: number): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const child = track(
      spawn(process.execPath, [...SERVER_ARGS, "server.js"], {
        cwd: root,
        env: childEnv({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: file, WEB_CONCURRENCY: String(PROCESSES) }),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    const out = capture(child);
    if (await waitHealthy(port, child, 20_000)) return { child, port, ...out };
    await stop(child);
    log(`  the server did not start (attempt ${attempt}):\n${out.stderr.join("").slice(-1500)}`);
    // Perhaps another engineer's build was half written: rebuild and retry once.
    if (attempt >= 2) throw new Error("the production server did not start");
    ensureBuild();
  }
}

async function startRaw(port: number): Promise<Server> {
  const child = track(
    spawn(process.execPath, ["--import", "tsx", rawScript], {
      cwd: root,
      env: childEnv({ PORT: String(port), HOST: "127.0.0.1" }),
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const out = capture(child);
  if (!(await waitHealthy(port, child, 20_000))) {
    await stop(child);
    throw new Error(`the raw SSE server did not start:\n${out.stderr.join("")}`);
  }
  return { child, port, ...out };
}

// ---------------------------------------------------------------- the client process

type ClientReply = ConnectResult | RunResult | { type: "close"; closed: number } | { type: "error"; error: string };

function startClient() {
  const child = track(fork(clientScript, [], { cwd: root, execArgv: ["--import", "tsx"], env: childEnv({}), stdio: "inherit" }));
  const ask = <R extends ClientReply>(message: ConnectCommand | RunCommand | { type: "close" }): Promise<R> =>
    new Promise((resolvePromise, reject) => {
      const onMessage = (reply: ClientReply) => {
        cleanup();
        if (reply.type === "error") reject(new Error(`client: ${reply.error}`));
        else resolvePromise(reply as R);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the client process exited (${code})`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send(message);
    });
  return { child, ask };
}

// ---------------------------------------------------------------- one scenario

interface Scenario {
  label: string;
  /** The same posts with no stream open, before any connects: what a post costs on its own. */
  quiet: { run: RunResult; cpuMs: number };
  connect: ConnectResult;
  run: RunResult;
  closed: number;
  before: Snapshot;
  connected: Snapshot;
  afterEvents: Snapshot;
  after: Snapshot;
  logLinesForStreams: number;
}

async function scenario(
  label: string,
  server: Server,
  streamPath: string,
  cookies: string[],
  run: Omit<RunCommand, "type" | "port" | "events" | "perSecond" | "drainMs">,
): Promise<Scenario> {
  log(`\n${label}`);
  await sleep(1000);
  const pid = server.child.pid!;
  const client = startClient();
  try {
    log(`  posting ${QUIET_EVENTS} ideas at ${PER_SECOND}/s with no stream open …`);
    const quietStart = snapshot(pid);
    const quietRun = await client.ask<RunResult>({
      type: "run",
      port: server.port,
      events: QUIET_EVENTS,
      perSecond: PER_SECOND,
      drainMs: 0,
      ...run,
      fields: Object.fromEntries(Object.entries(run.fields).map(([k, v]) => [k, v.replaceAll("{i}", "quiet-{i}")])),
    });
    const quiet = { run: quietRun, cpuMs: snapshot(pid).cpuMs - quietStart.cpuMs };
    await sleep(500);
    const before = snapshot(pid);
    const connect = await client.ask<ConnectResult>({
      type: "connect",
      port: server.port,
      path: streamPath,
      cookies,
      count: CONNECTIONS,
      parallel: PARALLEL_CONNECTS,
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
    const connected = snapshot(pid);
    const failures = Object.entries(connect.failures)
      .map(([why, n]) => `${n} × ${why}`)
      .join(", ");
    log(
      `  connected ${connect.connected}/${CONNECTIONS} in ${(connect.ms / 1000).toFixed(1)} s` +
        (connect.failed > 0 ? `; failed: ${failures}` : ""),
    );
    if (connect.connected === 0) throw new Error("no connection could be established");
    log(`  posting ${EVENTS} ideas at ${PER_SECOND}/s …`);
    const result = await client.ask<RunResult>({
      type: "run",
      port: server.port,
      events: EVENTS,
      perSecond: PER_SECOND,
      drainMs: DRAIN_MS,
      ...run,
    });
    const afterEvents = snapshot(pid);
    if (result.postErrors.length > 0) log(`  POST errors: ${result.postErrors.slice(0, 3).join("; ")}`);
    log(`  delivered ${result.delays.length}/${result.expected} (connection, idea) pairs, ${result.framesReceived} frames`);
    const { closed } = await client.ask<{ type: "close"; closed: number }>({ type: "close" });
    // Give the server time to see every close and drop its listeners.
    await sleep(3000);
    const after = snapshot(pid);
    const logLinesForStreams = server.lines.filter((l) => l.includes(streamPath.split("?")[0]!)).length;
    return { label, quiet, connect, run: result, closed, before, connected, afterEvents, after, logLinesForStreams };
  } finally {
    await stop(client.child);
  }
}

// ---------------------------------------------------------------- figures

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function stats(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  return {
    median: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

function fmt(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return "–";
  if (digits !== undefined) return x.toFixed(digits);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function table(rows: [string, string, string, string][]) {
  const header: [string, string, string, string] = ["", "Jamboree", "raw node:http", "Jamboree / raw"];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  for (const [i, row] of all.entries()) {
    log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("   "));
    if (i === 0) log(widths.map((w) => "-".repeat(w)).join("   "));
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  log(`SSE fan-out benchmark: ${CONNECTIONS} connections, ${EVENTS} ideas at ${PER_SECOND}/s`);
  log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  ensureBuild();

  // ---------------------------------------------------------- database
  mkdirSync(dir, { recursive: true });
  process.env.DATABASE_URL = file;
  const { db, closeDb } = await import("~db/client");
  const { migrateDb } = await import("~db/migrate");
  const { users } = await import("~db/schema");
  const { hashPassword } = await import("~/auth/password.server");
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  migrateDb(db());
  const passwordHash = await hashPassword(PASSWORD);
  const person = async (n: string, role: "facilitator" | "participant") =>
    await db()
      .insert(users)
      .values({ name: `SSE ${n}`, email: `sse-${n}@bench.example.test`, passwordHash, role, departmentId: null, createdAt: Date.now() })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get();
  const facilitator = await person("facilitator", "facilitator");
  const posters = await mapInOrder(Array.from({ length: POSTERS }), async (_, i) => await person(`poster-${i + 1}`, "participant"));
  const viewers = await mapInOrder(Array.from({ length: VIEWERS }), async (_, i) => await person(`viewer-${i + 1}`, "participant"));
  const now = Date.now();
  const jam = await createJam(
    facilitator,
    {
      title: "SSE bench jam",
      slug: `sse-bench-${process.pid}`,
      description: "Throwaway jam for the SSE benchmark.",
      startsAt: now - 3_600_000,
      endsAt: now + 86_400_000,
      isDraft: false,
      challenges: [{ title: "Fan-out", question: "How fast does a new idea reach everyone?" }],
    },
    { ip: null },
  );
  const challengeId = (await jamChallenges(jam.id))[0]!.id;
  await closeDb();
  log(`Database: ${file} (jam "${jam.slug}", challenge ${challengeId}, ${1 + POSTERS + VIEWERS} people)`);

  // ---------------------------------------------------------- Jamboree
  const jamPort = await freePort(FIRST_PORT);
  const jamboree = await startJamboree(jamPort);
  const origin = `http://127.0.0.1:${jamPort}`;
  log(`Jamboree (node server.js, as npm start runs it, ${PROCESSES} server process${PROCESSES === 1 ? "" : "es"}) on ${origin}, pid ${jamboree.child.pid}`);

  const signIn = async (email: string) => {
    const res = await request(jamPort, {
      method: "POST",
      path: "/login",
      headers: { Origin: origin },
      body: new URLSearchParams({ email, password: PASSWORD, redirectTo: "/jams" }).toString(),
    });
    const cookie = [res.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("jamboree_session="));
    if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed: ${res.status} ${res.body.slice(0, 300)}`);
    return cookie.split(";")[0]!;
  };
  // Ten sign-ins at a time: each hashes a password, and the bench measures streams, not a sign-in rush.
  const signInAll = async (emails: string[]) => {
    const cookies: string[] = [];
    for (let i = 0; i < emails.length; i += 10) cookies.push(...(await Promise.all(emails.slice(i, i + 10).map(signIn))));
    return cookies;
  };
  const posterCookies = await signInAll(posters.map((p) => p.email));
  const viewerCookies = await signInAll(viewers.map((v) => v.email));

  const streamPath = `/jams/${jam.slug}/events`;
  const ideaPath = `/jams/${jam.slug}/challenges/${challengeId}`;
  const runTag = Date.now().toString(36);
  const ideaFields = {
    intent: "post",
    title: "Idea {i} from the SSE bench",
    body: "Posted through the challenge form to time live delivery.",
    clientKey: `sse-${runTag}-{i}`,
  };
  // Warm-up: the post path and a stream, with nobody watching.
  for (let i = 0; i < 3; i++) {
    const res = await request(jamPort, {
      method: "POST",
      path: ideaPath,
      headers: { Origin: origin, Cookie: posterCookies[0]! },
      body: new URLSearchParams({ ...ideaFields, title: `Warm-up ${i}`, clientKey: `sse-${runTag}-warm-${i}` }).toString(),
    });
    if (res.status !== 302) throw new Error(`posting an idea failed: ${res.status} ${res.body.slice(0, 300)}`);
  }

  const jamResult = await scenario(`Jamboree: ${CONNECTIONS} × GET ${streamPath}`, jamboree, streamPath, viewerCookies, {
    path: ideaPath,
    headers: { Origin: origin },
    cookies: posterCookies,
    fields: ideaFields,
  });
  await stop(jamboree.child);

  // ---------------------------------------------------------- raw baseline
  const rawPort = await freePort(jamPort + 1);
  const raw = await startRaw(rawPort);
  log(`\nRaw baseline (bare node:http) on http://127.0.0.1:${rawPort}, pid ${raw.child.pid}`);
  for (let i = 0; i < 3; i++) await request(rawPort, { method: "POST", path: "/publish", body: "warm=1" });
  const rawResult = await scenario(`raw: ${CONNECTIONS} × GET /events`, raw, "/events", [], {
    path: "/publish",
    headers: {},
    cookies: [],
    fields: ideaFields,
  });
  await stop(raw.child);

  // ---------------------------------------------------------- report
  const j = jamResult;
  const r = rawResult;
  const jd = stats(j.run.delays);
  const rd = stats(r.run.delays);
  const js = stats(j.run.spreads);
  const rs = stats(r.run.spreads);
  const jp = stats(j.run.postMs);
  const rp = stats(r.run.postMs);
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : "–");
  const both = (f: (s: Scenario) => number, digits?: number): [string, string] => [fmt(f(j), digits), fmt(f(r), digits)];
  const withRatio = (label: string, a: number, b: number, digits?: number): [string, string, string, string] => [
    label,
    fmt(a, digits),
    fmt(b, digits),
    ratio(a, b),
  ];
  const perConnKb = (s: Scenario) => ((s.connected.rssMb - s.before.rssMb) * 1024) / Math.max(1, s.connect.connected);
  const connectCpuUs = (s: Scenario) => ((s.connected.cpuMs - s.before.cpuMs) * 1000) / Math.max(1, s.connect.connected);
  const eventCpuMs = (s: Scenario) => s.afterEvents.cpuMs - s.connected.cpuMs;
  const frameCpuUs = (s: Scenario) => (eventCpuMs(s) * 1000) / Math.max(1, s.run.framesReceived);

  log(`\nResults (${CONNECTIONS} connections, ${EVENTS} ideas at ${PER_SECOND}/s, each idea = idea.created + points.changed frames)\n`);
  table([
    ["connections held", `${j.connect.connected}/${CONNECTIONS}`, `${r.connect.connected}/${CONNECTIONS}`, ""],
    withRatio("time to open them all (s)", j.connect.ms / 1000, r.connect.ms / 1000, 1),
    ["ideas posted", ...both((s) => s.run.posted, 0), ""],
    withRatio("delivery delay median (ms)", jd.median, rd.median),
    withRatio("delivery delay p99 (ms)", jd.p99, rd.p99),
    withRatio("delivery delay max (ms)", jd.max, rd.max),
    withRatio("fan-out spread median (ms)", js.median, rs.median),
    withRatio("fan-out spread p99 (ms)", js.p99, rs.p99),
    withRatio("POST response median, no stream open (ms)", stats(j.quiet.run.postMs).median, stats(r.quiet.run.postMs).median),
    withRatio("POST response median (ms)", jp.median, rp.median),
    withRatio("POST response p99, no stream open (ms)", stats(j.quiet.run.postMs).p99, stats(r.quiet.run.postMs).p99),
    withRatio("POST response p99 (ms)", jp.p99, rp.p99),
    withRatio("server CPU per post, no stream open (ms)", j.quiet.cpuMs / Math.max(1, j.quiet.run.posted), r.quiet.cpuMs / Math.max(1, r.quiet.run.posted)),
    withRatio("server CPU per post with the streams (ms)", eventCpuMs(j) / Math.max(1, j.run.posted), eventCpuMs(r) / Math.max(1, r.run.posted)),
    ["(connection, idea) pairs delivered", `${j.run.delays.length}/${j.run.expected}`, `${r.run.delays.length}/${r.run.expected}`, ""],
    ["missed", ...both((s) => s.run.missed, 0), ""],
    ["server RSS before connections (MB)", ...both((s) => s.before.rssMb, 1), ""],
    ["server RSS with all connected (MB)", ...both((s) => s.connected.rssMb, 1), ""],
    ["server RSS after the ideas (MB)", ...both((s) => s.afterEvents.rssMb, 1), ""],
    ["server RSS 3 s after closing (MB)", ...both((s) => s.after.rssMb, 1), ""],
    ["server peak RSS, VmHWM (MB)", ...both((s) => s.after.hwmMb, 1), ""],
    withRatio("RSS per connection (KB)", perConnKb(j), perConnKb(r), 1),
    withRatio("server CPU to open (ms)", j.connected.cpuMs - j.before.cpuMs, r.connected.cpuMs - r.before.cpuMs, 0),
    withRatio("  per connection (µs)", connectCpuUs(j), connectCpuUs(r), 0),
    withRatio("server CPU while posting (ms)", eventCpuMs(j), eventCpuMs(r), 0),
    withRatio("  per frame delivered (µs)", frameCpuUs(j), frameCpuUs(r), 1),
    [
      "client CPU while posting, ms (of it kernel)",
      `${fmt(j.run.clientCpuMs, 0)} (${fmt(j.run.clientSysMs, 0)})`,
      `${fmt(r.run.clientCpuMs, 0)} (${fmt(r.run.clientSysMs, 0)})`,
      "",
    ],
    ["streams the server logged (morgan, on close)", fmt(j.logLinesForStreams, 0), "n/a", ""],
  ]);

  const quietMedian = stats(j.quiet.run.postMs).median;
  log(
    `\nA post with ${CONNECTIONS} streams open: the poster waits ${ratio(jp.median, quietMedian)} the time of one with none ` +
      `(median ${fmt(jp.median)} ms against ${fmt(quietMedian)} ms; p99 ${fmt(jp.p99)} against ${fmt(stats(j.quiet.run.postMs).p99)}).`,
  );
  log(
    `\nDelay = time the client received the idea.created frame minus the time it sent the POST (one clock, the client's).` +
      `\nFan-out spread = last minus first connection to receive one idea. Server CPU from /proc/<pid>/stat (utime + stime).`,
  );
  log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s; load average now ${loadavg()[0]!.toFixed(2)}.`);

  const problems: string[] = [];
  for (const s of [j, r]) {
    if (s.connect.connected < CONNECTIONS) problems.push(`${s.label}: only ${s.connect.connected}/${CONNECTIONS} connections`);
    if (s.run.missed > 0) problems.push(`${s.label}: ${s.run.missed} (connection, idea) pairs missed`);
    if (s.run.posted < EVENTS) problems.push(`${s.label}: only ${s.run.posted}/${EVENTS} ideas posted`);
  }
  for (const p of problems) log(`FAIL ${p}`);
  return problems.length > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  for (const child of [...children]) await stop(child);
}
process.exit(code);
