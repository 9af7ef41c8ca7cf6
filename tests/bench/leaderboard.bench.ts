/**
 * Leaderboard benchmark at InnovationJam scale (a benchmark, not a test: it
 * prints figures and asserts nothing about timings).
 *
 *   npm run bench:leaderboard
 *
 * Builds a throwaway database under tests/.tmp/bench/ with 150,000 people in
 * ~100 departments, one jam and 1,000,000 ledger rows, derives point_totals and
 * department_totals from the ledger (what the maintained aggregates hold), then
 * times the leaderboard services against a raw better-sqlite3 baseline and the
 * naive "sum the ledger" alternative. Exits 1 only if a page or rank query
 * plan reads point_totals with a full table scan (no index).
 */
import Database from "better-sqlite3";
import { mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { removeDatabaseFiles } from "../../db/client";

// ---------------------------------------------------------------- settings

const PEOPLE = 150_000;
const DEPARTMENTS = 100;
const LEDGER_ROWS = 1_000_000;
/** Share of people who earned nothing in the jam (no point_totals row). */
const NON_PARTICIPANTS = 0.28;
/** Share of people without a department (contractors, new joiners). */
const NO_DEPARTMENT = 0.005;
const RANDOM_PEOPLE = 1_000;
const SEED = 20_240_601;

// ------------------------------------------------------ database, then app

const dir = resolve("tests/.tmp/bench");
mkdirSync(dir, { recursive: true });
const file = join(dir, `leaderboard-${process.pid}-${Date.now()}.db`);
process.env.DATABASE_URL = file;

const { openDb, db, closeDb } = await import("~db/client");
const { migrateDb } = await import("~db/migrate");
const { ALL_JAMS } = await import("~/services/effects/gamification.server");
const { rankOf, departmentBoard } = await import("~/services/lookups/leaderboards.server");
const { overallLeaderboard, jamLeaderboard } = await import("~/services/pages/leaderboards.server");
const { and, asc, desc, eq } = await import("drizzle-orm");
const { departments, pointTotals, users } = await import("~db/schema");
type SessionUser = import("~/auth/session.server").SessionUser;

// ------------------------------------------------------------------ helpers

// The same seeded generator as the theme engine, so every run builds the same data.
const { mulberry32 } = await import("~/synthesis/rng");
const random = mulberry32(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
/** Standard normal (Box–Muller). */
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (msg: string) => console.log(msg);

interface Result {
  label: string;
  group: "service" | "raw" | "naive";
  samples: number[];
  median: number;
  p95: number;
}

function quantile(sorted: number[], q: number): number {
  // Nearest rank.
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

const results = new Map<string, Result>();

/** Times `fn(i)` `reps` times after `warmup` untimed calls; i runs over 0..reps-1. */
async function measure(
  key: string,
  label: string,
  group: Result["group"],
  opts: { warmup: number; reps: number },
  fn: (i: number) => unknown,
): Promise<Result> {
  for (let i = 0; i < opts.warmup; i++) await fn(i % Math.max(1, opts.reps));
  const samples: number[] = [];
  let sink = 0;
  for (let i = 0; i < opts.reps; i++) {
    const t0 = performance.now();
    const out = await fn(i);
    samples.push(performance.now() - t0);
    if (out) sink++;
  }
  if (sink < 0) log("unreachable");
  const sorted = [...samples].sort((a, b) => a - b);
  const r: Result = { label, group, samples, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
  results.set(key, r);
  log(`  ${label}: median ${fmt(r.median)} ms, p95 ${fmt(r.p95)} ms (${opts.reps} reps)`);
  return r;
}

function fmt(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
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

// ------------------------------------------------------------------ data

const FUNCTIONS = [
  "Engineering", "Manufacturing", "Sales", "Marketing", "Finance", "Legal", "HR", "IT", "Procurement",
  "Logistics", "Customer Service", "R&D", "Quality", "Strategy", "Communications", "Facilities", "Security",
  "Data & Analytics", "Product", "Design", "Compliance", "Treasury", "Sustainability", "Health & Safety",
];
const UNITS = ["EMEA", "Americas", "APAC", "Group", "Central", "North", "South", "Digital", "Operations", "Platform"];
const FIRST = [
  "Ana", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kwame", "Lena", "Mateo",
  "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoë",
  "Amara", "Björn", "Carla", "Deepak", "Elif", "Felix", "Giulia", "Hannah", "Ivan", "Julia", "Kenji", "Laura",
];
const LAST = [
  "Smith", "Müller", "García", "Rossi", "Kowalski", "Nguyen", "Okafor", "Tanaka", "Dubois", "Johansson", "Silva",
  "Patel", "Kim", "Novak", "Haddad", "Andersen", "Costa", "Fischer", "Ivanova", "Jensen", "Lopez", "Martin",
  "Nakamura", "O'Brien", "Petrov", "Schmidt", "Wang", "Yilmaz", "Zhang", "Bauer", "Chen", "Eriksson",
];

interface Built {
  jamId: number;
  slug: string;
  participantIds: number[];
  staffIds: number[];
}

/** Department sizes: log-normal (a few very large, a long tail) plus some small teams. */
function departmentSizes(): number[] {
  const small = [3, 5, 8, 11, 14, 19, 26, 40];
  const assigned = Math.round(PEOPLE * (1 - NO_DEPARTMENT));
  const weights = Array.from({ length: DEPARTMENTS - small.length }, () => Math.exp(1.1 * gauss()));
  const remaining = assigned - small.reduce((a, b) => a + b, 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(50, Math.floor((w / sum) * remaining)));
  let diff = remaining - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % sizes.length) {
    const step = diff > 0 ? 1 : -1;
    if (sizes[i]! + step >= 50) {
      sizes[i]! += step;
      diff -= step;
    }
  }
  return [...sizes, ...small].sort(() => random() - 0.5);
}

/** Ledger rows per participant: Pareto (alpha 1.15), scaled so the total is exactly LEDGER_ROWS. */
function entryCounts(participants: number): number[] {
  const raw = Array.from({ length: participants }, () => Math.min(2_000, Math.pow(1 - random(), -1 / 1.15)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const counts = raw.map((w) => Math.max(1, Math.round((w / sum) * LEDGER_ROWS)));
  let diff = LEDGER_ROWS - counts.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const i = Math.floor(random() * counts.length);
    if (diff > 0) {
      counts[i]!++;
      diff--;
    } else if (counts[i]! > 1) {
      counts[i]!--;
      diff++;
    }
  }
  return counts;
}

const REASONS: { reason: string; weight: number; points: number }[] = [
  { reason: "support_received", weight: 0.55, points: 2 },
  { reason: "idea_posted", weight: 0.14, points: 10 },
  { reason: "comment_replied", weight: 0.15, points: 5 },
  { reason: "first_of_day", weight: 0.12, points: 5 },
  { reason: "idea_tagged_best", weight: 0.02, points: 25 },
  { reason: "idea_selected", weight: 0.005, points: 50 },
  { reason: "reversal", weight: 0.015, points: -10 },
];
function pickReason() {
  let u = random();
  for (const r of REASONS) {
    if ((u -= r.weight) < 0) return r;
  }
  return REASONS[0]!;
}

function build(path: string): Built {
  const sqlite = new Database(path);
  // Throwaway data: no durability needed while building.
  sqlite.pragma("journal_mode = MEMORY");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");
  const now = Date.now();
  const day0 = Math.floor(now / 86_400_000) - 10;

  // Departments.
  let t0 = performance.now();
  const sizes = departmentSizes();
  const names = new Set<string>();
  while (names.size < DEPARTMENTS) names.add(`${pick(FUNCTIONS)} ${pick(UNITS)}${random() < 0.3 ? ` ${names.size}` : ""}`);
  const insertDepartment = sqlite.prepare("INSERT INTO departments (name) VALUES (?)");
  const departmentIds = sqlite.transaction(() => [...names].map((n) => Number(insertDepartment.run(n).lastInsertRowid)))();

  // People: department ids shuffled over people, so a department is not one id range.
  const personDepartment: (number | null)[] = [];
  sizes.forEach((n, i) => {
    for (let k = 0; k < n; k++) personDepartment.push(departmentIds[i]!);
  });
  while (personDepartment.length < PEOPLE) personDepartment.push(null);
  for (let i = personDepartment.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [personDepartment[i], personDepartment[j]] = [personDepartment[j]!, personDepartment[i]!];
  }
  const insertUser = sqlite.prepare(
    "INSERT INTO users (email, name, password_hash, role, department_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const hash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJrc2FsdA$bm90IGEgcmVhbCBoYXNoIGF0IGFsbCBqdXN0IGJlbmNo";
  const staffIds: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < PEOPLE; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const role = i === 0 ? "admin" : i < 150 ? "facilitator" : i < 600 ? "leader" : "participant";
      const id = Number(
        insertUser.run(
          `${first}.${last}.${i}@innovationjam.example`.toLowerCase(),
          `${first} ${last}`,
          hash,
          role,
          personDepartment[i],
          now - Math.floor(random() * 400 * 86_400_000),
        ).lastInsertRowid,
      );
      if (role !== "participant") staffIds.push(id);
    }
  })();
  log(`  ${DEPARTMENTS} departments (sizes ${Math.min(...sizes)}–${Math.max(...sizes)}), ${PEOPLE.toLocaleString("en")} people: ${seconds(performance.now() - t0)}`);

  // The jam.
  const slug = "innovationjam";
  const jamId = Number(
    sqlite
      .prepare(
        `INSERT INTO jams (slug, title, description, starts_at, ends_at, is_draft, point_rules, leaderboards_hidden, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, NULL, 0, ?, ?, ?)`,
      )
      .run(slug, "InnovationJam", "Benchmark jam", day0 * 86_400_000, (day0 + 20) * 86_400_000, staffIds[0], now, now)
      .lastInsertRowid,
  );

  // The ledger: 1,000,000 rows, skewed over the participants (written person by person).
  t0 = performance.now();
  const allIds = Array.from({ length: PEOPLE }, (_, i) => i + 1);
  for (let i = allIds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [allIds[i], allIds[j]] = [allIds[j]!, allIds[i]!];
  }
  const participantIds = allIds.slice(0, Math.round(PEOPLE * (1 - NON_PARTICIPANTS))).sort((a, b) => a - b);
  const counts = entryCounts(participantIds.length);
  const insertEntry = sqlite.prepare(
    `INSERT INTO point_entries (user_id, jam_id, department_id, reason, source, subject, points, day, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let seq = 0;
  let nextReport = 250_000;
  sqlite.transaction(() => {
    participantIds.forEach((userId, p) => {
      const departmentId = personDepartment[userId - 1] ?? null;
      let balance = 0;
      for (let k = 0; k < counts[p]!; k++) {
        seq++;
        let r = pickReason();
        // A reversal only takes back points that were earned.
        if (r.reason === "reversal" && balance < 10) r = REASONS[1]!;
        balance += r.points;
        const day = day0 + Math.floor(random() * 10);
        const idea = 1 + Math.floor(random() * 120_000);
        let source: string;
        let subject: string | null;
        switch (r.reason) {
          case "support_received":
            source = `vote:${idea}:${seq}`;
            subject = `idea:${idea}`;
            break;
          case "comment_replied":
            source = `comment:${seq}`;
            subject = `comment:${seq}`;
            break;
          case "first_of_day":
            source = `day:${day}:${seq}`;
            subject = null;
            break;
          case "reversal":
            source = `entry:${seq}:1`;
            subject = `idea:${idea}`;
            break;
          default:
            source = `idea:${seq}`;
            subject = `idea:${seq}`;
        }
        insertEntry.run(userId, jamId, departmentId, r.reason, source, subject, r.points, day, day * 86_400_000 + Math.floor(random() * 86_400_000));
        if (seq === nextReport) {
          log(`  ledger: ${seq.toLocaleString("en")} rows (${seconds(performance.now() - t0)})`);
          nextReport += 250_000;
          if (nextReport > LEDGER_ROWS) nextReport = -1;
        }
      }
    });
  })();
  log(`  ledger done: ${seq.toLocaleString("en")} rows over ${participantIds.length.toLocaleString("en")} people: ${seconds(performance.now() - t0)}`);

  // The maintained aggregates, as the ledger defines them (cf. reconcile.server.ts).
  t0 = performance.now();
  sqlite.transaction(() => {
    sqlite.exec(`
      INSERT INTO point_totals (scope, user_id, total)
        SELECT jam_id, user_id, sum(points) FROM point_entries GROUP BY jam_id, user_id;
      INSERT INTO point_totals (scope, user_id, total)
        SELECT ${ALL_JAMS}, user_id, sum(points) FROM point_entries GROUP BY user_id;
      INSERT INTO department_totals (scope, department_id, total)
        SELECT jam_id, department_id, sum(points) FROM point_entries WHERE department_id IS NOT NULL GROUP BY jam_id, department_id;
      INSERT INTO department_totals (scope, department_id, total)
        SELECT ${ALL_JAMS}, department_id, sum(points) FROM point_entries WHERE department_id IS NOT NULL GROUP BY department_id;
    `);
  })();
  const n = (sql: string) => (sqlite.prepare(sql).pluck().get() as number).toLocaleString("en");
  log(
    `  aggregates: ${n("SELECT count(*) FROM point_totals")} point_totals rows, ${n("SELECT count(*) FROM department_totals")} department_totals rows: ${seconds(performance.now() - t0)}`,
  );
  sqlite.close();
  return { jamId, slug, participantIds, staffIds };
}

// ------------------------------------------------------------ query plans

/** Runs `work` and returns every statement (SQL and parameters) it executed on the app connection. */
async function capture(work: () => unknown): Promise<{ sql: string; params: unknown[] }[]> {
  const client = db().$client;
  const seen: { sql: string; params: unknown[] }[] = [];
  const prepare = client.prepare;
  client.prepare = function (this: Database.Database, source: string) {
    const stmt = prepare.call(this, source);
    for (const method of ["all", "get", "run", "iterate"] as const) {
      const original = stmt[method] as (...args: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        seen.push({ sql: source, params });
        return original.apply(stmt, params);
      };
    }
    return stmt;
  } as typeof client.prepare;
  try {
    await work();
  } finally {
    client.prepare = prepare;
  }
  return seen;
}

const planFailures: string[] = [];

/** Prints EXPLAIN QUERY PLAN; a plan that SCANs point_totals without an index fails the run. */
async function explain(label: string, sql: string, params: unknown[], checked: boolean) {
  const rows = await db()
    .$client.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  log(`\n  ${label}`);
  log(`    ${sql.replace(/\s+/g, " ").trim()}`);
  for (const r of rows) {
    const d = (depth.get(r.parent) ?? 0) + 1;
    depth.set(r.id, d);
    const full = /^SCAN (point_totals|pt)\b/.test(r.detail) && !/USING (COVERING )?INDEX|PRIMARY KEY/.test(r.detail);
    const indexScan = /^SCAN (point_totals|pt)\b.*USING (COVERING )?INDEX/.test(r.detail);
    const flag = full ? (checked ? "   <-- FULL TABLE SCAN of point_totals" : "   <-- full scan") : indexScan ? "   <-- whole-index scan" : "";
    log(`    ${"  ".repeat(d - 1)}${r.detail}${flag}`);
    if (full && checked) planFailures.push(`${label}: ${r.detail}`);
  }
}

// ------------------------------------------------------------------- run

const started = performance.now();
let exitCode = 0;
try {
  log(`Leaderboard benchmark: ${file}`);
  log(`Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  log("\nBuilding the InnovationJam-scale database…");
  const tBuild = performance.now();
  const migrationConn = openDb(file);
  migrateDb(migrationConn);
  migrationConn.$client.close();
  const built = build(file);
  const buildMs = performance.now() - tBuild;
  log(`  build total: ${seconds(buildMs)}`);

  // From here on: the app's own connection (WAL, app pragmas), as a request would see it.
  const conn = db();
  const sqlite = conn.$client;
  const { jamId, slug } = built;
  const totalsInJam = sqlite.prepare("SELECT count(*) FROM point_totals WHERE scope = ?").pluck().get(jamId) as number;
  const distribution = sqlite
    .prepare(
      `SELECT max(total) AS top, (SELECT total FROM point_totals WHERE scope = @scope ORDER BY total DESC LIMIT 1 OFFSET @p99) AS p99,
              (SELECT total FROM point_totals WHERE scope = @scope ORDER BY total DESC LIMIT 1 OFFSET @median) AS median,
              (SELECT count(*) FROM (SELECT total FROM point_totals WHERE scope = @scope GROUP BY total HAVING count(*) > 1000) AS sub) AS bigTies,
              (SELECT max(n) FROM (SELECT count(*) AS n FROM point_totals WHERE scope = @scope GROUP BY total) AS sub) AS biggestTie
       FROM point_totals WHERE scope = @scope`,
    )
    .get({ scope: jamId, p99: Math.floor(totalsInJam / 100), median: Math.floor(totalsInJam / 2) }) as Record<string, number>;
  const topShare = sqlite
    .prepare(
      `SELECT 100.0 * (SELECT sum(total) FROM (SELECT total FROM point_totals WHERE scope = @scope ORDER BY total DESC LIMIT @n) AS sub) / sum(total)
       FROM point_totals WHERE scope = @scope`,
    )
    .pluck()
    .get({ scope: jamId, n: Math.floor(totalsInJam / 100) }) as number;
  log(
    `  distribution: ${totalsInJam.toLocaleString("en")} people with points; top ${distribution.top}, 99th percentile ${distribution.p99}, median ${distribution.median}; ` +
      `top 1% hold ${topShare.toFixed(0)}% of points; largest tie ${distribution.biggestTie} people on one total, ${distribution.bigTies} totals shared by over 1,000 people`,
  );

  // The viewer: a participant somewhere in the middle of the board.
  const viewerRow = sqlite
    .prepare(
      `SELECT u.id, u.name, u.email, u.role, u.department_id AS departmentId FROM point_totals t JOIN users u ON u.id = t.user_id
       WHERE t.scope = ? AND u.role = 'participant' ORDER BY t.total DESC, t.user_id LIMIT 1 OFFSET ?`,
    )
    .get(jamId, Math.floor(totalsInJam * 0.4)) as SessionUser;
  const viewer: SessionUser = viewerRow;

  // A deep page: the cursor of the row at about rank 75,000.
  const deepRank = Math.min(75_000, totalsInJam - 30);
  const deep = sqlite
    .prepare("SELECT total, user_id AS userId FROM point_totals WHERE scope = ? ORDER BY total DESC, user_id LIMIT 1 OFFSET ?")
    .get(jamId, deepRank - 1) as { total: number; userId: number };
  const deepCursor = `${deep.total}.${deep.userId}`;
  const last = sqlite
    .prepare("SELECT user_id FROM point_totals WHERE scope = ? ORDER BY total ASC, user_id DESC LIMIT 1")
    .pluck()
    .get(jamId) as number;

  const deepTie = sqlite.prepare("SELECT count(*) FROM point_totals WHERE scope = ? AND total = ?").pluck().get(jamId, deep.total) as number;
  log(`  deep page: cursor ${deepCursor} (rank ${deepRank.toLocaleString("en")}), ${deepTie.toLocaleString("en")} people tied on ${deep.total} points`);

  // The same random people for the service and the raw rank.
  const people = built.participantIds;
  const randomPeople = Array.from({ length: RANDOM_PEOPLE }, () => people[Math.floor(random() * people.length)]!);

  // Sanity: the service and the raw queries agree.
  const servicePage = await jamLeaderboard(viewer, slug, {});
  const serviceDeep = await jamLeaderboard(viewer, slug, { cursor: deepCursor });
  if (servicePage.hidden || serviceDeep.hidden) throw new Error("the jam leaderboard is hidden");

  const rawPage = sqlite.prepare(
    `SELECT pt.user_id AS userId, pt.total, u.name, d.name AS department
       FROM point_totals pt
       JOIN users u ON u.id = pt.user_id
       LEFT JOIN departments d ON d.id = u.department_id
      WHERE pt.scope = ?
      ORDER BY pt.total DESC, pt.user_id
      LIMIT 21`,
  );
  const rawDeepPage = sqlite.prepare(
    `SELECT pt.user_id AS userId, pt.total, u.name, d.name AS department
       FROM point_totals pt
       JOIN users u ON u.id = pt.user_id
       LEFT JOIN departments d ON d.id = u.department_id
      WHERE pt.scope = @scope AND (pt.total < @total OR (pt.total = @total AND pt.user_id > @userId))
      ORDER BY pt.total DESC, pt.user_id
      LIMIT 21`,
  );
  const rawRank = sqlite.prepare(
    `SELECT pt.total,
            1 + (SELECT count(*) FROM point_totals WHERE scope = @scope AND total > pt.total)
              + (SELECT count(*) FROM point_totals WHERE scope = @scope AND total = pt.total AND user_id < @userId) AS rank
       FROM point_totals pt WHERE pt.scope = @scope AND pt.user_id = @userId`,
  );
  const naivePage = sqlite.prepare(
    "SELECT user_id, sum(points) AS total FROM point_entries WHERE jam_id = ? GROUP BY user_id ORDER BY 2 DESC, user_id LIMIT 20",
  );
  const naiveRank = sqlite.prepare(
    `WITH mine AS (SELECT coalesce(sum(points), 0) AS total FROM point_entries WHERE jam_id = @scope AND user_id = @userId),
          board AS (SELECT user_id, sum(points) AS total FROM point_entries WHERE jam_id = @scope GROUP BY user_id)
     SELECT 1 + count(*) AS rank FROM board, mine
      WHERE board.total > mine.total OR (board.total = mine.total AND board.user_id < @userId)`,
  );
  // The page query alone, built the way people() builds it (isolates Drizzle's cost from the rest of the service call).
  const drizzlePage = async () =>
    await conn
      .select({ userId: pointTotals.userId, total: pointTotals.total, name: users.name, department: departments.name })
      .from(pointTotals)
      .innerJoin(users, eq(users.id, pointTotals.userId))
      .leftJoin(departments, eq(departments.id, users.departmentId))
      .where(and(eq(pointTotals.scope, jamId)))
      .orderBy(desc(pointTotals.total), asc(pointTotals.userId))
      .limit(21)
      .all();

  const rawFirst = rawPage.all(jamId) as { userId: number; total: number }[];
  const rawDeep = rawDeepPage.all({ scope: jamId, total: deep.total, userId: deep.userId }) as { userId: number }[];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(servicePage.list.map((r) => r.userId), rawFirst.slice(0, 20).map((r) => r.userId)))
    throw new Error("service first page and raw first page disagree");
  if (!same(serviceDeep.list.map((r) => r.userId), rawDeep.slice(0, 20).map((r) => r.userId)))
    throw new Error("service deep page and raw deep page disagree");
  if (serviceDeep.list[0]?.rank !== deepRank + 1) throw new Error(`deep page starts at rank ${serviceDeep.list[0]?.rank}, expected ${deepRank + 1}`);
  for (const id of randomPeople.slice(0, 50)) {
    const s = await rankOf(db(), jamId, id);
    const r = rawRank.get({ scope: jamId, userId: id }) as { rank: number; total: number };
    if (s?.rank !== r.rank || s.total !== r.total) throw new Error(`rank of ${id}: service ${JSON.stringify(s)}, raw ${JSON.stringify(r)}`);
  }
  const top = servicePage.list[0]!;
  const naiveTop = naivePage.get(jamId) as { user_id: number; total: number };
  if (naiveTop.user_id !== top.userId || naiveTop.total !== top.total) throw new Error("ledger and aggregate disagree on first place");
  log("  check: service, raw and ledger queries agree on pages and ranks");

  // ---------------------------------------------------------- timings
  log("\nTiming (warm-up, then N repetitions; performance.now())…");
  const timed = performance.now();
  const REPS = 200;
  await measure("overall", "overallLeaderboard(viewer, {})  [first page]", "service", { warmup: 20, reps: REPS }, async () =>
    await overallLeaderboard(viewer, {}),
  );
  await measure("jam", "jamLeaderboard(viewer, slug, {})  [first page]", "service", { warmup: 20, reps: REPS }, async () =>
    await jamLeaderboard(viewer, slug, {}),
  );
  await measure("jamDeep", `jamLeaderboard(…, { cursor })  [page at rank ${(deepRank + 1).toLocaleString("en")}]`, "service", { warmup: 10, reps: 100 }, async () =>
    await jamLeaderboard(viewer, slug, { cursor: deepCursor }),
  );
  await measure("rank", `rankOf(jam, id)  [${RANDOM_PEOPLE} random people]`, "service", { warmup: 100, reps: RANDOM_PEOPLE }, async (i) =>
    await rankOf(db(), jamId, randomPeople[i]!),
  );
  await measure("rankLast", `rankOf(jam, id)  [last place, rank ${totalsInJam.toLocaleString("en")}]`, "service", { warmup: 10, reps: 100 }, async () =>
    await rankOf(db(), jamId, last),
  );
  await measure("deptJam", "departmentBoard(jam)", "service", { warmup: 20, reps: REPS }, async () => await departmentBoard(db(), jamId));
  await measure("deptAll", "departmentBoard(ALL_JAMS)", "service", { warmup: 5, reps: 50 }, async () => await departmentBoard(db(), ALL_JAMS));

  await measure("rawPage", "raw prepared first page (LIMIT 21, joined)", "raw", { warmup: 50, reps: 1_000 }, () => rawPage.all(jamId));
  await measure("drizzlePage", "Drizzle first-page query only (as people())", "raw", { warmup: 50, reps: 1_000 }, async () => await drizzlePage());
  await measure("rawDeep", "raw prepared deep page (same cursor)", "raw", { warmup: 10, reps: 100 }, () =>
    rawDeepPage.all({ scope: jamId, total: deep.total, userId: deep.userId }),
  );
  // The service's own SQL texts, run as raw prepared statements: separates the plan from the ORM.
  const servicePageSql = (await capture(async () => await jamLeaderboard(viewer, slug, { cursor: deepCursor }))).find(
    (x) => /point_totals/.test(x.sql) && /order by/i.test(x.sql),
  )!;
  const serviceDeepStmt = sqlite.prepare(servicePageSql.sql);
  await measure("serviceDeepSql", "service deep-page SQL, raw prepared", "raw", { warmup: 10, reps: 100 }, () =>
    serviceDeepStmt.all(...servicePageSql.params),
  );
  const headcounts = sqlite.prepare("SELECT department_id, count(*) FROM users GROUP BY department_id");
  await measure("rawHeadcounts", "raw headcounts (users GROUP BY department)", "raw", { warmup: 20, reps: 200 }, () => headcounts.all());
  await measure("rawRank", `raw prepared rank  [same ${RANDOM_PEOPLE} people]`, "raw", { warmup: 100, reps: RANDOM_PEOPLE }, (i) =>
    rawRank.get({ scope: jamId, userId: randomPeople[i]! }),
  );
  await measure("rawRankLast", "raw prepared rank  [last place]", "raw", { warmup: 10, reps: 100 }, () => rawRank.get({ scope: jamId, userId: last }));

  await measure("naivePage", "ledger GROUP BY first page (naive)", "naive", { warmup: 1, reps: 3 }, () => naivePage.all(jamId));
  await measure("naiveRank", "ledger rank (naive)", "naive", { warmup: 1, reps: 3 }, (i) => naiveRank.get({ scope: jamId, userId: randomPeople[i]! }));
  const timingMs = performance.now() - timed;

  // ----------------------------------------------------------- table
  const rows = [...results.values()];
  const width = Math.max(...rows.map((r) => r.label.length));
  const line = "-".repeat(width + 34);
  log(`\nResults: ${PEOPLE.toLocaleString("en")} people, ${DEPARTMENTS} departments, ${LEDGER_ROWS.toLocaleString("en")} ledger rows, ${totalsInJam.toLocaleString("en")} on the jam board`);
  log(line);
  log(`${"".padEnd(width)}   reps   median ms      p95 ms`);
  log(line);
  for (const group of ["service", "raw", "naive"] as const) {
    for (const r of rows.filter((x) => x.group === group)) {
      log(`${r.label.padEnd(width)} ${String(r.samples.length).padStart(6)} ${fmt(r.median).padStart(11)} ${fmt(r.p95).padStart(11)}`);
    }
    log(line);
  }
  const get = (k: string) => results.get(k)!;
  const ratio = (a: string, b: string) => {
    const x = get(a);
    const y = get(b);
    return `${(x.median / y.median).toFixed(1)}x (median), ${(x.p95 / y.p95).toFixed(1)}x (p95)`;
  };
  log("Ratios");
  log(`  service/raw   jamLeaderboard first page / raw page        ${ratio("jam", "rawPage")}`);
  log(`  service/raw   Drizzle page query only / raw page          ${ratio("drizzlePage", "rawPage")}`);
  log(`  service/raw   jamLeaderboard deep page / raw deep page    ${ratio("jamDeep", "rawDeep")}`);
  log(`  service/raw   deep page: service SQL / raw SQL (plan only) ${ratio("serviceDeepSql", "rawDeep")}`);
  log(`  service/raw   rankOf / raw rank (random people)           ${ratio("rank", "rawRank")}`);
  log(`  service/raw   rankOf / raw rank (last place)              ${ratio("rankLast", "rawRankLast")}`);
  log(`  naive/service ledger page / jamLeaderboard first page     ${ratio("naivePage", "jam")}`);
  log(`  naive/service ledger page / raw page                      ${ratio("naivePage", "rawPage")}`);
  log(`  naive/service ledger rank / rankOf (random people)        ${ratio("naiveRank", "rank")}`);
  const share = (get("deptJam").median / get("jam").median) * 100;
  log(`  departmentBoard(jam) is ${share.toFixed(0)}% of the median jamLeaderboard first-page call; its headcount query alone ${fmt(get("rawHeadcounts").median)} ms`);

  // ----------------------------------------------------------- plans
  log("\nQuery plans (EXPLAIN QUERY PLAN)");
  const explained = new Set<string>();
  const explainCaptured = async (label: string, work: () => unknown) => {
    for (const s of await capture(work)) {
      if (!/point_totals/.test(s.sql) || explained.has(s.sql)) continue;
      explained.add(s.sql);
      await explain(`${label} — service statement`, s.sql, s.params, true);
    }
  };
  await explainCaptured("jamLeaderboard first page", async () => await jamLeaderboard(viewer, slug, {}));
  await explainCaptured("jamLeaderboard deep page (cursor)", async () => await jamLeaderboard(viewer, slug, { cursor: deepCursor }));
  await explainCaptured("rankOf", async () => await rankOf(db(), jamId, randomPeople[0]!));
  await explain("raw first page", rawPage.source, [jamId], true);
  await explain("raw deep page", rawDeepPage.source, [{ scope: jamId, total: deep.total, userId: deep.userId }], true);
  await explain("raw rank", rawRank.source, [{ scope: jamId, userId: randomPeople[0]! }], true);
  await explain("naive ledger page (for comparison)", naivePage.source, [jamId], false);
  await explain("naive ledger rank (for comparison)", naiveRank.source, [{ scope: jamId, userId: randomPeople[0]! }], false);
  const headcountSql = (await capture(async () => await departmentBoard(db(), jamId))).find((s) => /from "users"/i.test(s.sql) && /group by/i.test(s.sql));
  if (headcountSql) await explain("departmentBoard headcount — service statement", headcountSql.sql, headcountSql.params, false);

  log(`\nBuild ${seconds(buildMs)}, timings ${seconds(timingMs)}, total ${seconds(performance.now() - started)}; load average now ${loadavg()[0]!.toFixed(2)}.`);
  if (planFailures.length > 0) {
    console.error(`\nFAIL: a page or rank query plan scans point_totals without an index:\n  ${planFailures.join("\n  ")}`);
    exitCode = 1;
  }
} catch (error) {
  console.error("\nBenchmark failed:", error);
  exitCode = 1;
} finally {
  cleanup();
}
process.exit(exitCode);
