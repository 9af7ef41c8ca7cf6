import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { db, preparedQueries, transaction } from "~db/client";
import { announcements, challenges, users } from "~db/schema";
import { Invalid, validate } from "./errors";

import { readableText } from "~/domain/text";
import { requireCapability } from "./lookups/guards.server";
import { findVisibleJam } from "./lookups/visibility.server";

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

const recentQuery = preparedQueries((conn, scope: "jam" | "challenge") =>
  conn
    .select({
      id: announcements.id,
      body: announcements.body,
      challengeId: announcements.challengeId,
      challengeTitle: challenges.title,
      author: users.name,
      createdAt: announcements.createdAt,
    })
    .from(announcements)
    .innerJoin(users, eq(users.id, announcements.authorId))
    .leftJoin(challenges, eq(challenges.id, announcements.challengeId))
    .where(
      and(
        eq(announcements.jamId, sql.placeholder("jamId")),
        scope === "jam" ? undefined : or(isNull(announcements.challengeId), eq(announcements.challengeId, sql.placeholder("challengeId"))),
      ),
    )
    .orderBy(desc(announcements.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
);

/** The jam's latest announcements (jam-wide, or also one challenge's when given). */
export async function recentAnnouncements(jamId: number, challengeId?: number, limit = 10) {
  return challengeId === undefined
    ? await recentQuery(db(), "jam").all({ jamId, limit })
    : await recentQuery(db(), "challenge").all({ jamId, challengeId, limit });
}
