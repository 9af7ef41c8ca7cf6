/**
 * `npm run db:copy -- --to postgres://… [--from FILE]`: copies an SQLite database (default: the
 * file DATABASE_URL names) into an EMPTY PostgreSQL database, so a company can start on SQLite and
 * move. The target is migrated first (db/pg/migrations; nothing happens to one already up to date),
 * then must hold no rows at all. Everything goes in one transaction: tables in foreign-key order,
 * rows in batches, flags turned into booleans, columns that point into their own table (an idea
 * merged into a later one) filled in once the whole table is there; then each identity sequence is
 * moved past the highest id and the row counts of both sides are compared. Any failure rolls the
 * whole copy back and leaves the target empty. The SQLite file is opened read-only and read in one
 * read transaction, so a copy taken while the app runs is consistent.
 * See docs/decisions/022-postgresql-schema-and-throwaway-clusters.md.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { databasePath } from "./client";
import { isPostgresUrl, redactUrl } from "./engine.js";
import { migratePg } from "./pg/migrate";

export { redactUrl };

export class CopyRefused extends Error {}

export type TableCount = { table: string; sqlite: number; postgres: number };

type Column = { name: string; type: string; generated: boolean; identity: boolean };
type TablePlan = {
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Columns referencing this same table: copied as null, then set once every row is in. */
  selfReferences: string[];
};

/** At most this many values in one INSERT (PostgreSQL's limit is 65,535 parameters). */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH_ROWS = 1_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The app's tables on PostgreSQL, parents before children, with their columns and keys. */
async function planTables(client: pg.ClientBase): Promise<TablePlan[]> {
  const { rows: columns } = await client.query<{
    table: string;
    name: string;
    type: string;
    generated: boolean;
    identity: boolean;
  }>(
    `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            (a.attgenerated <> '' OR a.atttypid = 'tsvector'::regtype) AS generated, a.attidentity <> '' AS identity
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '__drizzle_migrations'
      ORDER BY c.relname, a.attnum`,
  );
  const { rows: keys } = await client.query<{ table: string; type: string; target: string | null; columns: string[] }>(
    `SELECT t.relname AS "table", k.contype AS type, f.relname AS target,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class f ON f.oid = k.confrelid
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`,
  );
  const plans = new Map<string, TablePlan>();
  for (const c of columns) {
    const plan = plans.get(c.table) ?? { name: c.table, columns: [], primaryKey: [], selfReferences: [] };
    plan.columns.push({ name: c.name, type: c.type, generated: c.generated, identity: c.identity });
    plans.set(c.table, plan);
  }
  const parents = new Map<string, Set<string>>();
  for (const k of keys) {
    const plan = plans.get(k.table);
    if (!plan) continue;
    if (k.type === "p") plan.primaryKey = k.columns;
    else if (k.target === k.table) plan.selfReferences.push(...k.columns);
    else if (k.target) parents.set(k.table, (parents.get(k.table) ?? new Set()).add(k.target));
  }

  // Parents first (depth-first topological order); a cycle between tables cannot be copied row by row.
  const ordered: TablePlan[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`foreign keys form a cycle: ${[...path, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const parent of [...(parents.get(name) ?? [])].sort()) visit(parent, [...path, name]);
    state.set(name, "done");
    ordered.push(plans.get(name)!);
  };
  for (const name of [...plans.keys()].sort()) visit(name, []);
  return ordered;
}

/** SQLite's value as PostgreSQL takes it for a column of `type` (integers arrive as bigint: no precision is lost). */
function convert(value: unknown, type: string, where: () => string): unknown {
  if (value === null || value === undefined) return null;
  if (type === "boolean") {
    if (value === 0n || value === 0) return false;
    if (value === 1n || value === 1) return true;
    throw new Error(`${where()}: ${String(value)} is not a flag (0 or 1)`);
  }
  if (typeof value === "bigint") return type === "double precision" || type === "real" ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) throw new Error(`${where()}: binary data where PostgreSQL expects ${type}`);
  return value;
}

export type CopyOptions = {
  /** The SQLite file to read. */
  from: string;
  /** The PostgreSQL database to fill (postgres://…). */
  to: string;
  log?: (line: string) => void;
};

/** Copies `from` into `to` (see the file's comment); returns the row count of every table on both sides. */
export async function copySqliteToPostgres({ from, to, log = () => {} }: CopyOptions): Promise<TableCount[]> {
  if (!isPostgresUrl(to)) throw new CopyRefused(`--to must be a postgres:// URL (got "${to}").`);
  if (!existsSync(from)) throw new CopyRefused(`There is no SQLite database at ${from}.`);

  log(`Migrating ${redactUrl(to)} (db/pg/migrations)…`);
  await migratePg(to);

  const sqlite = new Database(from, { readonly: true, fileMustExist: true });
  sqlite.defaultSafeIntegers(true);
  const client = new pg.Client({ connectionString: to });
  await client.connect();
  let began = false;
  try {
    // One consistent snapshot of the source for the whole copy.
    sqlite.exec("BEGIN");
    await client.query("BEGIN");
    began = true;
    // Two copies started at once into one database: the second waits, then finds it not empty.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('jamboree db:copy'))");

    const tables = await planTables(client);
    const nonEmpty: string[] = [];
    for (const table of tables) {
      const { rows } = await client.query(`SELECT 1 FROM ${quote(table.name)} LIMIT 1`);
      if (rows.length > 0) nonEmpty.push(table.name);
    }
    if (nonEmpty.length > 0) {
      throw new CopyRefused(
        `${redactUrl(to)} is not empty (rows in ${nonEmpty.join(", ")}). The copy only fills an empty database: ` +
          "create a new one (createdb) and copy into it, so nothing there is overwritten or mixed with the copy.",
      );
    }

    // The source must have every table and column the target has (the same migrations applied).
    const missing: string[] = [];
    for (const table of tables) {
      const have = new Set(
        (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table.name) as { name: string }[]).map((c) => c.name),
      );
      if (have.size === 0) missing.push(table.name);
      else for (const c of table.columns) if (!c.generated && !have.has(c.name)) missing.push(`${table.name}.${c.name}`);
    }
    if (missing.length > 0) {
      throw new CopyRefused(
        `${from} lacks ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? "…" : ""}: it was made by an older version. ` +
          "Run `npm run db:migrate` on it (DATABASE_URL=that file) first.",
      );
    }

    const counts: TableCount[] = [];
    for (const table of tables) {
      const columns = table.columns.filter((c) => !c.generated);
      const selfRefs = new Set(table.selfReferences);
      const columnList = columns.map((c) => quote(c.name)).join(", ");
      const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
      const read = sqlite.prepare(
        `SELECT rowid AS "__copy_rowid", ${columnList} FROM ${quote(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      );
      const later: unknown[][] = [];
      let lastRowid = -(2n ** 63n);
      let copied = 0;
      for (;;) {
        const rows = read.all(lastRowid, batchRows) as Record<string, unknown>[];
        if (rows.length === 0) break;
        lastRowid = rows[rows.length - 1]!.__copy_rowid as bigint;
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (const row of rows) {
          const where = () => `${table.name} row ${String(row.__copy_rowid)}`;
          const tuple: string[] = [];
          for (const c of columns) {
            const value = convert(row[c.name], c.type, () => `${where()}, column ${c.name}`);
            values.push(selfRefs.has(c.name) ? null : value);
            tuple.push(`$${values.length}`);
          }
          tuples.push(`(${tuple.join(", ")})`);
          if (selfRefs.size > 0 && table.selfReferences.some((c) => row[c] !== null)) {
            later.push([...table.primaryKey.map((k) => convert(row[k], "", where)), ...table.selfReferences.map((c) => convert(row[c], "", where))]);
          }
        }
        try {
          await client.query(`INSERT INTO ${quote(table.name)} (${columnList}) VALUES ${tuples.join(", ")}`, values);
        } catch (error) {
          const first = String(rows[0]!.__copy_rowid);
          throw new Error(`copying ${table.name} (rows from rowid ${first} to ${String(lastRowid)}) failed, nothing was kept: ${(error as Error).message}`, { cause: error });
        }
        copied += rows.length;
      }
      // Rows pointing into their own table, now that every row they may point to is there.
      if (later.length > 0) {
        if (table.primaryKey.length === 0) throw new Error(`${table.name} points into itself but has no primary key`);
        const keys = table.primaryKey.map(quote);
        const refs = table.selfReferences.map(quote);
        const types = [...table.primaryKey, ...table.selfReferences].map((name) => table.columns.find((c) => c.name === name)!.type);
        const setList = refs.map((r) => `${r} = v.${r}`).join(", ");
        const match = keys.map((k) => `t.${k} = v.${k}`).join(" AND ");
        const width = keys.length + refs.length;
        const perBatch = Math.max(1, Math.floor(MAX_PARAMETERS / width));
        for (let start = 0; start < later.length; start += perBatch) {
          const batch = later.slice(start, start + perBatch);
          const values = batch.flat();
          const tuples = batch.map((_, i) => `(${types.map((type, j) => `$${i * width + j + 1}::${type}`).join(", ")})`);
          await client.query(
            `UPDATE ${quote(table.name)} AS t SET ${setList} FROM (VALUES ${tuples.join(", ")}) AS v(${[...keys, ...refs].join(", ")}) WHERE ${match}`,
            values,
          );
        }
      }
      // The next id PostgreSQL gives comes after the highest copied one.
      for (const c of table.columns.filter((c) => c.identity)) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(c.name)}) FROM ${quote(table.name)}), 0) + 1, false)`,
          [quote(table.name), c.name],
        );
      }
      const sourceCount = Number((sqlite.prepare(`SELECT count(*) AS n FROM ${quote(table.name)}`).get() as { n: bigint }).n);
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`);
      counts.push({ table: table.name, sqlite: sourceCount, postgres: Number(rows[0]!.n) });
      if (copied > 0) log(`  ${table.name}: ${copied} ${copied === 1 ? "row" : "rows"}`);
    }

    // Search columns the target computes itself (tsvector: generated, or kept by a trigger) are not
    // copied; a question's holds its accepted answer, copied after it: set it again now.
    await client.query(`UPDATE "questions" SET "accepted_answer_id" = "accepted_answer_id" WHERE "accepted_answer_id" IS NOT NULL`);

    const wrong = counts.filter((c) => c.sqlite !== c.postgres);
    if (wrong.length > 0) {
      throw new Error(`row counts differ after the copy (nothing was kept): ${wrong.map((c) => `${c.table} ${c.sqlite} vs ${c.postgres}`).join(", ")}`);
    }
    await client.query("COMMIT");
    began = false;
    // Fresh tables have no statistics: until autovacuum gets to them the planner guesses a jam has
    // a thousand ideas, not 46,000, and scans them all for a page's first six (measured: the jam
    // home's ideas 36 ms per query, 0.04 ms after ANALYZE). Gather them now, before anyone serves.
    const analyzing = performance.now();
    await client.query("ANALYZE");
    log(`  statistics gathered for the planner (ANALYZE) in ${((performance.now() - analyzing) / 1000).toFixed(1)} s`);
    return counts;
  } finally {
    if (began) await client.query("ROLLBACK").catch(() => {});
    await client.end().catch(() => {});
    if (sqlite.inTransaction) sqlite.exec("COMMIT");
    sqlite.close();
  }
}

/** The counts as a small aligned table. */
export function formatCounts(counts: TableCount[]): string {
  const width = Math.max(5, ...counts.map((c) => c.table.length));
  const lines = [`${"table".padEnd(width)}  ${"sqlite".padStart(9)}  ${"postgres".padStart(9)}`];
  for (const c of counts) lines.push(`${c.table.padEnd(width)}  ${String(c.sqlite).padStart(9)}  ${String(c.postgres).padStart(9)}`);
  const total = counts.reduce((sum, c) => sum + c.postgres, 0);
  lines.push(`${"total".padEnd(width)}  ${String(counts.reduce((sum, c) => sum + c.sqlite, 0)).padStart(9)}  ${String(total).padStart(9)}`);
  return lines.join("\n");
}

function parseArgs(argv: string[]): { to?: string; from?: string } {
  const out: { to?: string; from?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--to" || flag === "--from") {
      const value = inline ?? argv[++i];
      if (!value) throw new CopyRefused(`${flag} needs a value.`);
      out[flag === "--to" ? "to" : "from"] = value;
    } else {
      throw new CopyRefused(`Unknown argument ${arg}. Usage: npm run db:copy -- --to postgres://… [--from path/to/jamboree.db]`);
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const args = parseArgs(process.argv.slice(2));
    if (!args.to) throw new CopyRefused("Usage: npm run db:copy -- --to postgres://user@host/database [--from path/to/jamboree.db]");
    if (!args.from && isPostgresUrl(process.env.DATABASE_URL)) {
      throw new CopyRefused("DATABASE_URL names a PostgreSQL database: say which SQLite file to copy with --from.");
    }
    const from = args.from ? databasePath(args.from) : databasePath();
    console.log(`Copying ${from} into ${redactUrl(args.to)}`);
    const started = performance.now();
    const counts = await copySqliteToPostgres({ from, to: args.to, log: (line) => console.log(line) });
    console.log(formatCounts(counts));
    console.log(`Copied in ${((performance.now() - started) / 1000).toFixed(1)} s; every table's row count matches.`);
  } catch (error) {
    console.error(error instanceof CopyRefused ? error.message : error);
    process.exitCode = 1;
  }
}
