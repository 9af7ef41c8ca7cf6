/**
 * Idea template filters at scale: `npx tsx tests/bench/template-filters.bench.ts --db FILE`.
 *
 * Takes a copy of a bench database (`npm run bench:seed -- --challenges 1 --ideas 50000 ...` puts
 * every idea in one challenge), gives its largest challenge a template (a number, a choice, a
 * yes/no and a short text) answered by every idea, with some answers common and some rare, then
 * times the challenge page's service (listChallengeIdeas: the page's ideas, its cards and the
 * filters, in process, no HTTP) for each filter and sort, first page and a later page, and prints
 * the median of N runs and the SQLite query plan of the filtered page. Figures, not assertions.
 *
 * Flags: --db FILE (tests/.tmp/bench/innovationjam.db), --runs N (15).
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { DEFAULT_BENCH_DB, parseFlags } from "./seed";

const flags = parseFlags(process.argv.slice(2), { db: DEFAULT_BENCH_DB, runs: 15 });
const source = resolve(String(flags.db));
if (!existsSync(source)) throw new Error(`No bench database at ${source}: run npm run bench:seed first.`);
const dir = resolve("tests/.tmp/bench/template-filters");
mkdirSync(dir, { recursive: true });
const file = resolve(dir, "bench.db");
for (const suffix of ["", "-wal", "-shm"]) if (existsSync(source + suffix)) copyFileSync(source + suffix, file + suffix);

// The template and its answers, straight into the copy (the services would take minutes for 50,000 ideas).
const raw = new Database(file);
const challenge = raw
  .prepare("SELECT challenge_id AS id, count(*) AS n FROM ideas WHERE hidden_at IS NULL GROUP BY challenge_id ORDER BY n DESC LIMIT 1")
  .get() as { id: number; n: number };
const facilitator = (raw.prepare("SELECT id FROM users WHERE role IN ('facilitator', 'admin') ORDER BY id LIMIT 1").get() as { id: number }).id;
const now = Date.now();
const addField = raw.prepare(
  "INSERT INTO template_fields (challenge_id, position, label, help, kind, required, options, unit, created_by, created_at, updated_at) VALUES (?, ?, ?, '', ?, 0, ?, '', ?, ?, ?)",
);
const field = (position: number, label: string, kind: string, options: string[] = []) =>
  Number(addField.run(challenge.id, position, label, kind, JSON.stringify(options), facilitator, now, now).lastInsertRowid);
const cost = field(1, "Cost", "number");
const area = field(2, "Area", "choice", ["Office", "Factory", "Lab", "Remote"]);
const tried = field(3, "Tried", "yes_no");
const team = field(4, "Team", "short_text");
const answer = raw.prepare("INSERT INTO idea_field_values (idea_id, field_id, value, number_value) VALUES (?, ?, ?, ?)");
const ideaIds = (raw.prepare("SELECT id FROM ideas WHERE challenge_id = ? ORDER BY id").all(challenge.id) as { id: number }[]).map((r) => r.id);
raw.transaction(() => {
  ideaIds.forEach((id, i) => {
    const c = (i * 7919) % 100_000; // 0..99,999, spread evenly
    answer.run(id, cost, String(c), c);
    // "Lab" is rare (1 idea in 100), the others share the rest.
    answer.run(id, area, i % 100 === 0 ? "Lab" : ["Office", "Factory", "Remote"][i % 3]!, null);
    answer.run(id, tried, i % 2 === 0 ? "yes" : "no", null);
    answer.run(id, team, i % 250 === 0 ? `night shift ${i}` : `day team ${i % 40}`, null);
  });
})();
raw.pragma("optimize");
raw.close();
console.log(`Challenge ${challenge.id}: ${challenge.n.toLocaleString("en")} visible ideas, every one answering 4 fields.`);

process.env.DATABASE_URL = file;
process.env.RATE_LIMITS = "off";
const { listChallengeIdeas } = await import("../../app/services/pages/challenge.server");
const { db } = await import("../../db/client");
const { users } = await import("../../db/schema");
const { eq } = await import("drizzle-orm");
const viewerRow = (await db().select().from(users).where(eq(users.id, facilitator)).get())!;
const viewer = { ...viewerRow, role: viewerRow.role } as Parameters<typeof listChallengeIdeas>[0];

const cases: [string, Record<string, string>][] = [
  ["no filter", {}],
  ["choice = Office (1 in 3)", { [`f${area}`]: "Office" }],
  ["choice = Lab (1 in 100)", { [`f${area}`]: "Lab" }],
  ["yes/no = yes (1 in 2)", { [`f${tried}`]: "yes" }],
  ["number ≥ 50,000 (1 in 2)", { [`f${cost}_min`]: "50000" }],
  ["number ≥ 99,900 (1 in 1,000)", { [`f${cost}_min`]: "99900" }],
  ["number between 10,000 and 10,500", { [`f${cost}_min`]: "10000", [`f${cost}_max`]: "10500" }],
  ["text contains “night” (1 in 250)", { [`f${team}`]: "night" }],
  ["Lab and yes", { [`f${area}`]: "Lab", [`f${tried}`]: "yes" }],
];

function median(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const runs = Number(flags.runs);
console.log(`\nlistChallengeIdeas, median of ${runs} runs (ms): first page / next page, per sort`);
for (const sort of ["newest", "top", "trending"] as const) {
  for (const [name, filters] of cases) {
    const first: number[] = [];
    const next: number[] = [];
    let count = 0;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      const page = await listChallengeIdeas(viewer, { challengeId: challenge.id, sort, filters });
      first.push(performance.now() - t);
      count = page.ideas.length;
      if (page.nextCursor) {
        t = performance.now();
        await listChallengeIdeas(viewer, { challengeId: challenge.id, sort, filters, cursor: page.nextCursor });
        next.push(performance.now() - t);
      }
    }
    console.log(
      `${sort.padEnd(8)} ${name.padEnd(36)} ${median(first).toFixed(2).padStart(8)} / ${next.length ? median(next).toFixed(2).padStart(8) : "       -"}  (${count} on the first page)`,
    );
  }
}

const plan = async (sql: string, ...params: unknown[]) =>
  (await db().$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => `  ${r.detail}`).join("\n");
console.log("\nQuery plan, newest with choice = Lab:");
console.log(
  await plan(
    "SELECT * FROM ideas WHERE challenge_id = ? AND hidden_at IS NULL AND ideas.id IN (SELECT idea_id FROM idea_field_values WHERE field_id = ? AND value = ?) ORDER BY id DESC LIMIT 21",
    challenge.id,
    area,
    "Lab",
  ),
);
console.log("Query plan, newest with number ≥ 99,900:");
console.log(
  await plan(
    "SELECT * FROM ideas WHERE challenge_id = ? AND hidden_at IS NULL AND ideas.id IN (SELECT idea_id FROM idea_field_values WHERE field_id = ? AND number_value >= ?) ORDER BY id DESC LIMIT 21",
    challenge.id,
    cost,
    99900,
  ),
);
