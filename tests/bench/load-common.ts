/** Shared by load.ts and soak.ts: processes, ports, the production server, sign-in. */
import Database from "better-sqlite3";
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { RunResult, RunSpec } from "./load-client";
import { openDb } from "../../db/client";
import { migrateDb } from "../../db/migrate";
import { BENCH_PASSWORD, benchEmail } from "./seed";

export const root = process.cwd();
export const log = (msg: string) => console.log(msg);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const children = new Set<ChildProcess>();
/** Children this process stops itself (stop(), killAllNow()): any other exit of a server is reported. */
const stopping = new WeakSet<ChildProcess>();
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}
export function killAllNow() {
  for (const child of children) {
    stopping.add(child);
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
export async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * The environment of a server a bench starts: this process's, without NODE_ENV (the server then
 * runs as `npm start` runs it; a bench that set its own would measure something users do not get)
 * and without tsx's loader in NODE_OPTIONS.
 */
export function childEnv(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete (env as Record<string, string | undefined>).NODE_ENV;
  if (env.NODE_OPTIONS?.includes("tsx")) delete env.NODE_OPTIONS;
  return env;
}

export function request(
  port: number,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method,
        path: options.path,
        agent: false,
        headers: {
          ...options.headers,
          ...(options.body !== undefined
            ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(options.body) }
            : {}),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${options.method} ${options.path}: timeout`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((r) => {
    const probe = net.createServer();
    probe.once("error", () => r(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => r(true)));
  });
}
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) if (await portIsFree(port)) return port;
  throw new Error(`no free port from ${from}`);
}

export async function waitHealthy(port: number, child: ChildProcess, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      if ((await request(port, { method: "GET", path: "/healthz" })).status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  return false;
}

/** Builds the app from the working tree (a few seconds), so the figures are of the code as it is, never of an older build. */
export function ensureBuild() {
  const t0 = performance.now();
  try {
    execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    log(String(e.stdout ?? "").slice(-2000) + String(e.stderr ?? "").slice(-2000));
    throw new Error("the build failed");
  }
  log(`  built the app (npm run -s build) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export interface Server {
  child: ChildProcess;
  port: number;
  origin: string;
  stderr: string[];
}

/**
 * Migrates `dbFile` (as `npm start` does, so a database seeded by an older version
 * gets the newer indexes), then starts `node server.js` as `npm start` does (no NODE_ENV), on
 * 127.0.0.1, as one server process (WEB_CONCURRENCY=1) unless `extraEnv` says otherwise. stdout (morgan's line per request) is discarded; RATE_LIMITS=off
 * unless the caller says otherwise.
 */
export async function startJamboree(
  dbFile: string,
  port: number,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  /** Where server.js and its build are (a copy saved by `bench:pages -- --save DIR`); the working tree unless given. */
  cwd = root,
): Promise<Server> {
  const conn = openDb(dbFile);
  migrateDb(conn);
  conn.$client.close();
  const child = track(
    spawn(process.execPath, [...nodeArgs, "server.js"], {
      cwd,
      // One server process unless the caller asks for more: its CPU and memory are then this child's.
      env: childEnv({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: dbFile, RATE_LIMITS: "off", WEB_CONCURRENCY: "1", ...extraEnv }),
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 2000) stderr.shift();
  });
  // A server that stops without stop() asking it to says why.
  child.once("exit", (code, signal) => {
    if (stopping.has(child)) return;
    log(`\nThe server (pid ${child.pid}) stopped by itself (${signal ?? `exit code ${code}`}); the end of what it wrote to stderr:\n${stderr.join("").slice(-4000)}`);
  });
  if (!(await waitHealthy(port, child, 30_000))) {
    await stop(child);
    throw new Error(`the production server did not start:\n${stderr.join("").slice(-2000)}`);
  }
  return { child, port, origin: `http://127.0.0.1:${port}`, stderr };
}

export async function startRaw(dbFile: string, port: number): Promise<Server> {
  const child = track(
    spawn(process.execPath, ["--import", "tsx", resolve(root, "tests/bench/load-raw-server.ts")], {
      cwd: root,
      env: childEnv({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: dbFile }),
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  if (!(await waitHealthy(port, child, 30_000))) {
    await stop(child);
    throw new Error(`the raw server did not start:\n${stderr.join("")}`);
  }
  return { child, port, origin: `http://127.0.0.1:${port}`, stderr };
}

/** Signs in people through POST /login, `parallel` at a time; returns "jamboree_session=…" pairs. */
export async function signIn(server: Server, userIds: number[], parallel = 4): Promise<string[]> {
  const cookies: string[] = new Array(userIds.length);
  let next = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const k = next++;
      const email = benchEmail(userIds[k]!);
      const res = await request(server.port, {
        method: "POST",
        path: "/login",
        headers: { Origin: server.origin },
        body: new URLSearchParams({ email, password: BENCH_PASSWORD, redirectTo: "/jams" }).toString(),
      });
      const cookie = [res.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("jamboree_session="));
      if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed: ${res.status} ${res.body.slice(0, 300)}`);
      cookies[k] = cookie.split(";")[0]!;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return cookies;
}

export interface ProcFigures {
  rssMb: number;
  hwmMb: number;
  /** The process's own memory (heap, native allocations): RssAnon. */
  anonMb: number;
  /** File pages mapped in, mostly the database read through mmap (mmap_size): RssFile. Bounded by the file's size, and the kernel can drop them. */
  fileMb: number;
}
export function procFigures(pid: number): ProcFigures {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024, anonMb: kb("RssAnon") / 1024, fileMb: kb("RssFile") / 1024 };
}

type Reply = RunResult | { type: "error"; error: string } | { type: "progress"; [k: string]: unknown };

/** The autocannon process (load-client.ts), forked once and reused. */
export function startLoadClient(onProgress?: (p: Record<string, unknown>) => void) {
  const child = track(
    fork(resolve(root, "tests/bench/load-client.ts"), [], { cwd: root, execArgv: ["--import", "tsx"], env: childEnv({}), stdio: "inherit" }),
  );
  const run = (spec: RunSpec): Promise<RunResult> =>
    new Promise((resolvePromise, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.type === "progress") return onProgress?.(reply);
        cleanup();
        if (reply.type === "error") reject(new Error(`load client: ${(reply as { error: string }).error}`));
        else resolvePromise(reply as RunResult);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the load client exited (${code})`));
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send({ type: "run", ...spec });
    });
  return { child, run };
}

/** Facts about a seeded bench database the load needs. */
export function describeDb(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const jam = db.prepare("SELECT id, slug FROM jams ORDER BY id LIMIT 1").get() as { id: number; slug: string };
    const challengeIds = (db.prepare("SELECT id FROM challenges WHERE jam_id = ? ORDER BY id").all(jam.id) as { id: number }[]).map((r) => r.id);
    const ideaIds = (
      db.prepare("SELECT id FROM ideas WHERE jam_id = ? AND hidden_at IS NULL ORDER BY random() LIMIT 5000").all(jam.id) as { id: number }[]
    ).map((r) => r.id);
    const people = (db.prepare("SELECT max(id) AS n FROM users").get() as { n: number }).n;
    const ideas = (db.prepare("SELECT count(*) AS n FROM ideas WHERE jam_id = ?").get(jam.id) as { n: number }).n;
    return { jam, challengeIds, ideaIds, people, ideas };
  } finally {
    db.close();
  }
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
