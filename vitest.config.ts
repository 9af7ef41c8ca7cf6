import { configDefaults, defineConfig } from "vitest/config";
import { aliases } from "./vite.aliases";

// Kept apart from vite.config.ts: the Remix plugin must not load under Vitest.
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "seeds/**/*.test.ts", "tests/integration/**/*.test.ts"],
    // The PostgreSQL tests run under vitest.pg.config.ts (npm run test:pg), which starts their cluster.
    exclude: [...configDefaults.exclude, "**/*.pg.test.ts"],
    setupFiles: ["tests/setup/db.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
