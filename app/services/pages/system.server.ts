import { sql } from "drizzle-orm";
import { db } from "~db/client";

/** Throws unless the database answers. */
export async function healthCheck() {
  await db().get(sql`SELECT 1`);
}
