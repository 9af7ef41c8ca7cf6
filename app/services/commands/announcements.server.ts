import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { db, transaction } from "~db/client";
import { announcements, challenges } from "~db/schema";
import { Invalid, validate } from "~/services/errors";

import { readableText } from "~/domain/text";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";

export const AnnouncementInput = z.object({
  body: readableText(
    z
      .string({ error: "Write the announcement first." })
      .trim()
      .min(1, "Write the announcement first.")
      .max(500, "Keep announcements under 500 characters."),
    { multiline: true },
  ),
  challengeId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().optional()),
});

/** A facilitator's jam-wide or challenge-wide announcement, shown live to everyone in the jam. */
export async function postAnnouncement(actor: SessionUser, slug: string, input: unknown, meta: { now?: number } = {}) {
  const conn = db();
  requireCapability(actor, "manageJams", "Only facilitators can post announcements.");
  const jam = await findVisibleJam(conn, actor, slug);
  const data = validate(AnnouncementInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    if (data.challengeId) {
      const challenge = await tx
        .select({ id: challenges.id })
        .from(challenges)
        .where(and(eq(challenges.id, data.challengeId), eq(challenges.jamId, jam.id)))
        .get();
      if (!challenge) throw new Invalid({ challengeId: ["Choose a challenge of this jam."] });
    }
    const row = await tx
      .insert(announcements)
      .values({ jamId: jam.id, challengeId: data.challengeId ?? null, authorId: actor.id, body: data.body, createdAt: now })
      .returning()
      .get();
    await publish(tx, jam.id, "announcement.created", { id: row.id, body: row.body, challengeId: row.challengeId, at: row.createdAt });
    return row;
  });
}
