/**
 * Editing with history. Authors (and an idea's co-authors) change their ideas and comments
 * while the jam allows posting; every version is kept. An edit names the version it was
 * based on: one based on an older version is refused (optimistic concurrency), so two people
 * editing at once cannot silently overwrite each other. The change itself is a conditional
 * update (`WHERE version = base`) and each version is unique per (idea, version), so a repeated
 * or concurrent request never writes a version twice.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import {
  commentRevisions,
  comments,
  ideaRevisions,
  ideas,
  type Idea,
  type RevisionKind,
} from "~db/schema";
import { ideaForViewer, writesIdea } from "~/services/lookups/coauthors.server";
import { Conflict, Forbidden, NotFound, StaleEdit, validate } from "~/services/errors";
import { PostIdeaInput } from "~/services/commands/ideas.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { PostCommentInput } from "~/services/commands/comments.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { validateWithAnswers, writeEditedAnswers } from "~/services/commands/templates.server";
import { answersChanged, fieldsForEdit, storedAnswers } from "~/services/lookups/templates.server";

const baseVersion = z.coerce
  .number({ error: "The form expired; reload the page and try again." })
  .int("The form expired; reload the page and try again.")
  .positive("The form expired; reload the page and try again.");

export const EditIdeaInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  title: PostIdeaInput.shape.title,
  body: PostIdeaInput.shape.body,
  baseVersion,
});

export const EditCommentInput = z.object({
  commentId: z.coerce.number().int().positive(),
  body: PostCommentInput.shape.body,
  baseVersion,
});

/** How a refused stale edit reads: what happened and that nothing typed was lost. */
export function staleEditMessage(what: "idea" | "comment", version: number) {
  return `This ${what} was changed while you were editing (it is now at version ${version}). What you typed is kept below: compare it with the current text and save again.`;
}

interface Meta {
  now?: number;
}

/**
 * Makes `next` the idea's new current text in the caller's transaction: writes version 1 (as
 * posted, from the idea row) when this is the first change, moves the idea from `idea.version`
 * to the next one only if nobody moved it first, and keeps the new version. Returns its number.
 */
export async function writeIdeaVersion(
  tx: Db,
  idea: Idea,
  next: { title: string; body: string; kind: Exclude<RevisionKind, "posted">; editorId: number; acceptedById?: number; amendmentId?: number },
  now: number,
): Promise<number> {
  if (idea.version === 1) {
    await tx.insert(ideaRevisions)
      .values({ ideaId: idea.id, version: 1, title: idea.title, body: idea.body, kind: "posted", editorId: idea.authorId, createdAt: idea.createdAt })
      .onConflictDoNothing()
      .run();
  }
  const moved = await tx
    .update(ideas)
    .set({ title: next.title, body: next.body, version: sql`${ideas.version} + 1`, editedAt: now })
    .where(and(eq(ideas.id, idea.id), eq(ideas.version, idea.version)))
    .returning({ version: ideas.version })
    .get();
  if (!moved) throw new StaleEdit(staleEditMessage("idea", idea.version + 1), idea.version + 1);
  await tx.insert(ideaRevisions)
    .values({
      ideaId: idea.id,
      version: moved.version,
      title: next.title,
      body: next.body,
      kind: next.kind,
      editorId: next.editorId,
      acceptedById: next.acceptedById ?? null,
      amendmentId: next.amendmentId ?? null,
      createdAt: now,
    })
    .run();
  await publish(tx, idea.jamId, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
  return moved.version;
}

/** The idea's author or a co-author changes its title and description while the jam allows posting. */
export async function editIdea(actor: SessionUser, input: unknown, meta: Meta = {}) {
  // The answers to the challenge's idea template are edited with the text (required fields bind edits too).
  const { data, answers, fields } = await transaction(async (tx) => {
    const fields = await fieldsForEdit(tx, actor, (input as { ideaId?: unknown } | null)?.ideaId);
    return { ...validateWithAnswers(EditIdeaInput, input, fields), fields };
  }, { snapshot: true });
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await ideaForViewer(tx, actor, data.ideaId);
    if (!await writesIdea(tx, idea, actor.id)) throw new Forbidden("Only the idea's author and co-authors can edit it.");
    if (idea.hiddenAt !== null) throw new Conflict("A moderator hid this idea: it cannot be edited.");
    assertPhaseAllows(jam, "edit", now);
    const stored = (await storedAnswers(tx, [idea.id])).get(idea.id) ?? new Map<number, string>();
    const fieldsChanged = answersChanged(stored, fields, answers);
    // The same text again (a repeated request, or nothing changed) writes nothing.
    if (idea.title === data.title && idea.body === data.body && !fieldsChanged) return { ideaId: idea.id, jamSlug: jam.slug, version: idea.version, changed: false };
    if (idea.version !== data.baseVersion) throw new StaleEdit(staleEditMessage("idea", idea.version), idea.version);
    const version = await writeIdeaVersion(tx, idea, { title: data.title, body: data.body, kind: "edited", editorId: actor.id }, now);
    if (fieldsChanged) await writeEditedAnswers(tx, idea, stored, fields, answers, { from: idea.version, to: version });
    return { ideaId: idea.id, jamSlug: jam.slug, version, changed: true };
  });
}

/** A comment's author changes it while the jam allows posting; every version is kept. */
export async function editComment(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(EditCommentInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const comment = await tx.select().from(comments).where(eq(comments.id, data.commentId)).get();
    if (!comment) throw new NotFound("No such comment.");
    const { idea, jam } = await ideaForViewer(tx, actor, comment.ideaId);
    if (comment.authorId !== actor.id) {
      if (comment.hiddenAt !== null && !can(actor.role, "manageJams")) throw new NotFound("No such comment.");
      throw new Forbidden("Only its author can edit a comment.");
    }
    if (comment.hiddenAt !== null) throw new Conflict("A moderator hid this comment: it cannot be edited.");
    if (idea.hiddenAt !== null) throw new Conflict("A moderator hid this idea: its discussion cannot change.");
    assertPhaseAllows(jam, "edit", now);
    if (comment.body === data.body) return { commentId: comment.id, ideaId: idea.id, version: comment.version, changed: false };
    if (comment.version !== data.baseVersion) throw new StaleEdit(staleEditMessage("comment", comment.version), comment.version);
    if (comment.version === 1) {
      await tx.insert(commentRevisions)
        .values({ commentId: comment.id, version: 1, body: comment.body, editorId: comment.authorId, createdAt: comment.createdAt })
        .onConflictDoNothing()
        .run();
    }
    const moved = await tx
      .update(comments)
      .set({ body: data.body, version: sql`${comments.version} + 1`, editedAt: now })
      .where(and(eq(comments.id, comment.id), eq(comments.version, comment.version)))
      .returning({ version: comments.version })
      .get();
    if (!moved) throw new StaleEdit(staleEditMessage("comment", comment.version + 1), comment.version + 1);
    await tx.insert(commentRevisions).values({ commentId: comment.id, version: moved.version, body: data.body, editorId: actor.id, createdAt: now }).run();
    await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    return { commentId: comment.id, ideaId: idea.id, version: moved.version, changed: true };
  });
}
