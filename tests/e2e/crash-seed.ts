/**
 * Seeds the database named by DATABASE_URL for
 * acknowledged-writes-survive-a-crash.spec.ts: migrates it, makes a poster (who
 * signs in over HTTP), a colleague with ideas to vote on, and a live jam with one
 * challenge. Prints the ids as one line of JSON.
 */
import { hashPassword } from "~/auth/password.server";
import { createJam } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { postIdea } from "~/services/commands/ideas.server";
import { closeDb, db } from "~db/client";
import { migrateDb } from "~db/migrate";
import { departments, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";

const PASSWORD = "crash-test-password-1";
const ideaCount = Number(process.argv[2] ?? 40);

migrateDb(db());
const now = Date.now();
const team = await db().insert(departments).values({ name: "Crash team" }).returning().get();
const passwordHash = await hashPassword(PASSWORD);
const person = async (name: string, role: "participant" | "facilitator") =>
  await db()
    .insert(users)
    .values({ name, email: `${name.toLowerCase()}@crash.test`, passwordHash, role, departmentId: team.id, createdAt: now })
    .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
    .get();
const facilitator = await person("Facilitator", "facilitator");
const poster = await person("Poster", "participant");
const colleague = await person("Colleague", "participant");
const jam = await createJam(
  facilitator,
  {
    title: "Crash jam",
    slug: "crash-jam",
    description: "A jam that survives crashes.",
    startsAt: now - 3_600_000,
    endsAt: now + 24 * 3_600_000,
    isDraft: false,
    challenges: [{ title: "Crash challenge", question: "What survives a crash?" }],
  },
  { ip: null },
);
const [challenge] = await jamChallenges(jam.id);
const ideaIds = await mapInOrder(Array.from({ length: ideaCount }), async (_, i) =>
  (await postIdea(colleague, { challengeId: challenge!.id, title: `Colleague idea ${i}`, body: "", isAnonymous: false, clientKey: `seed-key-${i}` })).id,
);
await closeDb();
process.stdout.write(
  `${JSON.stringify({ slug: jam.slug, challengeId: challenge!.id, poster: { id: poster.id, email: poster.email, password: PASSWORD }, ideaIds })}\n`,
);
