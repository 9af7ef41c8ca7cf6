import { eq, and, sql, or, isNull, desc } from "drizzle-orm";
import { preparedQueries, db } from "~db/client";
import { announcements, challenges, users } from "~db/schema";

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
