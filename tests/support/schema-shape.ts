/**
 * The shape of a migrated database, read back from the engine itself (not from the Drizzle schema):
 * per table its columns (by name: name, not-null, has a default), primary key, unique constraints and unique
 * indexes (as column sets), plain indexes, foreign keys (columns, target, on delete) and check
 * constraints, written the same way for SQLite and PostgreSQL so the two can be compared with one
 * `toEqual` (tests/integration/pg-schema-parity.pg.test.ts).
 */
import type Database from "better-sqlite3";
import type pg from "pg";

export type TableShape = {
  columns: { name: string; notNull: boolean; hasDefault: boolean }[];
  primaryKey: string[];
  /** Unique constraints and unique indexes, each as "col1,col2" (+ " where…" when partial), sorted. */
  unique: string[];
  /** Plain (not unique) indexes, each as "name(col1,col2)" (+ " where…" when partial), sorted. */
  indexes: string[];
  /** "col1,col2 -> table(col1,col2) on delete RULE", sorted. */
  foreignKeys: string[];
  /** Names of check constraints, sorted. */
  checks: string[];
};

export type DatabaseShape = Record<string, TableShape>;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Bookkeeping that belongs to the engine or the migrator, not to the app's schema. */
const SQLITE_INTERNAL = /^(sqlite_|__drizzle_migrations$)/;

/**
 * The SQLite database's shape. `skipTables` leaves out tables an engine keeps for its own features
 * (FTS5's virtual table and its shadow tables).
 */
export function sqliteShape(sqlite: Database.Database, options: { skipTables?: RegExp } = {}): DatabaseShape {
  const tables = sqlite
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all() as { name: string; sql: string }[];
  const shape: DatabaseShape = {};
  for (const { name: table, sql: createSql } of tables) {
    if (SQLITE_INTERNAL.test(table) || options.skipTables?.test(table)) continue;
    const info = sqlite.prepare(`PRAGMA table_info("${table}")`).all() as {
      name: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    // A primary key column never holds null on PostgreSQL; SQLite reports it as nullable unless it says NOT NULL.
    const columns = info
      .map((c) => ({ name: c.name, notNull: c.notnull === 1 || c.pk > 0, hasDefault: c.dflt_value !== null }))
      .sort((a, b) => byName(a.name, b.name));

    const unique: string[] = [];
    const indexes: string[] = [];
    const list = sqlite.prepare(`PRAGMA index_list("${table}")`).all() as {
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }[];
    for (const index of list) {
      if (index.origin === "pk") continue;
      const cols = (sqlite.prepare(`PRAGMA index_info("${index.name}")`).all() as { seqno: number; name: string | null }[])
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name ?? "(expression)")
        .join(",");
      const partial = index.partial ? " where…" : "";
      if (index.unique) unique.push(`${cols}${partial}`);
      else indexes.push(`${index.name}(${cols})${partial}`);
    }

    const fkRows = sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as {
      id: number;
      seq: number;
      table: string;
      from: string;
      to: string | null;
      on_delete: string;
    }[];
    const fks = new Map<number, typeof fkRows>();
    for (const row of fkRows) fks.set(row.id, [...(fks.get(row.id) ?? []), row]);
    const foreignKeys = [...fks.values()].map((rows) => {
      rows.sort((a, b) => a.seq - b.seq);
      const target = rows[0]!.table;
      return `${rows.map((r) => r.from).join(",")} -> ${target}(${rows.map((r) => r.to ?? "?").join(",")}) on delete ${rows[0]!.on_delete.toUpperCase()}`;
    });

    const checks = [...(createSql ?? "").matchAll(/CONSTRAINT\s+["`]?([\w]+)["`]?\s+CHECK\s*\(/gi)].map((m) => m[1]!);

    shape[table] = {
      columns,
      primaryKey,
      unique: unique.sort(byName),
      indexes: indexes.sort(byName),
      foreignKeys: foreignKeys.sort(byName),
      checks: checks.sort(byName),
    };
  }
  return shape;
}

const ON_DELETE: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

/**
 * The PostgreSQL database's shape (schema `public`). `skipColumns` ("table.column") and
 * `skipIndexes` leave out what exists on this engine only on purpose (the generated search column
 * and its GIN index, which FTS5's tables are on SQLite).
 */
export async function pgShape(
  client: pg.Pool | pg.ClientBase,
  options: { skipColumns?: string[]; skipIndexes?: string[] } = {},
): Promise<DatabaseShape> {
  const skipColumns = new Set(options.skipColumns ?? []);
  const skipIndexes = new Set(options.skipIndexes ?? []);
  const shape: DatabaseShape = {};
  const table = (name: string) =>
    (shape[name] ??= { columns: [], primaryKey: [], unique: [], indexes: [], foreignKeys: [], checks: [] });

  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '__drizzle_migrations' ORDER BY c.relname`,
  );
  for (const t of tables) table(t.name);

  const { rows: columns } = await client.query<{ table: string; name: string; not_null: boolean; has_default: boolean }>(
    `SELECT c.relname AS "table", a.attname AS name, a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  for (const c of columns) {
    if (!shape[c.table] || skipColumns.has(`${c.table}.${c.name}`)) continue;
    // An identity column has no default in the catalogue, as SQLite's INTEGER PRIMARY KEY has none.
    table(c.table).columns.push({ name: c.name, notNull: c.not_null, hasDefault: c.has_default });
  }

  const { rows: indexes } = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    partial: boolean;
    columns: (string | null)[];
  }>(
    `SELECT t.relname AS "table", i.relname AS name, x.indisunique AS "unique", x.indisprimary AS "primary",
            x.indpred IS NOT NULL AS partial,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
                   ORDER BY k.ord) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> '__drizzle_migrations'`,
  );
  for (const index of indexes) {
    if (!shape[index.table] || skipIndexes.has(index.name)) continue;
    const cols = index.columns.map((c) => c ?? "(expression)");
    if (index.primary) {
      table(index.table).primaryKey = cols;
      continue;
    }
    const partial = index.partial ? " where…" : "";
    if (index.unique) table(index.table).unique.push(`${cols.join(",")}${partial}`);
    else table(index.table).indexes.push(`${index.name}(${cols.join(",")})${partial}`);
  }

  const { rows: constraints } = await client.query<{
    table: string;
    name: string;
    type: string;
    target: string | null;
    on_delete: string;
    columns: string[];
    target_columns: string[] | null;
  }>(
    `SELECT t.relname AS "table", c.conname AS name, c.contype AS type, f.relname AS target, c.confdeltype AS on_delete,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            CASE WHEN c.contype = 'f' THEN
              ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
            END AS target_columns
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class f ON f.oid = c.confrelid
      WHERE n.nspname = 'public' AND c.contype IN ('f', 'c')`,
  );
  for (const c of constraints) {
    if (!shape[c.table]) continue;
    if (c.type === "c") table(c.table).checks.push(c.name);
    else
      table(c.table).foreignKeys.push(
        `${c.columns.join(",")} -> ${c.target}(${(c.target_columns ?? []).join(",")}) on delete ${ON_DELETE[c.on_delete] ?? c.on_delete}`,
      );
  }

  for (const t of Object.values(shape)) {
    // By name: a column added later sits last on PostgreSQL but where the schema puts it on SQLite (which rebuilds the table).
    t.columns.sort((a, b) => byName(a.name, b.name));
    t.unique.sort(byName);
    t.indexes.sort(byName);
    t.foreignKeys.sort(byName);
    t.checks.sort(byName);
  }
  return shape;
}
