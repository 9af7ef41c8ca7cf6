/**
 * One way to run a query on both engines (docs/decisions/021, step 4).
 *
 * The services are written against Drizzle's SQLite builder: `await query.get()` for one row,
 * `.all()` for rows, `.run()` for a write (`.changes` rows changed), `conn.get/all/run(sql…)` for
 * raw SQL, and prepared queries (`.prepare()` then `.get/all/run(values)`). On SQLite these
 * return values and `await` passes them through; the PostgreSQL builders only have `execute()`.
 * This module gives the PostgreSQL builders the same five calls, each returning a promise of
 * what the SQLite call returns, so one service body serves both engines. It is imported once,
 * by db/client.ts, before a PostgreSQL connection is opened.
 *
 * It also makes node-postgres return what SQLite returns: numbers for `count(*)` and `sum()`
 * (`bigint` / `numeric` in PostgreSQL, strings by default in node-postgres), and, for raw SQL, the
 * column names as the query spells them: PostgreSQL folds an unquoted `AS userId` to `userid`.
 * And every text bound to a statement can be bound: a NUL character goes as U+FFFD (`storable`).
 */
import { PgDatabase, PgDeleteBase, PgInsertBase, PgInteger, PgPreparedQuery, PgSelectBase, PgUpdateBase } from "drizzle-orm/pg-core";
import { is, Param, Placeholder, SQL, StringChunk, type SQLWrapper } from "drizzle-orm";
import { NodePgPreparedQuery } from "drizzle-orm/node-postgres";
import pg from "pg";

type Execute = { execute(values?: Record<string, unknown>): Promise<unknown> };

/** What SQLite's `.run()` answers; `lastInsertRowid` is never set (use `.returning()`). */
export type RunResult = { changes: number; lastInsertRowid?: number };

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  return ((result as pg.QueryResult | undefined)?.rows ?? []) as Record<string, unknown>[];
}

function changesOf(result: unknown): RunResult {
  if (Array.isArray(result)) return { changes: result.length };
  return { changes: (result as pg.QueryResult | undefined)?.rowCount ?? 0 };
}

/** Per SQL text: the lower-case names PostgreSQL answers with, and the camelCase ones the query wrote. */
const spellings = new Map<string, Map<string, string>>();

function spellingsOf(text: string): Map<string, string> {
  let found = spellings.get(text);
  if (!found) {
    found = new Map();
    for (const [name] of text.matchAll(/\b[a-z][a-z0-9_]*[A-Z][A-Za-z0-9_]*\b/g)) found.set(name.toLowerCase(), name);
    if (spellings.size > 2_000) spellings.clear();
    spellings.set(text, found);
  }
  return found;
}

/** Raw rows with their columns named as the SQL text spelt them. */
function respelled(rows: Record<string, unknown>[], text: string): Record<string, unknown>[] {
  const names = spellingsOf(text);
  if (names.size === 0 || rows.length === 0) return rows;
  const keys = Object.keys(rows[0]!);
  if (!keys.some((key) => names.has(key))) return rows;
  const renamed = keys.map((key) => names.get(key) ?? key);
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[renamed[i]!] = row[keys[i]!];
    return out;
  });
}

type Raw = PgDatabase<never> & { dialect: { sqlToQuery(sql: unknown): { sql: string } } };

async function rawRows(conn: Raw, query: SQLWrapper | string): Promise<Record<string, unknown>[]> {
  const rows = rowsOf(await conn.execute(query as never));
  const text = typeof query === "string" ? query : conn.dialect.sqlToQuery(query.getSQL()).sql;
  return respelled(rows, text);
}

const onBuilder = {
  async get(this: Execute, values?: Record<string, unknown>) {
    return rowsOf(await this.execute(values))[0];
  },
  async all(this: Execute, values?: Record<string, unknown>) {
    return rowsOf(await this.execute(values));
  },
  async run(this: Execute, values?: Record<string, unknown>) {
    return changesOf(await this.execute(values));
  },
};

/** What a PostgreSQL `integer` (int4) column holds: whole numbers from -2^31 to 2^31 - 1. */
function fitsInteger(value: number): boolean {
  return Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}

const COMPARISON = /^\s*(=|<>|<|>|<=|>=)\s*$/;

/**
 * In a query about to be prepared, `integerColumn = placeholder` (eq, lt…, as Drizzle writes them)
 * gets the column as the placeholder's encoder, as a bound value has: its value then goes through
 * the mapping below when the prepared query runs (Drizzle binds a bare placeholder as given).
 */
function encodeIntegerPlaceholders(node: unknown, seen: Set<unknown>) {
  if (seen.has(node)) return;
  seen.add(node);
  const chunks = Array.isArray(node) ? (node as unknown[]) : is(node, SQL) ? (node.queryChunks as unknown[]) : null;
  if (!chunks) return;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (Array.isArray(chunk) || is(chunk, SQL)) encodeIntegerPlaceholders(chunk, seen);
    else if (is(chunk, PgInteger) && is(chunks[i + 2], Placeholder) && is(chunks[i + 1], StringChunk)) {
      if (COMPARISON.test((chunks[i + 1] as StringChunk).value.join(""))) chunks[i + 2] = new Param(chunks[i + 2], chunk);
    }
  }
}

/** What a NUL character is bound as on PostgreSQL: U+FFFD, the replacement character. */
const NUL_STANDS_FOR = "\uFFFD";

/**
 * A bound value as PostgreSQL can take it: a text's NUL characters (U+0000) become U+FFFD, in a
 * text or in a list of texts (bound as an array); any other value is left as it is.
 *
 * PostgreSQL's text holds no NUL and refuses a whole statement that binds one ("invalid byte
 * sequence for encoding UTF8: 0x00", SQLSTATE 22021), so an address or a form carrying `%00`
 * answered 500 where SQLite answers "nothing found". Why U+FFFD:
 * - a lookup by such a text finds nothing, as on SQLite: no slug, token or e-mail address holds
 *   U+FFFD, and what people write never holds a NUL (app/domain/text.ts refuses control characters).
 *   Dropping the NUL instead would make `a%00b` find the jam `ab`.
 * - a write of such a text saves, as on SQLite, with the character marked where it was, and keeps
 *   its length in JavaScript (one UTF-16 unit for one).
 * - it is what node-postgres already sends for the other text PostgreSQL cannot take: a lone
 *   surrogate ("\uD800") is encoded as U+FFFD on its way to UTF-8.
 * The one difference left: a text that really holds U+FFFD equals, on PostgreSQL, the same text
 * looked up with a NUL in its place (on SQLite it does not).
 * Texts inside JSON need nothing: JSON.stringify writes a NUL as the six characters `\u0000`.
 */
export function storable(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replaceAll("\u0000", NUL_STANDS_FOR) : value;
  if (Array.isArray(value)) return storableValues(value);
  return value;
}

function storableValues(values: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = storable(values[i]);
    if (value !== values[i]) (out ??= values.slice())[i] = value;
  }
  return out ?? values;
}

type Query = (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Every statement on PostgreSQL, whoever writes it (the builders, prepared queries, raw SQL,
 * `pool.query` in app/coordination), reaches the server through `Client#query` (a pool's query
 * too): the values are made storable there, with the values as an argument or in the config.
 */
function bindStorableValues() {
  const query = pg.Client.prototype.query as unknown as Query;
  const storableQuery: Query = function (this: pg.Client, config, values, ...rest) {
    if (Array.isArray(values)) values = storableValues(values);
    else if (config !== null && typeof config === "object" && Array.isArray((config as { values?: unknown }).values)) {
      const given = config as { values: unknown[]; submit?: unknown };
      const made = storableValues(given.values);
      // A Query object (one with `submit`) is sent as it is; a plain config is not ours to change.
      if (made !== given.values) config = typeof given.submit === "function" ? Object.assign(given, { values: made }) : { ...given, values: made };
    }
    return query.call(this, config, values, ...rest);
  };
  pg.Client.prototype.query = storableQuery as unknown as typeof pg.Client.prototype.query;
}

let installed = false;

/** Adds get/all/run to the PostgreSQL builders, prepared queries and database (once per process). */
export function installPgCompat() {
  if (installed) return;
  installed = true;
  // int8 (count, sum of integers, bigint columns read raw) and numeric (avg, sum) as numbers.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));
  bindStorableValues();
  // A number an `integer` column cannot hold (1.5, 2^31) is bound as NULL: on SQLite, whose
  // integer columns take any number, `id = 2147483648` finds no row; on PostgreSQL the value
  // would fail the whole statement (and the transaction it is in). So a lookup by such an id
  // finds nothing on both engines, and the service answers "not found" as it does on SQLite.
  const toDriver = PgInteger.prototype.mapToDriverValue;
  PgInteger.prototype.mapToDriverValue = function (this: PgInteger<never>, value: unknown) {
    return typeof value === "number" && !fitsInteger(value) ? null : toDriver.call(this, value);
  };
  for (const builder of [PgSelectBase, PgUpdateBase, PgDeleteBase]) {
    const proto = builder.prototype as unknown as { prepare(name?: string): unknown; getSQL(): SQL };
    const prepare = proto.prepare;
    proto.prepare = function (this: typeof proto, name?: string) {
      encodeIntegerPlaceholders(this.getSQL(), new Set());
      return prepare.call(this, name);
    };
  }
  for (const builder of [PgSelectBase, PgInsertBase, PgUpdateBase, PgDeleteBase]) {
    Object.assign(builder.prototype, onBuilder);
  }
  // Prepared queries: `.all()` of node-postgres returns unmapped rows; the SQLite one maps them.
  // NodePgPreparedQuery defines its own `all`, which would hide the one given to its parent class.
  Object.assign(PgPreparedQuery.prototype, onBuilder);
  Object.assign(NodePgPreparedQuery.prototype, onBuilder);
  Object.assign(PgDatabase.prototype, {
    async get(this: Raw, query: SQLWrapper | string) {
      return (await rawRows(this, query))[0];
    },
    async all(this: Raw, query: SQLWrapper | string) {
      return await rawRows(this, query);
    },
    async run(this: PgDatabase<never>, query: SQLWrapper | string) {
      return changesOf(await this.execute(query as never));
    },
    async values(this: Raw, query: SQLWrapper | string) {
      return (await rawRows(this, query)).map((row) => Object.values(row));
    },
  });
}
