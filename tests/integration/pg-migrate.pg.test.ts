/** `npm run db:migrate` with a postgres:// DATABASE_URL migrates that database, once, and again harmlessly. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freshPgDatabase } from "../support/pg-test";

function migrate(url: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "db/migrate.ts"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, DATABASE_URL: url },
  });
}

describe("npm run db:migrate on PostgreSQL", () => {
  it("creates the tables, records the migrations, and a second run changes nothing", async () => {
    const { url, pgDb, close } = await freshPgDatabase({ migrate: false });
    try {
      const first = migrate(url);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(first.stdout).toContain("migrated postgres://jamboree@127.0.0.1:");
      const tables = await pgDb.$client.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(Number(tables.rows[0]!.n)).toBeGreaterThan(40);
      const applied = await pgDb.$client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle."__drizzle_migrations"');
      const second = migrate(url);
      expect(second.status).toBe(0);
      const again = await pgDb.$client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle."__drizzle_migrations"');
      expect(again.rows[0]!.n).toBe(applied.rows[0]!.n);
    } finally {
      await close();
    }
  });

  it("says plainly when the database cannot be reached", () => {
    const result = migrate("postgres://jamboree:secret@127.0.0.1:1/none");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Could not migrate postgres://jamboree:*****@127.0.0.1:1/none");
    expect(result.stderr).not.toContain("secret");
  });
});
