/**
 * A separate process that changes one follow-up action's status on its own
 * connection to the database file named by DATABASE_URL. Used by
 * actions.test.ts to race real SQLite connections against each other.
 *
 * argv[2]: JSON {"user": SessionUser, "actionId": number, "changes": object[]}:
 *   each change is passed to updateAction in turn.
 * protocol: prints "ready\n" once loaded and connected, waits for a line on
 * stdin (the starting gun), then prints one line of JSON
 * {"ok": number, "notified": number[], "refused": string[], "errors": string[]}.
 */
import { once } from "node:events";
import type { SessionUser } from "~/auth/session.server";
import { updateAction } from "~/services/actions.server";
import { Conflict } from "~/services/errors";
import { closeDb, db } from "~db/client";

const job = JSON.parse(process.argv[2] ?? "{}") as { user: SessionUser; actionId: number; changes: Record<string, unknown>[] };

db();
process.stdout.write("ready\n");
process.stdin.setEncoding("utf8");
await once(process.stdin, "data");

let ok = 0;
const notified: number[] = [];
const refused: string[] = [];
const errors: string[] = [];
for (const change of job.changes) {
  try {
    const result = updateAction(job.user, job.actionId, change, { ip: null });
    notified.push(...result.notified);
    ok += 1;
  } catch (error) {
    if (error instanceof Conflict) refused.push(error.message);
    else errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}
closeDb();
process.stdout.write(`${JSON.stringify({ ok, notified, refused, errors })}\n`);
process.stdin.destroy();
