/**
 * A separate process that runs the communities' weekly digests on its own connection
 * (community-digest.test.ts races two of them), to show each member gets one message a week.
 *
 * argv[2]: JSON {"holder": string, "now": number}; prints what this process wrote.
 */
import { sendCommunityDigests } from "~/services/jobs/community-digest.server";
import { awaitStart, report } from "./worker";

const { holder, now } = await awaitStart<{ holder: string; now: number }>();
report(await sendCommunityDigests(now, holder));
