/**
 * `npm run db:copy`: the demo company seeded into a throwaway SQLite database, copied into a fresh
 * PostgreSQL database, arrives whole: the same row count in every table, and the values a copy
 * could bend (unicode text, flags, nulls, times past 2^31, an idea merged into a later one, the
 * next id) read back the same. A non-empty target is refused, a failing row rolls everything back.
 */
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databasePath, db } from "~db/client";
import { copySqliteToPostgres, CopyRefused, formatCounts, type TableCount } from "~db/copy";
import * as pgs from "~db/pg/schema";
import { ftsQuery } from "~db/fts";
import { ideaMatchesPg, questionMatchesPg, tsPrefixQuery } from "~db/pg/search";
import { seedDemo } from "../../seeds/demo";
import { freshPgDatabase } from "../support/pg-test";
import type { PgDb } from "~db/pg/client";

const NOW = 1_780_000_000_000;
/** Past 2^31 by far and past 2^32 seconds: year 9999 in epoch milliseconds. */
const FAR_FUTURE = 253_402_300_799_999;
const UNICODE_TITLE = "Café ☕ für alle: 日本語, naïve «quotes» and 🙂";

let source: string;
let target: { url: string; pgDb: PgDb; close: () => Promise<void> };
let counts: TableCount[];
let merged: { from: number; into: number };

beforeAll(async () => {
  await seedDemo({ now: NOW, seed: 7, people: 12, liveIdeas: 30, endedIdeas: 30 });
  source = databasePath();
  const conn = db().$client;
  // Values a copy could bend, put where the app keeps them.
  const idea = conn.prepare("SELECT id, author_id FROM ideas ORDER BY id LIMIT 1").get() as { id: number; author_id: number };
  conn.prepare("UPDATE ideas SET title = ? WHERE id = ?").run(UNICODE_TITLE, idea.id);
  conn.prepare("UPDATE users SET hidden_from_rankings = TRUE, deactivated_at = ?, department_id = NULL WHERE id = ?").run(FAR_FUTURE, idea.author_id);
  // An idea merged into one made after it: its row points forward in its own table.
  const last = conn.prepare("SELECT max(id) AS id FROM ideas").get() as { id: number };
  conn.prepare("UPDATE ideas SET merged_into_id = ? WHERE id = ?").run(last.id, idea.id);
  merged = { from: idea.id, into: last.id };

  target = await freshPgDatabase({ migrate: false });
  counts = await copySqliteToPostgres({ from: source, to: target.url });
}, 120_000);

afterAll(async () => {
  await target.close();
});

describe("copying an SQLite database into PostgreSQL", () => {
  it("copies every table with the same number of rows", async () => {
    const tables = (
      await db().$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT GLOB '*_fts' AND name NOT GLOB '*_fts_*' AND name <> '__drizzle_migrations'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(counts.map((c) => c.table).sort()).toEqual(tables.sort());
    for (const table of tables) {
      const lite = (await db().$client.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      const { rows } = await target.pgDb.$client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      expect({ table, rows: Number(rows[0]!.n) }).toEqual({ table, rows: lite });
      expect(counts.find((c) => c.table === table)).toEqual({ table, sqlite: lite, postgres: lite });
    }
    // The demo is not trivially small.
    const byTable = Object.fromEntries(counts.map((c) => [c.table, c.postgres]));
    expect(byTable.users).toBe(12);
    expect(byTable.ideas).toBeGreaterThanOrEqual(60);
    expect(byTable.votes).toBeGreaterThan(0);
    expect(formatCounts(counts)).toMatch(/^ideas\s+\d+\s+\d+$/m);
  });

  it("parents come before their children (foreign-key order)", () => {
    const order = counts.map((c) => c.table);
    expect(order.indexOf("users")).toBeLessThan(order.indexOf("ideas"));
    expect(order.indexOf("jams")).toBeLessThan(order.indexOf("challenges"));
    expect(order.indexOf("challenges")).toBeLessThan(order.indexOf("ideas"));
    expect(order.indexOf("ideas")).toBeLessThan(order.indexOf("votes"));
  });

  it("reads back the same values: unicode, flags, nulls, far times, forward references", async () => {
    const { pgDb } = target;
    const [idea] = await pgDb.select().from(pgs.ideas).where(sql`${pgs.ideas.id} = ${merged.from}`);
    expect(idea!.title).toBe(UNICODE_TITLE);
    expect(idea!.mergedIntoId).toBe(merged.into);
    const [author] = await pgDb.select().from(pgs.users).where(sql`${pgs.users.id} = ${idea!.authorId}`);
    expect(author!.hiddenFromRankings).toBe(true);
    expect(author!.deactivatedAt).toBe(FAR_FUTURE);
    expect(author!.departmentId).toBeNull();
    // Row by row, whole tables read the same through both schemas.
    const liteUsers = await db().select().from((await import("~db/schema")).users).orderBy(sql`id`).all();
    const pgUsers = await pgDb.select().from(pgs.users).orderBy(sql`id`);
    expect(pgUsers).toEqual(liteUsers);
    const liteIdeas = await db().select().from((await import("~db/schema")).ideas).orderBy(sql`id`).all();
    const pgIdeas = await pgDb.select().from(pgs.ideas).orderBy(sql`id`);
    expect(pgIdeas).toEqual(liteIdeas);
    expect(pgUsers.some((u) => u.hiddenFromRankings === false)).toBe(true);
  });

  it("full-text search finds a copied idea", async () => {
    const q = tsPrefixQuery("日本語 naive")!;
    const { rows } = await target.pgDb.execute<{ id: number }>(sql`SELECT id FROM ideas WHERE ${ideaMatchesPg(q)}`);
    expect(rows.map((r) => r.id)).toEqual([merged.from]);
  });

  it("full-text search finds a copied question by the words of its accepted answer, as on SQLite", async () => {
    // The demo's first question has an accepted answer ("… rotate every quarter …"): answers are copied after questions.
    const typed = "rotate quarter";
    const lite = (db().$client.prepare("SELECT rowid AS id FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rowid").all(ftsQuery(typed)) as { id: number }[]).map((r) => r.id);
    expect(lite).toHaveLength(1);
    const { rows } = await target.pgDb.execute<{ id: number }>(sql`SELECT id FROM questions WHERE ${questionMatchesPg(tsPrefixQuery(typed)!)} ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(lite);
  });

  it("leaves the planner statistics of every copied table (no guessing until autovacuum runs)", async () => {
    const { rows } = await target.pgDb.execute<{ relname: string }>(
      sql`SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0 AND last_analyze IS NULL AND last_autoanalyze IS NULL`,
    );
    expect(rows.map((r) => r.relname)).toEqual([]);
    const { rows: ideasStats } = await target.pgDb.execute<{ n: number }>(sql`SELECT count(*) AS n FROM pg_stats WHERE tablename = 'ideas'`);
    expect(Number(ideasStats[0]!.n)).toBeGreaterThan(0);
  });

  it("gives new rows ids after the copied ones", async () => {
    const highest = (await db().$client.prepare("SELECT max(id) AS id FROM users").get() as { id: number }).id;
    const [row] = await target.pgDb
      .insert(pgs.users)
      .values({ email: "new@example.com", name: "New", passwordHash: "", createdAt: NOW })
      .returning({ id: pgs.users.id });
    expect(row!.id).toBe(highest + 1);
  });

  it("refuses a database that is not empty, and leaves it as it was", async () => {
    const before = await target.pgDb.$client.query<{ n: string }>("SELECT count(*) AS n FROM ideas");
    await expect(copySqliteToPostgres({ from: source, to: target.url })).rejects.toThrow(/is not empty \(rows in .*ideas/);
    await expect(copySqliteToPostgres({ from: source, to: target.url })).rejects.toBeInstanceOf(CopyRefused);
    const after = await target.pgDb.$client.query<{ n: string }>("SELECT count(*) AS n FROM ideas");
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it("refuses what is not a postgres:// URL or not an SQLite file", async () => {
    await expect(copySqliteToPostgres({ from: source, to: "mysql://x@localhost/db" })).rejects.toThrow(/postgres:\/\/ URL/);
    await expect(copySqliteToPostgres({ from: "/nonexistent/jamboree.db", to: target.url })).rejects.toThrow(/no SQLite database/);
  });

  it("rolls everything back when one row cannot be copied, leaving the target empty", async () => {
    // A copy of the source with one comment PostgreSQL cannot store (a NUL character in text).
    const broken = `${source}.broken.db`;
    db().$client.exec(`VACUUM INTO '${broken.replace(/'/g, "''")}'`);
    const file = new Database(broken);
    file.prepare("UPDATE comments SET body = ? WHERE id = (SELECT max(id) FROM comments)").run("before\u0000after");
    file.close();
    const other = await freshPgDatabase({ migrate: false });
    try {
      await expect(copySqliteToPostgres({ from: broken, to: other.url })).rejects.toThrow(/copying comments .* nothing was kept/);
      for (const table of ["users", "ideas", "comments"]) {
        const { rows } = await other.pgDb.$client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
        expect({ table, n: rows[0]!.n }).toEqual({ table, n: "0" });
      }
      // Nothing half-done stays behind: the same target takes a good copy afterwards.
      const again = await copySqliteToPostgres({ from: source, to: other.url });
      expect(again.find((c) => c.table === "ideas")!.postgres).toBe(counts.find((c) => c.table === "ideas")!.postgres);
    } finally {
      await other.close();
      rmSync(broken, { force: true });
    }
  });

  it("refuses a source made by an older version (a column missing)", async () => {
    const old = `${source}.old.db`;
    db().$client.exec(`VACUUM INTO '${old.replace(/'/g, "''")}'`);
    const file = new Database(old);
    file.exec("DROP INDEX IF EXISTS users_hidden_from_rankings_idx; ALTER TABLE users DROP COLUMN hidden_from_rankings");
    file.close();
    const other = await freshPgDatabase({ migrate: false });
    try {
      await expect(copySqliteToPostgres({ from: old, to: other.url })).rejects.toThrow(/lacks users\.hidden_from_rankings.*npm run db:migrate/);
    } finally {
      await other.close();
      rmSync(old, { force: true });
    }
  });
});
