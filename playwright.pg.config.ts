import { defineConfig } from "@playwright/test";
import base from "./playwright.config";
import { e2eOrigin, e2ePgPorts } from "./tests/e2e/accounts";

/**
 * The e2e suite on PostgreSQL (`npm run test:e2e:pg`): the same specs and projects as
 * playwright.config.ts, against two app servers on one throwaway PostgreSQL cluster
 * (tests/e2e/pg-servers.ts). Server A is the baseURL; a live test's second browser goes to
 * server B (E2E_SECOND_ORIGIN), so what it sees has crossed processes through the database.
 * A spec with a server of its own gets a database of its own on the same cluster
 * (tests/e2e/own-database.ts); specs about SQLite files skip themselves here (e2eOnPostgres()).
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const ports = e2ePgPorts(PORT);
const DATABASE_URL = `postgres://jamboree@127.0.0.1:${ports.postgres}/jamboree`;

// Set here, in the runner, so every worker (and every service a test imports) starts on PostgreSQL:
// db/client.ts reads the engine once, when it is first imported.
Object.assign(process.env, {
  E2E_PORT: String(PORT),
  E2E_DATABASE_URL: DATABASE_URL,
  DATABASE_URL,
  E2E_SECOND_ORIGIN: e2eOrigin(ports.serverB),
  E2E_EXTRA_PORT_BASE: String(ports.extraBase),
});

export default defineConfig({
  ...base,
  webServer: {
    command: "npx tsx tests/e2e/pg-servers.ts",
    url: `${e2eOrigin(ports.serverA)}/healthz`,
    reuseExistingServer: false,
    // A cluster (installing PostgreSQL the first time), the e2e data, then two servers.
    timeout: 300_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM: the launcher stops both servers (each finishes what is open), then the cluster.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { E2E_PORT: String(PORT) },
  },
});
