import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { databasePath, db, openDb, preparedQueries, preparedQuery, publishAfterCommit, removeDatabaseFiles, transaction } from "./client";
import { inList, jsonList } from "./lists";
import { migrateDb } from "./migrate";
import { departments } from "./schema";

describe("the connection's statement cache", () => {
  it("hands out the statement it prepared before for the same SQL", () => {
    const client = db().$client;
    const a = client.prepare("SELECT 1 + ? AS n");
    const b = client.prepare("SELECT 1 + ? AS n");
    expect(b).toBe(a);
    expect(client.prepare("SELECT 2 + ? AS n")).not.toBe(a);
  });

  it("gives a cached reader back in object mode, whatever the last caller switched on", () => {
    const client = db().$client;
    client.prepare("SELECT 40 + ? AS n").raw(true);
    expect(client.prepare("SELECT 40 + ? AS n").get(2)).toEqual({ n: 42 });
    client.prepare("SELECT 30 + ? AS n").pluck(true);
    expect(client.prepare("SELECT 30 + ? AS n").get(2)).toEqual({ n: 32 });
    client.prepare("SELECT 20 + ? AS n").safeIntegers(true);
    expect(client.prepare("SELECT 20 + ? AS n").get(2)).toEqual({ n: 22 });
  });

  it("gives a fresh statement while the cached one is in the middle of an iteration", () => {
    const client = db().$client;
    const source = "SELECT value FROM json_each('[1,2,3]')";
    const iterating = client.prepare(source);
    const rows = iterating.iterate();
    rows.next();
    const other = client.prepare(source);
    expect(other).not.toBe(iterating);
    expect(other.all()).toHaveLength(3);
    rows.return?.();
  });

  it("a Drizzle query (rows as arrays) and a plain statement with the same SQL both get the rows they expect", () => {
    db().insert(departments).values({ name: "Cache check" }).run();
    const query = db().select().from(departments).where(eq(departments.name, "Cache check"));
    const mapped = query.get();
    expect(mapped?.name).toBe("Cache check");
    const { sql: text, params } = query.toSQL();
    expect(db().$client.prepare(text).all(...params)).toEqual([
      { id: mapped!.id, name: "Cache check", external_id: null, directory_group_at: null, archived_at: null, created_at: null, updated_at: null },
    ]);
    expect(query.get()).toEqual(mapped);
  });
});

describe("preparedQuery", () => {
  it("builds a query once per connection and runs it with new values each time", () => {
    let builds = 0;
    const byName = preparedQuery((conn) => {
      builds += 1;
      return conn.select({ id: departments.id }).from(departments).where(eq(departments.name, sql.placeholder("name"))).prepare();
    });
    db().insert(departments).values([{ name: "Prepared A" }, { name: "Prepared B" }]).run();
    const a = byName(db()).get({ name: "Prepared A" });
    const b = byName(db()).get({ name: "Prepared B" });
    expect(a?.id).toBeGreaterThan(0);
    expect(b?.id).not.toBe(a?.id);
    expect(byName(db()).get({ name: "Nobody" })).toBeUndefined();
    expect(builds).toBe(1);

    // Another connection (another database file) gets its own prepared query.
    const file = join(resolve("tests/.tmp/vitest"), `other-${process.pid}-${Date.now()}.db`);
    const other = openDb(file);
    try {
      migrateDb(other);
      other.insert(departments).values({ name: "Prepared A" }).run();
      expect(byName(other).get({ name: "Prepared B" })).toBeUndefined();
      expect(byName(other).get({ name: "Prepared A" })?.id).toBe(1);
      expect(builds).toBe(2);
    } finally {
      other.$client.close();
      removeDatabaseFiles(file);
    }
  });
});

describe("preparedQueries and inList", () => {
  it("builds each shape once and binds any number of ids as one list", () => {
    const built: string[] = [];
    const byIds = preparedQueries((conn, order: "asc" | "desc") => {
      built.push(order);
      return conn
        .select({ id: departments.id })
        .from(departments)
        .where(inList(departments.id, "ids"))
        .orderBy(sql.raw(`"id" ${order}`))
        .prepare();
    });
    const ids = db()
      .insert(departments)
      .values([{ name: "List A" }, { name: "List B" }, { name: "List C" }])
      .returning({ id: departments.id })
      .all()
      .map((r) => r.id);
    expect(byIds(db(), "asc").all({ ids: jsonList(ids) }).map((r) => r.id)).toEqual(ids);
    expect(byIds(db(), "desc").all({ ids: jsonList(ids.slice(0, 2)) }).map((r) => r.id)).toEqual(ids.slice(0, 2).reverse());
    expect(byIds(db(), "asc").all({ ids: jsonList([]) })).toEqual([]);
    expect(byIds(db(), "asc").all({ ids: jsonList([ids[2]!, 999_999]) }).map((r) => r.id)).toEqual([ids[2]]);
    expect(built).toEqual(["asc", "desc"]);
  });
});

describe("transaction and publishAfterCommit", () => {
  it("refuses db() inside a transaction: code inside takes the transaction it is handed", () => {
    expect(() => transaction(() => db())).toThrow(/db\(\) called inside a transaction/);
    expect(() => transaction(() => db(), { snapshot: true })).toThrow(/db\(\) called inside a transaction/);
    expect(db()).toBeDefined();
  });

  it("runs after-commit callbacks once, in order, only when the transaction commits", () => {
    const ran: string[] = [];
    transaction((tx) => {
      publishAfterCommit(() => ran.push("first"));
      transaction(() => publishAfterCommit(() => ran.push("joined")));
      tx.insert(departments).values({ name: "After commit" }).run();
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(["first", "joined"]);
    expect(() =>
      transaction(() => {
        publishAfterCommit(() => ran.push("rolled back"));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(ran).toEqual(["first", "joined"]);
  });

  it("a snapshot transaction reads one moment and holds no write lock", () => {
    const other = openDb(databasePath());
    try {
      const names = transaction(
        (tx) => {
          const before = tx.select({ id: departments.id }).from(departments).all().length;
          // Another connection writes meanwhile: the snapshot does not see it, and is not in its way.
          other.insert(departments).values({ name: "Written meanwhile" }).run();
          return [before, tx.select({ id: departments.id }).from(departments).all().length];
        },
        { snapshot: true },
      );
      expect(names[1]).toBe(names[0]);
      expect(db().select({ id: departments.id }).from(departments).all().length).toBe(names[0]! + 1);
    } finally {
      other.$client.close();
    }
  });
});

describe("async transactions (decision 021, step 4)", () => {
  const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
  const countOf = (conn: ReturnType<typeof db>, name: string) =>
    conn.select({ id: departments.id }).from(departments).where(eq(departments.name, name)).all().length;

  it("runs one at a time in arrival order: a read-modify-write that waits in the middle is not interleaved", async () => {
    const [{ id }] = db().insert(departments).values({ name: "Counter 0" }).returning({ id: departments.id }).all();
    const order: number[] = [];
    const bump = (n: number) =>
      transaction(async (tx) => {
        const row = tx.select().from(departments).where(eq(departments.id, id!)).get()!;
        await tick(5); // a timer: other requests run meanwhile
        const value = Number(row.name.split(" ")[1]) + 1;
        tx.update(departments).set({ name: `Counter ${value}` }).where(eq(departments.id, id!)).run();
        order.push(n);
      });
    await Promise.all([bump(1), bump(2), bump(3)]);
    expect(order).toEqual([1, 2, 3]);
    expect(db().select().from(departments).where(eq(departments.id, id!)).get()!.name).toBe("Counter 3");
  });

  it("an error after an await rolls everything back, and the next transaction runs", async () => {
    await expect(
      transaction(async (tx) => {
        tx.insert(departments).values({ name: "Rolled back async" }).run();
        await tick();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(countOf(db(), "Rolled back async")).toBe(0);
    await transaction(async (tx) => {
      tx.insert(departments).values({ name: "After the rollback" }).run();
    });
    expect(countOf(db(), "After the rollback")).toBe(1);
  });

  it("a read outside the transaction does not see its writes until it commits; after-commit callbacks run after COMMIT", async () => {
    const seen: number[] = [];
    // A plain connection of its own, to read synchronously inside the after-commit callback.
    const probe = new Database(databasePath(), { readonly: true });
    const committed = () => probe.prepare("SELECT count(*) FROM departments WHERE name = ?").pluck().get("Not yet committed") as number;
    const done = transaction(async (tx) => {
      tx.insert(departments).values({ name: "Not yet committed" }).run();
      publishAfterCommit(() => seen.push(committed()));
      await tick(5);
      expect(countOf(tx, "Not yet committed")).toBe(1);
    });
    await tick(1);
    // Another request, while the transaction is open: the reader sees only what has committed.
    expect(countOf(db(), "Not yet committed")).toBe(0);
    await done;
    expect(seen).toEqual([1]);
    expect(countOf(db(), "Not yet committed")).toBe(1);
    probe.close();
  });

  it("a call inside joins the open transaction; db() inside is refused; a synchronous one cannot wait for it", async () => {
    const outer = transaction(async (tx) => {
      await transaction(async (inner) => {
        expect(inner).toBe(tx);
        inner.insert(departments).values({ name: "Joined" }).run();
      });
      expect(() => db()).toThrow(/db\(\) called inside a transaction/);
      await tick(5);
    });
    await tick(1);
    expect(() => transaction(() => 1)).toThrow(/cannot wait for the open one/);
    await outer;
    expect(countOf(db(), "Joined")).toBe(1);
  });

  it("waiting for another process's write lock does not block the event loop", async () => {
    const other = openDb(databasePath());
    try {
      other.$client.exec("BEGIN IMMEDIATE");
      let timerRan = false;
      let committed = false;
      const waiting = transaction(async (tx) => {
        tx.insert(departments).values({ name: "After the lock" }).run();
      }).then(() => (committed = true));
      // The event loop turns while the transaction waits for the lock: timers and reads run.
      await tick(30);
      timerRan = true;
      expect(committed).toBe(false);
      expect(countOf(db(), "After the lock")).toBe(0);
      other.$client.exec("COMMIT");
      await waiting;
      expect(timerRan).toBe(true);
      expect(countOf(db(), "After the lock")).toBe(1);
    } finally {
      if (other.$client.inTransaction) other.$client.exec("ROLLBACK");
      other.$client.close();
    }
  });

  it("an async snapshot keeps one moment across its awaits", async () => {
    const other = openDb(databasePath());
    try {
      const [before, after] = await transaction(
        async (tx) => {
          const first = tx.select({ id: departments.id }).from(departments).all().length;
          await tick(5);
          other.insert(departments).values({ name: "Written during the snapshot" }).run();
          await tick(5);
          return [first, tx.select({ id: departments.id }).from(departments).all().length];
        },
        { snapshot: true },
      );
      expect(after).toBe(before);
    } finally {
      other.$client.close();
    }
  });
});
