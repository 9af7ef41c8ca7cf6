/**
 * Idea cards: idea rows turned into what a list shows a viewer (author, own vote, stance and
 * dots), with a fixed number of queries whatever the page size.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { shorten } from "~/domain/text";
import type { AuthorView, IdeaCard } from "~/domain/views";
import { preparedQuery, type Db } from "~db/client";
import { inList, jsonList } from "~db/lists";
import { departments, users, votes, type Idea } from "~db/schema";
import { viewerVoteState } from "~/services/lookups/vote-modes.server";
import { coauthorsOfIdeas } from "~/services/lookups/coauthors.server";
import { cardAnswers } from "~/services/lookups/templates.server";
import { cardAttachments } from "~/services/lookups/attachments.server";

const EXCERPT = 280;

function excerpt(body: string) {
  return shorten(body, EXCERPT);
}

const authorsQuery = preparedQuery((conn) =>
  conn
    .select({ id: users.id, name: users.name, department: departments.name })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    // An erased author is nobody: their content that stays shows "Former participant", with no profile link.
    .where(and(inList(users.id, "ids"), isNull(users.erasedAt)))
    .prepare(),
);

export async function authorsById(conn: Db, ids: number[]): Promise<Map<number, AuthorView>> {
  if (ids.length === 0) return new Map();
  const rows = await authorsQuery(conn).all({ ids: jsonList([...new Set(ids)]) });
  return new Map(rows.map((r) => [r.id, r]));
}

const votedQuery = preparedQuery((conn) =>
  conn
    .select({ ideaId: votes.ideaId })
    .from(votes)
    .where(and(eq(votes.userId, sql.placeholder("userId")), inList(votes.ideaId, "ideaIds")))
    .prepare(),
);

/** Turns idea rows into cards for this viewer, with two queries whatever the page size. */
export async function ideaCards(conn: Db, viewer: SessionUser, rows: Idea[]): Promise<IdeaCard[]> {
  if (rows.length === 0) return [];
  const authors = await authorsById(conn, rows.filter((r) => !r.isAnonymous).map((r) => r.authorId));
  const voted = new Set((await votedQuery(conn).all({ userId: viewer.id, ideaIds: jsonList(rows.map((r) => r.id)) })).map((v) => v.ideaId));
  const modes = await viewerVoteState(conn, viewer.id, rows);
  const coauthors = await coauthorsOfIdeas(conn, rows.filter((r) => !r.isAnonymous).map((r) => r.id));
  const answers = await cardAnswers(conn, rows);
  const files = await cardAttachments(conn, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    challengeId: r.challengeId,
    title: r.title,
    excerpt: excerpt(r.body),
    createdAt: r.createdAt,
    voteCount: r.voteCount,
    commentCount: r.commentCount,
    isAnonymous: r.isAnonymous,
    author: r.isAnonymous ? null : (authors.get(r.authorId) ?? null),
    coauthors: r.isAnonymous ? [] : (coauthors.get(r.id) ?? []),
    // An accepted co-author writes the idea too: it is theirs (no vote on it, no flag).
    isMine: r.authorId === viewer.id || (coauthors.get(r.id)?.some((c) => c.id === viewer.id) ?? false),
    editedAt: r.editedAt,
    tag: r.tag,
    isPinned: r.pinnedAt !== null,
    hasVoted: voted.has(r.id),
    voteMode: modes.modeOf(r.challengeId),
    agreeCount: r.agreeCount,
    disagreeCount: r.disagreeCount,
    passCount: r.passCount,
    dotCount: r.dotCount,
    myStance: modes.stanceOf(r.id),
    myDots: modes.dotsOf(r.id),
    answers: answers.get(r.id) ?? [],
    attachments: files.get(r.id),
  }));
}
