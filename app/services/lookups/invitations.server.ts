import { sql } from "drizzle-orm";

import type { Db } from "~db/client";

/** The invitations panel of the launch checklist: who is invited, and the choices for more. */
export async function invitationSummary(conn: Db, jamId: number) {
  const row = (await conn.get<{ invited: number; mailed: number }>(
    sql`SELECT count(*) AS invited, count(mailed_at) AS mailed FROM jam_invitations WHERE jam_id = ${jamId}`,
  ))!;
  const departments = await conn.all<{ id: number; name: string; people: number }>(sql`
    SELECT d.id, d.name, (SELECT count(*) FROM users u WHERE u.department_id = d.id AND ${ACTIVE}) AS people
    FROM departments d ORDER BY d.name`);
  const everyone = (await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM users u WHERE ${ACTIVE}`))!.n;
  return { invited: row.invited, mailed: row.mailed, waiting: row.invited - row.mailed, departments, everyone };
}

export const ACTIVE = sql`u.deactivated_at IS NULL AND u.erased_at IS NULL`;
