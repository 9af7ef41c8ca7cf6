import type { SessionUser } from "~/auth/session.server";
import { badgeByKey, LEVEL_NAMES } from "~/domain/badges";
import { db } from "~db/client";
import { totalPoints, unseenLevelUps } from "~/services/effects/gamification.server";

/** The signed-in person's points and the badge levels they have not been shown yet. */
export async function gameStatus(viewer: SessionUser) {
  const conn = db();
  const unseen = (await unseenLevelUps(conn, viewer.id)).flatMap((u) => {
    const badge = badgeByKey(u.badgeKey);
    return badge ? [{ key: u.badgeKey, name: badge.name, level: u.level, levelName: LEVEL_NAMES[u.level] ?? `Level ${u.level}` }] : [];
  });
  return { points: await totalPoints(conn, viewer.id), unseenBadges: unseen };
}
