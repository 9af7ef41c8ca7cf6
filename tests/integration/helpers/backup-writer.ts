/**
 * A separate process that keeps writing (an idea, then a vote on it from each
 * voter, each its own transaction) on its own connection to the database named
 * by DATABASE_URL, until it reads a line on stdin. Used by backup.test.ts to take
 * a backup while the database is being written.
 *
 * argv[2]: JSON {"author": SessionUser, "voters": SessionUser[], "challengeId": number}
 * protocol: prints "ready\n", waits for "go", writes until the next line ("stop")
 * arrives, then prints one line of JSON {"ideas": number, "votes": number, "errors": string[]}.
 */
import { once } from "node:events";
import type { SessionUser } from "~/auth/session.server";
import { postIdea } from "~/services/commands/ideas.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { castVote } from "~/services/commands/votes.server";
import { closeDb, db } from "~db/client";

const { author, voters, challengeId } = JSON.parse(process.argv[2] ?? "{}") as {
  author: SessionUser;
  voters: SessionUser[];
  challengeId: number;
};

setRateLimitsEnabled(false);
db();
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");
let stop = false;
process.stdin.once("data", () => (stop = true));

let ideaCount = 0;
let voteCount = 0;
const errors: string[] = [];
while (!stop) {
  try {
    const idea = await postIdea(author, { challengeId, title: `Busy idea ${ideaCount}`, body: "Written during a backup.", isAnonymous: false, clientKey: `busy-${process.pid}-${ideaCount}` });
    ideaCount += 1;
    for (const voter of voters) {
      await castVote(voter, { ideaId: idea.id });
      voteCount += 1;
    }
  } catch (error) {
    errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    if (errors.length > 20) break;
  }
  await new Promise((resolve) => setImmediate(resolve));
}
await closeDb();
process.stdout.write(`${JSON.stringify({ ideas: ideaCount, votes: voteCount, errors })}\n`);
process.stdin.destroy();
