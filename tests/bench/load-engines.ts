/**
 * The engines side by side (`npm run bench:load -- --engine sqlite|postgres|both [--servers N]`):
 * the same seeded database served from SQLite and from PostgreSQL, by N app servers each (each
 * `node server.js` as `npm start` runs it, WEB_CONCURRENCY=--processes, 1 by default, on its own
 * port), the load spread over them round-robin per connection. For PostgreSQL a throwaway cluster
 * is started (tests/support/postgres.ts) and the SQLite database is copied into it with the
 * project's copy (`npm run db:copy -- --to … --from …`). The raw baseline (node:http +
 * better-sqlite3, no framework: the challenge's 20 ideas as JSON, one idea insert) is measured in
 * the same run, last, on the SQLite copy. Prints one table: per scenario and concurrency, each
 * engine's served rate, p50/p99 and its ratio to the raw baseline (pages against the raw read,
 * votes and posts against the raw insert).
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Mix, RunResult } from "./load-client";
import { childEnv, describeDb, fmt, freePort, log, signIn, sleep, startJamboree, startRaw, stop, type Server } from "./load-common";
import { appMixes, checkPost, type LoadClient, ms, rawMixes, runSteps, servedRate, signInPeople } from "./load-setup";
import { startCluster, type Cluster } from "../support/postgres";
import { redactUrl } from "../../db/engine.js";

export type Engine = "sqlite" | "postgres";

export interface EngineOptions {
  engines: Engine[];
  servers: number;
  processes: number;
  levels: number[];
  duration: number;
  users: number;
  port: number;
  /** The migrated SQLite copy the servers use (and the copy into PostgreSQL reads). */
  file: string;
  tag: string;
  client: LoadClient;
}

interface Cell {
  engine: Engine | "raw";
  kind: string;
  connections: number;
  r: RunResult;
}

const SCENARIOS = ["jam", "challenge", "idea", "vote", "post"] as const;
/** What a scenario is compared with in the raw baseline: a read, or an insert. */
const RAW_OF: Record<string, "challenge" | "post"> = { jam: "challenge", challenge: "challenge", idea: "challenge", vote: "post", post: "post" };


/** Starts `n` app servers on one database (ports from `from`), each as `npm start` runs it. */
async function startServers(n: number, from: number, file: string, env: Record<string, string>): Promise<Server[]> {
  const servers: Server[] = [];
  let port = from;
  for (let k = 0; k < n; k++) {
    port = await freePort(port);
    servers.push(await startJamboree(file, port, env));
    port += 1;
  }
  return servers;
}

function drive(engine: Engine | "raw", urls: string[], mixes: Record<string, Mix>, o: EngineOptions, cells: Cell[]) {
  const steps = { label: engine, urls, levels: o.levels, durationS: o.duration, warmTag: `${o.tag}-${engine}-warm`, tag: `${o.tag}-${engine}` };
  return runSteps(o.client, steps, mixes, (kind, connections, r) => cells.push({ engine, kind, connections, r }));
}

/** One engine: its servers, a check of the post and vote requests, then every scenario at every level. */
async function runEngine(engine: Engine, o: EngineOptions, cells: Cell[], pgUrl: string | null) {
  const facts = describeDb(o.file);
  const env: Record<string, string> = { WEB_CONCURRENCY: String(o.processes), ...(pgUrl ? { DATABASE_URL: pgUrl } : {}) };
  const servers = await startServers(o.servers, o.port, o.file, env);
  log(
    `\n${engine === "sqlite" ? "SQLite" : "PostgreSQL"}: ${fmt(facts.ideas)} ideas, ${fmt(facts.people)} people — ${servers.length} app server(s) ` +
      `(${servers.map((s) => s.port).join(", ")}), ${o.processes} process(es) each, on ${engine === "sqlite" ? o.file : redactUrl(pgUrl!)}`,
  );
  try {
    const users = signInPeople(o.users, facts.people);
    const t0 = performance.now();
    // Sessions live in the database: a cookie from one server is good on all of them.
    const cookies = await signIn(servers[0]!, users);
    log(`  signed in ${cookies.length} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const server of servers) {
      const check = await checkPost(server, facts, cookies[0]!, `check-${o.tag}-${engine}-${server.port}`);
      if (check.status !== 302) log(`  ! posting an idea on ${server.origin} answered ${check.status}: ${check.body.slice(0, 300)}`);
    }
    const headers = { origin: servers[0]!.origin };
    await drive(engine, servers.map((s) => s.origin), appMixes(facts, cookies, headers, `load-${engine}`), o, cells);
    // What a server wrote to stderr (a failing query on one engine shows here).
    // (its last 2,000 chunks: the distinct failing queries and their causes, most frequent first).
    const seen = new Map<string, number>();
    for (const server of servers) {
      const lines = server.stderr.join("").split("\n");
      lines.forEach((line, k) => {
        const m = /(Failed query: .{0,160}|cause: error: .{0,160}|^\S*Error: .{0,160})/.exec(line.trim());
        if (!m) return;
        // An error thrown in the app: where (its first two frames).
        const where = /Error: /.test(m[1]!) && !m[1]!.startsWith("cause") ? lines.slice(k + 1, k + 3).map((l) => l.trim()).join(" ") : "";
        const text = where ? `${m[1]!} ${where}` : m[1]!;
        seen.set(text, (seen.get(text) ?? 0) + 1);
      });
    }
    for (const [line, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 8)) log(`  server stderr ×${n}: ${line}`);
  } finally {
    for (const server of servers) await stop(server.child);
  }
}

/** Copies the SQLite database into a fresh PostgreSQL database with `npm run db:copy`. */
function copyIntoPostgres(file: string, url: string) {
  const t0 = performance.now();
  const out = execFileSync("npm", ["run", "-s", "db:copy", "--", "--to", url, "--from", file], { env: childEnv({}), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const lastLines = out.trim().split("\n").slice(-2).join(" / ");
  log(`Copied ${file} into ${redactUrl(url)} with npm run db:copy in ${((performance.now() - t0) / 1000).toFixed(1)} s (${lastLines.slice(0, 200)})`);
}

export async function compareEngines(o: EngineOptions) {
  const cells: Cell[] = [];
  let cluster: Cluster | null = null;
  try {
    if (o.engines.includes("postgres")) {
      const t0 = performance.now();
      cluster = await startCluster({ log, port: await freePort(o.port + o.servers + 1) });
      log(`Started a throwaway PostgreSQL cluster on port ${cluster.port} in ${((performance.now() - t0) / 1000).toFixed(1)} s (fsync off, synchronous_commit off: a test cluster)`);
      // Copied before any load, so both engines serve the same rows.
      copyIntoPostgres(o.file, cluster.url);
    }
    for (const engine of o.engines) {
      await runEngine(engine, o, cells, engine === "postgres" ? cluster!.url : null);
      await sleep(500);
    }
  } finally {
    cluster?.stop();
  }

  // The raw baseline, last (its inserts change the SQLite copy), on one server.
  const facts = describeDb(o.file);
  const raw = await startRaw(o.file, await freePort(o.port));
  log(`\nRaw baseline (node:http + better-sqlite3, one process, no framework) on ${raw.origin}`);
  try {
    await drive("raw", [raw.origin], rawMixes(facts, o.users), o, cells);
  } finally {
    await stop(raw.child);
  }
  printSideBySide(cells, o);
}

function printSideBySide(cells: Cell[], o: EngineOptions) {
  const find = (engine: Cell["engine"], kind: string, c: number) => cells.find((x) => x.engine === engine && x.kind === kind && x.connections === c)?.r;
  const names: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };
  const width = 34;
  log(
    `\nSide by side: ${o.servers} app server(s) × ${o.processes} process(es) per engine, ${o.duration} s per step; served (2xx/3xx) per second, latency of all answers, ` +
      `and the served rate against the raw baseline (pages: raw read of the challenge's ideas; vote, post: raw insert)`,
  );
  log(
    `  ${"scenario".padEnd(10)}${"conns".padStart(6)}  ${"raw ok/s".padStart(9)}  ` +
      o.engines.map((e) => `| ${`${names[e]}: ok/s  p50  p99 ms  vs raw`.padEnd(width)}`).join(" "),
  );
  for (const kind of SCENARIOS) {
    for (const c of o.levels) {
      const raw = find("raw", RAW_OF[kind]!, c);
      const rawRate = raw ? servedRate(raw, o.duration) : Number.NaN;
      const parts = o.engines.map((e) => {
        const r = find(e, kind, c);
        if (!r) return `| ${"-".padEnd(width)}`;
        const rate = servedRate(r, o.duration);
        const errors = Object.entries(r.status).filter(([code]) => Number(code) >= 500).reduce((n, [, v]) => n + v, 0);
        const text = `${fmt(rate, 0).padStart(6)} ${ms(r.p50).padStart(5)} ${ms(r.p99).padStart(6)}  ${(Number.isFinite(rawRate) ? `${((100 * rate) / rawRate).toFixed(0)}%` : "-").padStart(5)}${errors ? `  ${errors}×5xx` : ""}`;
        return `| ${text.padEnd(width)}`;
      });
      log(`  ${kind.padEnd(10)}${String(c).padStart(6)}  ${(Number.isFinite(rawRate) ? fmt(rawRate, 0) : "-").padStart(9)}  ${parts.join(" ")}`);
    }
  }
  if (o.engines.length === 2) {
    log(`\n  PostgreSQL / SQLite (served rate)   ` + o.levels.map((c) => `c=${c}`.padStart(8)).join(""));
    for (const kind of SCENARIOS) {
      const line = o.levels.map((c) => {
        const a = find("postgres", kind, c);
        const b = find("sqlite", kind, c);
        return (a && b && servedRate(b, o.duration) > 0 ? `${((100 * servedRate(a, o.duration)) / servedRate(b, o.duration)).toFixed(0)}%` : "-").padStart(8);
      });
      log(`  ${kind.padEnd(36)}${line.join("")}`);
    }
  }
}
