import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { publish } from "~/live/bus";
import { transaction } from "~db/client";
import { comments, ideas } from "~db/schema";
import { Conflict, Invalid, validate } from "~/services/errors";
import { award, awardFirstOfDay, recomputeBadges } from "~/services/effects/gamification.server";
import { clientKey } from "~/services/commands/ideas.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { tellAboutComment } from "~/services/effects/news.server";
import { readableText } from "~/domain/text";
import { findVisibleIdea } from "~/services/lookups/visibility.server";

export const PostCommentInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  parentId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().optional()),
  body: readableText(
    z
      .string({ error: "Write a comment first." })
      .trim()
      .min(1, "Write a comment first.")
      .max(LIMITS.comment, `Keep comments to ${LIMITS.comment.toLocaleString("en")} characters or fewer.`),
    { multiline: true },
  ),
  clientKey,
});

/** Comments on an idea, or replies to one of its comments, while the jam is live. Posts once per client key. */
export async function postComment(actor: SessionUser, input: unknown, meta: { now?: number } = {}) {
  const data = validate(PostCommentInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "comment", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await findVisibleIdea(tx, actor, data.ideaId);
    assertPhaseAllows(jam, "comment", now);
    let parent: { id: number; authorId: number } | undefined;
    if (data.parentId) {
      parent = await tx
        .select({ id: comments.id, authorId: comments.authorId })
        .from(comments)
        .where(and(eq(comments.id, data.parentId), eq(comments.ideaId, idea.id), sql`${comments.hiddenAt} IS NULL`))
        .get();
      if (!parent) throw new Invalid({ parentId: ["That comment is no longer there to reply to."] });
    }
    const inserted = await tx
      .insert(comments)
      .values({
        ideaId: idea.id,
        parentId: data.parentId ?? null,
        authorId: actor.id,
        body: data.body,
        clientKey: data.clientKey,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [comments.authorId, comments.clientKey] })
      .returning({ id: comments.id })
      .get();
    if (inserted) {
      await tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} + 1` }).where(eq(ideas.id, idea.id)).run();
      let points = await awardFirstOfDay(tx, { actorId: actor.id, jam, subject: `comment:${inserted.id}`, anonymous: false, now });
      if (parent) {
        await award(tx, {
          earnerId: parent.authorId,
          actorId: actor.id,
          jam,
          reason: "comment_replied",
          source: `comment:${parent.id}`,
          subject: `comment:${parent.id}`,
          anonymous: false,
          now,
        });
      }
      await tellAboutComment(tx, { actor, jam, idea, commentId: inserted.id, parent }, now);
      const levelUps = await recomputeBadges(tx, parent ? [actor.id, parent.authorId] : [actor.id], now, [
        "commentsWithReplies",
        "marathonJams",
      ]);
      const commentId = inserted.id;
      await publish(tx, jam.id, "comment.created", { ideaId: idea.id, commentId, challengeId: idea.challengeId });
      await publish(tx, jam.id, "points.changed", {});
      return { id: inserted.id, ideaId: idea.id, created: true, points, levelUps };
    }
    const existing = await tx
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.authorId, actor.id), eq(comments.clientKey, data.clientKey)))
      .get();
    if (!existing) throw new Conflict("Your comment could not be saved; please try again.");
    return { id: existing.id, ideaId: idea.id, created: false, points: 0, levelUps: [] };
  });
}
