/**
 * Recomputes every point total and badge level from source data and reports
 * (and with `fix`, repairs) any difference from what is stored. Totals come
 * from the append-only ledger; badge levels from ideas, comments and votes.
 */
import { isNull, sql } from "drizzle-orm";
import { BADGES, EMPTY_FACTS, levelFor } from "~/domain/badges";
import { db, transaction } from "~db/client";
import { departmentTotals, pointTotals, userBadges, users } from "~db/schema";
import { ALL_JAMS, badgeFacts } from "~/services/effects/gamification.server";

export interface Drift {
  kind: "person total" | "department total" | "badge";
  key: string;
  stored: number;
  expected: number;
}

function compare(kind: Drift["kind"], stored: Map<string, number>, expected: Map<string, number>): Drift[] {
  const drift: Drift[] = [];
  for (const key of new Set([...stored.keys(), ...expected.keys()])) {
    const s = stored.get(key) ?? 0;
    const e = expected.get(key) ?? 0;
    if (s !== e) drift.push({ kind, key, stored: s, expected: e });
  }
  return drift;
}

export async function reconcileGamification(options: { fix?: boolean; now?: number } = {}) {
  const conn = db();
  const now = options.now ?? Date.now();

  const expectedTotals = new Map<string, number>();
  for (const r of await conn.all<{ scope: number; userId: number; total: number }>(sql`
      SELECT jam_id AS scope, user_id AS userId, sum(points) AS total FROM point_entries WHERE jam_id IS NOT NULL GROUP BY jam_id, user_id
      UNION ALL
      SELECT ${ALL_JAMS}, user_id, sum(points) FROM point_entries GROUP BY user_id`)) {
    expectedTotals.set(`${r.scope}:${r.userId}`, r.total);
  }
  const storedTotals = new Map((await conn.select().from(pointTotals).all()).map((r) => [`${r.scope}:${r.userId}`, r.total]));

  const expectedDepartments = new Map<string, number>();
  for (const r of await conn.all<{ scope: number; departmentId: number; total: number }>(sql`
      SELECT jam_id AS scope, department_id AS departmentId, sum(points) AS total FROM point_entries
        WHERE department_id IS NOT NULL AND jam_id IS NOT NULL GROUP BY jam_id, department_id
      UNION ALL
      SELECT ${ALL_JAMS}, department_id, sum(points) FROM point_entries WHERE department_id IS NOT NULL GROUP BY department_id`)) {
    expectedDepartments.set(`${r.scope}:${r.departmentId}`, r.total);
  }
  const storedDepartments = new Map(
    (await conn.select().from(departmentTotals).all()).map((r) => [`${r.scope}:${r.departmentId}`, r.total]),
  );

  const facts = await badgeFacts(conn, null);
  const expectedBadges = new Map<string, number>();
  // An erased person has no badges, whatever of theirs stays (app/services/commands/erasure.server.ts).
  for (const { id } of await conn.select({ id: users.id }).from(users).where(isNull(users.erasedAt)).all()) {
    const f = facts.get(id) ?? EMPTY_FACTS;
    for (const badge of BADGES) {
      const level = levelFor(badge.levels, badge.score(f));
      if (level > 0) expectedBadges.set(`${id}:${badge.key}`, level);
    }
  }
  const storedBadges = new Map(
    (await conn
      .select()
      .from(userBadges)
      .all())
      .filter((b) => b.level > 0)
      .map((b) => [`${b.userId}:${b.badgeKey}`, b.level]),
  );

  const drift = [
    ...compare("person total", storedTotals, expectedTotals),
    ...compare("department total", storedDepartments, expectedDepartments),
    ...compare("badge", storedBadges, expectedBadges),
  ];

  if (options.fix && drift.length > 0) {
    await transaction(async (tx) => {
      for (const d of drift) {
        const [a, b] = d.key.split(":");
        if (d.kind === "person total") {
          await tx.insert(pointTotals)
            .values({ scope: Number(a), userId: Number(b), total: d.expected })
            .onConflictDoUpdate({ target: [pointTotals.scope, pointTotals.userId], set: { total: d.expected } })
            .run();
        } else if (d.kind === "department total") {
          await tx.insert(departmentTotals)
            .values({ scope: Number(a), departmentId: Number(b), total: d.expected })
            .onConflictDoUpdate({ target: [departmentTotals.scope, departmentTotals.departmentId], set: { total: d.expected } })
            .run();
        } else {
          await tx.insert(userBadges)
            .values({ userId: Number(a), badgeKey: b!, level: d.expected, updatedAt: now })
            .onConflictDoUpdate({ target: [userBadges.userId, userBadges.badgeKey], set: { level: d.expected, updatedAt: now } })
            .run();
        }
      }
    });
  }

  return {
    checked: { totals: expectedTotals.size, departments: expectedDepartments.size, badges: expectedBadges.size },
    drift,
    fixed: Boolean(options.fix) && drift.length > 0,
  };
}
