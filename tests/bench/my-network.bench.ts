/**
 * /network/me for a busy person on a 50,000-idea database: `npx tsx tests/bench/my-network.bench.ts`.
 *
 * Seeds an InnovationJam-sized database (`bench:seed` with 50,000 ideas; or `--db FILE`, copied),
 * migrates the copy, picks the participant who wrote the most ideas, and gives them a learning
 * network on top: a published synthesis whose 40 themes hold every idea, 40 communities on those
 * themes (a quarter members only) with members, 150 questions they asked with an accepted answer,
 * 300 answers of theirs accepted by others, 150 accepted changes each way, co-authors, ideas built on
 * each way and 60 people they follow. Then times `myNetworkPage` (everything the page's loader
 * reads) and each of its parts: a warm-up, then the median of `--reps` calls.
 *
 * Flags: --db FILE, --reps N (30), --keep (leave the database for a closer look). Figures, not assertions.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { removeDatabaseFiles } from "../../db/client";
import { parseFlags, seedBenchDb } from "./seed";

const flags = parseFlags(process.argv.slice(2), { db: "", reps: 30, keep: false });
const dir = resolve("tests/.tmp/bench/my-network");
mkdirSync(dir, { recursive: true });
const file = resolve(dir, "my-network.db");
removeDatabaseFiles(file);
if (flags.db) copyFileSync(String(flags.db), file);
else await seedBenchDb({ out: file, ideas: 50_000, quiet: true });
process.env.DATABASE_URL = file;

const { db, closeDb } = await import("~db/client");
const { migrateDb } = await import("~db/migrate");
const pages = await import("~/services/pages/network.server");
const net = await import("~/services/lookups/network.server");
const followsService = await import("~/services/lookups/follows.server");
const learning = await import("~/services/lookups/learning.server");
const log = (msg: string) => console.log(msg);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

async function time<T>(label: string, fn: () => T, reps = Number(flags.reps)): Promise<T> {
  let value = await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  log(`  ${label.padEnd(48)} ${fmt(samples[Math.floor((samples.length - 1) / 2)]!).padStart(8)} ms   (p90 ${fmt(samples[Math.floor(samples.length * 0.9)]!)} ms)`);
  return value;
}

try {
  const conn = db();
  migrateDb(conn);
  const sqlite = conn.$client;
  const now = Date.now();
  const me = sqlite
    .prepare("SELECT i.author_id AS id, u.name, u.email, u.role, u.department_id AS departmentId, count(*) AS n FROM ideas i JOIN users u ON u.id = i.author_id WHERE u.role = 'participant' GROUP BY i.author_id ORDER BY n DESC LIMIT 1")
    .get() as { id: number; name: string; email: string; role: "participant"; departmentId: number | null; n: number };
  const jam = sqlite.prepare("SELECT id FROM jams WHERE slug = 'innovationjam'").get() as { id: number };
  const people = (sqlite.prepare("SELECT max(id) AS n FROM users").get() as { n: number }).n;
  const myIdeas = (sqlite.prepare("SELECT id FROM ideas WHERE author_id = ? AND is_anonymous = FALSE ORDER BY id").all(me.id) as { id: number }[]).map((r) => r.id);
  const otherIdeas = (sqlite.prepare("SELECT id FROM ideas WHERE author_id <> ? AND is_anonymous = FALSE ORDER BY id LIMIT 400").all(me.id) as { id: number }[]).map((r) => r.id);
  let r = 7;
  const someone = () => {
    r = (r * 48271) % 2147483647;
    const id = 2 + (r % (people - 1));
    return id === me.id ? id + 1 : id;
  };
  sqlite.transaction(() => {
    const version = sqlite
      .prepare("INSERT INTO synthesis_versions (jam_id, number, kind, created_by, created_at, published_at) VALUES (?, 1, 'curated', 1, ?, ?)")
      .run(jam.id, now, now).lastInsertRowid as number;
    const theme = sqlite.prepare("INSERT INTO themes (version_id, label, keywords, representatives, position) VALUES (?, ?, '[]', '[]', ?)");
    const themeIds: number[] = [];
    for (let t = 0; t < 40; t++) themeIds.push(theme.run(version, `Theme ${t + 1}`, t).lastInsertRowid as number);
    sqlite.prepare("INSERT INTO theme_ideas (version_id, idea_id, theme_id) SELECT ?, id, ? + (id % 40) FROM ideas").run(version, themeIds[0]!);
    const community = sqlite.prepare(
      "INSERT INTO communities (slug, title, purpose, privacy, status, steward_id, proposed_by, theme_id, source_jam_id, created_at, updated_at) VALUES (?, ?, 'Keep it going.', ?, 'active', ?, ?, ?, ?, ?, ?)",
    );
    const member = sqlite.prepare("INSERT OR IGNORE INTO community_members (community_id, user_id, state, created_at, joined_at, updated_at) VALUES (?, ?, 'member', ?, ?, ?)");
    themeIds.forEach((themeId, k) => {
      const steward = someone();
      const c = community.run(`bench-community-${k}`, `Community ${k + 1}`, k % 4 === 3 ? "members" : "open", steward, steward, themeId, jam.id, now, now).lastInsertRowid as number;
      member.run(c, steward, now, now, now);
      for (let m = 0; m < 60; m++) member.run(c, someone(), now, now, now);
      if (k < 3) member.run(c, me.id, now, now, now);
    });
    const question = sqlite.prepare("INSERT INTO questions (asker_id, title, body, client_key, created_at) VALUES (?, ?, '', ?, ?)");
    const answer = sqlite.prepare("INSERT INTO answers (question_id, author_id, body, client_key, created_at) VALUES (?, ?, 'This worked for us.', ?, ?)");
    const accept = sqlite.prepare("UPDATE questions SET accepted_answer_id = ?, accepted_at = ? WHERE id = ?");
    for (let k = 0; k < 450; k++) {
      const asker = k < 150 ? me.id : someone();
      const q = question.run(asker, `How do we handle case ${k}?`, `bench-q-${k}`, now - k * 60_000).lastInsertRowid as number;
      let accepted = 0;
      for (let a = 0; a < 3; a++) {
        const author = k >= 150 && a === 0 ? me.id : someone();
        const id = answer.run(q, author, `bench-a-${k}-${a}`, now - k * 60_000 + a).lastInsertRowid as number;
        if (a === 0) accepted = id;
      }
      accept.run(accepted, now - k * 60_000 + 10, q);
    }
    const amendment = sqlite.prepare(
      "INSERT INTO idea_amendments (idea_id, proposer_id, title, body, base_version, status, client_key, decided_by_id, decided_at, accepted_version, created_at) VALUES (?, ?, 'Better', 'Better still.', 1, 'accepted', ?, ?, ?, 2, ?)",
    );
    for (let k = 0; k < 150; k++) {
      amendment.run(myIdeas[k % myIdeas.length]!, someone(), `bench-am-in-${k}`, me.id, now - k * 30_000, now - k * 30_000);
      amendment.run(otherIdeas[k]!, me.id, `bench-am-out-${k}`, someone(), now - k * 30_000, now - k * 30_000);
    }
    const coauthor = sqlite.prepare("INSERT OR IGNORE INTO idea_coauthors (idea_id, user_id, status, invited_by_id, invited_at, responded_at) VALUES (?, ?, 'accepted', ?, ?, ?)");
    for (let k = 0; k < 20; k++) coauthor.run(myIdeas[k % myIdeas.length]!, someone(), me.id, now, now);
    const builtOn = sqlite.prepare("UPDATE ideas SET built_on_id = ? WHERE id = ?");
    for (let k = 0; k < 50 && k + 20 < myIdeas.length; k++) builtOn.run(otherIdeas[200 + k]!, myIdeas[k + 20]!);
    for (let k = 0; k < 50; k++) builtOn.run(myIdeas[k % myIdeas.length]!, otherIdeas[300 + k]!);
    const follow = sqlite.prepare("INSERT OR IGNORE INTO follows (follower_id, target_type, target_id, created_at) VALUES (?, 'person', ?, ?)");
    for (let k = 0; k < 60; k++) follow.run(me.id, someone(), now);
  })();
  sqlite.exec("ANALYZE");
  const viewer = { id: me.id, name: me.name, email: me.email, role: me.role, departmentId: me.departmentId };
  log(`/network/me benchmark: ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  log(`Person ${me.id} (${me.n} ideas) on ${(sqlite.prepare("SELECT count(*) AS n FROM ideas").get() as { n: number }).n.toLocaleString("en")} ideas; median of ${flags.reps} calls after one warm-up`);
  const page = await time("myNetworkPage (the whole loader)", async () => await pages.myNetworkPage(viewer));
  const sizes = Object.entries(page).map(([k, v]) => `${k} ${JSON.stringify(v).length.toLocaleString("en")} B`);
  log(`    → ${sizes.join(", ")}`);
  await time("  personalNetwork", async () => await net.personalNetwork(db(), viewer));
  await time("  myFollows", async () => await followsService.myFollows(db(), viewer));
  await time("  peopleToMeet", async () => await followsService.peopleToMeet(db(), viewer));
  await time("  myYearAcrossDepartments", async () => await learning.myYearAcrossDepartments(db(), viewer));
  // The sections /network/me gained (absent from an older tree).
  const own = (await import("~/services/lookups/my-learning.server").catch(() => null)) as null | Record<string, (conn: unknown, v: typeof viewer) => unknown>;
  if (own) for (const name of ["learnedFrom", "learnedFromMe", "myCommunities", "communitiesToJoin"]) if (own[name]) await time(`  ${name}`, () => own[name]!(db(), viewer));
  log(`Load average now ${loadavg().map((l) => l.toFixed(2)).join(" ")}.`);
} finally {
  await closeDb();
  if (flags.keep) log(`Kept the database: ${file}`);
  else {
    removeDatabaseFiles(file);
    rmSync(dir, { recursive: true, force: true });
  }
}
