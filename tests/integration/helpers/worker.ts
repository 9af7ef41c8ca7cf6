/**
 * The worker side of processes.ts: a worker script calls `awaitStart()` for its
 * job (the database is open and the parent has said go), does the job, then
 * `report(result)`.
 */
import { once } from "node:events";
import { sql } from "drizzle-orm";
import { closeDb, db } from "~db/client";

/** The job from the command line, once the connection is open, "ready" is printed and the parent's go line arrives. */
export async function awaitStart<J>(): Promise<J> {
  const job = JSON.parse(process.argv[2] ?? "{}") as J;
  // Open the connection (SQLite: with its pragmas; PostgreSQL: a pool client, really connected)
  // before the race starts, so the race is between queries, not between connections being made.
  await db().get(sql`SELECT 1`);
  process.stdout.write("ready\n");
  process.stdin.setEncoding("utf8");
  await once(process.stdin, "data");
  return job;
}

/** Closes the database and prints the result as one JSON line for the parent; the process then ends. */
export async function report(result: unknown) {
  await closeDb();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.stdin.destroy();
}

/** An error as one line ("Name: message") for a result. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
