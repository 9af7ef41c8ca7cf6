import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { removeDatabaseFiles } from "../../db/client";
import { e2eOnPostgres } from "./accounts";
import { burstUntilKilled, exited, extraServerPort, serverOutput, startServer } from "./fixtures";

/**
 * Durability: every write the server acknowledged (a redirect after the commit)
 * is still there after the process is killed with SIGKILL mid-burst and started
 * again on the same database file; nothing is half-written.
 */

type Seed = { slug: string; challengeId: number; poster: { id: number; email: string; password: string }; ideaIds: number[] };

// SQLite only: a restart on the same file, recovered from its WAL, and SQLite's integrity check. The
// PostgreSQL run has its own crash test (acknowledged-writes-survive-a-server-crash-on-postgresql.spec.ts).
test.skip(e2eOnPostgres(), "SQLite file recovery; PostgreSQL has its own crash spec");

test("writes the server acknowledged survive a SIGKILL and leave a consistent database", async ({}, testInfo) => {
  test.setTimeout(60_000);
  const port = extraServerPort(testInfo, 0);
  const base = `http://127.0.0.1:${port}`;
  const database = `tests/.tmp/crash-${port}.db`;
  mkdirSync("tests/.tmp", { recursive: true });
  removeDatabaseFiles(database);
  // Rate limits are off: the seed and this burst are one person posting far faster than a person could, on purpose.
  const settings = { DATABASE_URL: database, RATE_LIMITS: "off" };
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  execFileSync("npx", ["tsx", "db/migrate.ts"], { env });
  const seed = JSON.parse(execFileSync("npx", ["tsx", "tests/e2e/crash-seed.ts", "40"], { env }).toString().trim().split("\n").pop()!) as Seed;

  const start = async () => {
    const server = await startServer(port, settings, { stdio: "pipe" });
    return { server, output: serverOutput(server) };
  };
  const first = await start();
  let second: typeof first | undefined;
  try {
    const login = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: seed.poster.email, password: seed.poster.password, redirectTo: "/jams" }),
    });
    expect(login.status).toBe(302);
    const session = /jamboree_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
    expect(session, "a session cookie after signing in").toBeTruthy();
    const headers = { Origin: base, Cookie: session!, "Content-Type": "application/x-www-form-urlencoded" };

    // The burst: posts and votes interleaved, several in flight at once.
    const ackedIdeas = new Map<number, string>(); // idea id -> clientKey
    const ackedVotes = new Set<number>(); // idea ids the poster voted on
    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < 200; i += 1) {
      if (i % 3 === 2 && seed.ideaIds.length > 0) {
        const ideaId = seed.ideaIds[(i * 7) % seed.ideaIds.length]!;
        jobs.push(async () => {
          const response = await fetch(`${base}/jams/${seed.slug}/ideas/${ideaId}`, {
            method: "POST",
            redirect: "manual",
            headers,
            body: new URLSearchParams({ intent: "vote", redirectTo: "/jams" }),
          });
          if (response.status === 302 || response.status === 200) ackedVotes.add(ideaId);
        });
      } else {
        const clientKey = `crash-${i}-${Math.random().toString(36).slice(2, 10)}`;
        jobs.push(async () => {
          const response = await fetch(`${base}/jams/${seed.slug}/challenges/${seed.challengeId}`, {
            method: "POST",
            redirect: "manual",
            headers,
            body: new URLSearchParams({ clientKey, title: `Crash idea ${i}`, body: "Written just before the crash." }),
          });
          if (response.status !== 302) return;
          const id = Number(/\/ideas\/(\d+)/.exec(response.headers.get("location") ?? "")?.[1]);
          if (Number.isInteger(id) && id > 0) ackedIdeas.set(id, clientKey);
        });
      }
    }
    const acknowledged = () => ackedIdeas.size + ackedVotes.size;
    // Ten in flight at once; the server is killed once 40 writes are acknowledged.
    const next = await burstUntilKilled(jobs, () => acknowledged() >= 40, () => first.server.kill("SIGKILL"));
    await exited(first.server);
    expect(first.server.signalCode).toBe("SIGKILL");
    testInfo.annotations.push({ type: "acknowledged before the kill", description: `${ackedIdeas.size} ideas, ${ackedVotes.size} votes, ${next} of ${jobs.length} requests started` });
    expect(next, "the kill came mid-burst").toBeLessThan(jobs.length);
    expect(ackedIdeas.size, "some posts were acknowledged before the kill").toBeGreaterThan(0);
    expect(ackedVotes.size, "some votes were acknowledged before the kill").toBeGreaterThan(0);

    // Start again on the same file: SQLite recovers from the WAL.
    second = await start();
    const check = new Database(database, { readonly: true, fileMustExist: true });
    try {
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
      const idea = check.prepare("SELECT id, author_id AS authorId, client_key AS clientKey FROM ideas WHERE id = ?");
      for (const [id, clientKey] of ackedIdeas) {
        expect(idea.get(id), `acknowledged idea ${id}`).toEqual({ id, authorId: seed.poster.id, clientKey });
      }
      const vote = check.prepare("SELECT 1 AS found FROM votes WHERE user_id = ? AND idea_id = ?");
      for (const ideaId of ackedVotes) {
        expect(vote.get(seed.poster.id, ideaId), `acknowledged vote on idea ${ideaId}`).toEqual({ found: 1 });
      }
      const drift = check
        .prepare(
          `SELECT i.id, i.vote_count AS cached, (SELECT count(*) FROM votes v WHERE v.idea_id = i.id) AS counted
           FROM ideas i WHERE i.vote_count <> (SELECT count(*) FROM votes v WHERE v.idea_id = i.id)`,
        )
        .all();
      expect(drift, "every idea's cached vote count matches its votes").toEqual([]);
      // The points ledger and its cached totals moved together (scope 0 is all jams).
      const totals = check
        .prepare(
          `SELECT t.user_id AS userId, t.total, (SELECT coalesce(sum(points), 0) FROM point_entries e WHERE e.user_id = t.user_id) AS summed
           FROM point_totals t WHERE t.scope = 0 AND t.total <> (SELECT coalesce(sum(points), 0) FROM point_entries e WHERE e.user_id = t.user_id)`,
        )
        .all();
      expect(totals, "every cached points total matches its ledger").toEqual([]);
    } finally {
      check.close();
    }
    // And the restarted server still serves the ideas.
    const [someIdea] = ackedIdeas.keys();
    const page = await fetch(`${base}/jams/${seed.slug}/ideas/${someIdea}`, { headers: { Cookie: session! } });
    expect(page.status).toBe(200);

    second.server.kill("SIGTERM");
    await exited(second.server);
    expect(second.server.exitCode).toBe(0);
    expect(second.output()).toContain("Jamboree stopped");
  } finally {
    for (const s of [first.server, second?.server]) if (s && s.exitCode === null && s.signalCode === null) s.kill("SIGKILL");
    removeDatabaseFiles(database);
  }
});
