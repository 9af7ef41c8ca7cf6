/**
 * Hiding and restoring content. Moderation hides, it never deletes: the row
 * stays with its reason, and the points it earned are reversed by compensating
 * ledger entries (given back on restore).
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { transaction } from "~db/client";
import { comments, ideas } from "~db/schema";
import { recordAudit } from "./audit.server";
import { Forbidden, NotFound, validate } from "./errors";
import { recomputeBadges, restoreSubject, reverseSubject } from "./gamification.server";

export const HideInput = z.object({
  id: z.coerce.number().int().positive(),
  reason: z
    .string({ error: "Say why, so the author understands." })
    .trim()
    .min(3, "Say why, so the author understands.")
    .max(300, "Keep the reason under 300 characters."),
});

const IdInput = z.object({ id: z.coerce.number().int().positive() });

function requireModerator(actor: SessionUser) {
  if (!can(actor.role, "manageJams")) throw new Forbidden("Only facilitators can moderate.");
}

export function hideIdea(actor: SessionUser, input: unknown, meta: { ip: string | null; now?: number }) {
  requireModerator(actor);
  const { id, reason } = validate(HideInput, input);
  const now = meta.now ?? Date.now();
  return transaction((tx) => {
    const hidden = tx
      .update(ideas)
      .set({ hiddenAt: now, hiddenReason: reason, hideCount: sql`${ideas.hideCount} + 1` })
      .where(and(eq(ideas.id, id), isNull(ideas.hiddenAt)))
      .returning({ authorId: ideas.authorId, hideCount: ideas.hideCount })
      .get();
    if (!hidden) throw new NotFound("No such visible idea.");
    reverseSubject(tx, `idea:${id}`, hidden.hideCount, now);
    recomputeBadges(tx, [hidden.authorId], now);
    recordAudit({ action: "idea_hidden", actorId: actor.id, subject: `idea:${id}`, ip: meta.ip, at: now, detail: { reason } }, tx);
    return { id, hidden: true };
  });
}

export function restoreIdea(actor: SessionUser, input: unknown, meta: { ip: string | null; now?: number }) {
  requireModerator(actor);
  const { id } = validate(IdInput, input);
  const now = meta.now ?? Date.now();
  return transaction((tx) => {
    const restored = tx
      .update(ideas)
      .set({ hiddenAt: null, hiddenReason: null })
      .where(and(eq(ideas.id, id), isNotNull(ideas.hiddenAt)))
      .returning({ authorId: ideas.authorId, hideCount: ideas.hideCount })
      .get();
    if (!restored) throw new NotFound("No such hidden idea.");
    restoreSubject(tx, `idea:${id}`, restored.hideCount, now);
    recomputeBadges(tx, [restored.authorId], now);
    recordAudit({ action: "idea_restored", actorId: actor.id, subject: `idea:${id}`, ip: meta.ip, at: now }, tx);
    return { id, hidden: false };
  });
}

export function hideComment(actor: SessionUser, input: unknown, meta: { ip: string | null; now?: number }) {
  requireModerator(actor);
  const { id, reason } = validate(HideInput, input);
  const now = meta.now ?? Date.now();
  return transaction((tx) => {
    const hidden = tx
      .update(comments)
      .set({ hiddenAt: now, hiddenReason: reason, hideCount: sql`${comments.hideCount} + 1` })
      .where(and(eq(comments.id, id), isNull(comments.hiddenAt)))
      .returning({ authorId: comments.authorId, hideCount: comments.hideCount, ideaId: comments.ideaId, parentId: comments.parentId })
      .get();
    if (!hidden) throw new NotFound("No such visible comment.");
    tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} - 1` }).where(eq(ideas.id, hidden.ideaId)).run();
    reverseSubject(tx, `comment:${id}`, hidden.hideCount, now);
    const parentAuthor = hidden.parentId
      ? tx.select({ a: comments.authorId }).from(comments).where(eq(comments.id, hidden.parentId)).get()?.a
      : undefined;
    recomputeBadges(tx, parentAuthor ? [hidden.authorId, parentAuthor] : [hidden.authorId], now);
    recordAudit({ action: "comment_hidden", actorId: actor.id, subject: `comment:${id}`, ip: meta.ip, at: now, detail: { reason } }, tx);
    return { id, hidden: true };
  });
}

export function restoreComment(actor: SessionUser, input: unknown, meta: { ip: string | null; now?: number }) {
  requireModerator(actor);
  const { id } = validate(IdInput, input);
  const now = meta.now ?? Date.now();
  return transaction((tx) => {
    const restored = tx
      .update(comments)
      .set({ hiddenAt: null, hiddenReason: null })
      .where(and(eq(comments.id, id), isNotNull(comments.hiddenAt)))
      .returning({ authorId: comments.authorId, hideCount: comments.hideCount, ideaId: comments.ideaId, parentId: comments.parentId })
      .get();
    if (!restored) throw new NotFound("No such hidden comment.");
    tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} + 1` }).where(eq(ideas.id, restored.ideaId)).run();
    restoreSubject(tx, `comment:${id}`, restored.hideCount, now);
    const parentAuthor = restored.parentId
      ? tx.select({ a: comments.authorId }).from(comments).where(eq(comments.id, restored.parentId)).get()?.a
      : undefined;
    recomputeBadges(tx, parentAuthor ? [restored.authorId, parentAuthor] : [restored.authorId], now);
    recordAudit({ action: "comment_restored", actorId: actor.id, subject: `comment:${id}`, ip: meta.ip, at: now }, tx);
    return { id, hidden: false };
  });
}
