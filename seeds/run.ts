/**
 * `npm run db:seed` seeds the demo company; `--if-empty` does so only when the
 * database has no people yet (what `npm start` runs). Migrate first.
 */
import { count } from "drizzle-orm";
import { closeDb, databasePath, db, ENGINE } from "~db/client";
import { databaseUnreachable, redactUrl } from "~db/engine.js";
import { users } from "~db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "./demo";

// A PostgreSQL database that does not answer: one line saying so, not a stack trace.
const unreachable = await databaseUnreachable();
if (unreachable) {
  console.error(unreachable);
  process.exit(1);
}
const where = ENGINE === "postgres" ? redactUrl(process.env.DATABASE_URL!) : databasePath();

const ifEmpty = process.argv.includes("--if-empty");
const existing = (await db().select({ n: count() }).from(users).get())?.n ?? 0;

if (existing > 0) {
  if (ifEmpty) {
    console.log(`${where} already has ${existing} people; not seeding.`);
  } else {
    console.error(`${where} already has people. Seed an empty database (delete the file or set DATABASE_URL).`);
    process.exitCode = 1;
  }
} else {
  const started = performance.now();
  const result = await seedDemo({ log: (line) => console.log(`  ${line}`) });
  console.log(`Seeded the demo company in ${((performance.now() - started) / 1000).toFixed(1)} s: ${result.people} people.`);
  console.log(`Sign in as ${DEMO_ACCOUNTS.map((a) => a.email).join(", ")} with password “${DEMO_PASSWORD}”.`);
}
await closeDb();
