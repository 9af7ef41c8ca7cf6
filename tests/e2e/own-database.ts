/**
 * A database of a test's own, for a server of the test's own (fixtures.ts startServer with
 * DATABASE_URL set to `url`), on the run's engine: in the SQLite run a file in tests/.tmp, in the
 * PostgreSQL run (playwright.pg.config.ts) a new database on the run's cluster (tests/e2e/pg-servers.ts),
 * made by the cluster's superuser and owned by `jamboree` as the run's own database is. So a spec has
 * one body for both engines: it prepares its database with `conn()` (the tables of ~db/schema, which
 * are the run's engine's) or with a script given DATABASE_URL=`url`, and `drop()` removes it at the end.
 */
import type { TestInfo } from "@playwright/test";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { mkdirSync } from "node:fs";
import pg from "pg";
import { openDb, removeDatabaseFiles, type Db } from "~db/client";
import { isPostgresUrl } from "~db/engine.js";
import { migrateDb } from "~db/migrate";
import { installPgCompat } from "~db/pg/compat";
import { migratePg } from "~db/pg/migrate";
import * as pgSchema from "~db/pg/schema";
import { createDatabase } from "../support/postgres";
import { e2eDatabase, e2eOnPostgres } from "./accounts";

export type OwnDatabase = {
  /** DATABASE_URL for the test's server and scripts: the SQLite file's path, or a postgres:// URL. */
  url: string;
  /** A connection to it from the test (opened on first use), with SQLite's get/all/run calls on both engines. */
  conn: () => Db;
  /** Closes the test's connection and removes the database (its files, or DROP DATABASE). Stop its servers first. */
  drop: () => Promise<void>;
};

/**
 * The PostgreSQL run's cluster, as its superuser (tests/support/postgres.ts startCluster makes the
 * run's database on it: the same host and port, user `postgres`, database `postgres`).
 */
function clusterAdminUrl() {
  const url = new URL(e2eDatabase());
  url.username = "postgres";
  url.password = "";
  url.pathname = "/postgres";
  return url.toString();
}

async function onCluster(statement: string) {
  const admin = new pg.Client({ connectionString: clusterAdminUrl() });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Migrates the database at `url` as `npm run db:migrate` does (db/migrate.ts): db/pg/migrations or db/migrations. */
async function migrate(url: string) {
  if (isPostgresUrl(url)) {
    await migratePg(url);
  } else {
    const conn = openDb(url);
    try {
      migrateDb(conn);
    } finally {
      conn.$client.close();
    }
  }
}

/**
 * A new, empty database named after `name` and the worker's slot (so the two workers and runs on
 * other E2E_PORTs never share one), migrated unless `migrate: false` (for a test that migrates it
 * with the script, as `npm start`'s operator would).
 */
export async function databaseOfItsOwn(testInfo: TestInfo, name: string, options: { migrate?: boolean } = {}): Promise<OwnDatabase> {
  const slot = `${process.env.E2E_PORT ?? 3210}-${testInfo.parallelIndex}`;
  let url: string;
  let remove: () => Promise<void>;
  if (e2eOnPostgres()) {
    // A leftover of a run stopped half-way goes with its throwaway cluster; within a run each name is new.
    const database = `own_${name.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}_${slot.replace("-", "_")}_${Date.now().toString(36)}`.slice(0, 63);
    url = await createDatabase(clusterAdminUrl(), database);
    // FORCE: a connection the test left open (a server killed with SIGKILL leaves none) does not keep it.
    remove = () => onCluster(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } else {
    mkdirSync("tests/.tmp", { recursive: true });
    url = `tests/.tmp/${name}-${slot}.db`;
    removeDatabaseFiles(url);
    remove = async () => removeDatabaseFiles(url);
  }
  if (options.migrate !== false) await migrate(url);

  let open: { conn: Db; close: () => Promise<void> } | undefined;
  const connect = (): { conn: Db; close: () => Promise<void> } => {
    if (isPostgresUrl(url)) {
      installPgCompat();
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      return { conn: drizzlePg(pool, { schema: pgSchema }) as unknown as Db, close: async () => await pool.end() };
    }
    const conn = openDb(url);
    return { conn, close: async () => void conn.$client.close() };
  };
  return {
    url,
    conn: () => (open ??= connect()).conn,
    async drop() {
      const closing = open;
      open = undefined;
      await closing?.close();
      await remove();
    },
  };
}
