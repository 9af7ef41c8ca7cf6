import { desc, eq, and, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { db } from "~db/client";
import { challenges, comments, ideas, jams, votes } from "~db/schema";
import { ideaOutcomes } from "./news.server";

const RECENT = 50;

/**
 * A person's own ideas (anonymous ones included: they are theirs) with the theme and actions each
 * fed, comments and votes, in the
 * jams they may open (a jam that went back to draft shows nothing here to a participant).
 */
export function myActivity(viewer: SessionUser) {
  const conn = db();
  const open = can(viewer.role, "seeDraftJams") ? undefined : eq(jams.isDraft, false);
  const myIdeas = conn
    .select({
      id: ideas.id,
      title: ideas.title,
      isAnonymous: ideas.isAnonymous,
      voteCount: ideas.voteCount,
      commentCount: ideas.commentCount,
      createdAt: ideas.createdAt,
      hidden: ideas.hiddenAt,
      hiddenReason: ideas.hiddenReason,
      mergedIntoId: ideas.mergedIntoId,
      jamSlug: jams.slug,
      jamTitle: jams.title,
      challengeTitle: challenges.title,
    })
    .from(ideas)
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    .innerJoin(challenges, eq(challenges.id, ideas.challengeId))
    .where(and(eq(ideas.authorId, viewer.id), open))
    .orderBy(desc(ideas.id))
    .limit(RECENT)
    .all();
  const myComments = conn
    .select({
      id: comments.id,
      body: comments.body,
      createdAt: comments.createdAt,
      hiddenAt: comments.hiddenAt,
      hiddenReason: comments.hiddenReason,
      ideaId: ideas.id,
      ideaTitle: ideas.title,
      jamSlug: jams.slug,
    })
    .from(comments)
    .innerJoin(ideas, eq(ideas.id, comments.ideaId))
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    // Hidden ones too: their author is told why.
    .where(and(eq(comments.authorId, viewer.id), open))
    .orderBy(desc(comments.id))
    .limit(RECENT)
    .all();
  const myVotes = conn
    .select({
      ideaId: ideas.id,
      ideaTitle: ideas.title,
      voteCount: ideas.voteCount,
      createdAt: votes.createdAt,
      jamSlug: jams.slug,
    })
    .from(votes)
    .innerJoin(ideas, eq(ideas.id, votes.ideaId))
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    .where(and(eq(votes.userId, viewer.id), isNull(ideas.hiddenAt), open))
    .orderBy(desc(votes.createdAt))
    .limit(RECENT)
    .all();
  // What each idea fed: the published theme it is part of and the follow-up actions it grew into.
  const outcomes = ideaOutcomes(viewer, myIdeas.map((i) => i.id));
  return {
    ideas: myIdeas.map(({ hidden, hiddenReason, ...i }) => ({
      ...i,
      isHidden: hidden !== null,
      hiddenReason: hidden !== null ? (hiddenReason ?? "") : null,
      fed: outcomes.get(i.id) ?? { theme: null, actions: [] },
    })),
    comments: myComments.map(({ hiddenAt, hiddenReason, ...c }) => ({
      ...c,
      hiddenReason: hiddenAt !== null ? (hiddenReason ?? "") : null,
    })),
    votes: myVotes,
  };
}
