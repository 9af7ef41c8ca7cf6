/**
 * A separate process that submits scores, decides about an idea or sends review reminders on its
 * own connection to the database file named by DATABASE_URL (evaluation.test.ts races them).
 *
 * argv[2]: JSON {"kind": "score" | "decide" | "remind", "user"?: SessionUser, "reviewId"?: number,
 *   "ideaId"?: number, "input"?: object, "times"?: number, "now"?: number}
 * prints one line of JSON {"ok": number, "errors": string[], "result": unknown}.
 */
import type { SessionUser } from "~/auth/session.server";
import { decideIdea, sendReviewReminders, submitScores } from "~/services/commands/reviews.server";
import { awaitStart, describeError, report } from "./worker";

const job = await awaitStart<{ kind: "score" | "decide" | "remind"; user: SessionUser; reviewId: number; ideaId: number; input: Record<string, unknown>; times?: number; now?: number }>();

let ok = 0;
const errors: string[] = [];
let result: unknown = null;
for (let i = 0; i < (job.times ?? 1); i++) {
  try {
    if (job.kind === "score") result = await submitScores(job.user, job.reviewId, job.ideaId, job.input, { ip: null });
    else if (job.kind === "decide") result = await decideIdea(job.user, job.reviewId, job.input, { ip: null });
    else result = await sendReviewReminders(job.now);
    ok += 1;
  } catch (error) {
    errors.push(describeError(error));
  }
}
report({ ok, errors, result });
