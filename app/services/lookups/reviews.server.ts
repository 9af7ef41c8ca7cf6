import { eq, inArray, and, notInArray } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import type { IdeaStage } from "~/domain/evaluation";
import { can } from "~/domain/permissions";
import { NotFound } from "~/services/errors";
import type { Db } from "~db/client";
import { type Review, type Jam, type Challenge, reviews, jams, challenges, ideas, ideaCoauthors, reviewReminders, reviewAssignments, reviewIdeas, ideaStages } from "~db/schema";

/** Facilitators (and admins) run reviews: open them, assign reviewers, read scores, decide. */
export function canManageReviews(viewer: Pick<SessionUser, "role">): boolean {
  return can(viewer.role, "manageJams");
}

/** The review with its jam and challenge, if the viewer may know of its jam (and, given a slug, it is that jam's). */
export async function findReview(conn: Db, viewer: Pick<SessionUser, "role">, reviewId: number, jamSlug?: string): Promise<{ review: Review; jam: Jam; challenge: Challenge }> {
  if (!Number.isInteger(reviewId) || reviewId <= 0) throw new NotFound("No such review.");
  const row = await conn
    .select({ review: reviews, jam: jams, challenge: challenges })
    .from(reviews)
    .innerJoin(jams, eq(jams.id, reviews.jamId))
    .innerJoin(challenges, eq(challenges.id, reviews.challengeId))
    .where(eq(reviews.id, reviewId))
    .get();
  if (!row || (row.jam.isDraft && !can(viewer.role, "seeDraftJams"))) throw new NotFound("No such review.");
  if (jamSlug !== undefined && row.jam.slug !== jamSlug) throw new NotFound("No such review.");
  return row;
}

/**
 * Who may not review each idea: its author and its co-authors (invited or accepted).
 * Never sent to a browser: for an anonymous idea it is who wrote it.
 */
export async function conflictsOf(conn: Db, ideaIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < ideaIds.length; i += 500) {
    const chunk = ideaIds.slice(i, i + 500);
    for (const r of await conn.select({ id: ideas.id, authorId: ideas.authorId }).from(ideas).where(inArray(ideas.id, chunk)).all()) {
      out.set(r.id, [r.authorId]);
    }
    // Co-authors (invited or accepted) write the idea too: they never review it.
    for (const c of await conn.select({ ideaId: ideaCoauthors.ideaId, userId: ideaCoauthors.userId }).from(ideaCoauthors).where(inArray(ideaCoauthors.ideaId, chunk)).all()) {
      out.get(c.ideaId)?.push(c.userId);
    }
  }
  return out;
}

/** The reviewers already reminded, per review (for the progress view). */
export async function remindedReviewers(conn: Db, reviewId: number): Promise<Set<number>> {
  return new Set(
    (await conn
      .select({ id: reviewReminders.reviewerId })
      .from(reviewReminders)
      .where(eq(reviewReminders.reviewId, reviewId))
      .all())
      .map((r) => r.id),
  );
}

/** Used by tests and the seed: ideas of the review nobody has been given yet. */
export async function unstaffedIdeas(conn: Db, reviewId: number): Promise<number[]> {
  const staffed = conn.select({ id: reviewAssignments.ideaId }).from(reviewAssignments).where(eq(reviewAssignments.reviewId, reviewId));
  return (await conn
    .select({ id: reviewIdeas.ideaId })
    .from(reviewIdeas)
    .where(and(eq(reviewIdeas.reviewId, reviewId), notInArray(reviewIdeas.ideaId, staffed)))
    .all())
    .map((r) => r.id);
}

/** The stage of each idea (no row: submitted). */
export async function stagesOf(conn: Db, ideaIds: number[]): Promise<Map<number, { stage: IdeaStage; reason: string | null; actionId: number | null }>> {
  const out = new Map<number, { stage: IdeaStage; reason: string | null; actionId: number | null }>();
  for (let i = 0; i < ideaIds.length; i += 500) {
    for (const r of await conn
      .select({ ideaId: ideaStages.ideaId, stage: ideaStages.stage, reason: ideaStages.reason, actionId: ideaStages.actionId })
      .from(ideaStages)
      .where(inArray(ideaStages.ideaId, ideaIds.slice(i, i + 500)))
      .all()) {
      out.set(r.ideaId, { stage: r.stage, reason: r.reason, actionId: r.actionId });
    }
  }
  return out;
}
