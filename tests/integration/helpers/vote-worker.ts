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
import type { SessionUser } from "~/auth/session.server";
import { castVote } from "~/services/commands/votes.server";
import { awaitStart, report, describeError } from "./worker";

const { user, ideaId, attempts } = await awaitStart<{
  user: SessionUser;
  ideaId: number;
  attempts: number;
}>();

let ok = 0;
const errors: string[] = [];
const voteCounts: number[] = [];
for (let i = 0; i < attempts; i += 1) {
  try {
    voteCounts.push((await castVote(user, { ideaId })).voteCount);
    ok += 1;
  } catch (error) {
    errors.push(describeError(error));
  }
}
report({ ok, errors, voteCounts });
