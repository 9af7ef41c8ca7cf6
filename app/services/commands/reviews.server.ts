/**
 * Evaluation commands: a facilitator opens a review on a challenge's ideas (criteria with weights,
 * reviewers by hand, by department or round-robin from a list of people, optionally blind, with a
 * due date), reviewers score the ideas given to them, and the facilitator decides each idea's stage
 * (shortlisted, selected, not selected); a selected idea becomes a follow-up action in the same
 * step. Authors hear about each stage of their ideas; reviewers who have not finished are reminded
 * once before the due date by the background round. Rules: app/domain/evaluation.ts; page data:
 * pages/reviews.server.ts; why: docs/decisions/027-evaluation-and-stages.md.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { parseDueDate } from "~/domain/actions";
import {
  assignFromPool,
  canMoveTo,
  CRITERION_HINT_MAX,
  CRITERION_NAME_MAX,
  DECISIONS,
  DUE_DAY_MS,
  dueEnd,
  MAX_CRITERIA,
  MAX_POOL,
  MAX_REVIEW_IDEAS,
  MAX_REVIEWERS_PER_IDEA,
  REASON_MAX,
  reminderDue,
  REMIND_BEFORE_MS,
  REVIEW_COMMENT_MAX,
  SCORE_MAX,
  SCORE_MIN,
  STAGE_LABELS,
  STAGES_THAT_EARN,
  stageNotice,
  WEIGHT_MAX,
  WEIGHT_MIN,
  type IdeaStage,
} from "~/domain/evaluation";
import { readableText } from "~/domain/text";
import { RANKING_COUNTER } from "~/domain/vote-modes";
import { ideaStageMail, privateNewsMail, reviewReminderMail } from "~/mail/messages";
import { queueMail } from "~/mail/outbox.server";
import { db, transaction, type Db } from "~db/client";
import {
  ideas,
  ideaStages,
  jams,
  reviewAssignments,
  reviewCriteria,
  reviewIdeas,
  reviewReminders,
  reviews,
  reviewScores,
  users,
  type Challenge,
  type Idea,
  type Jam,
  type Review,
} from "~db/schema";
import { createAction } from "~/services/commands/actions.server";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Forbidden, Invalid, NotFound, validate } from "~/services/errors";
import { award, recomputeBadges } from "~/services/effects/gamification.server";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { mailContext, privateKey } from "~/services/lookups/mail.server";
import { notify, notifyGrouped, type Notice } from "~/services/effects/notifications.server";
import { canManageReviews, conflictsOf, findReview } from "~/services/lookups/reviews.server";

export interface Meta {
  ip: string | null;
  now?: number;
}

function assertCanManage(actor: SessionUser) {
  if (!canManageReviews(actor)) throw new Forbidden("Only facilitators can run reviews.");
}

// ---------------------------------------------------------------------------
// Opening a review

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

const box = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

const Criterion = z.object({
  name: readableText(
    z
      .string({ error: "Name the criterion." })
      .trim()
      .min(1, "Name the criterion.")
      .max(CRITERION_NAME_MAX, `Keep a criterion's name to ${CRITERION_NAME_MAX} characters or fewer.`),
  ),
  description: readableText(z.string().trim().max(CRITERION_HINT_MAX, `Keep a criterion's hint to ${CRITERION_HINT_MAX} characters or fewer.`))
    .optional()
    .default(""),
  weight: z.coerce
    .number({ error: `Give a weight from ${WEIGHT_MIN} to ${WEIGHT_MAX}.` })
    .int(`Give a weight from ${WEIGHT_MIN} to ${WEIGHT_MAX}.`)
    .min(WEIGHT_MIN, `Give a weight from ${WEIGHT_MIN} to ${WEIGHT_MAX}.`)
    .max(WEIGHT_MAX, `Give a weight from ${WEIGHT_MIN} to ${WEIGHT_MAX}.`),
});

export const ASSIGN_MODES = ["hand", "department", "people"] as const;

export type AssignMode = (typeof ASSIGN_MODES)[number];

const AssignInput = z
  .object({
    assign: z.enum(ASSIGN_MODES, { error: "Choose how reviewers are assigned." }),
    departmentId: z.preprocess(blank, z.coerce.number().int().positive().optional()),
    /** E-mail addresses, one a line (or separated by commas or spaces). */
    reviewers: z.string().max(20_000, "That list is too long.").optional().default(""),
    perIdea: z.preprocess(
      blank,
      z.coerce
        .number({ error: `Give a number of reviewers per idea from 1 to ${MAX_REVIEWERS_PER_IDEA}.` })
        .int(`Give a number of reviewers per idea from 1 to ${MAX_REVIEWERS_PER_IDEA}.`)
        .min(1, `Give a number of reviewers per idea from 1 to ${MAX_REVIEWERS_PER_IDEA}.`)
        .max(MAX_REVIEWERS_PER_IDEA, `Give a number of reviewers per idea from 1 to ${MAX_REVIEWERS_PER_IDEA}.`)
        .default(2),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.assign === "department" && v.departmentId === undefined) ctx.addIssue({ code: "custom", path: ["departmentId"], message: "Choose a department." });
    if (v.assign === "people" && v.reviewers.trim() === "") ctx.addIssue({ code: "custom", path: ["reviewers"], message: "List the reviewers' e-mail addresses." });
  });

export const REVIEW_SCOPES = ["all", "top", "shortlisted", "picked"] as const;

export const OpenReviewInput = z
  .object({
    challengeId: z.coerce.number().int().positive(),
    title: readableText(z.string({ error: "Give the review a title." }).trim().min(1, "Give the review a title.").max(120, "Keep the title to 120 characters or fewer.")),
    scope: z.enum(REVIEW_SCOPES, { error: "Choose which ideas to review." }),
    topN: z.preprocess(
      blank,
      z.coerce
        .number({ error: `Give a number from 1 to ${MAX_REVIEW_IDEAS}.` })
        .int(`Give a number from 1 to ${MAX_REVIEW_IDEAS}.`)
        .min(1, `Give a number from 1 to ${MAX_REVIEW_IDEAS}.`)
        .max(MAX_REVIEW_IDEAS, `Give a number from 1 to ${MAX_REVIEW_IDEAS}.`)
        .optional(),
    ),
    picked: z.array(z.coerce.number().int().positive()).max(MAX_REVIEW_IDEAS, `Pick at most ${MAX_REVIEW_IDEAS} ideas.`).optional().default([]),
    criteria: z.array(Criterion).min(1, "Keep at least one criterion.").max(MAX_CRITERIA, `Use at most ${MAX_CRITERIA} criteria.`),
    blind: box,
    dueDate: z.unknown().transform((value, ctx) => {
      const at = parseDueDate(value);
      if (at === undefined) {
        ctx.addIssue({ code: "custom", message: "Enter a date, like 2030-06-30." });
        return z.NEVER;
      }
      return at;
    }),
  })
  .and(AssignInput)
  .superRefine((v, ctx) => {
    if (v.scope === "top" && v.topN === undefined) ctx.addIssue({ code: "custom", path: ["topN"], message: "How many of the most supported ideas?" });
    if (v.scope === "picked" && v.picked.length === 0) ctx.addIssue({ code: "custom", path: ["picked"], message: "Pick the ideas to review." });
    const names = v.criteria.map((c) => c.name.toLowerCase());
    if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", path: ["criteria"], message: "Give each criterion its own name." });
  });

/** The ideas a new review covers: visible ideas of the challenge not already selected. */
async function ideasInScope(conn: Db, challenge: Challenge, data: z.output<typeof OpenReviewInput>): Promise<Idea[]> {
  const notSelected = sql`${ideas.id} NOT IN (SELECT idea_id FROM idea_stages WHERE stage = 'selected')`;
  const visible = and(eq(ideas.challengeId, challenge.id), isNull(ideas.hiddenAt), notSelected);
  switch (data.scope) {
    case "all":
      return await conn.select().from(ideas).where(visible).orderBy(asc(ideas.id)).limit(MAX_REVIEW_IDEAS).all();
    case "top": {
      const counter = ideas[RANKING_COUNTER[challenge.voteMode]];
      return await conn.select().from(ideas).where(visible).orderBy(desc(counter), asc(ideas.id)).limit(data.topN!).all();
    }
    case "shortlisted":
      return await conn
        .select()
        .from(ideas)
        .where(and(visible, sql`${ideas.id} IN (SELECT idea_id FROM idea_stages WHERE stage = 'shortlisted')`))
        .orderBy(asc(ideas.id))
        .limit(MAX_REVIEW_IDEAS)
        .all();
    case "picked":
      return await conn.select().from(ideas).where(and(visible, inArray(ideas.id, data.picked))).orderBy(asc(ideas.id)).all();
  }
}

/** People who can review: active accounts, not erased. */
async function activePeople(conn: Db, condition: ReturnType<typeof eq>) {
  return await conn
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(condition, isNull(users.erasedAt), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id))
    .limit(MAX_POOL + 1)
    .all();
}

/** The reviewers a pool names: a department's active members, or a list of addresses (unknown ones refused). */
async function poolOf(conn: Db, input: z.output<typeof AssignInput>): Promise<number[]> {
  if (input.assign === "department") {
    const people = await activePeople(conn, eq(users.departmentId, input.departmentId!));
    if (people.length === 0) throw new Invalid({ departmentId: ["Nobody active is in that department."] });
    if (people.length > MAX_POOL) throw new Invalid({ departmentId: [`That department is larger than ${MAX_POOL} people: list the reviewers instead.`] });
    return people.map((p) => p.id);
  }
  if (input.assign === "people") {
    const emails = [...new Set(input.reviewers.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
    if (emails.length > MAX_POOL) throw new Invalid({ reviewers: [`List at most ${MAX_POOL} reviewers.`] });
    const found = emails.length === 0 ? [] : await activePeople(conn, inArray(sql`lower(${users.email})`, emails));
    const known = new Set(found.map((p) => p.email.toLowerCase()));
    const unknown = emails.filter((e) => !known.has(e));
    if (unknown.length > 0) throw new Invalid({ reviewers: [`No active account has the address ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`] });
    const byEmail = new Map(found.map((p) => [p.email.toLowerCase(), p.id]));
    return emails.map((e) => byEmail.get(e)!);
  }
  return [];
}

/** Writes assignments (a pair already there is kept) and tells each new reviewer how many ideas they have. */
async function writeAssignments(tx: Db, actor: SessionUser, review: Review, jam: Jam, pairs: { ideaId: number; reviewerId: number }[], now: number): Promise<number> {
  let added = 0;
  const reviewersTold = new Set<number>();
  for (const p of pairs) {
    const written = await tx
      .insert(reviewAssignments)
      .values({ reviewId: review.id, ideaId: p.ideaId, reviewerId: p.reviewerId, assignedBy: actor.id, assignedAt: now })
      .onConflictDoNothing()
      .run();
    if (written.changes > 0) {
      added += 1;
      reviewersTold.add(p.reviewerId);
    }
  }
  if (reviewersTold.size > 0) {
    const totals = await tx
      .select({ reviewerId: reviewAssignments.reviewerId, n: sql<number>`count(*)` })
      .from(reviewAssignments)
      .where(and(eq(reviewAssignments.reviewId, review.id), inArray(reviewAssignments.reviewerId, [...reviewersTold])))
      .groupBy(reviewAssignments.reviewerId)
      .all();
    await notifyGrouped(
      tx,
      totals.map((t) => ({
        userId: t.reviewerId,
        kind: "reviews" as const,
        dedupeKey: `review:${review.id}:assigned`,
        jamId: jam.id,
        count: t.n,
        render: (n: number) => ({
          body: `You are asked to review ${n === 1 ? "1 idea" : `${n} ideas`} in “${review.title}”`,
          link: `/jams/${jam.slug}/reviews/${review.id}`,
        }),
      })),
      now,
    );
    await recordAudit(tx, { action: "reviewers_assigned", actorId: actor.id, subject: `review:${review.id}`, at: now, detail: { assignments: added, reviewers: reviewersTold.size } });
  }
  return added;
}

/** How many ideas of the review each reviewer has now (their load, for balancing). */
async function loadOf(tx: Db, reviewId: number): Promise<Map<number, number>> {
  return new Map(
    (await tx
      .select({ reviewerId: reviewAssignments.reviewerId, n: sql<number>`count(*)` })
      .from(reviewAssignments)
      .where(eq(reviewAssignments.reviewId, reviewId))
      .groupBy(reviewAssignments.reviewerId)
      .all())
      .map((r) => [r.reviewerId, r.n]),
  );
}

/** Round-robin from a pool over every idea of the review (visible ones), topping each up to `perIdea`. */
async function assignPool(tx: Db, actor: SessionUser, review: Review, jam: Jam, pool: number[], perIdea: number, now: number) {
  const ideaRows = await reviewIdeaRows(tx, review.id);
  const conflicts = await conflictsOf(tx, ideaRows.map((i) => i.id));
  const assigned = new Map<number, number[]>();
  for (const a of await tx
    .select({ ideaId: reviewAssignments.ideaId, reviewerId: reviewAssignments.reviewerId })
    .from(reviewAssignments)
    .where(eq(reviewAssignments.reviewId, review.id))
    .all()) {
    assigned.set(a.ideaId, [...(assigned.get(a.ideaId) ?? []), a.reviewerId]);
  }
  const plan = assignFromPool(
    ideaRows.map((i) => ({ id: i.id, conflicts: conflicts.get(i.id) ?? [], assigned: assigned.get(i.id) ?? [] })),
    pool,
    perIdea,
    await loadOf(tx, review.id),
  );
  const added = await writeAssignments(tx, actor, review, jam, plan.assignments, now);
  return { added, short: plan.short.length };
}

/** The review's visible ideas, oldest first. */
async function reviewIdeaRows(conn: Db, reviewId: number): Promise<Idea[]> {
  return (await conn
    .select({ idea: ideas })
    .from(reviewIdeas)
    .innerJoin(ideas, eq(ideas.id, reviewIdeas.ideaId))
    .where(and(eq(reviewIdeas.reviewId, reviewId), isNull(ideas.hiddenAt)))
    .orderBy(asc(ideas.id))
    .all())
    .map((r) => r.idea);
}

/**
 * Opens a review: its criteria, its ideas (each submitted one moves to "in review" and its author
 * is told), and reviewers from a department or a list (round-robin, balanced), or none yet (by hand).
 */
export async function openReview(actor: SessionUser, input: unknown, meta: Meta = { ip: null }) {
  assertCanManage(actor);
  const data = validate(OpenReviewInput, input);
  const now = meta.now ?? Date.now();
  if (data.dueDate !== null && dueEnd(data.dueDate) <= now) throw new Invalid({ dueDate: ["Choose a day from today on."] });
  return await transaction(async (tx) => {
    const { challenge, jam } = await findVisibleChallenge(tx, actor, data.challengeId);
    const pool = await poolOf(tx, data);
    const scope = await ideasInScope(tx, challenge, data);
    if (scope.length === 0) throw new Invalid({ scope: ["No visible idea of this challenge matches: nothing to review."] });
    const review = await tx
      .insert(reviews)
      .values({ jamId: jam.id, challengeId: challenge.id, title: data.title, blind: data.blind, dueAt: data.dueDate, createdBy: actor.id, createdAt: now })
      .returning()
      .get();
    await tx.insert(reviewCriteria)
      .values(data.criteria.map((c, position) => ({ reviewId: review.id, name: c.name, description: c.description, weight: c.weight, position })))
      .run();
    for (let i = 0; i < scope.length; i += 300) {
      await tx.insert(reviewIdeas)
        .values(scope.slice(i, i + 300).map((idea) => ({ reviewId: review.id, ideaId: idea.id, addedAt: now })))
        .run();
    }
    // Submitted ideas go into review; an idea already shortlisted (an earlier round) stays shortlisted.
    const moved: Idea[] = [];
    for (const idea of scope) {
      const written = await tx
        .insert(ideaStages)
        .values({ ideaId: idea.id, stage: "in_review", reviewId: review.id, changedBy: actor.id, changedAt: now })
        .onConflictDoNothing()
        .run();
      if (written.changes > 0) moved.push(idea);
    }
    await tellAuthors(tx, moved, "in_review", { review, jam, reason: null, now });
    await recordAudit(tx, {
        action: "review_opened",
        actorId: actor.id,
        subject: `review:${review.id}`,
        ip: meta.ip,
        at: now,
        detail: { jamId: jam.id, challengeId: challenge.id, ideas: scope.length, criteria: data.criteria.length, blind: data.blind, assign: data.assign },
      });
    const assigned = pool.length > 0 ? await assignPool(tx, actor, review, jam, pool, data.perIdea, now) : { added: 0, short: 0 };
    return { id: review.id, title: review.title, jamSlug: jam.slug, ideas: scope.length, ...assigned };
  });
}

/** Adds reviewers to an open review from a department or a list, round-robin, topping each idea up to `perIdea`. */
export async function assignReviewers(actor: SessionUser, reviewId: number, input: unknown, meta: Meta = { ip: null }) {
  assertCanManage(actor);
  const data = validate(AssignInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { review, jam } = await findReview(tx, actor, reviewId);
    assertOpen(review);
    if (data.assign === "hand") throw new Invalid({ assign: ["Assign by hand on each idea below."] });
    return await assignPool(tx, actor, review, jam, await poolOf(tx, data), data.perIdea, now);
  });
}

export const AssignOneInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  email: z.string({ error: "Enter the reviewer's e-mail address." }).trim().toLowerCase().min(1, "Enter the reviewer's e-mail address.").max(320),
});

/**
 * Gives one idea to one reviewer by hand. Never its author; and never on an anonymous idea (refusing
 * its author would tell the facilitator who wrote it: anonymous ideas get reviewers from a pool).
 */
export async function assignReviewerByHand(actor: SessionUser, reviewId: number, input: unknown, meta: Meta = { ip: null }) {
  assertCanManage(actor);
  const data = validate(AssignOneInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { review, jam } = await findReview(tx, actor, reviewId);
    assertOpen(review);
    const idea = await reviewIdea(tx, review.id, data.ideaId);
    if (idea.isAnonymous) {
      throw new Invalid({ email: ["An anonymous idea gets its reviewers from a department or a list, so nobody learns who wrote it."] });
    }
    const person = (await activePeople(tx, eq(sql`lower(${users.email})`, data.email)))[0];
    if (!person) throw new Invalid({ email: ["No active account has this address."] });
    if (((await conflictsOf(tx, [idea.id])).get(idea.id) ?? []).includes(person.id)) throw new Invalid({ email: ["An idea's author cannot review it."] });
    const added = await writeAssignments(tx, actor, review, jam, [{ ideaId: idea.id, reviewerId: person.id }], now);
    if (added === 0) throw new Invalid({ email: ["This person already reviews this idea."] });
    return { added };
  });
}

/** Closes a review: no more scoring. Closing twice changes nothing. */
export async function closeReview(actor: SessionUser, reviewId: number, meta: Meta = { ip: null }) {
  assertCanManage(actor);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { review } = await findReview(tx, actor, reviewId);
    const closed = (await tx.update(reviews).set({ closedAt: now }).where(and(eq(reviews.id, review.id), isNull(reviews.closedAt))).run()).changes > 0;
    if (closed) await recordAudit(tx, { action: "review_closed", actorId: actor.id, subject: `review:${review.id}`, ip: meta.ip, at: now });
    return { closed };
  });
}

function assertOpen(review: Review) {
  if (review.closedAt !== null) throw new Conflict("This review is closed.");
}

/** A visible idea of the review, else not found. */
async function reviewIdea(conn: Db, reviewId: number, ideaId: number): Promise<Idea> {
  const row = await conn
    .select({ idea: ideas })
    .from(reviewIdeas)
    .innerJoin(ideas, eq(ideas.id, reviewIdeas.ideaId))
    .where(and(eq(reviewIdeas.reviewId, reviewId), eq(reviewIdeas.ideaId, ideaId), isNull(ideas.hiddenAt)))
    .get();
  if (!row) throw new NotFound("No such idea in this review.");
  return row.idea;
}

// ---------------------------------------------------------------------------
// Scoring

const ScoreValue = z.preprocess(
  blank,
  z.coerce
    .number({ error: `Score from ${SCORE_MIN} to ${SCORE_MAX}.` })
    .int(`Score from ${SCORE_MIN} to ${SCORE_MAX}.`)
    .min(SCORE_MIN, `Score from ${SCORE_MIN} to ${SCORE_MAX}.`)
    .max(SCORE_MAX, `Score from ${SCORE_MIN} to ${SCORE_MAX}.`)
    .optional(),
);

export const SubmitScoresInput = z.object({
  /** Criterion id to score; a blank (or absent) criterion is one the reviewer cannot judge. */
  scores: z.record(z.string().regex(/^\d{1,12}$/, "No such criterion."), ScoreValue),
  comment: readableText(z.string().trim().max(REVIEW_COMMENT_MAX, `Keep the comment to ${REVIEW_COMMENT_MAX.toLocaleString("en")} characters or fewer.`), {
    multiline: true,
  })
    .optional()
    .default(""),
});

/**
 * A reviewer submits their scores of one idea given to them (again, to change them: the last
 * submission wins, one score per criterion). Only the criteria of this review, 1 to 5; a criterion
 * left blank has no score (the weights are renormalised over the others). At least one scored.
 */
export async function submitScores(actor: SessionUser, reviewId: number, ideaId: number, input: unknown, meta: Meta = { ip: null }) {
  const data = validate(SubmitScoresInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { review } = await findReview(tx, actor, reviewId);
    const assignment = await tx
      .select()
      .from(reviewAssignments)
      .where(and(eq(reviewAssignments.reviewId, review.id), eq(reviewAssignments.ideaId, ideaId), eq(reviewAssignments.reviewerId, actor.id)))
      .get();
    // Not given to them: not found, as if the idea were not in the review.
    if (!assignment) throw new NotFound("No such idea in this review.");
    const idea = await reviewIdea(tx, review.id, ideaId);
    if (((await conflictsOf(tx, [idea.id])).get(idea.id) ?? []).includes(actor.id)) throw new Forbidden("You cannot review your own idea.");
    assertOpen(review);
    const criteria = await tx.select({ id: reviewCriteria.id }).from(reviewCriteria).where(eq(reviewCriteria.reviewId, review.id)).all();
    const known = new Set(criteria.map((c) => c.id));
    const unknown = Object.keys(data.scores).filter((k) => !known.has(Number(k)));
    if (unknown.length > 0) throw new Invalid({ form: ["No such criterion in this review."] });
    const scored = criteria.filter((c) => data.scores[String(c.id)] !== undefined);
    if (scored.length === 0) throw new Invalid({ form: ["Score at least one criterion."] });
    for (const c of criteria) {
      const score = data.scores[String(c.id)];
      const key = and(eq(reviewScores.criterionId, c.id), eq(reviewScores.ideaId, idea.id), eq(reviewScores.reviewerId, actor.id));
      if (score === undefined) {
        await tx.delete(reviewScores).where(key).run();
        continue;
      }
      await tx.insert(reviewScores)
        .values({ reviewId: review.id, ideaId: idea.id, reviewerId: actor.id, criterionId: c.id, score, updatedAt: now })
        .onConflictDoUpdate({ target: [reviewScores.criterionId, reviewScores.ideaId, reviewScores.reviewerId], set: { score, updatedAt: now } })
        .run();
    }
    await tx.update(reviewAssignments)
      .set({ comment: data.comment, submittedAt: now })
      .where(and(eq(reviewAssignments.reviewId, review.id), eq(reviewAssignments.ideaId, idea.id), eq(reviewAssignments.reviewerId, actor.id)))
      .run();
    const next = await tx
      .select({ ideaId: reviewAssignments.ideaId })
      .from(reviewAssignments)
      .innerJoin(ideas, eq(ideas.id, reviewAssignments.ideaId))
      .where(
        and(eq(reviewAssignments.reviewId, review.id), eq(reviewAssignments.reviewerId, actor.id), isNull(reviewAssignments.submittedAt), isNull(ideas.hiddenAt)),
      )
      .orderBy(asc(reviewAssignments.ideaId))
      .get();
    return { scored: scored.length, nextIdeaId: next?.ideaId ?? null };
  });
}

// ---------------------------------------------------------------------------
// Deciding

export const DecideInput = z
  .object({
    ideaId: z.coerce.number().int().positive(),
    decision: z.enum(DECISIONS, { error: "Choose shortlisted, selected or not selected." }),
    reason: readableText(z.string().trim().max(REASON_MAX, `Keep the reason to ${REASON_MAX.toLocaleString("en")} characters or fewer.`), { multiline: true })
      .optional()
      .default(""),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "not_selected" && v.reason === "") {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why it is not selected: its author will read this." });
    }
  });

/**
 * Moves an idea of the review to a stage. Selecting it also makes it a follow-up action (approved,
 * owned by the facilitator) in the same transaction; selecting it again (a double click, another
 * process) finds it selected and creates nothing. The author hears about it and earns the stage's
 * points (once per stage; never for an anonymous idea).
 */
export async function decideIdea(actor: SessionUser, reviewId: number, input: unknown, meta: Meta = { ip: null }) {
  assertCanManage(actor);
  const data = validate(DecideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { review, jam } = await findReview(tx, actor, reviewId);
    const idea = await reviewIdea(tx, review.id, data.ideaId);
    const current = await tx.select().from(ideaStages).where(eq(ideaStages.ideaId, idea.id)).get();
    const from: IdeaStage = current?.stage ?? "submitted";
    if (from === data.decision) return { stage: from, changed: false, actionId: current?.actionId ?? null };
    if (!canMoveTo(from, data.decision)) {
      throw new Conflict(`This idea is already ${STAGE_LABELS[from].toLowerCase()}: it cannot become ${STAGE_LABELS[data.decision].toLowerCase()}.`);
    }
    let actionId: number | null = current?.actionId ?? null;
    if (data.decision === "selected") {
      const action = await createAction(
        actor,
        { ideaId: idea.id, title: idea.title, description: `Selected in the review “${review.title}”.`, ownerId: actor.id, status: "approved" },
        { ip: meta.ip, now },
      );
      actionId = action.id;
    }
    const reason = data.decision === "not_selected" ? data.reason : null;
    const values = { stage: data.decision, reason, reviewId: review.id, actionId, changedBy: actor.id, changedAt: now };
    const written = await tx
      .insert(ideaStages)
      .values({ ideaId: idea.id, ...values })
      .onConflictDoUpdate({ target: ideaStages.ideaId, set: values, setWhere: eq(ideaStages.stage, from) })
      .run();
    if (written.changes === 0) throw new Conflict("Someone decided about this idea meanwhile. Reload and try again.");
    await tellAuthors(tx, [idea], data.decision, { review, jam, reason, now });
    const reasonKey = data.decision in STAGES_THAT_EARN ? STAGES_THAT_EARN[data.decision as keyof typeof STAGES_THAT_EARN] : null;
    if (reasonKey) {
      const points = await award(tx, {
        earnerId: idea.authorId,
        actorId: actor.id,
        jam,
        reason: reasonKey,
        source: `${data.decision}:${idea.id}`,
        subject: `idea:${idea.id}`,
        anonymous: idea.isAnonymous,
        now,
      });
      if (points > 0) await recomputeBadges(tx, [idea.authorId], now);
    }
    await recordAudit(tx, { action: "idea_stage_changed", actorId: actor.id, subject: `idea:${idea.id}`, ip: meta.ip, at: now, detail: { reviewId: review.id, from, to: data.decision, actionId } });
    return { stage: data.decision, changed: true, actionId };
  });
}

/**
 * Tells each idea's author its new stage: in-app always (as they chose), and by e-mail for a
 * decision (shortlisted, selected, not selected). An anonymous idea's author is told privately:
 * the notification is theirs alone, and the e-mail names neither idea nor review.
 */
async function tellAuthors(tx: Db, list: Idea[], stage: IdeaStage, ctx: { review: Review; jam: Jam; reason: string | null; now: number }) {
  if (list.length === 0 || ctx.jam.isDraft) return;
  const notices: Notice[] = list.map((idea) => ({
    userId: idea.authorId,
    kind: "stages",
    body: stageNotice({ stage, ideaTitle: idea.title, reviewTitle: ctx.review.title, reason: ctx.reason, anonymous: idea.isAnonymous }),
    link: `/jams/${ctx.jam.slug}/ideas/${idea.id}`,
    dedupeKey: `stage:${idea.id}:${stage}`,
    jamId: ctx.jam.id,
    ideaId: idea.id,
  }));
  await notify(tx, notices, ctx.now);
  if (stage === "in_review") return;
  const context = mailContext();
  const names = new Map(
    (await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [...new Set(list.map((i) => i.authorId))]))
      .all())
      .map((u) => [u.id, u.name]),
  );
  for (const idea of list) {
    const recipient = { name: names.get(idea.authorId) ?? "" };
    if (idea.isAnonymous) {
      await queueMail(tx, { userId: idea.authorId, kind: "idea_stage", ...privateNewsMail({ recipient }, context), dedupeKey: await privateKey(tx, "stage", idea.id, stage, idea.authorId) }, ctx.now);
    } else {
      const mail = ideaStageMail({ idea, jam: ctx.jam, review: ctx.review, stage, reason: ctx.reason, recipient }, context);
      await queueMail(tx, { userId: idea.authorId, kind: "idea_stage", ...mail, dedupeKey: `stage:${idea.id}:${stage}`, jamId: ctx.jam.id }, ctx.now);
    }
  }
}

// ---------------------------------------------------------------------------
// Reminders (the background round)

/**
 * Reminds each reviewer of an open review who has ideas left to score, once, from a day before the
 * due date ends: a notification and an e-mail. The reminder row is written first (its key is the
 * review and the reviewer), so two processes running this at once remind each person once.
 */
export async function sendReviewReminders(now = Date.now()): Promise<number> {
  const conn = db();
  const due = (await conn
    .select({ id: reviews.id, dueAt: reviews.dueAt })
    .from(reviews)
    .innerJoin(jams, eq(jams.id, reviews.jamId))
    // Indexed: open reviews with a due date (reviews_open_due_idx); the rule itself is reminderDue.
    .where(and(isNull(reviews.closedAt), sql`${reviews.dueAt} IS NOT NULL`, sql`${reviews.dueAt} <= ${now - DUE_DAY_MS + REMIND_BEFORE_MS}`, eq(jams.isDraft, false)))
    .all())
    .filter((r) => reminderDue(r.dueAt, now));
  let sent = 0;
  for (const { id } of due) sent += await transaction(async (tx) => await remindReviewers(tx, id, now));
  return sent;
}

async function remindReviewers(tx: Db, reviewId: number, now: number): Promise<number> {
  const row = await tx.select({ review: reviews, jam: jams }).from(reviews).innerJoin(jams, eq(jams.id, reviews.jamId)).where(eq(reviews.id, reviewId)).get();
  if (!row || row.review.closedAt !== null || row.review.dueAt === null) return 0;
  const { review, jam } = row;
  const dueAt = row.review.dueAt;
  const left = await tx
    .select({ reviewerId: reviewAssignments.reviewerId, n: sql<number>`count(*)`, name: users.name })
    .from(reviewAssignments)
    .innerJoin(ideas, eq(ideas.id, reviewAssignments.ideaId))
    .innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
    .where(and(eq(reviewAssignments.reviewId, review.id), isNull(reviewAssignments.submittedAt), isNull(ideas.hiddenAt), isNull(users.erasedAt)))
    .groupBy(reviewAssignments.reviewerId, users.id)
    .all();
  const context = mailContext();
  let sent = 0;
  for (const r of left) {
    const claimed = await tx.insert(reviewReminders).values({ reviewId: review.id, reviewerId: r.reviewerId, sentAt: now }).onConflictDoNothing().run();
    if (claimed.changes === 0) continue;
    sent += 1;
    await notify(
      tx,
      [
        {
          userId: r.reviewerId,
          kind: "reviews",
          body: `Reminder: ${r.n === 1 ? "1 idea" : `${r.n} ideas`} left to score in “${review.title}”, due soon`,
          link: `/jams/${jam.slug}/reviews/${review.id}`,
          dedupeKey: `review:${review.id}:reminder`,
          jamId: jam.id,
        },
      ],
      now,
    );
    const mail = reviewReminderMail({ review: { id: review.id, title: review.title, dueAt: dueEnd(dueAt) }, jam, left: r.n, recipient: { name: r.name } }, context);
    await queueMail(tx, { userId: r.reviewerId, kind: "review_reminder", ...mail, dedupeKey: `review:${review.id}:reminder`, jamId: jam.id }, now);
  }
  return sent;
}
