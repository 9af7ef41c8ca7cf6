import { defineConfig } from "vitest/config";
import { aliases } from "./vite.aliases";

/**
 * `npm run test:pg`: everything on one throwaway PostgreSQL cluster (tests/setup/pg-global.ts).
 * - "tools": the PostgreSQL tests themselves (*.pg.test.ts: install, migrations, schema parity,
 *   search, the copy from SQLite), each file beside its own SQLite file (tests/setup/db.ts).
 * - "suite": the integration suite again, the app serving from PostgreSQL, each file on its own
 *   database copied from a migrated template (tests/setup/pg-db.ts). The few files that test
 *   SQLite itself (its file, its connections) are left out: SQLITE_ONLY.
 */
const SQLITE_ONLY = [
  // The SQLite file's online backup; PostgreSQL's backup is pg_dump (README).
  "tests/integration/backup.test.ts",
  // Counts SQLite's own changes per connection (total_changes()).
  "tests/integration/get-changes-nothing.test.ts",
  // Two processes on one SQLite file.
  "tests/integration/shared-across-processes.test.ts",
];

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    globalSetup: ["tests/setup/pg-global.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        resolve: { alias: aliases },
        test: {
          name: "tools",
          include: ["db/**/*.pg.test.ts", "tests/integration/**/*.pg.test.ts"],
          setupFiles: ["tests/setup/db.ts"],
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias: aliases },
        test: {
          name: "suite",
          include: ["tests/integration/**/*.test.ts"],
          exclude: ["**/*.pg.test.ts", "**/node_modules/**", ...SQLITE_ONLY],
          setupFiles: ["tests/setup/pg-db.ts"],
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
