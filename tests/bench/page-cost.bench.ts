/**
 * Page cost benchmark: `npm run bench:pages`.
 *
 * The server CPU each busy page costs, beside a raw page in the same run. Seeds the demo company
 * into a throwaway database (as `npm start` does: migrate, then seed an empty database), starts the
 * server as `npm start` runs it (`node server.js`, no NODE_ENV) as ONE server process
 * (WEB_CONCURRENCY=1, so the CPU read from /proc is all of it), signs in as the demo participant
 * and the demo facilitator, and drives each page with autocannon at 50 connections from a second
 * process (load-client.ts). For each page: a warm-up, then rounds of a fixed number of pages, every
 * one answered before the round ends; the server process's CPU time (user + system, from
 * /proc/<pid>/stat) over a round divided by its pages, three rounds, the median. CPU per page is
 * much less sensitive to other work on the machine than pages per second.
 *
 * The raw baseline runs in the same run on the same database: load-raw-server.ts (node:http +
 * better-sqlite3, the app's pragmas, no framework, no session, no React) answering the live
 * challenge's 50 newest ideas with their authors as JSON. Printed: CPU per page, the page's size, and
 * raw CPU / page CPU (the share of the raw page's rate the page can reach on the same CPU).
 *
 * Measuring a change (A/B): `--save DIR` builds and keeps a copy of the server as it is (the build,
 * server.js and its helpers) in DIR, then stops; after the change, `--against DIR` runs that copy
 * beside the working tree's server on the same database, their rounds interleaved, and prints
 * for each page the median of the paired differences (this tree minus the copy), so load from
 * other work on the machine falls on both alike.
 *
 * Flags: --requests N (500, per round), --rounds N (3), --connections N (50),
 *        --only LIST (page names, comma-separated; `raw` for the baseline), --no-build,
 *        --db FILE (a copy of it instead of seeding), --prof DIR (the working tree's server under
 *        `node --cpu-prof`; the profile is written there when it stops), --save DIR, --against DIR,
 *        --tree DIR (a saved copy in place of the working tree).
 *
 * Figures, not assertions. Linux only (/proc).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { removeDatabaseFiles } from "../../db/client";
import { DEMO_PASSWORD } from "../../seeds/demo";
import type { Mix } from "./load-client";
import {
  childEnv,
  ensureBuild,
  fmt,
  freePort,
  killAllNow,
  log,
  procFigures,
  request,
  root,
  startJamboree,
  startLoadClient,
  startRaw,
  stop,
  type Server,
} from "./load-common";
import { parseFlags } from "./seed";

const flags = parseFlags(process.argv.slice(2), {
  requests: 500,
  rounds: 3,
  connections: 50,
  only: "",
  build: true,
  db: "",
  prof: "",
  save: "",
  against: "",
  /** A saved copy to run in place of the working tree (to compare two saved copies). */
  tree: "",
});
/**
 * One server process; admission control's refusals out of reach (what is measured is the work a
 * page costs, not what an overloaded machine refuses): requests still take turns, none is refused.
 */
const SERVER_ENV = { WEB_CONCURRENCY: "1", QUEUE_TARGET_MS: "1000000", QUEUE_BURST_MS: "1000000" };
const TMP = resolve("tests/.tmp/bench/page-cost");
const TIME_LIMIT_MS = 9 * 60_000;

/** The server process's CPU time so far, in ms (user + system, from /proc/<pid>/stat; USER_HZ is 100). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function signIn(server: Server, email: string): Promise<string> {
  const res = await request(server.port, {
    method: "POST",
    path: "/login",
    headers: { Origin: server.origin },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/jams" }).toString(),
  });
  const cookie = [res.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("jamboree_session="));
  if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed: ${res.status}`);
  return cookie.split(";")[0]!;
}

interface Figure {
  name: string;
  cpuMs: number;
  bytes: number;
  rounds: number[];
}

type Client = ReturnType<typeof startLoadClient>;

/**
 * One round on one server: `--requests` pages at `--connections` at a time, every one answered
 * before the round ends, so the server's CPU from the first request to the last answer is all
 * theirs (a round cut off by time would count the work on pages still in flight, and with 50 in
 * flight on a busy machine that is most of them). CPU per page, in ms. (No pages per second: a
 * run of a fixed number of pages ends on autocannon's one-second tick.)
 */
async function round(client: Client, server: Server, name: string, mix: Mix, tag: string, requests: number) {
  const before = cpuMs(server.child.pid!);
  const r = await client.run({ url: server.origin, connections: flags.connections, durationS: 0, amount: requests, mixes: [mix], tag });
  const used = cpuMs(server.child.pid!) - before;
  const served = r.status["200"] ?? 0;
  if (served !== requests) throw new Error(`${name}: ${served} of ${requests} answers were 200: ${JSON.stringify(r.status)}`);
  return used / served;
}

/** Checks the page answers 200 and warms the server up on it (the JIT, the statement cache). */
async function warm(client: Client, server: Server, name: string, mix: Mix): Promise<number> {
  const first = await request(server.port, { method: "GET", path: mix.paths[0]!, headers: mix.cookies[0] ? { Cookie: mix.cookies[0] } : {} });
  if (first.status !== 200) throw new Error(`${name}: ${mix.paths[0]} answered ${first.status}`);
  await client.run({ url: server.origin, connections: flags.connections, durationS: 0, amount: 300, mixes: [mix], tag: `warm-${name}` });
  return Buffer.byteLength(first.body);
}

const µs = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

/**
 * Drives one page on each server given (the working tree's first, then the saved copy), their
 * rounds interleaved; prints CPU per page, the page's size, and with two servers the
 * median paired difference.
 */
async function measure(client: Client, servers: Server[], name: string, mix: Mix, requests = flags.requests): Promise<Figure[]> {
  const bytes: number[] = [];
  for (const server of servers) bytes.push(await warm(client, server, name, mix));
  const results = servers.map(() => [] as number[]);
  for (let k = 0; k < flags.rounds; k++) {
    // Alternate which server goes first, so a trend in the machine's load falls on both alike.
    const order = servers.map((_, i) => i);
    if (k % 2 === 1) order.reverse();
    for (const i of order) {
      results[i]!.push(await round(client, servers[i]!, name, mix, `${name}-${i}-${k}`, requests));
    }
  }
  const figures = servers.map((_, i) => ({ name, cpuMs: median(results[i]!), bytes: bytes[i]!, rounds: results[i]! }));
  figures.forEach((figure, i) =>
    log(
      `  ${(servers.length > 1 ? `${name} (${i === 0 ? "this tree" : "saved"})` : name).padEnd(34)} ${µs(figure.cpuMs).padStart(9)}  ${fmt(figure.bytes).padStart(7)} B   rounds ${figure.rounds.map((v) => (v * 1000).toFixed(0)).join(" / ")} µs`,
    ),
  );
  log(`  ${"".padEnd(34)} own memory (RssAnon) after: ${servers.map((s) => `${fmt(procFigures(s.child.pid!).anonMb)} MB`).join(" / ")}`);
  if (servers.length > 1) {
    const diffs = results[0]!.map((v, k) => v - results[1]![k]!);
    const d = median(diffs);
    log(`  ${"".padEnd(34)} this tree − saved: ${d >= 0 ? "+" : ""}${µs(d)} (${((100 * d) / figures[1]!.cpuMs).toFixed(1)} %), per round ${diffs.map((v) => (v * 1000).toFixed(0)).join(" / ")} µs`);
  }
  return figures;
}

/** A copy of the server as built now (build/, server.js and the helpers it imports), to measure a change against. */
function save(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(resolve(root, "build"), resolve(dir, "build"), { recursive: true });
  for (const f of ["server.js", "package.json"]) copyFileSync(resolve(root, f), resolve(dir, f));
  // server.js imports plain JavaScript beside the build (app/http, db/engine.js): copy it all.
  for (const folder of ["app/http", "db"]) {
    mkdirSync(resolve(dir, folder), { recursive: true });
    for (const f of readdirSync(resolve(root, folder)).filter((f) => f.endsWith(".js"))) copyFileSync(resolve(root, folder, f), resolve(dir, folder, f));
  }
  symlinkSync(resolve(root, "node_modules"), resolve(dir, "node_modules"));
  log(`Saved the server as built now in ${dir}: measure a change against it with --against ${dir}`);
}

async function main() {
  log(`Page cost benchmark: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${flags.rounds} rounds of ${flags.requests} pages at ${flags.connections} connections per page`);
  if (flags.build) ensureBuild();
  if (flags.save) return save(resolve(String(flags.save)));
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const file = resolve(TMP, "demo.db");
  removeDatabaseFiles(file);
  if (flags.db) copyFileSync(String(flags.db), file);
  else {
    const env = childEnv({ DATABASE_URL: file });
    execFileSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], { env, stdio: "ignore" });
    execFileSync(process.execPath, ["--import", "tsx", "seeds/run.ts", "--if-empty"], { env, stdio: "ignore" });
  }
  const facts = new Database(file, { readonly: true });
  const now = Date.now();
  const live = facts
    .prepare("SELECT j.slug, c.id AS challengeId FROM jams j JOIN challenges c ON c.jam_id = j.id WHERE j.starts_at < ? AND j.ends_at > ? AND j.is_draft = FALSE ORDER BY c.id LIMIT 1")
    .get(now, now) as { slug: string; challengeId: number };
  // A typical busy idea: the live challenge's most supported visible idea (its comments and votes shown).
  const idea = facts.prepare("SELECT id FROM ideas WHERE challenge_id = ? AND hidden_at IS NULL ORDER BY vote_count DESC, id LIMIT 1").get(live.challengeId) as { id: number };
  facts.close();

  const client = startLoadClient();
  const port = await freePort(3480);
  const profDir = flags.prof ? resolve(String(flags.prof)) : "";
  if (profDir) mkdirSync(profDir, { recursive: true });
  const servers = [
    await startJamboree(file, port, SERVER_ENV, profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [], flags.tree ? resolve(String(flags.tree)) : root),
  ];
  if (flags.against) servers.push(await startJamboree(file, await freePort(port + 1), SERVER_ENV, [], resolve(String(flags.against))));
  const figures: Figure[] = [];
  let raw: Figure | undefined;
  const only = String(flags.only).split(",").filter(Boolean);
  try {
    // Both servers read the same database, so a session made through one is good on the other.
    const participant = await signIn(servers[0]!, "participant@jamboree.test");
    const facilitator = await signIn(servers[0]!, "facilitator@jamboree.test");
    const challenge = `/jams/${live.slug}/challenges/${live.challengeId}`;
    const pages: Record<string, Mix> = {
      challenge: { label: "challenge", method: "GET", paths: [challenge], cookies: [participant] },
      "challenge-facilitator": { label: "challenge-facilitator", method: "GET", paths: [challenge], cookies: [facilitator] },
      jam: { label: "jam", method: "GET", paths: [`/jams/${live.slug}`], cookies: [participant] },
      idea: { label: "idea", method: "GET", paths: [`/jams/${live.slug}/ideas/${idea.id}`], cookies: [participant] },
      leaderboard: { label: "leaderboard", method: "GET", paths: [`/jams/${live.slug}/leaderboard`], cookies: [participant] },
      jams: { label: "jams", method: "GET", paths: ["/jams"], cookies: [participant] },
      me: { label: "me", method: "GET", paths: ["/me"], cookies: [participant] },
    };
    log(
      `\nnode server.js as npm start runs it, one server process (pid ${servers.map((s) => s.child.pid).join(", saved copy: ")}); the demo company; participant unless named`,
    );
    log(`  ${"page".padEnd(34)} ${"CPU/page".padStart(9)}  ${"size".padStart(9)}`);
    for (const [name, mix] of Object.entries(pages)) {
      if (only.length > 0 && !only.includes(name)) continue;
      figures.push((await measure(client, servers, name, mix))[0]!);
    }
  } finally {
    for (const server of servers) await stop(server.child);
  }
  if (only.length === 0 || only.includes("raw")) {
    const rawServer = await startRaw(file, await freePort(port + 2));
    try {
      log(`\nRaw baseline: node:http + better-sqlite3 (pid ${rawServer.child.pid}), the live challenge's 50 newest ideas with their authors as JSON`);
      // Ten times the pages a round: a raw page costs so little that opening the round's 50
      // connections would otherwise be a tenth of what is counted.
      const mix: Mix = { label: "raw", method: "GET", paths: [`/challenge/${live.challengeId}?rows=50`], cookies: [] };
      raw = (await measure(client, [rawServer], "raw 50-row page", mix, 10 * flags.requests))[0];
    } finally {
      await stop(rawServer.child);
    }
  }
  client.child.send({ type: "exit" });
  if (raw && figures.length > 0) {
    log(`\nRaw CPU per page / the page's (the share of the raw page's rate each page reaches on the same CPU)`);
    for (const f of figures) log(`  ${f.name.padEnd(34)} ${((100 * raw.cpuMs) / f.cpuMs).toFixed(1).padStart(5)} %   (${(f.cpuMs / raw.cpuMs).toFixed(0)}× the raw page's CPU)`);
  }
  log(`\nLoad average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}. CPU is counted in 10 ms ticks over each round.`);
}

process.on("exit", () => {
  killAllNow();
  rmSync(TMP, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(1));
setTimeout(() => (log(`\nTime limit (${TIME_LIMIT_MS / 1000} s) reached: stopping.`), process.exit(1)), TIME_LIMIT_MS).unref();

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
