/**
 * A separate process that changes one follow-up action's status on its own
 * connection to the database file named by DATABASE_URL. Used by
 * actions.test.ts to race real SQLite connections against each other.
 *
 * argv[2]: JSON {"user": SessionUser, "actionId": number, "changes": object[]}:
 *   each change is passed to updateAction in turn.
 * protocol: prints "ready\n" once loaded and connected, waits for a line on
 * stdin (the starting gun), then prints one line of JSON
 * {"ok": number, "notified": number, "refused": string[], "errors": string[]}.
 */
import type { SessionUser } from "~/auth/session.server";
import { updateAction } from "~/services/commands/actions.server";
import { Conflict } from "~/services/errors";
import { awaitStart, report, describeError } from "./worker";

const job = await awaitStart<{ user: SessionUser; actionId: number; changes: Record<string, unknown>[] }>();

let ok = 0;
let notified = 0;
const refused: string[] = [];
const errors: string[] = [];
for (const change of job.changes) {
  try {
    const result = await updateAction(job.user, job.actionId, change, { ip: null });
    notified += result.notified;
    ok += 1;
  } catch (error) {
    if (error instanceof Conflict) refused.push(error.message);
    else errors.push(describeError(error));
  }
}
report({ ok, notified, refused, errors });
