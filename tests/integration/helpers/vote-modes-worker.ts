/**
 * A separate process that places dots or stances for one person on its own
 * connection to the database file named by DATABASE_URL. Used by
 * vote-modes.test.ts to race real SQLite connections against each other.
 *
 * argv[2]: JSON, one of
 *   {"kind": "dots", "user": SessionUser, "ideaIds": number[], "rounds": number}
 *     for r in 1..rounds, for each idea: set the person's dots on it to r;
 *   {"kind": "stance", "user": SessionUser, "ideaId": number, "stances": Stance[]}
 *     cast each stance in turn on the one idea.
 * protocol: prints "ready\n" once loaded and connected, waits for a line on
 * stdin (the starting gun, sent to every worker at once), then prints one line
 * of JSON {"ok": number, "refused": string[], "errors": string[]}: refusals are
 * the service's Conflict answers (over budget), errors anything else.
 */
import type { SessionUser } from "~/auth/session.server";
import type { Stance } from "~/domain/vote-modes";
import { setDots } from "~/services/commands/dots.server";
import { Conflict } from "~/services/errors";
import { castStance } from "~/services/commands/stances.server";
import { awaitStart, report, describeError } from "./worker";

type Job =
  | { kind: "dots"; user: SessionUser; ideaIds: number[]; rounds: number }
  | { kind: "stance"; user: SessionUser; ideaId: number; stances: Stance[] };

const job = await awaitStart<Job>();

let ok = 0;
const refused: string[] = [];
const errors: string[] = [];
async function attempt(work: () => unknown) {
  try {
    await work();
    ok += 1;
  } catch (error) {
    if (error instanceof Conflict) refused.push(error.message);
    else errors.push(describeError(error));
  }
}

if (job.kind === "dots") {
  for (let round = 1; round <= job.rounds; round += 1) {
    for (const ideaId of job.ideaIds) await attempt(async () => await setDots(job.user, { ideaId, dots: round }));
  }
} else {
  for (const stance of job.stances) await attempt(async () => await castStance(job.user, { ideaId: job.ideaId, stance }));
}
report({ ok, refused, errors });
