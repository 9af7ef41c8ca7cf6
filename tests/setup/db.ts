/**
 * Every test file gets its own migrated SQLite file (vitest isolates modules
 * per file, so the db() singleton opens this file).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";

const dir = resolve("tests/.tmp/vitest");
mkdirSync(dir, { recursive: true });
const file = join(dir, `test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
process.env.DATABASE_URL = file;
// Tests post many ideas and votes as one person in a moment: per-person rate limits are off
// (read once by app/services/effects/rate-limiter.server.ts); tests of the limits turn them on.
process.env.RATE_LIMITS = "off";

const { closeDb, db, removeDatabaseFiles } = await import("../../db/client");
const { migrateDb } = await import("../../db/migrate");
migrateDb(db());

afterAll(async () => {
  await closeDb();
  removeDatabaseFiles(file);
});
