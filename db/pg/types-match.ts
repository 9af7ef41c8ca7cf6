/**
 * A compile-time check (tsc, `npm run typecheck`): every table of the PostgreSQL schema gives the
 * app exactly the row types the SQLite schema does, in both directions, so the services can move
 * to PostgreSQL without one type changing. A table missing from one schema, a column added to one
 * only, or a column whose JavaScript type differs (a `bigint` not in number mode, an integer flag
 * not `boolean`) makes `MISMATCHED` name it and this file stop compiling.
 * The tables' SQL shape (constraints, indexes, foreign keys) is compared by
 * tests/integration/pg-schema-parity.pg.test.ts.
 */
import type { Table } from "drizzle-orm";
import type * as lite from "../schema";
import type * as pgs from "./schema";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type TablesOf<S> = { [K in keyof S as S[K] extends Table ? K : never]: S[K] };
type Lite = TablesOf<typeof lite>;
type Pg = TablesOf<typeof pgs>;

type Row<T> = T extends { $inferSelect: infer R } ? R : never;
type NewRow<T> = T extends { $inferInsert: infer R } ? R : never;

/**
 * Tables whose primary key is a plain INTEGER that the app always gives (here a foreign key): on
 * SQLite such a column is the rowid, which SQLite would number itself, so Drizzle makes it optional
 * on insert; on PostgreSQL it is required. Their new rows are compared with every field required
 * (same fields, same types); whether a column may be left out is the parity test's (defaults).
 */
type RowidKeyed = "communitySeeds";

type SameNewRow<K, A, B> = K extends RowidKeyed ? Equal<Required<A>, Required<B>> : Equal<A, B>;

/** The names of the tables whose rows (read or written) differ between the engines, or that one engine lacks. */
type Mismatched = {
  [K in keyof Lite | keyof Pg]: K extends keyof Lite
    ? K extends keyof Pg
      ? Equal<Row<Lite[K]>, Row<Pg[K]>> extends true
        ? SameNewRow<K, NewRow<Lite[K]>, NewRow<Pg[K]>> extends true
          ? never
          : K
        : K
      : K
    : K;
}[keyof Lite | keyof Pg];

export const MISMATCHED: [Mismatched] extends [never] ? "none" : { tablesThatDiffer: Mismatched } = "none";

// Not vacuous: both schemas hold the tables the app uses.
export const SOME_TABLES: Equal<"users" | "ideas" | "jams" extends keyof Lite & keyof Pg ? true : false, true> = true;
