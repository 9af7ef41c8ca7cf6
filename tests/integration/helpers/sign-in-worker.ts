/**
 * A separate server-like process for sign-in-throttling.test.ts: tries `attempts` wrong passwords
 * for one account, all at once, and reports how each ended ("wrong" when the password was checked).
 *
 * argv[2]: JSON {"email": string, "attempts": number, "prefix": string}
 */
import { signIn } from "~/services/commands/accounts.server";
import { Invalid } from "~/services/errors";
import { awaitStart, describeError, report } from "./worker";

const job = await awaitStart<{ email: string; attempts: number; prefix: string }>();
const outcomes = await Promise.all(
  Array.from({ length: job.attempts }, (_, i) =>
    signIn({ email: job.email, password: `${job.prefix}-wrong-${i}` }, { ip: `2001:db8:1::${i}` }).then(
      () => "ok",
      (error: unknown) => (error instanceof Invalid ? "wrong" : describeError(error)),
    ),
  ),
);
report({ outcomes });
