/**
 * A separate process on the test's database file, for jellies.test.ts: RSVPs the given people to
 * one jelly as fast as it can, then reports each outcome.
 *
 * argv[2]: {"jellyId": number, "users": SessionUser[]}
 */
import type { SessionUser } from "~/auth/session.server";
import { rsvp } from "~/services/commands/jellies.server";
import { awaitStart, describeError, report } from "./worker";

const job = await awaitStart<{ jellyId: number; users: SessionUser[] }>();
const results: string[] = [];
for (const user of job.users) {
  try {
    results.push((await rsvp(user, { jellyId: job.jellyId })).status);
  } catch (error) {
    results.push(describeError(error));
  }
}
report(results);
