/**
 * People-network benchmark at InnovationJam scale (a benchmark, not a test:
 * it prints figures and asserts nothing about timings).
 *
 *   npm run bench:network
 *
 * Builds a throwaway database under tests/.tmp/bench/ with 150,000 people in
 * 100 departments, one jam, ~46,000 ideas, 1,000,000 support votes and
 * 150,000 comments (a third of them replies), then times: the plain GROUP BY
 * SQL alone (raw better-sqlite3, the baseline), buildInteractionGraph, each
 * algorithm, the whole computeNetworkNow (graph + algorithms + snapshot write),
 * the page view (first call parses the snapshot and lays out the drawing) and a
 * recompute in a worker thread. Betweenness is ESTIMATED at this scale from a
 * few sampled BFS sources (see app/network/brokerage.ts).
 */
import { mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { removeDatabaseFiles } from "../../db/client";

const PEOPLE = 150_000;
const DEPARTMENTS = 100;
const IDEAS = 46_000;
const VOTES = 1_000_000;
const COMMENTS = 150_000;
const REPLY_SHARE = 0.33;
const ANONYMOUS_SHARE = 0.05;
const HIDDEN_SHARE = 0.01;
const MERGES = 500;
const SEED = 20_260_501;

const dir = resolve("tests/.tmp/bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `network-${process.pid}-${Date.now()}.db`);
process.env.DATABASE_URL = file;

const { db, closeDb } = await import("~db/client");
const { migrateDb } = await import("~db/migrate");
const net = await import("~/services/jobs/network.server");
const netViews = await import("~/services/lookups/network.server");
const netCommands = await import("~/services/commands/network.server");
const { analyseNetwork } = await import("~/network/analyse");
const { pageRank } = await import("~/network/pagerank");
const { brokerage, betweenness } = await import("~/network/brokerage");
const { departmentMatrix } = await import("~/network/matrix");
const { SQLiteSyncDialect } = await import("drizzle-orm/sqlite-core");

// The same seeded generator as the theme engine, so every run builds the same data.
const { mulberry32 } = await import("~/synthesis/rng");
const random = mulberry32(SEED);
const int = (n: number) => Math.floor(random() * n);
const log = (msg: string) => console.log(msg);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** Runs fn `reps` times (after `warmup` untimed runs) and reports the median. */
async function time<T>(label: string, fn: () => T | Promise<T>, reps = 1, warmup = 0): Promise<{ value: T; ms: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  let value!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[Math.floor((samples.length - 1) / 2)]!;
  log(`  ${label.padEnd(52)} ${fmt(ms).padStart(8)} ms${reps > 1 ? ` (median of ${reps})` : ""}`);
  return { value, ms };
}

function cleanup() {
  void closeDb();
  removeDatabaseFiles(file);
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Someone else's file is there: leave the folder.
  }
}

try {
  log(`People-network benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const conn = db();
  migrateDb(conn);
  const sqlite = conn.$client;
  const now = Date.now();

  // ------------------------------------------------------------ build data
  const build = performance.now();
  sqlite.transaction(() => {
    const dept = sqlite.prepare("INSERT INTO departments (id, name) VALUES (?, ?)");
    for (let d = 1; d <= DEPARTMENTS; d++) dept.run(d, `Department ${d}`);
    const user = sqlite.prepare("INSERT INTO users (id, email, name, password_hash, role, department_id, hidden_from_rankings, created_at) VALUES (?, ?, ?, 'x', ?, ?, ?, ?)");
    for (let id = 1; id <= PEOPLE; id++) {
      // Skewed department sizes: low-numbered departments are bigger.
      const d = 1 + Math.floor(DEPARTMENTS * random() ** 1.6);
      user.run(id, `p${id}@example.test`, `Person ${id}`, id === 1 ? "admin" : "participant", random() < 0.005 ? null : d, random() < 0.02 ? 1 : 0, now);
    }
    sqlite.prepare("INSERT INTO jams (id, slug, title, starts_at, ends_at, created_by, created_at, updated_at) VALUES (1, 'bench', 'Bench jam', ?, ?, 1, ?, ?)").run(now - 72 * 3_600_000, now - 3_600_000, now, now);
    const challenge = sqlite.prepare("INSERT INTO challenges (id, jam_id, title, question, position, created_at) VALUES (?, 1, ?, 'Q?', ?, ?)");
    for (let c = 1; c <= 8; c++) challenge.run(c, `Challenge ${c}`, c, now);
  })();
  // Authors: ~30,000 people, a few prolific (Pareto-ish).
  const authorOf = new Int32Array(IDEAS + 1);
  const challengeOf = new Int32Array(IDEAS + 1);
  sqlite.transaction(() => {
    const idea = sqlite.prepare(
      "INSERT INTO ideas (id, challenge_id, jam_id, author_id, is_anonymous, title, body, client_key, hidden_at, created_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
    );
    const words = ["onboarding", "pricing", "packaging", "mentoring", "travel", "energy", "billing", "hiring", "security", "training"];
    for (let id = 1; id <= IDEAS; id++) {
      const author = 1 + Math.floor(30_000 * random() ** 2);
      authorOf[id] = author;
      challengeOf[id] = 1 + int(8);
      const w = words[int(words.length)]!;
      idea.run(id, challengeOf[id], author, random() < ANONYMOUS_SHARE ? 1 : 0, `Better ${w} idea ${id}`, `We could improve ${w} by trying something new.`, `k${id}`, random() < HIDDEN_SHARE ? now : null, now);
    }
  })();
  sqlite.transaction(() => {
    const merge = sqlite.prepare("UPDATE ideas SET merged_into_id = ?, hidden_at = ? WHERE id = ? AND hidden_at IS NULL");
    for (let m = 0; m < MERGES; m++) {
      const dup = 1 + int(IDEAS);
      const kept = 1 + int(IDEAS);
      if (dup !== kept) merge.run(kept, now, dup);
    }
  })();
  let votes = 0;
  sqlite.transaction(() => {
    const vote = sqlite.prepare("INSERT OR IGNORE INTO votes (user_id, idea_id, challenge_id, created_at) VALUES (?, ?, ?, ?)");
    while (votes < VOTES) {
      const ideaId = 1 + Math.floor(IDEAS * random() ** 2.5); // popular ideas draw most votes
      const userId = 1 + int(PEOPLE);
      if (userId === authorOf[ideaId]) continue;
      votes += vote.run(userId, ideaId, challengeOf[ideaId], now).changes;
    }
  })();
  sqlite.transaction(() => {
    const comment = sqlite.prepare("INSERT INTO comments (id, idea_id, parent_id, author_id, body, client_key, created_at) VALUES (?, ?, ?, ?, 'A comment.', ?, ?)");
    const ideaOfComment = new Int32Array(COMMENTS + 1);
    for (let id = 1; id <= COMMENTS; id++) {
      const author = 1 + Math.floor(PEOPLE * random() ** 1.5);
      if (id > 100 && random() < REPLY_SHARE) {
        const parent = 1 + int(id - 1);
        ideaOfComment[id] = ideaOfComment[parent]!;
        comment.run(id, ideaOfComment[id], parent, author, `c${id}`, now);
      } else {
        ideaOfComment[id] = 1 + Math.floor(IDEAS * random() ** 2);
        comment.run(id, ideaOfComment[id], null, author, `c${id}`, now);
      }
    }
  })();
  sqlite.exec("ANALYZE");
  log(`Built ${PEOPLE.toLocaleString("en")} people, ${IDEAS.toLocaleString("en")} ideas, ${votes.toLocaleString("en")} votes, ${COMMENTS.toLocaleString("en")} comments in ${((performance.now() - build) / 1000).toFixed(1)} s`);

  // --------------------------------------------------------------- timings
  log("\nAll-jams scope (0):");
  const query = new SQLiteSyncDialect().sqlToQuery(netViews.interactionSql());
  const raw = sqlite.prepare(query.sql);
  // One untimed run of each warms the page cache, so neither pays for the cold read.
  const baseline = await time("raw GROUP BY SQL alone (better-sqlite3 .all)", () => raw.all(...query.params) as unknown[], 3, 1);
  const graph = await time("buildInteractionGraph(0)", async () => await net.buildInteractionGraph(db(), 0), 3, 1);
  log(`    → ${graph.value.people.length.toLocaleString("en")} people, ${graph.value.edges.length.toLocaleString("en")} edges (raw rows ${baseline.value.length.toLocaleString("en")}); ratio service/raw ${(graph.ms / baseline.ms).toFixed(2)}`);

  const g = { nodes: graph.value.people.map((p) => p.id), edges: graph.value.edges };
  const deptOf = new Map(graph.value.people.map((p) => [p.id, p.departmentId]));
  const departmentOf = (id: number) => deptOf.get(id) ?? null;
  const ids = [...new Set(graph.value.people.map((p) => p.departmentId).filter((d): d is number => d !== null))];
  const pr = await time("pageRank", () => pageRank(g));
  await time("brokerage", () => brokerage(g, departmentOf));
  await time("betweenness, 48 sampled sources (estimate)", () => betweenness(g, { samples: 48, seed: 2026 }));
  await time("departmentMatrix", () => departmentMatrix(g, departmentOf, ids));
  const analysed = await time("analyseNetwork (all of the above + top edges)", () => analyseNetwork(graph.value, { computedAt: now }));
  const json = JSON.stringify(analysed.value);
  log(`    → snapshot JSON ${(json.length / 1e6).toFixed(1)} MB, betweenness ${analysed.value.betweenness.exact ? "exact" : `estimated from ${analysed.value.betweenness.sources} sources`}; PageRank sum ${[...pr.value.values()].reduce((a, b) => a + b, 0).toFixed(6)}`);
  const full = await time("computeNetworkNow(0): graph + algorithms + write", async () => await net.computeNetworkNow(0, now));
  const admin = { id: 1, name: "Person 1", email: "p1@example.test", role: "admin" as const, departmentId: null };
  await time("networkView (first call: parse snapshot, layout 150)", async () => await netViews.networkView(db(), admin, null));
  await time("networkView (cached)", async () => await netViews.networkView(db(), admin, null));
  await time("personalNetwork of a busy author", async () => await netViews.personalNetwork(db(), { ...admin, id: 2 }));
  await time("searchExperts('who knows about onboarding?')", async () => await netViews.searchExperts(db(), admin, "who knows about onboarding?"));

  log("\nOne jam (scope 1, every row in it):");
  await time("buildInteractionGraph(1)", async () => await net.buildInteractionGraph(db(), 1));

  log("\nRecompute in a worker thread (main thread stays free):");
  const t0 = performance.now();
  let ticks = 0;
  let worstGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const at = performance.now();
    worstGap = Math.max(worstGap, at - last);
    last = at;
    ticks++;
  }, 10);
  const handle = await netCommands.requestNetworkRecompute(admin, null, now + 1);
  log(`  requestNetworkRecompute returned in ${fmt(performance.now() - t0)} ms`);
  const status = await handle.done;
  clearInterval(timer);
  log(`  worker finished "${status}" after ${fmt(performance.now() - t0)} ms; main-thread timer ticked ${ticks}× (worst gap ${fmt(worstGap)} ms)`);

  log("\nSummary (ms): raw SQL " + fmt(baseline.ms) + " | graph " + fmt(graph.ms) + " | analyse " + fmt(analysed.ms) + " | total compute+write " + fmt(full.ms));
  log(`Load at end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
  log("\nQuery plan:\n" + plan.map((p) => `  ${p.detail}`).join("\n"));
} finally {
  cleanup();
}
