import { defineConfig, devices } from "@playwright/test";
import { e2eDatabase, e2eOrigin } from "./tests/e2e/accounts";

const PORT = Number(process.env.E2E_PORT ?? 3210);
// One database per port, so two runs on different E2E_PORTs never share one.
const E2E_DATABASE = e2eDatabase(PORT);

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: 2,
  // No retries anywhere: a test that passes only on a retry hides a bug (a flaky test fails loudly).
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  use: {
    baseURL: e2eOrigin(PORT),
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } },
    {
      name: "phone",
      grep: /@phone/,
      use: { ...devices["Pixel 5"], viewport: { width: 360, height: 740 }, defaultBrowserType: "chromium" },
    },
  ],
  webServer: {
    command: "npx tsx tests/e2e/prepare-db.ts && node server.js",
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM, so the server finishes what is open and closes the database as it does in production.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    // As `npm start` runs it: no NODE_ENV, so the server's own default (production) applies.
    env: { PORT: String(PORT), HOST: "127.0.0.1", DATABASE_URL: E2E_DATABASE },
  },
});
