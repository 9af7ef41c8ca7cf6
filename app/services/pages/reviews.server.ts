/**
 * What the review pages show, one page service per route, each deciding who may see what:
 *
 * - facilitators (and admins) see a review whole: progress per reviewer and per idea, and the
 *   ranked shortlist with scores, spread, disagreement and comments;
 * - a reviewer sees only the ideas given to them; in a blind review no author, and nobody else's
 *   scores of an idea until they submitted their own (nothing of it is in the page's data either);
 * - everyone else: not found. An idea's stage is shown to its author and to facilitators.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { DEFAULT_CRITERIA, dueEnd, rankIdeas, STAGE_LABELS, type IdeaStage } from "~/domain/evaluation";
import { can } from "~/domain/permissions";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { db, type Db } from "~db/client";
import {
  challenges,
  departments,
  ideas,
  jams,
  reviewAssignments,
  reviewCriteria,
  reviewIdeas,
  reviews,
  reviewScores,
  users,
} from "~db/schema";
import { NotFound } from "~/services/errors";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { canManageReviews, findReview, remindedReviewers, stagesOf } from "~/services/lookups/reviews.server";

const MAX_PICKABLE = 300;

function personName(name: string, erasedAt: number | null) {
  return erasedAt === null ? name : FORMER_PARTICIPANT;
}

async function criteriaOf(conn: Db, reviewId: number) {
  return await conn
    .select({ id: reviewCriteria.id, name: reviewCriteria.name, description: reviewCriteria.description, weight: reviewCriteria.weight })
    .from(reviewCriteria)
    .where(eq(reviewCriteria.reviewId, reviewId))
    .orderBy(asc(reviewCriteria.position), asc(reviewCriteria.id))
    .all();
}

export interface StageView {
  stage: IdeaStage;
  label: string;
  reason: string | null;
}

/** An idea's stage, for its author and facilitators; null for everyone else (the caller has checked the idea is visible to the viewer). */
export async function ideaStageFor(viewer: SessionUser, ideaId: number): Promise<StageView | null> {
  const conn = db();
  const idea = await conn.select({ authorId: ideas.authorId }).from(ideas).where(eq(ideas.id, ideaId)).get();
  if (!idea || (idea.authorId !== viewer.id && !canManageReviews(viewer))) return null;
  const row = (await stagesOf(conn, [ideaId])).get(ideaId);
  const stage = row?.stage ?? "submitted";
  return { stage, label: STAGE_LABELS[stage], reason: stage === "not_selected" ? (row?.reason ?? null) : null };
}

// ---------------------------------------------------------------------------
// /reviews

/** The viewer's reviews: ideas given to them, by review; and for facilitators, the reviews running. */
export async function reviewsHome(viewer: SessionUser) {
  const conn = db();
  const seeDrafts = can(viewer.role, "seeDraftJams");
  const mine = (await conn
    .select({
      id: reviews.id,
      title: reviews.title,
      dueAt: reviews.dueAt,
      closedAt: reviews.closedAt,
      jamSlug: jams.slug,
      jamTitle: jams.title,
      assigned: sql<number>`count(*)`,
      submitted: sql<number>`count(${reviewAssignments.submittedAt})`,
    })
    .from(reviewAssignments)
    .innerJoin(reviews, eq(reviews.id, reviewAssignments.reviewId))
    .innerJoin(jams, eq(jams.id, reviews.jamId))
    .innerJoin(ideas, eq(ideas.id, reviewAssignments.ideaId))
    .where(and(eq(reviewAssignments.reviewerId, viewer.id), isNull(ideas.hiddenAt), seeDrafts ? undefined : eq(jams.isDraft, false)))
    .groupBy(reviews.id, jams.id)
    .orderBy(desc(reviews.id))
    .limit(100)
    .all())
    .map((r) => ({ ...r, dueAt: r.dueAt === null ? null : dueEnd(r.dueAt) }));
  const running = canManageReviews(viewer)
    ? (await conn
        .select({
          id: reviews.id,
          title: reviews.title,
          dueAt: reviews.dueAt,
          closedAt: reviews.closedAt,
          blind: reviews.blind,
          jamSlug: jams.slug,
          jamTitle: jams.title,
          challengeTitle: challenges.title,
          ideas: sql<number>`(SELECT count(*) FROM review_ideas ri WHERE ri.review_id = ${reviews.id})`,
        })
        .from(reviews)
        .innerJoin(jams, eq(jams.id, reviews.jamId))
        .innerJoin(challenges, eq(challenges.id, reviews.challengeId))
        .orderBy(desc(reviews.id))
        .limit(100)
        .all())
        .map((r) => ({ ...r, dueAt: r.dueAt === null ? null : dueEnd(r.dueAt) }))
    : null;
  return { mine, running };
}

// ---------------------------------------------------------------------------
// /jams/:slug/reviews/new

/** The form to open a review on a challenge: its ideas to pick from, the departments, the default criteria. */
export async function newReviewPage(viewer: SessionUser, slug: string, challengeId: number) {
  if (!canManageReviews(viewer)) throw new NotFound("No such page.");
  const conn = db();
  const { challenge, jam } = await findVisibleChallenge(conn, viewer, challengeId, slug);
  const stages = sql<IdeaStage | null>`(SELECT stage FROM idea_stages s WHERE s.idea_id = ${ideas.id})`;
  const pickable = (await conn
    .select({ id: ideas.id, title: ideas.title, votes: ideas.voteCount, agrees: ideas.agreeCount, dots: ideas.dotCount, stage: stages })
    .from(ideas)
    .where(and(eq(ideas.challengeId, challenge.id), isNull(ideas.hiddenAt)))
    .orderBy(desc(ideas.id))
    .limit(MAX_PICKABLE)
    .all())
    .filter((i) => i.stage !== "selected")
    .map((i) => ({
      id: i.id,
      title: i.title,
      support: challenge.voteMode === "stance" ? i.agrees : challenge.voteMode === "dots" ? i.dots : i.votes,
      stage: STAGE_LABELS[i.stage ?? "submitted"],
    }));
  return {
    jam: { slug: jam.slug, title: jam.title },
    challenge: { id: challenge.id, title: challenge.title, voteMode: challenge.voteMode },
    ideas: pickable,
    departments: await conn.select({ id: departments.id, name: departments.name }).from(departments).where(isNull(departments.archivedAt)).orderBy(asc(departments.name)).all(),
    criteria: DEFAULT_CRITERIA,
  };
}

/** The reviews of a challenge, for its page (facilitators only; nobody else is told they exist). */
export async function challengeReviews(viewer: SessionUser, challengeId: number) {
  if (!canManageReviews(viewer)) return null;
  return await db()
    .select({ id: reviews.id, title: reviews.title, closedAt: reviews.closedAt })
    .from(reviews)
    .where(eq(reviews.challengeId, challengeId))
    .orderBy(desc(reviews.id))
    .limit(20)
    .all();
}

// ---------------------------------------------------------------------------
// /jams/:slug/reviews/:id

async function reviewerQueue(conn: Db, reviewId: number, reviewerId: number, showAuthors: boolean) {
  return (await conn
    .select({
      ideaId: ideas.id,
      title: ideas.title,
      isAnonymous: ideas.isAnonymous,
      authorName: users.name,
      authorErased: users.erasedAt,
      submittedAt: reviewAssignments.submittedAt,
    })
    .from(reviewAssignments)
    .innerJoin(ideas, eq(ideas.id, reviewAssignments.ideaId))
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(and(eq(reviewAssignments.reviewId, reviewId), eq(reviewAssignments.reviewerId, reviewerId), isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.id))
    .all())
    .map((r) => ({
      ideaId: r.ideaId,
      title: r.title,
      author: showAuthors && !r.isAnonymous ? personName(r.authorName, r.authorErased) : null,
      submittedAt: r.submittedAt,
    }));
}

/**
 * A review's page. Facilitators get everything (`manage`); a reviewer their own queue (`mine`);
 * anyone else: not found.
 */
export async function reviewPage(viewer: SessionUser, slug: string, reviewId: number) {
  const conn = db();
  const { review, jam, challenge } = await findReview(conn, viewer, reviewId, slug);
  const manages = canManageReviews(viewer);
  const queue = await reviewerQueue(conn, review.id, viewer.id, !review.blind);
  if (!manages && queue.length === 0) throw new NotFound("No such review.");
  const head = {
    review: { id: review.id, title: review.title, blind: review.blind, dueAt: review.dueAt === null ? null : dueEnd(review.dueAt), closedAt: review.closedAt, createdAt: review.createdAt },
    jam: { slug: jam.slug, title: jam.title },
    challenge: { id: challenge.id, title: challenge.title },
    criteria: await criteriaOf(conn, review.id),
    mine: queue,
  };
  return { ...head, manage: manages ? await manageView(conn, review.id) : null };
}

/** Everything a facilitator reads: progress and the ranked shortlist. */
async function manageView(conn: Db, reviewId: number) {
  const criteria = await criteriaOf(conn, reviewId);
  const ideaRows = await conn
    .select({ id: ideas.id, title: ideas.title, isAnonymous: ideas.isAnonymous, authorName: users.name, authorErased: users.erasedAt })
    .from(reviewIdeas)
    .innerJoin(ideas, eq(ideas.id, reviewIdeas.ideaId))
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(and(eq(reviewIdeas.reviewId, reviewId), isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.id))
    .all();
  const assignments = await conn
    .select({
      ideaId: reviewAssignments.ideaId,
      reviewerId: reviewAssignments.reviewerId,
      submittedAt: reviewAssignments.submittedAt,
      comment: reviewAssignments.comment,
      name: users.name,
      erasedAt: users.erasedAt,
    })
    .from(reviewAssignments)
    .innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
    .where(eq(reviewAssignments.reviewId, reviewId))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const visible = new Set(ideaRows.map((i) => i.id));
  const assigned = new Set(assignments.map((a) => `${a.ideaId}:${a.reviewerId}`));
  // Only the scores of reviewers still given the idea count.
  const scores = (await conn
    .select({ ideaId: reviewScores.ideaId, reviewerId: reviewScores.reviewerId, criterionId: reviewScores.criterionId, score: reviewScores.score })
    .from(reviewScores)
    .where(eq(reviewScores.reviewId, reviewId))
    .all())
    .filter((s) => visible.has(s.ideaId) && assigned.has(`${s.ideaId}:${s.reviewerId}`));
  const ranked = rankIdeas(ideaRows.map((i) => i.id), criteria, scores);
  const stages = await stagesOf(conn, ideaRows.map((i) => i.id));
  const byId = new Map(ideaRows.map((i) => [i.id, i]));
  const names = new Map(assignments.map((a) => [a.reviewerId, personName(a.name, a.erasedAt)]));
  const reminded = await remindedReviewers(conn, reviewId);

  const shortlist = ranked.map((r) => {
    const idea = byId.get(r.ideaId)!;
    const stage = stages.get(r.ideaId);
    const scoresOf = new Map(r.reviewers.map((x) => [x.reviewerId, x.score]));
    return {
      rank: r.rank,
      idea: { id: idea.id, title: idea.title, author: idea.isAnonymous ? null : personName(idea.authorName, idea.authorErased), isAnonymous: idea.isAnonymous },
      score: r.score,
      sd: r.sd,
      min: r.min,
      max: r.max,
      disagreed: r.disagreed,
      reviewers: assignments
        .filter((a) => a.ideaId === r.ideaId)
        .map((a) => ({ id: a.reviewerId, name: names.get(a.reviewerId)!, score: scoresOf.get(a.reviewerId) ?? null, comment: a.comment, submitted: a.submittedAt !== null })),
      stage: stage?.stage ?? "submitted",
      stageLabel: STAGE_LABELS[stage?.stage ?? "submitted"],
      reason: stage?.reason ?? null,
      actionId: stage?.actionId ?? null,
    };
  });

  const people = new Map<number, { id: number; name: string; assigned: number; submitted: number; reminded: boolean }>();
  for (const a of assignments) {
    if (!visible.has(a.ideaId)) continue;
    const p = people.get(a.reviewerId) ?? { id: a.reviewerId, name: names.get(a.reviewerId)!, assigned: 0, submitted: 0, reminded: reminded.has(a.reviewerId) };
    p.assigned += 1;
    if (a.submittedAt !== null) p.submitted += 1;
    people.set(a.reviewerId, p);
  }
  const byIdea = ideaRows.map((i) => ({
    ideaId: i.id,
    title: i.title,
    isAnonymous: i.isAnonymous,
    reviewers: assignments.filter((a) => a.ideaId === i.id).map((a) => ({ id: a.reviewerId, name: names.get(a.reviewerId)!, submitted: a.submittedAt !== null })),
  }));
  const submitted = assignments.filter((a) => visible.has(a.ideaId) && a.submittedAt !== null).length;
  const total = assignments.filter((a) => visible.has(a.ideaId)).length;
  return {
    shortlist,
    progress: { byReviewer: [...people.values()], byIdea, submitted, total },
    departments: await conn.select({ id: departments.id, name: departments.name }).from(departments).where(isNull(departments.archivedAt)).orderBy(asc(departments.name)).all(),
  };
}

// ---------------------------------------------------------------------------
// /jams/:slug/reviews/:id/ideas/:ideaId

/**
 * One idea to score, for a reviewer it was given to (anyone else: not found, facilitators
 * included: they read scores on the review's page). Others' scores and comments are in the data
 * only when the review is not blind, or once the viewer has submitted their own.
 */
export async function scoreIdeaPage(viewer: SessionUser, slug: string, reviewId: number, ideaId: number) {
  const conn = db();
  const { review, jam } = await findReview(conn, viewer, reviewId, slug);
  if (!Number.isInteger(ideaId) || ideaId <= 0) throw new NotFound("No such idea in this review.");
  const mine = await conn
    .select()
    .from(reviewAssignments)
    .where(and(eq(reviewAssignments.reviewId, review.id), eq(reviewAssignments.ideaId, ideaId), eq(reviewAssignments.reviewerId, viewer.id)))
    .get();
  if (!mine) throw new NotFound("No such idea in this review.");
  const row = await conn
    .select({ idea: ideas, authorName: users.name, authorErased: users.erasedAt })
    .from(ideas)
    .innerJoin(users, eq(users.id, ideas.authorId))
    .where(and(eq(ideas.id, ideaId), isNull(ideas.hiddenAt)))
    .get();
  if (!row) throw new NotFound("No such idea in this review.");
  const criteria = await criteriaOf(conn, review.id);
  const myScores = Object.fromEntries(
    (await conn
      .select({ criterionId: reviewScores.criterionId, score: reviewScores.score })
      .from(reviewScores)
      .where(and(eq(reviewScores.ideaId, ideaId), eq(reviewScores.reviewerId, viewer.id), eq(reviewScores.reviewId, review.id)))
      .all())
      .map((s) => [String(s.criterionId), s.score]),
  );
  const mayCompare = !review.blind || mine.submittedAt !== null;
  const others = mayCompare ? await othersScores(conn, review.id, ideaId, viewer.id) : null;
  const queue = (await reviewerQueue(conn, review.id, viewer.id, false)).map((q) => ({ ideaId: q.ideaId, title: q.title, submitted: q.submittedAt !== null }));
  return {
    review: { id: review.id, title: review.title, blind: review.blind, dueAt: review.dueAt === null ? null : dueEnd(review.dueAt), open: review.closedAt === null },
    jam: { slug: jam.slug, title: jam.title },
    idea: {
      id: row.idea.id,
      title: row.idea.title,
      body: row.idea.body,
      createdAt: row.idea.createdAt,
      author: review.blind || row.idea.isAnonymous ? null : personName(row.authorName, row.authorErased),
      isAnonymous: row.idea.isAnonymous,
    },
    criteria,
    mine: { scores: myScores, comment: mine.comment, submittedAt: mine.submittedAt },
    /** Null while hidden (blind review, not submitted yet). */
    others,
    queue,
  };
}

async function othersScores(conn: Db, reviewId: number, ideaId: number, viewerId: number) {
  const rows = await conn
    .select({ reviewerId: reviewAssignments.reviewerId, comment: reviewAssignments.comment, submittedAt: reviewAssignments.submittedAt, name: users.name, erasedAt: users.erasedAt })
    .from(reviewAssignments)
    .innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
    .where(and(eq(reviewAssignments.reviewId, reviewId), eq(reviewAssignments.ideaId, ideaId), sql`${reviewAssignments.reviewerId} <> ${viewerId}`))
    .orderBy(asc(users.name), asc(users.id))
    .all();
  const scores = await conn
    .select({ reviewerId: reviewScores.reviewerId, criterionId: reviewScores.criterionId, score: reviewScores.score })
    .from(reviewScores)
    .where(and(eq(reviewScores.reviewId, reviewId), eq(reviewScores.ideaId, ideaId)))
    .all();
  return rows.map((r) => ({
    name: personName(r.name, r.erasedAt),
    submitted: r.submittedAt !== null,
    comment: r.comment,
    scores: Object.fromEntries(scores.filter((s) => s.reviewerId === r.reviewerId).map((s) => [String(s.criterionId), s.score])),
  }));
}
