import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eDatabase, e2eOnPostgres } from "./accounts";
import { burstUntilKilled, exited, extraServerPort, serverDatabase, startServer } from "./fixtures";

/**
 * Durability with several servers on PostgreSQL: a burst of idea posts and votes spread over two
 * app servers on one database, server A killed with SIGKILL mid-burst; then every write either
 * server acknowledged (a redirect, sent after the commit) is there when read through server B,
 * which went on serving, and nothing is half-written. Two servers of the test's own (rate limits
 * off: one person posting far faster than a person could, on purpose), so the run's own servers
 * are never killed. The SQLite twin, a restart on the same file, is
 * acknowledged-writes-survive-a-crash.spec.ts.
 */
test.skip(!e2eOnPostgres(), "PostgreSQL only: several app servers on one database (the SQLite crash test is its own spec)");

const PASSWORD = "crash-test-password-1";

test("writes acknowledged by either of two servers survive a SIGKILL of one of them, whole, and the other serves them", async ({}, testInfo) => {
  test.setTimeout(90_000);
  const run = Date.now().toString(36);

  // A jam, a poster and a colleague of the test's own, made with the services on the run's database.
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { hashPassword } = await import("~/auth/password.server");
  const { db } = await import("~db/client");
  const { users } = await import("~db/schema");
  const facilitator = await person("facilitator");
  const passwordHash = await hashPassword(PASSWORD);
  const account = async (name: string) =>
    (await db()
      .insert(users)
      .values({ name, email: `${name.toLowerCase()}.${run}@crash.test`, passwordHash, role: "participant", departmentId: facilitator.departmentId, emailVerifiedAt: Date.now(), createdAt: Date.now() })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get())!;
  const poster = await account("Poster");
  const colleague = await account("Colleague");
  const now = Date.now();
  const jam = await createJam(
    facilitator,
    {
      title: `Crash jam ${run}`,
      slug: `crash-${run}`,
      description: "A jam whose servers crash.",
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 24 * 3_600_000,
      challenges: [{ title: "Crash challenge", question: "What survives a crash?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const seedIdeas: number[] = [];
  for (let i = 0; i < 40; i++) {
    seedIdeas.push((await postIdea(colleague, { challengeId: challenge!.id, title: `Colleague idea ${i}`, body: "", isAnonymous: false, clientKey: `seed-${run}-${i}` })).id);
  }

  const ports = [extraServerPort(testInfo, 0), extraServerPort(testInfo, 1)];
  const [a, b] = await Promise.all(ports.map((port) => startServer(port, { RATE_LIMITS: "off" })));
  const [baseA, baseB] = ports.map((port) => `http://127.0.0.1:${port}`) as [string, string];
  const check = new pg.Client({ connectionString: e2eDatabase() });
  try {
    // One session for both: it lives in the database, so server B knows the cookie server A gave.
    const login = await fetch(`${baseA}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: baseA, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: poster.email, password: PASSWORD, redirectTo: "/jams" }),
    });
    expect(login.status).toBe(302);
    const session = /jamboree_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
    expect(session, "a session cookie after signing in").toBeTruthy();
    const headersFor = (base: string) => ({ Origin: base, Cookie: session!, "Content-Type": "application/x-www-form-urlencoded" });

    // The burst: posts and votes interleaved, alternating between the servers, several in flight at once.
    const ackedIdeas = new Map<number, { clientKey: string; title: string }>();
    const ackedVotes = new Set<number>(); // idea ids the poster voted on
    const ackedBy = { A: 0, B: 0 };
    const jobs: (() => Promise<void>)[] = [];
    let voteN = 0;
    for (let i = 0; i < 200; i += 1) {
      const [name, base] = i % 2 === 0 ? (["A", baseA] as const) : (["B", baseB] as const);
      // Each seed idea is voted on at most once (a second vote would take the first back).
      if (i % 3 === 2 && voteN < seedIdeas.length) {
        const ideaId = seedIdeas[(voteN++ * 7) % seedIdeas.length]!;
        jobs.push(async () => {
          const response = await fetch(`${base}/jams/${jam.slug}/ideas/${ideaId}`, {
            method: "POST",
            redirect: "manual",
            headers: headersFor(base),
            body: new URLSearchParams({ intent: "vote", redirectTo: "/jams" }),
          });
          if (response.status === 302 || response.status === 200) {
            ackedVotes.add(ideaId);
            ackedBy[name] += 1;
          }
        });
      } else {
        const clientKey = `crash-${run}-${i}`;
        const title = `Crash idea ${run} ${i}`;
        jobs.push(async () => {
          const response = await fetch(`${base}/jams/${jam.slug}/challenges/${challenge!.id}`, {
            method: "POST",
            redirect: "manual",
            headers: headersFor(base),
            body: new URLSearchParams({ clientKey, title, body: "Written just before the crash." }),
          });
          if (response.status !== 302) return;
          const id = Number(/\/ideas\/(\d+)/.exec(response.headers.get("location") ?? "")?.[1]);
          if (Number.isInteger(id) && id > 0) {
            ackedIdeas.set(id, { clientKey, title });
            ackedBy[name] += 1;
          }
        });
      }
    }
    const acknowledged = () => ackedIdeas.size + ackedVotes.size;
    // Ten in flight at once; the server is killed once 40 writes are acknowledged.
    const next = await burstUntilKilled(jobs, () => acknowledged() >= 40, () => a!.kill("SIGKILL"));
    await exited(a!);
    expect(a!.signalCode).toBe("SIGKILL");
    testInfo.annotations.push({
      type: "acknowledged before the kill",
      description: `${ackedIdeas.size} ideas, ${ackedVotes.size} votes (${ackedBy.A} by A, ${ackedBy.B} by B), ${next} of ${jobs.length} requests started`,
    });
    expect(next, "the kill came mid-burst").toBeLessThan(jobs.length);
    expect(ackedIdeas.size, "some posts were acknowledged before the kill").toBeGreaterThan(0);
    expect(ackedVotes.size, "some votes were acknowledged before the kill").toBeGreaterThan(0);
    expect(ackedBy.A, "server A acknowledged writes").toBeGreaterThan(0);
    expect(ackedBy.B, "server B acknowledged writes").toBeGreaterThan(0);

    // Server B serves every acknowledged idea, whichever server took it.
    for (const [id, { title }] of ackedIdeas) {
      const page = await fetch(`${baseB}/jams/${jam.slug}/ideas/${id}`, { headers: { Cookie: session! } });
      expect(page.status, `idea ${id} through server B`).toBe(200);
      expect(await page.text(), `idea ${id} through server B`).toContain(title);
    }
    // And takes new writes while A is gone.
    const after = await fetch(`${baseB}/jams/${jam.slug}/challenges/${challenge!.id}`, {
      method: "POST",
      redirect: "manual",
      headers: headersFor(baseB),
      body: new URLSearchParams({ clientKey: `crash-${run}-after`, title: `After the crash ${run}`, body: "" }),
    });
    expect(after.status, "server B takes an idea after the kill").toBe(302);

    // The database: every acknowledged write whole, and the cached counts agree with what they count.
    await check.connect();
    const rows = async <T>(text: string, values: unknown[]) => (await check.query(text, values)).rows as T[];
    const ideas = await rows<{ id: number; authorId: number; clientKey: string }>(
      `SELECT id, author_id AS "authorId", client_key AS "clientKey" FROM ideas WHERE id = ANY($1::int[])`,
      [[...ackedIdeas.keys()]],
    );
    expect(new Map(ideas.map((r) => [r.id, r]))).toEqual(new Map([...ackedIdeas].map(([id, { clientKey }]) => [id, { id, authorId: poster.id, clientKey }])));
    const votes = await rows<{ ideaId: number }>(`SELECT idea_id AS "ideaId" FROM votes WHERE user_id = $1`, [poster.id]);
    for (const ideaId of ackedVotes) expect(votes.some((v) => v.ideaId === ideaId), `acknowledged vote on idea ${ideaId}`).toBe(true);
    const drift = await rows(
      `SELECT i.id, i.vote_count AS cached, (SELECT count(*)::int FROM votes v WHERE v.idea_id = i.id) AS counted
       FROM ideas i WHERE i.jam_id = $1 AND i.vote_count <> (SELECT count(*) FROM votes v WHERE v.idea_id = i.id)`,
      [jam.id],
    );
    expect(drift, "every idea's cached vote count matches its votes").toEqual([]);
    // An idea cut off mid-request is there whole or not at all: one idea per client key, each by the poster.
    const perKey = await rows<{ clientKey: string; n: number }>(
      `SELECT client_key AS "clientKey", count(*)::int AS n FROM ideas WHERE jam_id = $1 AND client_key LIKE $2 GROUP BY client_key HAVING count(*) <> 1`,
      [jam.id, `crash-${run}-%`],
    );
    expect(perKey, "no client key made two ideas").toEqual([]);
    // The points ledger and its cached totals moved together (scope 0 is all jams).
    const totals = await rows(
      `SELECT t.user_id AS "userId", t.total, (SELECT coalesce(sum(points), 0)::int FROM point_entries e WHERE e.user_id = t.user_id) AS summed
       FROM point_totals t WHERE t.scope = 0 AND t.user_id = ANY($1::int[])
         AND t.total <> (SELECT coalesce(sum(points), 0) FROM point_entries e WHERE e.user_id = t.user_id)`,
      [[poster.id, colleague.id]],
    );
    expect(totals, "every cached points total matches its ledger").toEqual([]);
  } finally {
    await check.end().catch(() => {});
    for (const s of [a, b]) if (s && s.exitCode === null && s.signalCode === null) s.kill("SIGTERM");
    await Promise.all([a, b].map((s) => (s ? exited(s) : undefined)));
  }
});
