/**
 * Where a post's time goes, without HTTP: run by load.ts in its own process on
 * a throwaway copy of the seeded database (which it migrates, and writes ideas
 * to).
 *
 *   node --import tsx tests/bench/post-cost.ts FILE [ROUNDS]
 *
 * Times, per idea, in alternating rounds of 250 so both see the same database:
 *   raw      the raw baseline's insert (load-raw-server.ts): one prepared INSERT
 *            in an IMMEDIATE transaction (the FTS trigger fires)
 *   service  postIdea() as the route calls it: validation, the idea, the points
 *            ledger and totals, badges, follower notices, in one transaction
 * Prints one JSON line: { rawMs, serviceMs, n } (medians of the rounds' means).
 */
import { performance } from "node:perf_hooks";
import { RAW_IDEA_INSERT } from "./raw-queries";

const file = process.argv[2];
if (!file) throw new Error("usage: post-cost.ts FILE [ROUNDS]");
const rounds = Number(process.argv[3] ?? 8);
const PER_ROUND = 250;
process.env.DATABASE_URL = file;
process.env.RATE_LIMITS = "off";

const { db, closeDb } = await import("../../db/client");
const { migrateDb } = await import("../../db/migrate");
migrateDb(db());
const { postIdea } = await import("../../app/services/commands/ideas.server");

const client = db().$client;
const jam = client.prepare("SELECT id FROM jams ORDER BY id LIMIT 1").get() as { id: number };
const challenges = (client.prepare("SELECT id FROM challenges WHERE jam_id = ? ORDER BY id").all(jam.id) as { id: number }[]).map((c) => c.id);
// The same people load.ts signs in: 100 spread evenly over the ids.
const maxId = (client.prepare("SELECT max(id) AS n FROM users").get() as { n: number }).n;
const byId = client.prepare("SELECT id, name, email, role, department_id AS departmentId FROM users WHERE id = ?");
const people = Array.from({ length: 100 }, (_, k) => byId.get(2 + Math.floor((k * (maxId - 2)) / 100))) as {
  id: number;
  name: string;
  email: string;
  role: "participant";
  departmentId: number | null;
}[];
const insert = client.prepare(RAW_IDEA_INSERT);
const rawPost = client.transaction((i: number) =>
  insert.get(challenges[i % challenges.length], jam.id, people[i % people.length]!.id, `Cost idea ${i} about meetings`, "Posted to time the service.", `cost-raw-${i}`, Date.now()),
);

let counter = 0;
async function time(work: (i: number) => void): Promise<number> {
  const t0 = performance.now();
  for (let k = 0; k < PER_ROUND; k++) await work(counter++);
  return (performance.now() - t0) / PER_ROUND;
}
const raw: number[] = [];
const service: number[] = [];
for (let r = 0; r < rounds; r++) {
  raw.push(await time((i) => rawPost.immediate(i)));
  service.push(
    await time(async (i) => {
      await postIdea(people[i % people.length]!, {
        challengeId: challenges[i % challenges.length],
        title: `Cost idea ${i} about meetings`,
        body: "Posted to time the service.",
        clientKey: `cost-service-${i}`,
      });
    }),
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ rawMs: median(raw), serviceMs: median(service), n: rounds * PER_ROUND }));
await closeDb();
