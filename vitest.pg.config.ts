import { defineConfig } from "vitest/config";
import { aliases } from "./vite.aliases";

// The PostgreSQL tests (*.pg.test.ts): one throwaway cluster for the run (tests/setup/pg-global.ts).
// Each file also gets its own migrated SQLite file (tests/setup/db.ts), to compare the two engines.
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ["db/**/*.pg.test.ts", "tests/integration/**/*.pg.test.ts"],
    globalSetup: ["tests/setup/pg-global.ts"],
    setupFiles: ["tests/setup/db.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
