/**
 * PostgreSQL connections (node-postgres) with the PostgreSQL schema. Today they serve migrations,
 * the copy from SQLite (db/copy.ts) and tests; the app serves from SQLite until its services are
 * asynchronous (docs/decisions/021, step 4).
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export { isPostgresUrl } from "../engine.js";

export function openPg(url: string, options: { max?: number } = {}): PgDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  return drizzle(pool, { schema }) as PgDb;
}
