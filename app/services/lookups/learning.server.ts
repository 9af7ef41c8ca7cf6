import { eq, and, isNotNull, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { personalYear } from "~/network/lasting-ties";
import { pairHistories, departmentNames } from "~/services/pages/learning.server";
import type { Db } from "~db/client";
import { users } from "~db/schema";

/**
 * The viewer's year across departments (/network/me): the people of other departments they first
 * interacted with in the last year, how many they kept up, per department, and the departments
 * they have not met yet. Only the viewer's own pairs are read.
 */
export async function myYearAcrossDepartments(conn: Db, viewer: SessionUser, now = Date.now()) {
  const me = await conn.select({ departmentId: users.departmentId }).from(users).where(eq(users.id, viewer.id)).get();
  const staffed = (await conn
    .selectDistinct({ id: users.departmentId })
    .from(users)
    .where(and(isNotNull(users.departmentId), isNull(users.erasedAt), isNull(users.deactivatedAt)))
    .all())
    .map((d) => d.id!);
  const year = personalYear(await pairHistories(conn, { personId: viewer.id }), { id: viewer.id, departmentId: me?.departmentId ?? null }, staffed, now);
  const names = await departmentNames(conn);
  const named = (id: number) => names.get(id) ?? "A department";
  return {
    from: year.from,
    to: year.to,
    formed: year.formed,
    keptUp: year.keptUp,
    byDepartment: year.byDepartment.map((d) => ({ department: named(d.department), formed: d.formed })),
    notYetMet: year.notYetMet.map(named).sort((a, b) => a.localeCompare(b)),
  };
}
