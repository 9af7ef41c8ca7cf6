import { desc, eq, and, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~db/client";
import { challenges, comments, ideas, jams, votes } from "~db/schema";

const RECENT = 50;

/** A person's own ideas (anonymous ones included: they are theirs), comments and votes. */
export function myActivity(viewer: SessionUser) {
  const conn = db();
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
    .where(eq(ideas.authorId, viewer.id))
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
    .where(eq(comments.authorId, viewer.id))
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
    .where(and(eq(votes.userId, viewer.id), isNull(ideas.hiddenAt)))
    .orderBy(desc(votes.createdAt))
    .limit(RECENT)
    .all();
  return {
    ideas: myIdeas.map(({ hidden, hiddenReason, ...i }) => ({
      ...i,
      isHidden: hidden !== null,
      hiddenReason: hidden !== null ? (hiddenReason ?? "") : null,
    })),
    comments: myComments.map(({ hiddenAt, hiddenReason, ...c }) => ({
      ...c,
      hiddenReason: hiddenAt !== null ? (hiddenReason ?? "") : null,
    })),
    votes: myVotes,
  };
}
