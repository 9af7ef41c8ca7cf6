/**
 * A separate server process taking jobs from the jobs table (jobs.test.ts races several of them):
 * claims due jobs of one kind, one at a time, "runs" each (records it, in the same transaction as
 * its finish, as a real job writes its work beside its finish) until none is left.
 *
 * argv[2]: JSON {"kind": string, "holder": string, "now": number, "claimMs": number}; prints the ids it ran.
 */
import { sql } from "drizzle-orm";
import { claim, finish } from "~/coordination/jobs.server";
import { transaction } from "~db/client";
import { awaitStart, report } from "./worker";

const { kind, holder, now, claimMs } = await awaitStart<{ kind: string; holder: string; now: number; claimMs: number }>();
const ran: number[] = [];
for (;;) {
  const [job] = await transaction(async (tx) => await claim(tx, kind, holder, now, { claimMs }));
  if (!job) break;
  const finished = await transaction(async (tx) => {
    // The job's work: a row naming the job and who ran it (a rollback takes it back with the finish).
    await tx.run(sql`INSERT INTO rate_hits (key, hits, last_at) VALUES (${`ran:${job.id}:${holder}`}, '[]', ${now})`);
    return await finish(tx, job, holder, now);
  });
  if (finished) ran.push(job.id);
}
await report({ ran });
