import { isNull, asc } from "drizzle-orm";
import { db } from "~db/client";
import { departments } from "~db/schema";

/** The departments people can be in (not those the directory deleted: they stay only for history). */
export async function listDepartments() {
  return await db().select().from(departments).where(isNull(departments.archivedAt)).orderBy(asc(departments.name)).all();
}
