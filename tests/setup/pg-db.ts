/**
 * The integration suite on PostgreSQL (vitest.pg.config.ts, project "suite"): every test file gets
 * its own database on the run's cluster, copied from the migrated template the global setup made,
 * and the app serves from it as it would from a postgres:// DATABASE_URL.
 */
import { afterAll, inject } from "vitest";
import { createDatabase } from "../support/postgres";

const name = `t_${process.pid}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
process.env.DATABASE_URL = await createDatabase(inject("pgAdminUrl"), name, inject("pgTemplate"));
// As on SQLite (tests/setup/db.ts): per-person rate limits are off; tests of the limits turn them on.
process.env.RATE_LIMITS = "off";
process.env.PG_POOL_MAX = "4";

const { closeDb } = await import("../../db/client");

afterAll(async () => {
  await closeDb();
});
