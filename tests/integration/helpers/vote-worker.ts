/**
 * A separate process that casts the same vote several times on its own
 * connection to the database file named by DATABASE_URL. Used by votes.test.ts
 * to race real SQLite connections against each other.
 *
 * argv[2]: JSON {"user": SessionUser, "ideaId": number, "attempts": number}
 * protocol: prints "ready\n" once loaded and connected, waits for a line on
 * stdin (the starting gun, sent to every worker at once), then prints one line
 * of JSON {"ok": number, "errors": string[], "voteCounts": number[]}.
 */
import { once } from "node:events";
import type { SessionUser } from "~/auth/session.server";
import { castVote } from "~/services/votes.server";
import { closeDb, db } from "~db/client";

const { user, ideaId, attempts } = JSON.parse(process.argv[2] ?? "{}") as {
  user: SessionUser;
  ideaId: number;
  attempts: number;
};

db(); // open the connection (and set its pragmas) before the race starts
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");

let ok = 0;
const errors: string[] = [];
const voteCounts: number[] = [];
for (let i = 0; i < attempts; i += 1) {
  try {
    voteCounts.push(castVote(user, { ideaId }).voteCount);
    ok += 1;
  } catch (error) {
    errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}
closeDb();
process.stdout.write(`${JSON.stringify({ ok, errors, voteCounts })}\n`);
process.stdin.destroy();
