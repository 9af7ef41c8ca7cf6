/**
 * A separate process that runs the jam-results step of the background work on its own connection
 * (notifications.test.ts races several of them), bypassing the lease that normally keeps it to one
 * process, to show the results still go out once.
 *
 * argv[2]: JSON {"now": number}; prints {"sent": [{"jamId": number, "told": number}]}.
 */
import { sendJamResults } from "~/services/jobs/jam-results.server";
import { awaitStart, report } from "./worker";

const { now } = await awaitStart<{ now: number }>();
report({ sent: await sendJamResults(now) });
