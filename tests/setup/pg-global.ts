/**
 * One throwaway PostgreSQL cluster for the whole PostgreSQL run (vitest.pg.config.ts): installed
 * when missing, started before the first file, stopped and removed after the last. Each file makes
 * its own database on it, so files run in parallel without meeting: the PostgreSQL tools' tests an
 * empty one (tests/support/pg-test.ts), the integration suite a copy of one migrated template
 * (tests/setup/pg-db.ts).
 */
import type { TestProject } from "vitest/node";
import { migratePg } from "../../db/pg/migrate";
import { createDatabase, startCluster } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export const PG_TEMPLATE = "jamboree_template";

export default async function setup(project: TestProject) {
  const started = performance.now();
  const cluster = await startCluster({ log: (line) => console.log(line) });
  await migratePg(await createDatabase(cluster.adminUrl, PG_TEMPLATE));
  console.log(`PostgreSQL test cluster on port ${cluster.port}, template migrated (${Math.round(performance.now() - started)} ms)`);
  project.provide("pgAdminUrl", cluster.adminUrl);
  project.provide("pgTemplate", PG_TEMPLATE);
  return () => cluster.stop();
}
