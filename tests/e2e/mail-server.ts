/**
 * A server of a mail test's own: its own database (own-database.ts: a SQLite file, or a database on
 * the PostgreSQL run's cluster; tests/e2e/mail-seed.ts, a helper process the test talks to, makes
 * its people and queues mail as a jam would), and SMTP_URL pointing at the test's SMTP peer
 * (tests/e2e/smtp-peer.ts), so no other server's sender can take its messages. Links in mail point
 * to it (PUBLIC_URL).
 */
import type { TestInfo } from "@playwright/test";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { extraServerPort } from "./fixtures";
import { databaseOfItsOwn } from "./own-database";

export type QueueOutcome = { outcome: string; reason?: string };

export async function mailTestSetup(testInfo: TestInfo, name: string) {
  const appPort = extraServerPort(testInfo, 0);
  const smtpPort = extraServerPort(testInfo, 1);
  const base = `http://127.0.0.1:${appPort}`;
  const database = await databaseOfItsOwn(testInfo, `mail-${name}`);
  // Links in a message are made when it is queued: the helper queues with the server's PUBLIC_URL and MAIL_FROM.
  const mailEnv = { DATABASE_URL: database.url, PUBLIC_URL: base, MAIL_FROM: "Jamboree <jams@mail.test>" };
  const helper = spawn("npx", ["tsx", "tests/e2e/mail-seed.ts"], { env: { ...process.env, ...mailEnv }, stdio: ["pipe", "pipe", "inherit"] });
  const answers = createInterface({ input: helper.stdout! })[Symbol.asyncIterator]();
  async function ask<T>(command: unknown): Promise<T> {
    helper.stdin!.write(`${JSON.stringify(command)}\n`);
    const { value, done } = await answers.next();
    if (done) throw new Error("the mail seed helper stopped");
    const answer = JSON.parse(value as string) as T & { error?: string };
    if (answer.error) throw new Error(answer.error);
    return answer;
  }
  return {
    appPort,
    smtpPort,
    /** The database (its connection reads what the server did). */
    database,
    base,
    /** The server's settings for startServer, given the peer's SMTP_URL. */
    settings: (smtpUrl: string) => ({ ...mailEnv, SMTP_URL: smtpUrl }),
    people: (...names: string[]) => ask<{ people: { id: number; name: string; email: string }[]; password: string }>({ people: names }),
    queue: async (email: string, kind: string, count: number, key: string) =>
      (await ask<{ outcomes: QueueOutcome[] }>({ queue: { email, kind, count, key } })).outcomes,
    async cleanUp() {
      if (helper.exitCode === null) {
        const exited = once(helper, "exit");
        helper.stdin!.end();
        await exited;
      }
      await database.drop();
    },
  };
}
