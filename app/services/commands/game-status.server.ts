import type { SessionUser } from "~/auth/session.server";
import { markLevelsSeen } from "~/services/effects/gamification.server";
import { transaction } from "~db/client";

/** The person has seen their new badge levels (a POST from the toast). */
export async function acknowledgeBadges(viewer: SessionUser) {
  await transaction(async (tx) => await markLevelsSeen(tx, viewer.id));
}
