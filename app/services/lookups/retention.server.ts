import { sql } from "drizzle-orm";
import type { RetentionPreview, RetentionSettings } from "~/services/commands/retention.server";
import { getSetting } from "~/services/lookups/settings.server";
import type { Db } from "~db/client";

export async function retentionSettings(conn: Db): Promise<RetentionSettings> {
  return { auditRetentionDays: await getSetting(conn, "auditRetentionDays"), endedJamRetentionDays: await getSetting(conn, "endedJamRetentionDays") };
}

/** What the purge would delete now under these settings (nothing is deleted here). */
export async function retentionPreview(conn: Db, settings: RetentionSettings, now = Date.now()): Promise<RetentionPreview> {
  const auditBefore = settings.auditRetentionDays === null ? null : now - settings.auditRetentionDays * DAY;
  const jamsBefore = settings.endedJamRetentionDays === null ? null : now - settings.endedJamRetentionDays * DAY;
  const auditRows = auditBefore === null ? 0 : ((await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE at < ${auditBefore}`))?.n ?? 0);
  const jams =
    jamsBefore === null
      ? []
      : await conn.all<RetentionPreview["jams"][number]>(sql`
          SELECT j.id, j.title, j.slug, j.ends_at AS endsAt,
            (SELECT count(*) FROM ideas i WHERE i.jam_id = j.id) AS ideas,
            (SELECT count(*) FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE i.jam_id = j.id) AS comments
          FROM jams j WHERE j.is_draft = FALSE AND j.ends_at < ${jamsBefore} ORDER BY j.ends_at, j.id`);
  return { auditRows, auditBefore, jams, jamsBefore };
}

export const DAY = 86_400_000;

export const ADMINS_ONLY = "Only admins can change how long things are kept.";
