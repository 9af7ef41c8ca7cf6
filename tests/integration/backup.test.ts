import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { backupDatabase } from "~db/backup";
import { databasePath, db } from "~db/client";
import { ideas } from "~db/schema";
import { count } from "drizzle-orm";
import { startWorkerProcess } from "./helpers/processes";
import { makeJam, makeUser } from "../factories";

const WRITER = fileURLToPath(new URL("./helpers/backup-writer.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
type WriterResult = { ideas: number; votes: number; errors: string[] };

const made: string[] = [];
function backupFile(name: string) {
  const file = join(resolve("tests/.tmp/vitest"), `backup-${process.pid}-${Date.now()}-${name}.db`);
  made.push(file);
  return file;
}
afterAll(() => {
  for (const file of made) for (const suffix of ["", "-wal", "-shm", ".partial"]) rmSync(file + suffix, { force: true });
});

const ideaCount = async () => (await db().select({ n: count() }).from(ideas).get())!.n;

async function untilIdeas(atLeast: number) {
  const deadline = Date.now() + 15_000;
  while (await ideaCount() < atLeast) {
    if (Date.now() > deadline) throw new Error(`the writer did not reach ${atLeast} ideas`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Checks a backup file: intact, and every cached count agrees with the rows it counts. */
function inspect(file: string) {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: copy.pragma("integrity_check", { simple: true }),
      journal: copy.pragma("journal_mode", { simple: true }),
      ideas: (copy.prepare("SELECT count(*) AS n FROM ideas").get() as { n: number }).n,
      drift: copy
        .prepare(
          `SELECT i.id, i.vote_count AS cached, (SELECT count(*) FROM votes v WHERE v.idea_id = i.id) AS counted FROM ideas i
           WHERE i.vote_count <> (SELECT count(*) FROM votes v WHERE v.idea_id = i.id)`,
        )
        .all(),
      totals: copy
        .prepare(
          `SELECT t.user_id FROM point_totals t WHERE t.scope = 0
           AND t.total <> (SELECT coalesce(sum(points), 0) FROM point_entries e WHERE e.user_id = t.user_id)`,
        )
        .all(),
      migrations: (copy.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n,
    };
  } finally {
    copy.close();
  }
}

describe("online backup", () => {
  it("copies a consistent snapshot while another process keeps writing (npm run db:backup and the function)", async () => {
    const author = await makeUser();
    const voters = [await makeUser(), await makeUser(), await makeUser()];
    const { challengeIds } = await makeJam();
    const writer = startWorkerProcess<WriterResult>(WRITER, { author, voters, challengeId: challengeIds[0] });
    try {
      await writer.ready;
      writer.child.stdin.write("go\n");
      await untilIdeas(5);

      // The command people run, against the database the other process is writing.
      const viaCli = backupFile("cli");
      const { stdout } = await run("npx", ["tsx", "db/backup.ts", viaCli], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databasePath(), NODE_OPTIONS: "" },
      });
      expect(stdout).toMatch(/backed up .* integrity ok/);
      const afterCli = await ideaCount();

      // And the function itself, a few times in a row, still under writes.
      const viaFunction = [backupFile("fn-1"), backupFile("fn-2"), backupFile("fn-3")];
      for (const file of viaFunction) expect((await backupDatabase(databasePath(), file)).integrity).toBe("ok");
      await untilIdeas(afterCli + 3); // the writer kept going during the backups

      writer.child.stdin.write("stop\n");
      const result = await writer.done;
      expect(result.errors).toEqual([]);
      const liveIdeas = await ideaCount();

      for (const file of [viaCli, ...viaFunction]) {
        const copy = inspect(file);
        expect(copy.integrity, file).toBe("ok");
        expect(copy.journal, "a backup is a standalone file").toBe("delete");
        expect(copy.drift, "every idea's vote_count matches its votes").toEqual([]);
        expect(copy.totals, "every points total matches its ledger").toEqual([]);
        expect(copy.migrations).toBeGreaterThan(0);
        expect(copy.ideas).toBeGreaterThan(0);
        expect(copy.ideas).toBeLessThanOrEqual(liveIdeas);
      }
    } finally {
      if (writer.child.exitCode === null) writer.child.kill();
    }
  });

  it("refuses to overwrite the database with itself and reports a missing database", async () => {
    await expect(backupDatabase(databasePath(), databasePath())).rejects.toThrow(/must not be the database itself/);
    await expect(backupDatabase(join(resolve("tests/.tmp/vitest"), "no-such.db"), backupFile("missing"))).rejects.toThrow(/No database/);
  });
});
