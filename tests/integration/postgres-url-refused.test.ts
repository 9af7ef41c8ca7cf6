/**
 * Until the services are asynchronous (docs/decisions/021, step 4) the app cannot serve from
 * PostgreSQL: a postgres:// DATABASE_URL stops the server, the seeding `npm start` runs, and
 * anything that would open the database, with a message that says what works today.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { databasePath } from "~db/client";
import { isPostgresUrl, POSTGRES_NOT_SERVED_YET, redactUrl } from "~db/engine.js";

const PG_URL = "postgres://jamboree:secret@127.0.0.1:1/jamboree";

function run(args: string[]) {
  return spawnSync(process.execPath, args, {
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, DATABASE_URL: PG_URL, PORT: "0", WEB_CONCURRENCY: "2", NODE_ENV: "production" },
  });
}

describe("a postgres:// DATABASE_URL", () => {
  it("stops the server before it starts, saying what works", () => {
    const result = run(["server.js"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot serve from PostgreSQL yet");
    expect(result.stderr).toContain("npm run db:migrate");
    expect(result.stderr).toContain("npm run db:copy");
    expect(result.stdout).not.toMatch(/starting \d+ server processes|listening/i);
  });

  it("stops the seeding that npm start runs", () => {
    const result = run(["--import", "tsx", "seeds/run.ts", "--if-empty"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot serve from PostgreSQL yet");
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it("is never taken for an SQLite file name", () => {
    expect(() => databasePath(PG_URL)).toThrow(POSTGRES_NOT_SERVED_YET);
    expect(() => databasePath("postgresql://x@db.internal/j")).toThrow(/cannot serve from PostgreSQL yet/);
    expect(databasePath("./data/postgres.db")).toMatch(/postgres\.db$/);
    expect(isPostgresUrl(" POSTGRES://x@h/d")).toBe(true);
    expect(isPostgresUrl("file:./postgres://x")).toBe(false);
  });

  it("is printed without its password", () => {
    expect(redactUrl(PG_URL)).toBe("postgres://jamboree:*****@127.0.0.1:1/jamboree");
    expect(redactUrl("postgres://jamboree@127.0.0.1:1/jamboree")).toBe("postgres://jamboree@127.0.0.1:1/jamboree");
  });
});
