import { and, count, desc, eq, isNotNull, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { pageWindow } from "~/domain/paging";
import { db } from "~db/client";
import { challenges, comments, ideas, jams, votes } from "~db/schema";
import { ideaOutcomes } from "~/services/lookups/idea-outcomes.server";
import { visibleJamsCondition } from "~/services/lookups/visibility.server";
import { stagesOf } from "~/services/lookups/reviews.server";
import { STAGE_LABELS } from "~/domain/evaluation";

/** Rows on one page of a tab of My activity. */
export const ACTIVITY_PAGE_SIZE = 20;

export const ACTIVITY_TABS = ["ideas", "comments", "votes", "sessions", "data"] as const;

export type ActivityTab = (typeof ACTIVITY_TABS)[number];

export function activityTab(value: unknown): ActivityTab {
  return ACTIVITY_TABS.find((t) => t === value) ?? "ideas";
}

/**
 * My activity, one tab at a time: a person's own ideas (anonymous ones included: they are theirs)
 * with the theme and actions each fed, or their comments, or their votes, a page at a time, with
 * how many there are of each (for the tabs) and how many a moderator hid; in the jams they may
 * open (a jam that went back to draft shows nothing here to a participant).
 */
export async function myActivity(viewer: SessionUser, input: { tab?: unknown; page?: unknown } = {}) {
  const conn = db();
  const tab = activityTab(input.tab);
  const open = visibleJamsCondition(viewer);
  const mineIdeas = and(eq(ideas.authorId, viewer.id), open);
  // Hidden comments too: their author is told why.
  const mineComments = and(eq(comments.authorId, viewer.id), open);
  const mineVotes = and(eq(votes.userId, viewer.id), isNull(ideas.hiddenAt), open);
  const ideaCount = (await conn.select({ n: count() }).from(ideas).innerJoin(jams, eq(jams.id, ideas.jamId)).where(mineIdeas).get())?.n ?? 0;
  const commentCount =
    (await conn
      .select({ n: count() })
      .from(comments)
      .innerJoin(ideas, eq(ideas.id, comments.ideaId))
      .innerJoin(jams, eq(jams.id, ideas.jamId))
      .where(mineComments)
      .get())?.n ?? 0;
  const voteCount =
    (await conn
      .select({ n: count() })
      .from(votes)
      .innerJoin(ideas, eq(ideas.id, votes.ideaId))
      .innerJoin(jams, eq(jams.id, ideas.jamId))
      .where(mineVotes)
      .get())?.n ?? 0;
  const hiddenCount =
    ((await conn.select({ n: count() }).from(ideas).innerJoin(jams, eq(jams.id, ideas.jamId)).where(and(mineIdeas, isNotNull(ideas.hiddenAt))).get())?.n ?? 0) +
    ((await conn
      .select({ n: count() })
      .from(comments)
      .innerJoin(ideas, eq(ideas.id, comments.ideaId))
      .innerJoin(jams, eq(jams.id, ideas.jamId))
      .where(and(mineComments, isNotNull(comments.hiddenAt)))
      .get())?.n ?? 0);
  const total = { ideas: ideaCount, comments: commentCount, votes: voteCount, sessions: 0, data: 0 }[tab];
  const window = pageWindow(total, input.page, ACTIVITY_PAGE_SIZE);
  const counts = { ideas: ideaCount, comments: commentCount, votes: voteCount, hidden: hiddenCount };

  const myIdeas = tab !== "ideas" ? [] : await conn
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
    .where(mineIdeas)
    .orderBy(desc(ideas.id))
    .limit(ACTIVITY_PAGE_SIZE)
    .offset(window.offset)
    .all();
  const myComments = tab !== "comments" ? [] : await conn
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
    .where(mineComments)
    .orderBy(desc(comments.id))
    .limit(ACTIVITY_PAGE_SIZE)
    .offset(window.offset)
    .all();
  const myVotes = tab !== "votes" ? [] : await conn
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
    .where(mineVotes)
    .orderBy(desc(votes.createdAt), desc(votes.ideaId))
    .limit(ACTIVITY_PAGE_SIZE)
    .offset(window.offset)
    .all();
  // What each idea fed: the published theme it is part of and the follow-up actions it grew into.
  const outcomes = await ideaOutcomes(conn, viewer, myIdeas.map((i) => i.id));
  // Each idea's stage in the reviews (no row: submitted), with the reason when it was not selected.
  const stages = await stagesOf(conn, myIdeas.map((i) => i.id));
  return {
    tab,
    counts,
    window,
    ideas: myIdeas.map(({ hidden, hiddenReason, ...i }) => ({
      ...i,
      isHidden: hidden !== null,
      hiddenReason: hidden !== null ? (hiddenReason ?? "") : null,
      fed: outcomes.get(i.id) ?? { theme: null, actions: [] },
      stage: (() => {
        const row = stages.get(i.id);
        const stage = row?.stage ?? "submitted";
        return { stage, label: STAGE_LABELS[stage], reason: stage === "not_selected" ? (row?.reason ?? null) : null };
      })(),
    })),
    comments: myComments.map(({ hiddenAt, hiddenReason, ...c }) => ({
      ...c,
      hiddenReason: hiddenAt !== null ? (hiddenReason ?? "") : null,
    })),
    votes: myVotes,
  };
}
