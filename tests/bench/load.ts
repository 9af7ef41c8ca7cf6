/**
 * HTTP load benchmark against the PRODUCTION server (a benchmark, not a test:
 * it prints figures and asserts nothing about timings).
 *
 *   npm run bench:load [-- --duration 5 --concurrency 10,50,100 --users 100]
 *
 * Uses the seeded database (tests/.tmp/bench/innovationjam.db from `npm run
 * bench:seed`; built here with smaller sizes when missing — see the flags) and a
 * small database with a 1,000-idea jam of the same shape, each COPIED to a
 * throwaway file so runs are repeatable. On each in turn it starts `node
 * server.js` (as `npm start` runs it, no NODE_ENV; 127.0.0.1, port from 3401, RATE_LIMITS=off),
 * signs people in through POST /login, and drives it with autocannon from a
 * second process (load-client.ts) at rising concurrency:
 *
 *   jam        GET  /jams/<slug>                             (the jam home)
 *   challenge  GET  /jams/<slug>/challenges/<id>              (the document)
 *   idea       GET  /jams/<slug>/ideas/<id>
 *   vote       POST /jams/<slug>/ideas/<id>.data  intent=vote&js=1   (what the fetcher sends)
 *   post       POST /jams/<slug>/challenges/<id>  intent=post, unique clientKey  (302)
 *   floor      POST /logout with no session (big database only): the middleware and
 *              Remix routing every form post pays, with no database work (302)
 *
 * Then the raw baseline (load-raw-server.ts: node:http + better-sqlite3, no
 * framework) on the big database: the challenge page's 20 ideas, and one idea
 * insert. Prints req/s, p50/p99 latency, status counts (429s separately) and
 * the ratios for the two targets. Before the HTTP load, post-cost.ts times the
 * raw insert and the postIdea() service in-process on a copy of its own of the
 * seeded database, to set the stack's floor (the `floor` row) beside the
 * service's own work.
 *
 * The big database is served twice: by one server process (WEB_CONCURRENCY=1), and by one per
 * core as `npm start` serves it ("big-cores"), so the ratios show what every core adds.
 *
 * Flags: --db FILE, --duration S (5), --concurrency LIST (10,50,200), --users N (100),
 *        --people/--ideas/--votes/--comments (used only when --db is missing:
 *        20000/46000/200000/30000), --smallIdeas (1000), --keep (keep the copies),
 *        --admission on|off (on: server.js's admission control as deployed; off: every
 *        request let in at once, ADMIT_CONCURRENCY out of reach, as before it existed)
 *
 * The engines side by side (tests/bench/load-engines.ts): --engine sqlite|postgres|both serves the
 * same database from SQLite and/or a throwaway PostgreSQL cluster (copied with npm run db:copy),
 * by --servers N app servers each (--processes per server, 1 by default; ports from --port), the
 * load spread over them round-robin per connection, the raw baseline in the same run; one table
 * with both engines side by side. E.g.
 *   npm run bench:load -- --engine both --servers 2 --duration 3 --concurrency 10,50 --users 50
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { Mix, RunResult } from "./load-client";
import {
  childEnv,
  describeDb,
  ensureBuild,
  fmt,
  freePort,
  killAllNow,
  log,
  procFigures,
  request,
  signIn,
  sleep,
  startJamboree,
  startLoadClient,
  startRaw,
  stop,
  type Server,
} from "./load-common";
import { DEFAULT_BENCH_DB, parseFlags, seedBenchDb } from "./seed";
import { openDb, removeDatabaseFiles } from "../../db/client";
import { migrateDb } from "../../db/migrate";
import { compareEngines, type Engine } from "./load-engines";
import { appMixes, checkPost, ms, rawMixes, runSteps, servedRate, signInPeople, statusText } from "./load-setup";

const flags = parseFlags(process.argv.slice(2), {
  db: DEFAULT_BENCH_DB,
  duration: 5,
  concurrency: "10,50,200",
  users: 100,
  people: 20_000,
  ideas: 46_000,
  votes: 200_000,
  comments: 30_000,
  smallIdeas: 1_000,
  keep: false,
  /** "on": the server's admission control as deployed (a few requests at a time, a bounded queue, 503 beyond it); "off": everything let in at once. */
  admission: "on",
  /** sqlite | postgres | both: the engines side by side (load-engines.ts) instead of the runs above. */
  engine: "",
  /** With --engine: app servers per engine, each on its own port, and processes per server. */
  servers: 1,
  processes: 1,
  /** The first port tried for the servers. */
  port: 3401,
});
const levels = String(flags.concurrency).split(",").map(Number).filter((n) => n > 0);
const TIME_LIMIT_MS = 9 * 60_000;
const dir = resolve("tests/.tmp/bench");
const tag = `${process.pid}-${Date.now().toString(36)}`;
const bigCopy = join(dir, `load-big-${tag}.db`);
const smallFile = join(dir, `load-small-${tag}.db`);
const costFile = join(dir, `load-cost-${tag}.db`);
const started = performance.now();

function removeFiles() {
  if (flags.keep) return;
  for (const f of [bigCopy, smallFile, costFile]) removeDatabaseFiles(f);
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not empty: leave it
  }
}
process.on("exit", () => {
  killAllNow();
  removeFiles();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (log(`\n${signal}: stopping`), process.exit(1)));
setTimeout(() => (log(`\nTime limit (${TIME_LIMIT_MS / 1000} s) reached: stopping.`), process.exit(1)), TIME_LIMIT_MS).unref();

interface Row {
  db: string;
  kind: string;
  connections: number;
  r: RunResult;
}
const rows: Row[] = [];

/** Responses actually served (2xx/3xx) per second. */
const okRate = (r: RunResult) => servedRate(r, flags.duration);

async function drive(label: string, server: Server, client: ReturnType<typeof startLoadClient>, mixes: Record<string, Mix>) {
  log(`\n  ${"database".padEnd(10)} ${"request".padEnd(10)} conns   served (2xx/3xx)  latency (all responses)   status counts`);
  const steps = { label, urls: [server.origin], levels, durationS: flags.duration, warmTag: `${tag}-warm`, tag: `${tag}-${label}` };
  await runSteps(client, steps, mixes, (kind, connections, r) => rows.push({ db: label, kind, connections, r }));
}

/**
 * Overload: the challenge page offered at four times the rate served at capacity (the best served
 * rate of the concurrency steps), as an open loop: requests arrive at random at that rate whatever
 * the server answers, over up to 400 connections (load-client.ts, openLoop()). What is served
 * should stay near the rate at capacity, the rest refused at once (503), and the served answers'
 * p99 bounded. (autocannon's own rate limit is no open loop: every connection sends its share of
 * the second back to back at the same moment, and waits for each answer before the next.)
 */
const overloads: { label: string; capacity: number; capacityP99: number; firstP99: number; offered: number; r: RunResult }[] = [];
async function overload(label: string, server: Server, client: ReturnType<typeof startLoadClient>, mix: Mix) {
  const steps = rows.filter((row) => row.db === label && row.kind === "challenge");
  const best = steps.reduce((a, b) => (okRate(b.r) > okRate(a.r) ? b : a));
  const capacity = okRate(best.r);
  const offered = Math.round(4 * capacity);
  const r = await client.run({ url: server.origin, connections: 400, durationS: flags.duration, mixes: [mix], overallRate: offered, openLoop: true, tag: `${tag}-${label}-overload` });
  overloads.push({ label, capacity, capacityP99: best.r.servedP99, firstP99: steps[0]!.r.servedP99, offered, r });
  log(
    `  ${label.padEnd(10)} ${"challenge".padEnd(10)} 4× load: offered ${fmt(offered, 0)}/s, served ${fmt(okRate(r), 0)}/s ` +
      `(${((100 * okRate(r)) / capacity).toFixed(0)}% of the ${fmt(capacity, 0)}/s at capacity); served p50 ${ms(r.servedP50)} ms, p99 ${ms(r.servedP99)} ms ` +
      `(${ms(r.servedP99AfterFirstSecond)} ms after the first second); ` +
      `503 answered in p50 ${ms(r.refusedP50)} ms, p99 ${ms(r.refusedP99)} ms; ${statusText(r.status)}${r.errors ? `, errors ${r.errors}` : ""}${r.timeouts ? `, unanswered at the end ${r.timeouts}` : ""}; ` +
      `load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
}

async function jamboreeOn(label: string, file: string, port: number, client: ReturnType<typeof startLoadClient>, processes = 1) {
  const facts = describeDb(file);
  const admission: Record<string, string> = flags.admission === "off" ? { ADMIT_CONCURRENCY: "1000000" } : {};
  const server = await startJamboree(file, port, { ...admission, WEB_CONCURRENCY: String(processes) });
  log(
    `\n${label}: ${fmt(facts.ideas)} ideas, ${fmt(facts.people)} people — node server.js on ${server.origin} (pid ${server.child.pid}), ` +
      `${processes === 1 ? "one server process" : `${processes} server processes (one per core)`}; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const users = signInPeople(flags.users, facts.people);
  const t0 = performance.now();
  const cookies = await signIn(server, users);
  log(`  signed in ${cookies.length} people through POST /login in ${((performance.now() - t0) / 1000).toFixed(1)} s (argon2id verify each)`);
  // Check the vote and post requests once, by hand, so a wrong shape fails loudly.
  const slug = facts.jam.slug;
  const check = await checkPost(server, facts, cookies[0]!, `check-${tag}`);
  if (check.status !== 302) throw new Error(`posting an idea failed: ${check.status} ${check.body.slice(0, 300)}`);
  const voteCheck = await request(server.port, {
    method: "POST",
    path: `/jams/${slug}/ideas/${facts.ideaIds[0]}.data`,
    headers: { Origin: server.origin, Cookie: cookies[1]! },
    body: "intent=vote&js=1",
  });
  if (voteCheck.status >= 500) throw new Error(`voting failed: ${voteCheck.status} ${voteCheck.body.slice(0, 300)}`);
  const before = procFigures(server.child.pid!);
  const headers = { origin: server.origin };
  const mixes = appMixes(facts, cookies, headers, "load");
  await drive(label, server, client, {
    ...mixes,
    // The stack's own floor for a form post: POST /logout without a session runs the
    // same Express middleware and Remix action routing, touches no table and redirects.
    ...(label === "big" ? { floor: { label: "floor", method: "POST" as const, paths: ["/logout"], cookies: [], body: "x=1", headers } } : {}),
  });
  if (processes > 1) await overload(label, server, client, mixes.challenge);
  const after = procFigures(server.child.pid!);
  // With several processes the child is the first process, which serves nothing: its memory says nothing.
  if (processes === 1)
    log(
      `  server RSS ${fmt(before.rssMb)} MB before the load, ${fmt(after.rssMb)} MB after (peak ${fmt(after.hwmMb)} MB): ` +
        `own memory (RssAnon) ${fmt(before.anonMb)} -> ${fmt(after.anonMb)} MB, database pages mapped (RssFile) ${fmt(before.fileMb)} -> ${fmt(after.fileMb)} MB`,
    );
  await stop(server.child);
}

try {
  log(`Load benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${flags.duration} s per step, concurrency ${levels.join(", ")}`);
  mkdirSync(dir, { recursive: true });
  ensureBuild();
  if (!existsSync(flags.db)) {
    log(`${flags.db} is missing: building it with --people ${flags.people} --ideas ${flags.ideas} --votes ${flags.votes} --comments ${flags.comments}`);
    await seedBenchDb({ out: flags.db, people: flags.people, ideas: flags.ideas, votes: flags.votes, comments: flags.comments });
  }
  let t = performance.now();
  copyFileSync(flags.db, bigCopy);
  log(`Copied ${flags.db} (${fmt(statSync(flags.db).size / 1e6)} MB) to a throwaway file in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (flags.engine) {
    const engine = String(flags.engine);
    if (!["sqlite", "postgres", "both"].includes(engine)) throw new Error(`--engine must be sqlite, postgres or both (got ${engine})`);
    // Migrated before anything reads it: the copy into PostgreSQL needs the columns the app has now.
    const conn = openDb(bigCopy);
    migrateDb(conn);
    conn.$client.close();
    await compareEngines({
      engines: (engine === "both" ? ["sqlite", "postgres"] : [engine]) as Engine[],
      servers: Math.max(1, Number(flags.servers)),
      processes: Math.max(1, Number(flags.processes)),
      levels,
      duration: Number(flags.duration),
      users: Number(flags.users),
      port: Number(flags.port),
      file: bigCopy,
      tag,
      client: startLoadClient(),
    });
    log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    process.exit(0);
  }
  t = performance.now();
  await seedBenchDb({ out: smallFile, people: 5_000, ideas: flags.smallIdeas, votes: flags.smallIdeas * 20, comments: flags.smallIdeas * 3, quiet: true });
  log(`Built the small database (${fmt(flags.smallIdeas)} ideas, 5,000 people) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Where a post's time goes, in-process, on a copy of its own of the database as seeded
  // (the HTTP runs keep their 46,000 ideas; the raw run alone adds tens of thousands).
  t = performance.now();
  copyFileSync(flags.db, costFile);
  const cost = JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", resolve("tests/bench/post-cost.ts"), costFile], { env: childEnv({}), encoding: "utf8" }).trim().split("\n").pop()!,
  ) as { rawMs: number; serviceMs: number; n: number };
  removeDatabaseFiles(costFile);
  log(`Timed ${fmt(cost.n)} raw inserts and ${fmt(cost.n)} postIdea() calls in-process on a copy of the seeded database in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const client = startLoadClient();
  const port = await freePort(3401);
  await jamboreeOn("small-1k", smallFile, port, client);
  await sleep(500);
  await jamboreeOn("big", bigCopy, await freePort(port), client);
  await sleep(500);
  await jamboreeOn("big-cores", bigCopy, await freePort(port), client, cpus().length);

  // ---------------------------------------------------------- raw baseline
  await sleep(500);
  const facts = describeDb(bigCopy);
  const raw = await startRaw(bigCopy, await freePort(port));
  log(`\nRaw baseline (node:http + better-sqlite3, same pragmas) on the big database, ${raw.origin} (pid ${raw.child.pid})`);
  await drive("raw-big", raw, client, rawMixes(facts, flags.users));
  await stop(raw.child);
  client.child.send({ type: "exit" });

  // ---------------------------------------------------------- ratios
  const find = (db: string, kind: string, c: number) => rows.find((r) => r.db === db && r.kind === kind && r.connections === c)?.r;
  log("\nRatios (served req/s)                            " + levels.map((c) => `c=${c}`.padStart(8)).join(""));
  const ratioLine = (label: string, a: (c: number) => RunResult | undefined, b: (c: number) => RunResult | undefined) =>
    log(`  ${label.padEnd(47)}${levels.map((c) => { const x = a(c); const y = b(c); return (x && y ? `${((100 * okRate(x)) / okRate(y)).toFixed(0)}%` : "-").padStart(8); }).join("")}`);
  ratioLine("post idea: Jamboree big / raw big  (target ≥50%)", (c) => find("big", "post", c), (c) => find("raw-big", "post", c));
  ratioLine("stack floor (POST /logout, no work) / raw post", (c) => find("big", "floor", c), (c) => find("raw-big", "post", c));
  ratioLine("challenge page: big / small-1k    (target ≥80%)", (c) => find("big", "challenge", c), (c) => find("small-1k", "challenge", c));
  ratioLine("challenge page, every core / one process", (c) => find("big-cores", "challenge", c), (c) => find("big", "challenge", c));
  ratioLine("challenge page, every core / raw big JSON", (c) => find("big-cores", "challenge", c), (c) => find("raw-big", "challenge", c));
  ratioLine("post idea, every core / one process", (c) => find("big-cores", "post", c), (c) => find("big", "post", c));
  ratioLine("challenge page, every core: this level / c=10", (c) => find("big-cores", "challenge", c), () => find("big-cores", "challenge", levels[0]!));
  ratioLine("challenge page: Jamboree big / raw big JSON", (c) => find("big", "challenge", c), (c) => find("raw-big", "challenge", c));
  ratioLine("jam home: big / small-1k", (c) => find("big", "jam", c), (c) => find("small-1k", "jam", c));
  ratioLine("idea page: big / small-1k", (c) => find("big", "idea", c), (c) => find("small-1k", "idea", c));
  ratioLine("vote: big / small-1k", (c) => find("big", "vote", c), (c) => find("small-1k", "vote", c));

  // ---------------------------------------------------------- where a post's time goes
  const c0 = levels[0]!;
  const msPer = (r: RunResult | undefined) => (r ? (1000 / okRate(r)).toFixed(2) : "-");
  log(`\nWhere a post's time goes (ms of one core per idea; HTTP rows are 1 / served rate at c=${c0})`);
  log(`  raw insert, in-process, no HTTP                     ${cost.rawMs.toFixed(2)}`);
  log(`  postIdea() service, in-process, no HTTP             ${cost.serviceMs.toFixed(2)}   (the idea, points ledger and totals, badges, follower notices)`);
  log(`  raw post through node:http                          ${msPer(find("raw-big", "post", c0))}`);
  log(`  stack floor through Express + Remix (POST /logout)  ${msPer(find("big", "floor", c0))}`);
  log(`  post through Express + Remix                        ${msPer(find("big", "post", c0))}`);
  const floorRow = find("big", "floor", c0);
  const rawRow = find("raw-big", "post", c0);
  if (floorRow && rawRow) log(`  the floor alone caps posting at ${((100 * okRate(floorRow)) / okRate(rawRow)).toFixed(0)}% of the raw rate, before the service does any work`);
  log(`  the service alone, in-process with no HTTP at all, runs at ${((100 * cost.rawMs) / cost.serviceMs).toFixed(0)}% of the raw insert's rate`);

  for (const o of overloads)
    log(
      `\nOverload (${o.label}, challenge page offered at 4× capacity, open loop): served ${((100 * okRate(o.r)) / o.capacity).toFixed(0)}% of the rate at capacity ` +
        `(${fmt(okRate(o.r), 0)} against ${fmt(o.capacity, 0)}/s); ${o.r.status["503"] ?? 0} answered 503 (p99 ${ms(o.r.refusedP99)} ms); ` +
        `served p99 ${ms(o.r.servedP99)} ms (${ms(o.r.servedP99AfterFirstSecond)} ms after the first second) against ${ms(o.capacityP99)} ms at capacity ` +
        `(the step of the best rate; ${ms(o.firstP99)} ms at ${levels[0]} connections)`,
    );

  const limited = rows.reduce((n, r) => n + (r.r.status["429"] ?? 0), 0);
  const shed = rows.reduce((n, r) => n + (r.r.status["503"] ?? 0), 0);
  log(`\n503 responses (admission control: more than the queue serves within its bound) over the concurrency steps: ${shed}${flags.admission === "off" ? " (admission control off: everything let in at once)" : " — not counted as served; --admission off lets everything in at once"}`);
  log(`\n429 responses (rate limited) over the whole run: ${limited}${limited ? " — counted separately above; the rate-limit code did not honour RATE_LIMITS=off" : ""}`);
  log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  process.exit(0);
} catch (error) {
  console.error("\nLoad benchmark failed:", error);
  process.exit(1);
}
