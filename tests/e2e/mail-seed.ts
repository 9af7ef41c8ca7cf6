/**
 * The database of a mail test's own server (DATABASE_URL), for the e2e mail specs. Runs as a
 * helper process the test talks to (one JSON command a line on stdin, one JSON answer a line on
 * stdout), so each step costs milliseconds rather than a new process:
 *
 *   {"people": ["Remy"]}                                  makes a password account per name
 *                                                         (name@mail.test, address checked)
 *   {"queue": {"email", "kind", "count", "key"}}          queues messages through queueMail, as a
 *                                                         jam would; answers each outcome
 *
 * The database comes migrated (own-database.ts), on either engine.
 */
import { createInterface } from "node:readline";
import { eq } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import { MAIL_KINDS, type MailKind } from "~/domain/mail";
import { queueMail } from "~/mail/outbox.server";
import { closeDb, db, transaction } from "~db/client";
import { departments, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";

export const MAIL_TEST_PASSWORD = "mail-test-password-1";

async function people(names: string[]) {
  const now = Date.now();
  await db().insert(departments).values({ name: "Mail team" }).onConflictDoNothing().run();
  const team = (await db().select().from(departments).where(eq(departments.name, "Mail team")).get())!;
  const passwordHash = await hashPassword(MAIL_TEST_PASSWORD);
  const made = await mapInOrder(names, async (name) =>
    await db()
      .insert(users)
      .values({ name, email: `${name.toLowerCase()}@mail.test`, passwordHash, role: "participant", departmentId: team.id, emailVerifiedAt: now, createdAt: now })
      .returning({ id: users.id, name: users.name, email: users.email })
      .get(),
  );
  return { people: made, password: MAIL_TEST_PASSWORD };
}

async function queue({ email, kind, count, key }: { email: string; kind: string; count: number; key: string }) {
  if (!(MAIL_KINDS as readonly string[]).includes(kind)) throw new Error(`no such kind: ${kind}`);
  const person = await db().select().from(users).where(eq(users.email, email)).get();
  if (!person) throw new Error(`no account for ${email}`);
  const outcomes = await transaction(async (tx) =>
    await mapInOrder(Array.from({ length: count }), async (_, i) =>
      await queueMail(tx, {
        userId: person.id,
        kind: kind as MailKind,
        subject: `${kind} ${key} #${i + 1}`,
        text: `Message ${i + 1} of ${count} (${key}) for ${person.name}.`,
        dedupeKey: `${key}:${i + 1}`,
      }),
    ),
  );
  return { outcomes };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const command = JSON.parse(line) as { people?: string[]; queue?: Parameters<typeof queue>[0] };
    const answer = command.people ? await people(command.people) : command.queue ? await queue(command.queue) : { error: "unknown command" };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  }
}
await closeDb();
