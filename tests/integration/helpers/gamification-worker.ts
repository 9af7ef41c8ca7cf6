/**
 * A separate process that, on its own connection to the database file named by
 * DATABASE_URL, repeatedly recomputes the badges of the same people and casts
 * (and re-casts) support votes. Used by gamification.test.ts to race real
 * SQLite connections on badge grants and ledger entries.
 *
 * argv[2]: JSON {"voter": SessionUser, "ideaIds": number[], "badgeUserIds": number[], "rounds": number}
 * protocol: prints "ready\n" once loaded and connected, waits for a line on
 * stdin (the starting gun, sent to every worker at once), then prints one line
 * of JSON {"votes": number, "recomputes": number, "levelUps": number, "errors": string[]}.
 */
import { once } from "node:events";
import type { SessionUser } from "~/auth/session.server";
import { recomputeBadges } from "~/services/gamification.server";
import { castVote } from "~/services/votes.server";
import { closeDb, db, transaction } from "~db/client";

const { voter, ideaIds, badgeUserIds, rounds } = JSON.parse(process.argv[2] ?? "{}") as {
  voter: SessionUser;
  ideaIds: number[];
  badgeUserIds: number[];
  rounds: number;
};

db(); // open the connection (and set its pragmas) before the race starts
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");

let votes = 0;
let recomputes = 0;
let levelUps = 0;
const errors: string[] = [];
const record = (error: unknown) => errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));

for (let round = 0; round < rounds; round += 1) {
  try {
    levelUps += transaction((tx) => recomputeBadges(tx, badgeUserIds, Date.now())).length;
    recomputes += 1;
  } catch (error) {
    record(error);
  }
  for (const ideaId of ideaIds) {
    try {
      castVote(voter, { ideaId });
      votes += 1;
    } catch (error) {
      record(error);
    }
  }
}
closeDb();
process.stdout.write(`${JSON.stringify({ votes, recomputes, levelUps, errors })}\n`);
process.stdin.destroy();
