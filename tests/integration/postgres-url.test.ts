/**
 * A postgres:// DATABASE_URL makes the app serve from PostgreSQL; one that does not answer stops
 * the server and the seeding `npm start` runs with one line naming it (without its password), not
 * a stack trace.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { databasePath } from "~db/client";
import { databaseUnreachable, isPostgresUrl, redactUrl } from "~db/engine.js";

// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const PG_URL = "postgres://jamboree:secret@127.0.0.1:1/jamboree";

function run(args: string[]) {
  return spawnSync(process.execPath, args, {
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, DATABASE_URL: PG_URL, PORT: "0", WEB_CONCURRENCY: "2", NODE_ENV: "production" },
  });
}

describe("a postgres:// DATABASE_URL whose database does not answer", () => {
  it("stops the server before it starts, naming the database without its password", () => {
    const result = run(["server.js"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Could not reach the PostgreSQL database postgres://jamboree:*****@127.0.0.1:1/jamboree");
    expect(result.stderr).not.toContain("secret");
    expect(result.stdout).not.toMatch(/starting \d+ server processes|listening/i);
  });

  it("stops the seeding that npm start runs, with a message and not a stack trace", () => {
    const result = run(["--import", "tsx", "seeds/run.ts", "--if-empty"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Could not reach the PostgreSQL database");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("is told apart from an SQLite file name", async () => {
    expect(isPostgresUrl(" POSTGRES://x@h/d")).toBe(true);
    expect(isPostgresUrl("postgresql://x@db.internal/j")).toBe(true);
    expect(isPostgresUrl("file:./postgres://x")).toBe(false);
    expect(databasePath("./data/postgres.db")).toMatch(/postgres\.db$/);
    expect(await databaseUnreachable("./data/postgres.db")).toBeNull();
  });

  it("is printed without its password", () => {
    expect(redactUrl(PG_URL)).toBe("postgres://jamboree:*****@127.0.0.1:1/jamboree");
    expect(redactUrl("postgres://jamboree@127.0.0.1:1/jamboree")).toBe("postgres://jamboree@127.0.0.1:1/jamboree");
  });
});
