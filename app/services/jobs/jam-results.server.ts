import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { resultsNotice } from "~/domain/notifications";
import { db, transaction } from "~db/client";
import { jams } from "~db/schema";
import { peopleWhoTookPart } from "~/services/effects/news.server";
import { notify, type Notice } from "~/services/effects/notifications.server";

/**
 * Jams that have ended (not drafts) and whose people have not been told: each is claimed by a
 * conditional update (`results_sent_at IS NULL`) in the same transaction as its notices, so the
 * results go out exactly once, however many background rounds or processes look at the same time.
 * Runs in the background round (app/services/jobs/background.server.ts). Returns how many were told, per jam.
 */
export async function sendJamResults(now = Date.now()): Promise<{ jamId: number; told: number }[]> {
  const due = await db()
    .select({ id: jams.id })
    .from(jams)
    .where(and(isNull(jams.resultsSentAt), eq(jams.isDraft, false), sql`${jams.endsAt} <= ${now}`))
    .orderBy(asc(jams.endsAt))
    .limit(20)
    .all();
  const sent: { jamId: number; told: number }[] = [];
  for (const { id } of due) {
    const told = await transaction(async (tx) => {
      const claimed = await tx
        .update(jams)
        .set({ resultsSentAt: now })
        .where(and(eq(jams.id, id), isNull(jams.resultsSentAt), eq(jams.isDraft, false), sql`${jams.endsAt} <= ${now}`))
        .returning({ id: jams.id, slug: jams.slug, title: jams.title })
        .get();
      if (!claimed) return null;
      const notices: Notice[] = (await peopleWhoTookPart(tx, id)).map((userId) => ({
        userId,
        kind: "results",
        body: resultsNotice(claimed.title),
        link: `/jams/${claimed.slug}`,
        dedupeKey: `results:jam:${id}`,
        jamId: id,
      }));
      return (await notify(tx, notices, now)).length;
    });
    if (told !== null) sent.push({ jamId: id, told });
  }
  return sent;
}
