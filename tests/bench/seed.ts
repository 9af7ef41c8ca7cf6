/**
 * Builds a migrated Jamboree database of InnovationJam size, fast, for the load
 * and soak benchmarks (and for trying the app at scale by hand).
 *
 *   npm run bench:seed -- --people 150000 --ideas 46000 --votes 1000000 --comments 150000 [--out FILE]
 *
 * Prepared bulk INSERTs in one transaction per table (synchronous=OFF and an
 * in-memory rollback journal while building; the file is left in WAL mode, as
 * the app opens it). Every person signs in with BENCH_PASSWORD (one real
 * argon2id hash shared by all). Emails: person<N>@bench.jamboree.test (N = user
 * id; person1 is a facilitator). One live jam, slug "innovationjam", ~10
 * challenges, realistic idea texts (seeds/idea-bank.ts), unique support votes
 * with ideas.vote_count kept equal to count(votes), comments (a third replies)
 * with ideas.comment_count kept equal, the FTS index, and a points ledger
 * (idea_posted + support_received) from which point_totals (jam scope and
 * scope 0) and department_totals are filled with INSERT … SELECT.
 *
 * Flags: --people --ideas --votes --comments --challenges (10) --departments (100)
 *        --out (tests/.tmp/bench/innovationjam.db) --slug (innovationjam)
 *        --fts rebuild|triggers (rebuild) --no-points --seed N --quiet
 */
import Database from "better-sqlite3";
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { hashPassword } from "../../app/auth/password.server";
import { openDb, removeDatabaseFiles } from "../../db/client";
import { migrateDb } from "../../db/migrate";
import { createRng, DEPARTMENTS as DEPARTMENT_NAMES, FIRST_NAMES, LAST_NAMES, makeComment, makeIdea, makeReply, TOPICS } from "../../seeds/idea-bank";

export const BENCH_PASSWORD = "jamboree-bench-1";
export const benchEmail = (userId: number) => `person${userId}@bench.jamboree.test`;
export const DEFAULT_BENCH_DB = resolve("tests/.tmp/bench/innovationjam.db");

export interface SeedOptions {
  out: string;
  people: number;
  ideas: number;
  votes: number;
  comments: number;
  challenges: number;
  departments: number;
  slug: string;
  fts: "rebuild" | "triggers";
  points: boolean;
  seed: number;
  quiet: boolean;
}

export const SEED_DEFAULTS: SeedOptions = {
  out: DEFAULT_BENCH_DB,
  people: 150_000,
  ideas: 46_000,
  votes: 1_000_000,
  comments: 150_000,
  challenges: 10,
  departments: 100,
  slug: "innovationjam",
  fts: "rebuild",
  points: true,
  seed: 20_060_724,
  quiet: false,
};

/** `--key value` and `--flag` / `--no-flag` into the options (numbers accept 150000 or 150_000). */
export function parseFlags<T extends object>(argv: string[], defaults: T): T {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const out = { ...defaults } as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    let key = arg.slice(2);
    let value: string | undefined;
    if (key.includes("=")) [key, value] = [key.slice(0, key.indexOf("=")), key.slice(key.indexOf("=") + 1)];
    if (key.startsWith("no-") && typeof out[key.slice(3)] === "boolean") {
      out[key.slice(3)] = false;
      continue;
    }
    if (!(key in out)) throw new Error(`unknown flag --${key}`);
    if (typeof out[key] === "boolean") {
      out[key] = value === undefined ? true : value !== "false";
      continue;
    }
    value ??= argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    out[key] = typeof out[key] === "number" ? Number(value.replace(/_/g, "")) : value;
    if (typeof out[key] === "number" && !Number.isFinite(out[key])) throw new Error(`--${key}: not a number`);
  }
  return out as T;
}

export interface SeedResult {
  file: string;
  slug: string;
  jamId: number;
  challengeIds: number[];
  people: number;
  ideas: number;
  votes: number;
  comments: number;
  pointEntries: number;
  ms: number;
  bytes: number;
}

export async function seedBenchDb(partial: Partial<SeedOptions> = {}): Promise<SeedResult> {
  const o: SeedOptions = { ...SEED_DEFAULTS, ...partial };
  const log = (msg: string) => {
    if (!o.quiet) console.log(msg);
  };
  const started = performance.now();
  const file = resolve(o.out);
  mkdirSync(dirname(file), { recursive: true });
  removeDatabaseFiles(file);

  const conn = openDb(file);
  migrateDb(conn);
  conn.$client.close();
  const db = new Database(file);
  db.pragma("journal_mode = MEMORY");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -400000");
  db.pragma("temp_store = MEMORY");
  db.pragma("foreign_keys = OFF");

  const rng = createRng(o.seed);
  const int = (n: number) => Math.floor(rng() * n);
  const now = Date.now();
  const today = Math.floor(now / 86_400_000);
  let lap = performance.now();
  const step = (label: string) => {
    const t = performance.now();
    log(`  ${label.padEnd(58)} ${((t - lap) / 1000).toFixed(1).padStart(6)} s`);
    lap = t;
  };
  log(`Seeding ${file}: ${o.people.toLocaleString("en")} people, ${o.ideas.toLocaleString("en")} ideas, ${o.votes.toLocaleString("en")} votes, ${o.comments.toLocaleString("en")} comments`);

  // ------------------------------------------------------------ people
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const deptOf = new Int32Array(o.people + 1);
  db.transaction(() => {
    const dept = db.prepare("INSERT INTO departments (id, name) VALUES (?, ?)");
    for (let d = 1; d <= o.departments; d++) {
      const base = DEPARTMENT_NAMES[(d - 1) % DEPARTMENT_NAMES.length]!;
      dept.run(d, d <= DEPARTMENT_NAMES.length ? base : `${base} ${Math.ceil(d / DEPARTMENT_NAMES.length)}`);
    }
    const user = db.prepare(
      "INSERT INTO users (id, email, name, password_hash, role, department_id, hidden_from_rankings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (let id = 1; id <= o.people; id++) {
      const d = rng() < 0.005 ? 0 : 1 + Math.floor(o.departments * rng() ** 1.6);
      deptOf[id] = d;
      const name = `${FIRST_NAMES[int(FIRST_NAMES.length)]} ${LAST_NAMES[int(LAST_NAMES.length)]}`;
      user.run(id, benchEmail(id), name, passwordHash, id === 1 ? "facilitator" : "participant", d || null, rng() < 0.02 ? 1 : 0, now - 30 * 86_400_000);
    }
  })();
  step(`${o.departments} departments, ${o.people.toLocaleString("en")} people (one argon2 hash)`);

  // ------------------------------------------------------------ jam and challenges
  const jamId = 1;
  const challengeIds: number[] = [];
  const topicsOf: string[][] = [];
  db.transaction(() => {
    db.prepare(
      "INSERT INTO jams (id, slug, title, description, starts_at, ends_at, is_draft, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?)",
    ).run(jamId, o.slug, "InnovationJam (bench)", "A live jam seeded at InnovationJam scale for the load benchmarks.", now - 86_400_000, now + 30 * 86_400_000, now, now);
    const challenge = db.prepare("INSERT INTO challenges (id, jam_id, title, question, position, vote_mode, created_at) VALUES (?, ?, ?, ?, ?, 'support', ?)");
    for (let c = 1; c <= o.challenges; c++) {
      const topics = [TOPICS[(2 * c - 2) % TOPICS.length]!, TOPICS[(2 * c - 1) % TOPICS.length]!];
      topicsOf.push(topics);
      challenge.run(c, jamId, `Challenge ${c}: ${topics.join(" and ").replace(/-/g, " ")}`, `What would you change about ${topics[0]!.replace(/-/g, " ")}?`, c, now);
      challengeIds.push(c);
    }
  })();

  // ------------------------------------------------------------ ideas (+ FTS)
  const authorOf = new Int32Array(o.ideas + 1);
  const challengeOf = new Int32Array(o.ideas + 1);
  const anonymous = new Uint8Array(o.ideas + 1);
  const topicOf: string[] = new Array(o.ideas + 1);
  const authors = Math.max(1, Math.min(o.people, Math.round(o.people * 0.2)));
  const trigger = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ideas_fts_ai'").get() as { sql: string }).sql;
  if (o.fts === "rebuild") db.exec("DROP TRIGGER ideas_fts_ai");
  const ftsStart = performance.now();
  const span = 72 * 3_600_000;
  db.transaction(() => {
    const idea = db.prepare(
      "INSERT INTO ideas (id, challenge_id, jam_id, author_id, is_anonymous, title, body, client_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (let id = 1; id <= o.ideas; id++) {
      const author = 1 + Math.floor(authors * rng() ** 2);
      const c = 1 + int(o.challenges);
      const topics = topicsOf[c - 1]!;
      const topic = topics[int(topics.length)]!;
      const text = makeIdea(topic, rng);
      authorOf[id] = author;
      challengeOf[id] = c;
      topicOf[id] = topic;
      anonymous[id] = rng() < 0.05 ? 1 : 0;
      // Ideas arrive over the jam's first day, in id order.
      idea.run(id, c, jamId, author, anonymous[id], text.title, text.body, `seed-${id}`, now - span + Math.floor((id / o.ideas) * (span - 3_600_000)));
    }
  })();
  const ideasMs = performance.now() - ftsStart;
  let ftsMs = 0;
  if (o.fts === "rebuild") {
    const t = performance.now();
    db.exec("INSERT INTO ideas_fts(ideas_fts) VALUES('rebuild')");
    db.exec(trigger);
    ftsMs = performance.now() - t;
  }
  step(`${o.ideas.toLocaleString("en")} ideas (FTS by ${o.fts === "rebuild" ? `'rebuild': inserts ${(ideasMs / 1000).toFixed(1)} s + rebuild ${(ftsMs / 1000).toFixed(1)} s` : "triggers, inside the inserts"})`);

  // ------------------------------------------------------------ votes
  // Votes per person: exponential weights scaled to the total; each person's ideas
  // are distinct and never their own; popular ideas draw most votes.
  const voteCount = new Int32Array(o.ideas + 1);
  const target = Math.min(o.votes, Math.floor(o.people * Math.max(0, o.ideas - 1) * 0.25));
  const cap = Math.max(1, Math.min(500, Math.floor(o.ideas / 4)));
  const weights = new Float64Array(o.people + 1);
  let sum = 0;
  for (let u = 1; u <= o.people; u++) sum += weights[u] = rng() < 0.3 ? 0 : -Math.log(1 - rng());
  const votesOf = new Int32Array(o.people + 1);
  let assigned = 0;
  for (let u = 1; u <= o.people; u++) assigned += votesOf[u] = Math.min(cap, Math.floor((target * weights[u]!) / sum));
  for (let u = 1; assigned < target; u = (u % o.people) + 1) if (votesOf[u]! < cap) (votesOf[u]!++, assigned++);
  let votes = 0;
  const ledger: [number, number, string, string, number, number][] = [];
  db.transaction(() => {
    const vote = db.prepare("INSERT INTO votes (user_id, idea_id, challenge_id, created_at) VALUES (?, ?, ?, ?)");
    const mine = new Set<number>();
    for (let u = 1; u <= o.people; u++) {
      mine.clear();
      const k = votesOf[u]!;
      let guard = 0;
      while (mine.size < k && guard++ < k * 20) {
        const ideaId = 1 + Math.floor(o.ideas * rng() ** 2.5);
        if (mine.has(ideaId) || authorOf[ideaId] === u) continue;
        mine.add(ideaId);
        const at = now - span + int(span);
        vote.run(u, ideaId, challengeOf[ideaId], at);
        voteCount[ideaId]!++;
        votes++;
        if (o.points && !anonymous[ideaId]) ledger.push([authorOf[ideaId]!, deptOf[authorOf[ideaId]!]!, "support_received", `vote:${ideaId}:${u}`, 2, at]);
      }
    }
  })();
  step(`${votes.toLocaleString("en")} votes`);
  db.transaction(() => {
    const update = db.prepare("UPDATE ideas SET vote_count = ? WHERE id = ?");
    for (let id = 1; id <= o.ideas; id++) if (voteCount[id]) update.run(voteCount[id], id);
  })();
  step("ideas.vote_count from the counts");

  // ------------------------------------------------------------ comments
  const commentCount = new Int32Array(o.ideas + 1);
  db.transaction(() => {
    const comment = db.prepare("INSERT INTO comments (id, idea_id, parent_id, author_id, body, client_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const ideaOfComment = new Int32Array(o.comments + 1);
    for (let id = 1; id <= o.comments; id++) {
      const author = 1 + Math.floor(o.people * rng() ** 1.5);
      const at = now - span + int(span);
      if (id > 100 && rng() < 0.33) {
        const parent = 1 + int(id - 1);
        const ideaId = ideaOfComment[parent]!;
        ideaOfComment[id] = ideaId;
        comment.run(id, ideaId, parent, author, makeReply(rng), `seed-${id}`, at);
      } else {
        const ideaId = 1 + Math.floor(o.ideas * rng() ** 2);
        ideaOfComment[id] = ideaId;
        comment.run(id, ideaId, null, author, makeComment(rng, topicOf[ideaId]), `seed-${id}`, at);
      }
      commentCount[ideaOfComment[id]!]!++;
    }
  })();
  db.transaction(() => {
    const update = db.prepare("UPDATE ideas SET comment_count = ? WHERE id = ?");
    for (let id = 1; id <= o.ideas; id++) if (commentCount[id]) update.run(commentCount[id], id);
  })();
  step(`${o.comments.toLocaleString("en")} comments (+ ideas.comment_count)`);

  // ------------------------------------------------------------ points
  let pointEntries = 0;
  if (o.points) {
    for (let id = 1; id <= o.ideas; id++) {
      if (!anonymous[id]) ledger.push([authorOf[id]!, deptOf[authorOf[id]!]!, "idea_posted", `idea:${id}`, 10, now - span + Math.floor((id / o.ideas) * (span - 3_600_000))]);
    }
    db.transaction(() => {
      const entry = db.prepare(
        "INSERT INTO point_entries (user_id, jam_id, department_id, reason, source, subject, points, day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      );
      for (const [userId, dept, reason, source, points, at] of ledger) {
        const ideaId = source.split(":")[1];
        entry.run(userId, jamId, dept || null, reason, source, `idea:${ideaId}`, points, Math.min(today, Math.floor(at / 86_400_000)), at);
      }
      db.exec(`INSERT INTO point_totals (scope, user_id, total) SELECT jam_id, user_id, sum(points) FROM point_entries GROUP BY jam_id, user_id`);
      db.exec(`INSERT INTO point_totals (scope, user_id, total) SELECT 0, user_id, sum(points) FROM point_entries GROUP BY user_id`);
      db.exec(`INSERT INTO department_totals (scope, department_id, total)
               SELECT jam_id, department_id, sum(points) FROM point_entries WHERE department_id IS NOT NULL GROUP BY jam_id, department_id`);
      db.exec(`INSERT INTO department_totals (scope, department_id, total)
               SELECT 0, department_id, sum(points) FROM point_entries WHERE department_id IS NOT NULL GROUP BY department_id`);
    })();
    pointEntries = ledger.length;
    ledger.length = 0;
    step(`${pointEntries.toLocaleString("en")} point_entries + point_totals + department_totals`);
  }

  db.exec("ANALYZE");
  db.pragma("journal_mode = WAL");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  step("ANALYZE, WAL mode");
  const ms = performance.now() - started;
  const bytes = statSync(file).size;
  log(`Done in ${(ms / 1000).toFixed(1)} s: ${file} (${(bytes / 1e6).toFixed(0)} MB). Everyone signs in with password "${BENCH_PASSWORD}", e.g. ${benchEmail(2)}; jam /jams/${o.slug}.`);
  return { file, slug: o.slug, jamId, challengeIds, people: o.people, ideas: o.ideas, votes, comments: o.comments, pointEntries, ms, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await seedBenchDb(parseFlags(process.argv.slice(2), SEED_DEFAULTS));
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
