/**
 * The two engines hold the same schema: a fresh SQLite database migrated with db/migrations and a
 * fresh PostgreSQL database migrated with db/pg/migrations, read back from each engine's catalogue,
 * have the same tables, columns (not-null, has a default), primary keys, unique constraints,
 * indexes, foreign keys (with their on-delete rules) and checks. Full-text search is the one
 * planned difference: FTS5's tables on SQLite, the `ideas.search` (generated) and
 * `questions.search` (kept by a trigger) columns and their GIN indexes on PostgreSQL. (Row types are compared at compile time by db/pg/types-match.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~db/client";
import { freshPgDatabase } from "../support/pg-test";
import { pgShape, sqliteShape, type DatabaseShape } from "../support/schema-shape";
import type { PgDb } from "../../db/pg/client";

/** What only one engine has, on purpose: each engine's full-text search. */
const SQLITE_ONLY_TABLES = /^(ideas|questions)_fts(_|$)/;
const PG_ONLY = { skipColumns: ["ideas.search", "questions.search"], skipIndexes: ["ideas_search_idx", "questions_search_idx"] };

let pgDb: PgDb;
let close: () => Promise<void>;
let lite: DatabaseShape;
let pgs: DatabaseShape;

beforeAll(async () => {
  ({ pgDb, close } = await freshPgDatabase());
  lite = sqliteShape(db().$client, { skipTables: SQLITE_ONLY_TABLES });
  pgs = await pgShape(pgDb.$client, PG_ONLY);
});

afterAll(async () => {
  await close();
});

describe("SQLite and PostgreSQL migrate to the same schema", () => {
  it("has the same tables", () => {
    expect(Object.keys(pgs).sort()).toEqual(Object.keys(lite).sort());
    expect(Object.keys(lite).length).toBeGreaterThan(40);
  });

  it("compares something real (the catalogues were read)", () => {
    expect(lite.users!.columns.find((c) => c.name === "email")).toEqual({ name: "email", notNull: true, hasDefault: false });
    expect(lite.users!.unique).toContain("email");
    expect(lite.sessions!.foreignKeys).toEqual(["user_id -> users(id) on delete CASCADE"]);
    expect(pgs.sessions!.foreignKeys).toEqual(["user_id -> users(id) on delete CASCADE"]);
  });

  // Every difference is listed with its table and part, so one run shows them all.
  const tableNames = () => Object.keys(lite).sort();
  it("has, table by table, the same columns, keys, indexes, foreign keys and checks", () => {
    const differences: string[] = [];
    for (const name of tableNames()) {
      for (const part of ["columns", "primaryKey", "unique", "indexes", "foreignKeys", "checks"] as const) {
        const a = (lite[name]?.[part] ?? []).map((item) => JSON.stringify(item));
        const b = (pgs[name]?.[part] ?? []).map((item) => JSON.stringify(item));
        if (a.join() === b.join()) continue;
        const onlyLite = a.filter((item) => !b.includes(item));
        const onlyPg = b.filter((item) => !a.includes(item));
        differences.push(`${name}.${part}: SQLite only ${onlyLite.join(" ") || "-"}; PostgreSQL only ${onlyPg.join(" ") || "-"}` +
          (onlyLite.length + onlyPg.length === 0 ? ` (order: ${a.join(" ")} vs ${b.join(" ")})` : ""));
      }
    }
    expect(differences.join("\n")).toBe("");
  });

  it("keeps full-text search where each engine keeps it", async () => {
    expect(await db().$client.prepare("SELECT name FROM sqlite_master WHERE name = 'ideas_fts'").get()).toBeTruthy();
    const { rows } = await pgDb.$client.query(
      `SELECT a.attgenerated, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
        WHERE a.attrelid = 'ideas'::regclass AND a.attname = 'search'`,
    );
    expect(rows).toEqual([{ attgenerated: "s", type: "tsvector" }]);
    const { rows: index } = await pgDb.$client.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ideas_search_idx'`);
    expect(index[0]?.indexdef).toMatch(/USING gin \(search\)/);
    expect(await db().$client.prepare("SELECT name FROM sqlite_master WHERE name = 'questions_fts'").get()).toBeTruthy();
    const { rows: questionColumn } = await pgDb.$client.query(
      `SELECT a.attgenerated, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
        WHERE a.attrelid = 'questions'::regclass AND a.attname = 'search'`,
    );
    expect(questionColumn).toEqual([{ attgenerated: "", type: "tsvector" }]);
    const { rows: triggers } = await pgDb.$client.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'questions'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((t: { tgname: string }) => t.tgname)).toEqual(["questions_search_insert", "questions_search_update"]);
    const { rows: questionIndex } = await pgDb.$client.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'questions_search_idx'`);
    expect(questionIndex[0]?.indexdef).toMatch(/USING gin \(search\)/);
  });
});

describe("the comparison notices a change made to one engine only", () => {
  it("a column added on PostgreSQL only", async () => {
    const client = await pgDb.$client.connect();
    try {
      await client.query("BEGIN");
      await client.query("ALTER TABLE ideas ADD COLUMN pinned_note text");
      const changed = await pgShape(client, PG_ONLY);
      expect(changed.ideas!.columns).not.toEqual(lite.ideas!.columns);
      expect(changed.ideas!.columns.map((c) => c.name)).toContain("pinned_note");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("an index added on SQLite only", () => {
    const sqlite = db().$client;
    sqlite.exec("BEGIN");
    try {
      sqlite.exec("CREATE INDEX ideas_title_idx ON ideas (title)");
      expect(sqliteShape(sqlite, { skipTables: SQLITE_ONLY_TABLES }).ideas!.indexes).not.toEqual(pgs.ideas!.indexes);
    } finally {
      sqlite.exec("ROLLBACK");
    }
    expect(sqliteShape(sqlite, { skipTables: SQLITE_ONLY_TABLES })).toEqual(lite);
  });
});
