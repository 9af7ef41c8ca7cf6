/**
 * Following people and themes, and the participant's own ranking privacy setting. The news
 * followers get when a new idea matches is in effects/follows.server.ts, "people you should meet"
 * in lookups/follows.server.ts.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { transaction } from "~db/client";
import { follows, users } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Invalid, NotFound, validate } from "~/services/errors";
import { visibleTheme } from "~/services/lookups/follows.server";

export const FollowInput = z.object({
  targetType: z.enum(["person", "theme"], { error: "Choose a person or a theme to follow." }),
  targetId: z.coerce.number({ error: "Choose what to follow." }).int().positive("Choose what to follow."),
});

/** Follows a person or a theme. Following twice is the same as once; nobody can follow themself. */
export async function follow(actor: SessionUser, input: unknown, meta: { now?: number } = {}) {
  const data = validate(FollowInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    if (data.targetType === "person") {
      if (data.targetId === actor.id) throw new Invalid({ form: ["You cannot follow yourself."] }, "You cannot follow yourself.");
      const person = await tx.select({ id: users.id, erasedAt: users.erasedAt }).from(users).where(eq(users.id, data.targetId)).get();
      // An erased account is nobody to follow (its profile is gone too).
      if (!person || person.erasedAt !== null) throw new NotFound("No such person.");
    } else {
      await visibleTheme(tx, actor, data.targetId);
    }
    const written = await tx
      .insert(follows)
      .values({ followerId: actor.id, targetType: data.targetType, targetId: data.targetId, createdAt: now })
      .onConflictDoNothing()
      .run();
    return { created: written.changes > 0 };
  });
}

/** Stops following; unfollowing something not followed changes nothing. */
export async function unfollow(actor: SessionUser, input: unknown) {
  const data = validate(FollowInput, input);
  return await transaction(async (tx) => {
    const removed = await tx
      .delete(follows)
      .where(and(eq(follows.followerId, actor.id), eq(follows.targetType, data.targetType), eq(follows.targetId, data.targetId)))
      .run();
    return { removed: removed.changes > 0 };
  });
}

export interface NewIdea {
  id: number;
  jamId: number;
  jamSlug: string;
  authorId: number;
  authorName: string;
  title: string;
  body: string;
  isAnonymous: boolean;
}

// ---------------------------------------------------------------------------
// Ranking privacy

export const RankingPrivacyInput = z.object({
  hiddenFromRankings: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
});

/** The participant's own choice to be unnamed in rankings (leaderboards, network pages); audited. */
export async function setRankingPrivacy(actor: SessionUser, input: unknown, meta: { ip?: string | null; now?: number } = {}) {
  const data = validate(RankingPrivacyInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ hiddenFromRankings: data.hiddenFromRankings })
      .where(and(eq(users.id, actor.id), sql`${users.hiddenFromRankings} <> ${data.hiddenFromRankings ? 1 : 0}`))
      .run();
    if (changed.changes > 0) {
      await recordAudit(
        tx, {
          action: "rankings_visibility_changed",
          actorId: actor.id,
          subject: `user:${actor.id}`,
          ip: meta.ip ?? null,
          detail: { hiddenFromRankings: data.hiddenFromRankings },
          at: now,
        },
      );
    }
    return { hiddenFromRankings: data.hiddenFromRankings, changed: changed.changes > 0 };
  });
}
