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
import type { SessionUser } from "~/auth/session.server";
import { recomputeBadges } from "~/services/effects/gamification.server";
import { castVote } from "~/services/commands/votes.server";
import { transaction } from "~db/client";
import { awaitStart, report, describeError } from "./worker";

const { voter, ideaIds, badgeUserIds, rounds } = await awaitStart<{
  voter: SessionUser;
  ideaIds: number[];
  badgeUserIds: number[];
  rounds: number;
}>();

let votes = 0;
let recomputes = 0;
let levelUps = 0;
const errors: string[] = [];
const record = (error: unknown) => errors.push(describeError(error));

for (let round = 0; round < rounds; round += 1) {
  try {
    levelUps += (await transaction(async (tx) => await recomputeBadges(tx, badgeUserIds, Date.now()))).length;
    recomputes += 1;
  } catch (error) {
    record(error);
  }
  for (const ideaId of ideaIds) {
    try {
      await castVote(voter, { ideaId });
      votes += 1;
    } catch (error) {
      record(error);
    }
  }
}
report({ votes, recomputes, levelUps, errors });
