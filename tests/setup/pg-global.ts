/**
 * One throwaway PostgreSQL cluster for the whole PostgreSQL run (vitest.pg.config.ts): installed
 * when missing, started before the first file, stopped and removed after the last. Each file makes
 * its own database on it (tests/support/pg-test.ts), so files run in parallel without meeting.
 */
import type { TestProject } from "vitest/node";
import { startCluster } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const started = performance.now();
  const cluster = await startCluster({ log: (line) => console.log(line) });
  console.log(`PostgreSQL test cluster on port ${cluster.port} (${Math.round(performance.now() - started)} ms)`);
  project.provide("pgAdminUrl", cluster.adminUrl);
  return () => cluster.stop();
}
