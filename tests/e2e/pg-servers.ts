/**
 * The PostgreSQL e2e run's servers (playwright.pg.config.ts runs this as its webServer): a throwaway
 * PostgreSQL cluster (tests/support/postgres.ts, on E2E_PORT + 2), the e2e data prepared in it
 * (tests/e2e/prepare-db.ts migrates it), and two app servers on that one database, `node server.js`
 * as `npm start` runs it: server B on E2E_PORT + 1 first, then server A on E2E_PORT, Playwright's
 * baseURL, whose /healthz Playwright waits for. SIGTERM (Playwright's graceful shutdown) stops both
 * servers, then the cluster, and removes its folder; should this process die without that, the
 * cluster's watchdog stops it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { startCluster, type Cluster } from "../support/postgres";
import { e2ePgPorts } from "./accounts";

const ports = e2ePgPorts();
const log = (line: string) => process.stderr.write(`[pg-servers] ${line}\n`);
const servers: ChildProcess[] = [];
let cluster: Cluster | undefined;
let stopping = false;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  const running = servers.filter((s) => s.exitCode === null && s.signalCode === null);
  for (const server of running) server.kill("SIGTERM");
  // Each server finishes what is open (Playwright allows 10 s in all); one that does not is killed.
  const late = setTimeout(() => running.forEach((s) => s.kill("SIGKILL")), 7_000);
  await Promise.all(running.map((s) => (s.exitCode === null && s.signalCode === null ? once(s, "exit") : undefined)));
  clearTimeout(late);
  cluster?.stop();
  process.exit(code);
}
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));

async function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "inherit"] });
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} stopped with ${code ?? signal}`);
}

async function healthy(port: number, server: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the server on port ${port} stopped (${server.exitCode ?? server.signalCode})`);
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server on port ${port} did not answer /healthz within 60 s`);
}

try {
  const started = Date.now();
  cluster = await startCluster({ port: ports.postgres, log });
  // One process per server (WEB_CONCURRENCY overrides): two servers already put every live test's two browsers on different processes.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: cluster.url, HOST: "127.0.0.1", WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1" };
  // As `npm start` runs it: no NODE_ENV, so the server's own default (production) applies.
  delete (env as Record<string, string | undefined>).NODE_ENV;
  await run("npx", ["tsx", "tests/e2e/prepare-db.ts"], env);
  log(`PostgreSQL ready on port ${ports.postgres} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const port of [ports.serverB, ports.serverA]) {
    const server = spawn("node", ["server.js"], { env: { ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] });
    servers.push(server);
    // A server that stops on its own ends the run's servers (the crash spec kills servers of its own, not these).
    server.on("exit", (code, signal) => {
      if (!stopping) {
        log(`the server on port ${port} stopped (${code ?? signal}): stopping the run's servers`);
        void stopAll(1);
      }
    });
    await healthy(port, server);
  }
  log(`servers on ports ${ports.serverA} (A) and ${ports.serverB} (B)`);
} catch (error) {
  log((error as Error).message);
  await stopAll(1);
}
