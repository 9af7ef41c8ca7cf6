/**
 * Every text bound on PostgreSQL can be bound (db/pg/compat.ts `storable`): a NUL character,
 * which PostgreSQL's text cannot hold (it refuses the whole statement, SQLSTATE 22021), goes as
 * U+FFFD, whichever way the statement is sent: Drizzle's builders, prepared queries and raw SQL, or
 * node-postgres itself (`pool.query`, a pool client's `query` with the values in its config).
 */
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPgDatabase } from "../../tests/support/pg-test";
import type { PgDb } from "./client";
import { installPgCompat, storable } from "./compat";
import * as pgs from "./schema";

let pgDb: PgDb;
let close: () => Promise<void>;

beforeAll(async () => {
  installPgCompat();
  ({ pgDb, close } = await freshPgDatabase());
  await pgDb.insert(pgs.users).values({ id: 1, email: "a@example.com", name: "A", passwordHash: "", createdAt: 1 });
});

afterAll(async () => await close());

describe("storable", () => {
  it("binds a NUL as U+FFFD, in a text or a list of texts, and leaves every other value as it is", () => {
    expect(storable("a\u0000b\u0000")).toBe("a\uFFFDb\uFFFD");
    expect(storable(["x", ["\u0000"]])).toEqual(["x", ["\uFFFD"]]);
    const plain = ["a", 1, null];
    expect(storable(plain)).toBe(plain);
    const bytes = Buffer.from([0, 1]);
    expect(storable(bytes)).toBe(bytes);
    for (const value of [1, null, undefined, true, 10n]) expect(storable(value)).toBe(value);
  });
});

describe("a NUL reaches PostgreSQL as U+FFFD, whichever way the statement goes", () => {
  const echo = "SELECT $1::text AS t";

  it("through node-postgres: a pool's query, a client's query, values in the config, a list of texts", async () => {
    const pool = pgDb.$client;
    expect((await pool.query(echo, ["a\u0000b"])).rows).toEqual([{ t: "a\uFFFDb" }]);
    const client = await pool.connect();
    try {
      expect((await client.query({ text: echo, values: ["\u0000"] })).rows).toEqual([{ t: "\uFFFD" }]);
      const submitted = client.query(new pg.Query(echo, ["x\u0000"]));
      const rows = await new Promise((resolve, reject) => {
        const got: unknown[] = [];
        submitted.on("row", (r: unknown) => got.push(r)).on("end", () => resolve(got)).on("error", reject);
      });
      expect(rows).toEqual([{ t: "x\uFFFD" }]);
      expect((await client.query("SELECT $1::text[] AS t", [["\u0000", "b"]])).rows).toEqual([{ t: ["\uFFFD", "b"] }]);
      // A config object given twice is not changed by the first call.
      const config = { text: echo, values: ["\u0000"] };
      await client.query(config);
      expect(config.values).toEqual(["\u0000"]);
    } finally {
      client.release();
    }
  });

  it("through Drizzle: a write, a lookup by the builder, a prepared query and raw SQL", async () => {
    const row = { userId: 1, body: "news \u0000", dedupeKey: "k\u0000", createdAt: 1 };
    expect(await pgDb.insert(pgs.notifications).values(row).returning({ body: pgs.notifications.body })).toEqual([{ body: "news \uFFFD" }]);
    const found = await pgDb.select({ body: pgs.notifications.body }).from(pgs.notifications).where(eq(pgs.notifications.dedupeKey, "k\u0000"));
    expect(found).toEqual([{ body: "news \uFFFD" }]);
    const prepared = pgDb.select({ id: pgs.notifications.id }).from(pgs.notifications).where(eq(pgs.notifications.dedupeKey, sql.placeholder("key"))).prepare("by_key");
    expect(await prepared.execute({ key: "k\u0000" })).toHaveLength(1);
    expect(await prepared.execute({ key: "\u0000" })).toEqual([]);
    expect((await pgDb.execute(sql`SELECT dedupe_key AS "dedupeKey" FROM notifications WHERE body = ${"news \u0000"}`)).rows).toEqual([{ dedupeKey: "k\uFFFD" }]);
  });
});
