/**
 * A separate process that runs the mail sender's round, or the digest collection, on its own
 * connection (mail-outbox.test.ts races several of them), to show each message is sent once.
 * No SMTP_URL: "sending" keeps the message in the local outbox, through the same claims.
 *
 * argv[2]: JSON {"job": "send" | "digests", "holder": string, "now": number}; prints the outcome.
 */
import { collectDigests } from "~/mail/digests.server";
import { sendDue } from "~/mail/sender.server";
import { awaitStart, report } from "./worker";

const { job, holder, now } = await awaitStart<{ job: "send" | "digests"; holder: string; now: number }>();
if (job === "send") report(await sendDue(holder, () => now));
else report({ digests: await collectDigests(now) });
