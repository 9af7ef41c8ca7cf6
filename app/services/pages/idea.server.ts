import { eq, and, or, isNull, asc, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { can } from "~/domain/permissions";
import { jamPhase, phaseAllows } from "~/domain/phase";
import type { CommentView } from "~/domain/views";
import { NotFound, validate } from "~/services/errors";
import { ideaActionsPanel } from "~/services/lookups/actions.server";
import { ideaAttachmentsPanel } from "~/services/pages/attachments.server";
import { dotsSummary } from "~/services/lookups/dots.server";
import { ideaPageModeration } from "~/services/lookups/moderation.server";
import { ideaTemplatePanel } from "~/services/lookups/templates.server";
import { ideaEditsPanel } from "~/services/pages/idea-edits.server";
import { ideaStageFor } from "~/services/pages/reviews.server";
import { authorsById, ideaCards } from "~/services/lookups/idea-cards.server";
import { findIdeaForPage, findVisibleChallenge } from "~/services/lookups/visibility.server";
import { db, type Db } from "~db/client";
import { anyWord, rankedIdeas } from "~db/fts";
import { challenges, comments, type Idea, ideas } from "~db/schema";

const MAX_COMMENTS_SHOWN = 500;

/** An idea with its comment thread, for its page. */
export async function ideaDetail(viewer: SessionUser, ideaId: number, now = Date.now()) {
  const conn = db();
  const { idea, jam } = await findIdeaForPage(conn, viewer, ideaId);
  const hidden = idea.hiddenAt !== null;
  const challenge = (await db()
    .select({ id: challenges.id, title: challenges.title, question: challenges.question, voteMode: challenges.voteMode })
    .from(challenges)
    .where(eq(challenges.id, idea.challengeId))
    .get())!;
  const commentRows = await db()
    .select()
    .from(comments)
    // Hidden comments: facilitators see them all, authors their own (with the reason).
    .where(
      and(
        eq(comments.ideaId, idea.id),
        can(viewer.role, "manageJams") ? undefined : or(isNull(comments.hiddenAt), eq(comments.authorId, viewer.id)),
      ),
    )
    .orderBy(asc(comments.id))
    .limit(MAX_COMMENTS_SHOWN)
    .all();
  const authors = await authorsById(conn, commentRows.map((c) => c.authorId));
  const card = (await ideaCards(conn, viewer, [idea]))[0]!;
  const phase = jamPhase(jam, now);
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, endsAt: jam.endsAt, phase },
    challenge,
    idea: { ...card, body: idea.body, hidden: hidden ? await hiddenNotice(conn, idea) : null },
    comments: commentRows.map(
      (c): CommentView => ({
        id: c.id,
        parentId: c.parentId,
        body: c.body,
        createdAt: c.createdAt,
        author: authors.get(c.authorId) ?? null,
        isMine: c.authorId === viewer.id,
        editedAt: c.editedAt,
        version: c.version,
        hiddenReason: c.hiddenAt === null ? null : (c.hiddenReason ?? ""),
      }),
    ),
    canComment: phaseAllows(phase, "comment") && !hidden,
    canVote: phaseAllows(phase, "vote") && idea.authorId !== viewer.id && !hidden,
  };
}

/** Why an idea is hidden, and the idea it was merged into (if it was), for its author and facilitators. */
async function hiddenNotice(conn: Db, idea: Idea) {
  const kept = idea.mergedIntoId
    ? await conn.select({ id: ideas.id, title: ideas.title }).from(ideas).where(eq(ideas.id, idea.mergedIntoId)).get()
    : undefined;
  return { at: idea.hiddenAt!, reason: idea.hiddenReason ?? "", mergedInto: kept ?? null };
}

export const SimilarInput = z.object({
  challengeId: z.coerce.number().int().positive(),
  text: z.string().max(LIMITS.ideaTitle + LIMITS.ideaBody).catch(""),
});

/**
 * Existing ideas in the challenge that look like what someone is typing, best
 * matches first (db/fts.ts rankedIdeas), so duplicates are caught before they are posted.
 */
export async function similarIdeas(viewer: SessionUser, input: unknown) {
  const conn = db();
  const { challengeId, text } = validate(SimilarInput, input);
  const { challenge, jam } = await findVisibleChallenge(conn, viewer, challengeId);
  const match = anyWord(text);
  if (!match) return [];
  return (await conn
    .all<{ id: number; title: string; voteCount: number }>(
      sql`SELECT i.id, i.title, i.vote_count AS "voteCount"
          FROM ${rankedIdeas(match)} m JOIN ideas i ON i.id = m.id
          WHERE i.challenge_id = ${challenge.id} AND i.hidden_at IS NULL
          ORDER BY m.score, i.id LIMIT 5`,
    ))
    .map((r) => ({ ...r, href: `/jams/${jam.slug}/ideas/${r.id}` }));
}

/**
 * Everything the idea page shows, in one call: the idea and its comments, then each panel that
 * decides for itself what this viewer may see (dots left, moderation, actions, stage, edits and
 * co-authors, template answers, attachments). An idea asked for under another jam's address is
 * not found.
 */
export async function ideaPage(viewer: SessionUser, input: { slug: string; ideaId: number; coauthorQuery: string | null }) {
  const detail = await ideaDetail(viewer, input.ideaId);
  if (detail.jam.slug !== input.slug) throw new NotFound("No such idea.");
  const ideaId = detail.idea.id;
  const dots = detail.challenge.voteMode === "dots" ? await dotsSummary(viewer, { challengeId: detail.challenge.id }) : null;
  const moderation = await ideaPageModeration(
    viewer,
    { id: ideaId, challengeId: detail.challenge.id, jamId: detail.jam.id },
    detail.comments.map((c) => c.id),
  );
  return {
    ...detail,
    dots,
    moderation,
    ideaActions: await ideaActionsPanel(viewer, ideaId),
    stage: await ideaStageFor(viewer, ideaId),
    edits: await ideaEditsPanel(viewer, { ideaId, coauthorQuery: input.coauthorQuery }),
    template: await ideaTemplatePanel(viewer, ideaId),
    attachments: await ideaAttachmentsPanel(viewer, { ideaId }),
  };
}
