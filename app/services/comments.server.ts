import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { transaction } from "~db/client";
import { comments, ideas } from "~db/schema";
import { Conflict, Invalid, validate } from "./errors";
import { assertPhaseAllows, clientKey, findVisibleIdea } from "./ideas.server";

export const PostCommentInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  parentId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().optional()),
  body: z
    .string({ error: "Write a comment first." })
    .trim()
    .min(1, "Write a comment first.")
    .max(LIMITS.comment, `Keep comments to ${LIMITS.comment.toLocaleString("en")} characters or fewer.`),
  clientKey,
});

/** Comments on an idea, or replies to one of its comments, while the jam is live. Posts once per client key. */
export function postComment(actor: SessionUser, input: unknown, meta: { now?: number } = {}) {
  const data = validate(PostCommentInput, input);
  const now = meta.now ?? Date.now();
  const { idea, jam } = findVisibleIdea(actor, data.ideaId);
  return transaction((tx) => {
    assertPhaseAllows(jam, "comment", now);
    if (data.parentId) {
      const parent = tx
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.id, data.parentId), eq(comments.ideaId, idea.id), sql`${comments.hiddenAt} IS NULL`))
        .get();
      if (!parent) throw new Invalid({ parentId: ["That comment is no longer there to reply to."] });
    }
    const inserted = tx
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
      tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} + 1` }).where(eq(ideas.id, idea.id)).run();
      return { id: inserted.id, ideaId: idea.id, created: true };
    }
    const existing = tx
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.authorId, actor.id), eq(comments.clientKey, data.clientKey)))
      .get();
    if (!existing) throw new Conflict("Your comment could not be saved; please try again.");
    return { id: existing.id, ideaId: idea.id, created: false };
  });
}
