/**
 * Soak benchmark: mixed load on the PRODUCTION server for a while, watching its
 * memory (a benchmark, not a test: it prints figures and asserts nothing).
 *
 *   npm run bench:soak [-- --minutes 10 --connections 20 --users 100]
 *
 * A throwaway copy of the seeded database (tests/.tmp/bench/innovationjam.db;
 * built with smaller sizes when missing, as bench:load does), `node server.js`
 * as `npm start` runs it (no NODE_ENV) and RATE_LIMITS=off on 127.0.0.1, people signed in
 * through POST /login, then autocannon from a second process (load-client.ts)
 * for --minutes at --connections, each connection cycling through: challenge
 * page, idea page, vote (.data fetcher POST), idea page, post a new idea, challenge
 * page, jam home. Every 30 s it prints the server's VmRSS (/proc/<pid>/status) split into
 * its own memory (RssAnon) and mapped file pages (RssFile: the database read
 * through mmap, bounded by the file's size), its V8 heap (process.memoryUsage()
 * written to stderr by a preloaded probe, tests/bench/heap-probe.mjs) and the
 * throughput and latency of that interval; at the end a verdict comparing the
 * first minute's own memory (RssAnon) with the last minute's.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { describeDb, ensureBuild, fmt, freePort, killAllNow, log, procFigures, signIn, startJamboree, startLoadClient, stop } from "./load-common";
import { DEFAULT_BENCH_DB, parseFlags, seedBenchDb } from "./seed";
import { removeDatabaseFiles } from "../../db/client";

const flags = parseFlags(process.argv.slice(2), {
  db: DEFAULT_BENCH_DB,
  minutes: 10,
  connections: 20,
  users: 100,
  people: 20_000,
  ideas: 46_000,
  votes: 200_000,
  comments: 30_000,
});
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 30_000);
const dir = resolve("tests/.tmp/bench");
const copy = join(dir, `soak-${process.pid}-${Date.now().toString(36)}.db`);
const durationS = Math.max(10, Math.round(flags.minutes * 60));

process.on("exit", () => {
  killAllNow();
  removeDatabaseFiles(copy);
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not empty
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => (log(`\n${signal}: stopping`), process.exit(1)));
setTimeout(() => (log("\nTime limit reached: stopping."), process.exit(1)), (durationS + 180) * 1000).unref();

try {
  log(`Soak: ${flags.minutes} min at ${flags.connections} connections; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  mkdirSync(dir, { recursive: true });
  ensureBuild();
  if (!existsSync(flags.db)) {
    log(`${flags.db} is missing: building it (--people ${flags.people} --ideas ${flags.ideas} --votes ${flags.votes} --comments ${flags.comments})`);
    await seedBenchDb({ out: flags.db, people: flags.people, ideas: flags.ideas, votes: flags.votes, comments: flags.comments });
  }
  copyFileSync(flags.db, copy);
  const facts = describeDb(copy);
  const server = await startJamboree(copy, await freePort(3451), {}, ["--import", resolve("tests/bench/heap-probe.mjs")]);
  const pid = server.child.pid!;
  let heap = { heapUsed: Number.NaN, heapTotal: Number.NaN, external: Number.NaN };
  let partial = "";
  server.child.stderr!.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    for (const line of parts) if (line.startsWith("HEAP ")) heap = JSON.parse(line.slice(5));
  });
  log(`${fmt(facts.ideas)} ideas, ${fmt(facts.people)} people — node server.js on ${server.origin} (pid ${pid})`);
  const users = Array.from({ length: flags.users }, (_, k) => 2 + Math.floor((k * (facts.people - 2)) / flags.users));
  const cookies = await signIn(server, users);
  log(`signed in ${cookies.length} people`);

  const slug = facts.jam.slug;
  const headers = { origin: server.origin };
  const challenge = { label: "challenge", method: "GET" as const, paths: facts.challengeIds.map((id) => `/jams/${slug}/challenges/${id}`), cookies };
  const idea = { label: "idea", method: "GET" as const, paths: facts.ideaIds.map((id) => `/jams/${slug}/ideas/${id}`), random: true, cookies };
  const mixes = [
    challenge,
    idea,
    { label: "vote", method: "POST" as const, paths: facts.ideaIds.map((id) => `/jams/${slug}/ideas/${id}.data`), random: true, cookies, body: "intent=vote&js=1", headers },
    idea,
    {
      label: "post",
      method: "POST" as const,
      paths: challenge.paths,
      cookies,
      body: "intent=post&title=Soak+idea+{i}&body=Posted+by+the+soak+benchmark.&clientKey=soak-{i}",
      headers,
    },
    challenge,
    { label: "jam", method: "GET" as const, paths: [`/jams/${slug}`], cookies },
  ];

  const samples: { t: number; rssMb: number; anonMb: number; heapMb: number }[] = [];
  const t0 = performance.now();
  const first = procFigures(pid);
  log(`\n  time    RSS MB   own MB  file MB  heap used/total MB   req/s   p50 ms  p99 ms   statuses`);
  const memory = (m: ReturnType<typeof procFigures>) => `${fmt(m.rssMb).padStart(7)}  ${fmt(m.anonMb).padStart(7)}  ${fmt(m.fileMb).padStart(7)}`;
  log(`  ${"0:00".padStart(5)}  ${memory(first)}  ${`${fmt(heap.heapUsed / 1048576)}/${fmt(heap.heapTotal / 1048576)}`.padStart(18)}   (before the load)`);
  const client = startLoadClient((p) => {
    const t = (performance.now() - t0) / 1000;
    const m = procFigures(pid);
    samples.push({ t, rssMb: m.rssMb, anonMb: m.anonMb, heapMb: heap.heapUsed / 1048576 });
    const status = Object.entries(p.status as Record<string, number>).map(([k, v]) => `${k}×${v}`).join(" ");
    const clock = `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, "0")}`;
    log(
      `  ${clock.padStart(5)}  ${memory(m)}  ${`${fmt(heap.heapUsed / 1048576)}/${fmt(heap.heapTotal / 1048576)}`.padStart(18)}  ${fmt(p.rps as number).padStart(6)}  ${fmt(p.p50 as number).padStart(7)} ${fmt(p.p99 as number).padStart(7)}   ${status}`,
    );
  });
  const r = await client.run({ url: server.origin, connections: flags.connections, durationS, mixes, tag: `soak-${Date.now().toString(36)}`, progressMs: SAMPLE_MS });
  const last = procFigures(pid);
  client.child.send({ type: "exit" });
  await stop(server.child);

  log(`\nTotal ${fmt(r.total)} requests in ${fmt(durationS)} s: ${fmt(r.rps)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms; ` +
    Object.entries(r.status).map(([k, v]) => `${k}×${v}`).join(" ") + (r.errors ? `, errors ${r.errors}` : "") + (r.timeouts ? `, timeouts ${r.timeouts}` : ""));
  log(
    `Server RSS: ${fmt(first.rssMb)} MB before, ${fmt(last.rssMb)} MB at the end, peak ${fmt(last.hwmMb)} MB ` +
      `(own memory ${fmt(first.anonMb)} -> ${fmt(last.anonMb)} MB; mapped database pages ${fmt(first.fileMb)} -> ${fmt(last.fileMb)} MB)`,
  );
  // Flatness: mean own memory (RssAnon) of the samples in the first minute vs the last minute (one sample each with --minutes 1).
  const span = durationS;
  const firstMin = samples.filter((s) => s.t <= Math.min(60, span / 2) + 1);
  const lastMin = samples.filter((s) => s.t >= span - 60 - 1);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  if (firstMin.length && lastMin.length) {
    const a = mean(firstMin.map((s) => s.anonMb));
    const b = mean(lastMin.map((s) => s.anonMb));
    const ha = mean(firstMin.map((s) => s.heapMb));
    const hb = mean(lastMin.map((s) => s.heapMb));
    const growth = ((b - a) / a) * 100;
    const verdict = Math.abs(growth) <= 10 ? "FLAT (within ±10 %)" : growth > 0 ? "GROWING (more than +10 %: look for a leak)" : "SHRINKING";
    log(`Verdict: own memory (RssAnon) first minute ${fmt(a)} MB -> last minute ${fmt(b)} MB (${growth >= 0 ? "+" : ""}${growth.toFixed(1)} %), heap used ${fmt(ha)} -> ${fmt(hb)} MB: ${verdict}`);
    if (span < 180) log("  (a run this short mostly shows warm-up: caches filling and V8 growing its heap; use the full 10 minutes to judge)");
  } else log("Verdict: not enough samples (run for at least one sampling interval)");
  process.exit(0);
} catch (error) {
  console.error("\nSoak failed:", error);
  process.exit(1);
}
