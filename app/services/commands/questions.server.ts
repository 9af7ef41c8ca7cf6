/**
 * "Ask the people who know": a person asks a question; it is routed to the people whose NAMED
 * contributions on its words drew the most support (from other departments most of all) and whose
 * earlier answers on such questions were accepted; each is told and may pass it on to the next in
 * line. Anyone signed in answers, in threads; the asker accepts one answer. Answering earns points
 * outside any jam and counts toward the Expert badge. A question nobody answers goes to the
 * facilitators after a set time, once.
 *
 * Privacy rules, applied in the SQL itself:
 * - an anonymous idea never makes its author a candidate, and support on it counts for nobody;
 * - people who opted out of rankings (decision 011) or of being asked, deactivated or erased
 *   people, and the asker are never routed to;
 * - only the people actually asked are ever named to the asker; those waiting in line are never
 *   shown to anyone, so the routing tells nothing beyond what named ideas already show.
 *
 * Every function takes the connection or transaction first (decision 021); the entry points that
 * routes call are at the end of this file (commands) and in pages/questions.server.ts (pages).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { ASKED_AT_ONCE, type CandidateFacts } from "~/domain/questions";
import { readableText } from "~/domain/text";
import { questionAskedMail } from "~/mail/messages";
import { queueMail } from "~/mail/outbox.server";
import { transaction, type Db } from "~db/client";
import { answers, questionFlags, questionOptOuts, questionRoutes, questions, users, type Community } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { communityToPostIn, readableCommunitySql } from "~/services/lookups/community-access.server";
import { Conflict, Forbidden, Invalid, NotFound, validate } from "~/services/errors";
import { awardOutsideJams, recomputeBadges, reverseSubject, restoreSubject } from "~/services/effects/gamification.server";
import { mailContext } from "~/services/lookups/mail.server";
import { notify, notifyGrouped } from "~/services/effects/notifications.server";
import { getSetting } from "~/services/lookups/settings.server";
import { forEachInOrder } from "~/domain/in-order";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { findVisibleQuestion, routeCandidates, isModerator, mayReadCommunity } from "~/services/lookups/questions.server";

const ClientKey = z.string({ error: "Reload the page and try again." }).regex(/^[A-Za-z0-9_-]{8,64}$/, "Reload the page and try again.");

export const QuestionInput = z.object({
  title: readableText(
    z
      .string({ error: "Write your question in a line." })
      .trim()
      .min(8, "Write your question in a line (at least 8 characters).")
      .max(150, "Keep the question to 150 characters; put the rest in the details."),
  ),
  body: readableText(z.string().trim().max(4000, "Keep the details under 4,000 characters."), { multiline: true }),
  themeId: z.coerce.number().int().positive().nullable().catch(null),
  /** The community it is asked in (one the asker is a member of), if any. Anything not a positive id is refused. */
  communityId: z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.coerce.number().int().positive().nullable().catch(-1)),
  clientKey: ClientKey,
});

export const AnswerInput = z.object({
  body: readableText(
    z
      .string({ error: "Write your answer." })
      .trim()
      .min(2, "Write your answer.")
      .max(4000, "Keep the answer under 4,000 characters."),
    { multiline: true },
  ),
  parentId: z.coerce.number().int().positive().nullable().catch(null),
  clientKey: ClientKey,
});

export const HideInput = z.object({
  reason: z.string({ error: "Say why it is hidden." }).trim().min(3, "Say why it is hidden.").max(300, "Keep the reason under 300 characters."),
});

export const FlagQuestionInput = z.object({
  targetType: z.enum(["question", "answer"], { error: "Choose what you are flagging." }),
  targetId: z.coerce.number().int().positive(),
  reason: readableText(
    z.string({ error: "Say what is wrong, so a facilitator can judge." }).trim().min(3, "Say what is wrong, so a facilitator can judge.").max(300, "Keep the reason under 300 characters."),
    { multiline: true },
  ),
});

export type QuestionRow = typeof questions.$inferSelect;

/** The question open for answers and acceptance: never a hidden one, whoever asks. */
async function findOpenQuestion(conn: Db, viewer: SessionUser, id: number): Promise<QuestionRow> {
  const q = await findVisibleQuestion(conn, viewer, id);
  if (q.hiddenAt !== null) throw new NotFound("No such question.");
  return q;
}

// ---------------------------------------------------------------- routing

export interface RouteCandidate {
  id: number;
  name: string;
  facts: CandidateFacts;
}

/**
 * The steward of a members-only community, when none of its members' contributions route its
 * question: asked unless they are the asker, gone, or said "do not ask me".
 */
async function stewardFallback(conn: Db, asker: SessionUser, community: Pick<Community, "stewardId">): Promise<RouteCandidate[]> {
  const steward = await conn.get<{ id: number; name: string }>(sql`
    SELECT u.id, u.name FROM users u WHERE u.id = ${community.stewardId} AND u.id <> ${asker.id}
      AND u.deactivated_at IS NULL AND u.erased_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM question_opt_outs o WHERE o.user_id = u.id)`);
  return steward ? [{ id: steward.id, name: steward.name, facts: { ideas: 0, crossSupporters: 0, sameSupporters: 0, acceptedAnswers: 0, themeEngagement: 0 } }] : [];
}

/** Tells one routed person (notification and e-mail, as their settings say). */
async function tellAsked(tx: Db, q: Pick<QuestionRow, "id" | "title" | "body">, asker: { name: string }, userId: number, why: "routed" | "passed_on", now: number) {
  const person = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId)).get();
  if (!person) return;
  await notify(
    tx,
    [{ userId, kind: "questions", body: `${asker.name} asks you: “${q.title}”`, link: `/questions/${q.id}`, dedupeKey: `question:${q.id}:asked`, jamId: null }],
    now,
  );
  const mail = questionAskedMail({ question: q, asker, recipient: person, why }, mailContext());
  await queueMail(tx, { userId, kind: "question", ...mail, dedupeKey: `question:${q.id}:asked:${userId}` }, now);
}

// ---------------------------------------------------------------- commands

/** Asks a question (a double submit asks once) and routes it. Returns its id. */
export async function askQuestion(tx: Db, actor: SessionUser, input: unknown, now: number): Promise<{ id: number; created: boolean; asked: number }> {
  const data = validate(QuestionInput, input);
  const existing = await tx
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.askerId, actor.id), eq(questions.clientKey, data.clientKey)))
    .get();
  if (existing) return { id: existing.id, created: false, asked: 0 };
  let community: Community | null = null;
  if (data.communityId !== null) {
    community = data.communityId > 0 ? await communityToPostIn(tx, actor.id, data.communityId) : null;
    if (!community) throw new Invalid({ communityId: ["Choose a community you are a member of, or none."] });
  }
  let candidates = await routeCandidates(tx, actor, { title: data.title, body: data.body }, data.themeId, community);
  if (candidates.length === 0 && community?.privacy === "members") candidates = await stewardFallback(tx, actor, community);
  const q = await tx
    .insert(questions)
    .values({ askerId: actor.id, title: data.title, body: data.body, themeId: data.themeId, communityId: community?.id ?? null, clientKey: data.clientKey, createdAt: now })
    .returning()
    .get();
  await forEachInOrder(candidates, async (c, i) => {
    const asked = i < ASKED_AT_ONCE;
    await tx.insert(questionRoutes)
      .values({ questionId: q.id, userId: c.id, position: i, status: asked ? "asked" : "waiting", askedAt: asked ? now : null })
      .run();
    if (asked) await tellAsked(tx, q, actor, c.id, "routed", now);
  });
  await recordAudit(tx, { action: "question_asked", actorId: actor.id, subject: `question:${q.id}`, at: now, detail: { asked: Math.min(candidates.length, ASKED_AT_ONCE) } });
  return { id: q.id, created: true, asked: Math.min(candidates.length, ASKED_AT_ONCE) };
}

/**
 * The viewer passes the question on: their own route goes from asked to declined (once), and the
 * next person in line is asked. Nobody can decline for anyone else: only the viewer's own route
 * is touched, and someone who was never asked gets not found.
 */
export async function declineQuestion(tx: Db, actor: SessionUser, questionId: number, now: number): Promise<{ next: boolean }> {
  const q = await findOpenQuestion(tx, actor, questionId);
  const changed = (await tx
    .update(questionRoutes)
    .set({ status: "declined", declinedAt: now })
    .where(and(eq(questionRoutes.questionId, q.id), eq(questionRoutes.userId, actor.id), eq(questionRoutes.status, "asked")))
    .run()).changes;
  if (changed === 0) {
    const mine = await tx.select({ status: questionRoutes.status }).from(questionRoutes).where(and(eq(questionRoutes.questionId, q.id), eq(questionRoutes.userId, actor.id))).get();
    if (!mine || mine.status === "waiting") throw new NotFound("You were not asked this question.");
    throw new Conflict("You already passed this question on.");
  }
  return { next: await passOn(tx, q.id, null, now) };
}

/**
 * Asks the next person in line who may still be asked (skipping anyone who since opted out, was
 * deactivated or erased). `declinedBy`, when given, is first marked as having passed it on.
 */
async function passOn(tx: Db, questionId: number, declinedBy: number | null, now: number): Promise<boolean> {
  if (declinedBy !== null) {
    await tx.update(questionRoutes)
      .set({ status: "declined", declinedAt: now })
      .where(and(eq(questionRoutes.questionId, questionId), eq(questionRoutes.userId, declinedBy), eq(questionRoutes.status, "asked")))
      .run();
  }
  const q = await tx.select().from(questions).where(eq(questions.id, questionId)).get();
  if (!q || q.hiddenAt !== null || q.acceptedAnswerId !== null) return false;
  const next = await tx.get<{ userId: number }>(sql`
    SELECT r.user_id AS userId FROM question_routes r JOIN users u ON u.id = r.user_id
    WHERE r.question_id = ${q.id} AND r.status = 'waiting'
      AND u.deactivated_at IS NULL AND u.erased_at IS NULL AND u.hidden_from_rankings = FALSE
      AND NOT EXISTS (SELECT 1 FROM question_opt_outs o WHERE o.user_id = r.user_id)
      AND ${mayReadCommunity(q.communityId, sql`r.user_id`)}
    ORDER BY r.position LIMIT 1`);
  if (!next) return false;
  await tx.update(questionRoutes)
    .set({ status: "asked", askedAt: now })
    .where(and(eq(questionRoutes.questionId, q.id), eq(questionRoutes.userId, next.userId), eq(questionRoutes.status, "waiting")))
    .run();
  const asker = (await tx.select({ name: users.name }).from(users).where(eq(users.id, q.askerId)).get())!;
  await tellAsked(tx, q, asker, next.userId, "passed_on", now);
  return true;
}

/** Answers a question, or replies to an answer (one level). A double submit answers once. */
export async function answerQuestion(tx: Db, actor: SessionUser, questionId: number, input: unknown, now: number): Promise<{ id: number; created: boolean; points: number }> {
  const q = await findOpenQuestion(tx, actor, questionId);
  const data = validate(AnswerInput, input);
  const existing = await tx.select({ id: answers.id }).from(answers).where(and(eq(answers.authorId, actor.id), eq(answers.clientKey, data.clientKey))).get();
  if (existing) return { id: existing.id, created: false, points: 0 };
  let parent: { id: number; authorId: number } | null = null;
  if (data.parentId !== null) {
    const p = await tx
      .select({ id: answers.id, authorId: answers.authorId, parentId: answers.parentId, hiddenAt: answers.hiddenAt })
      .from(answers)
      .where(and(eq(answers.id, data.parentId), eq(answers.questionId, q.id)))
      .get();
    if (!p || p.hiddenAt !== null || p.parentId !== null) throw new NotFound("No such answer to reply to.");
    parent = p;
  }
  const a = await tx
    .insert(answers)
    .values({ questionId: q.id, authorId: actor.id, parentId: parent?.id ?? null, body: data.body, clientKey: data.clientKey, createdAt: now })
    .returning({ id: answers.id })
    .get();
  let points = 0;
  if (!parent && actor.id !== q.askerId) {
    // Once per question and person: a second answer to the same question earns nothing more.
    points = await awardOutsideJams(tx, { earnerId: actor.id, actorId: q.askerId, reason: "question_answered", source: `question:${q.id}`, subject: `answer:${a.id}`, now });
    await recomputeBadges(tx, [actor.id], now, ["questionsAnswered"]);
  }
  const notices = [];
  if (actor.id !== q.askerId && !parent) {
    notices.push({
      userId: q.askerId,
      kind: "questions" as const,
      dedupeKey: `question:${q.id}:answers`,
      jamId: null,
      count: "add" as const,
      render: (n: number) => ({ body: n <= 1 ? `${actor.name} answered your question “${q.title}”` : `${n} new answers to your question “${q.title}”`, link: `/questions/${q.id}` }),
    });
  }
  if (parent && parent.authorId !== actor.id) {
    notices.push({
      userId: parent.authorId,
      kind: "questions" as const,
      dedupeKey: `answer:${parent.id}:replies`,
      jamId: null,
      count: "add" as const,
      render: (n: number) => ({ body: n <= 1 ? `${actor.name} replied to your answer on “${q.title}”` : `${n} new replies to your answer on “${q.title}”`, link: `/questions/${q.id}#answer-${parent.id}` }),
    });
  }
  await notifyGrouped(tx, notices, now);
  return { id: a.id, created: true, points };
}

/**
 * The asker accepts one answer, once: a conditional update, so a double click or two tabs accept
 * one answer and award its points once. Only the asker, only a visible top-level answer by
 * someone else on this (visible) question.
 */
export async function acceptAnswer(tx: Db, actor: SessionUser, questionId: number, answerId: number, now: number): Promise<{ points: number }> {
  const q = await findOpenQuestion(tx, actor, questionId);
  if (q.askerId !== actor.id) throw new Forbidden("Only the person who asked can accept an answer.");
  const a = await tx
    .select({ id: answers.id, authorId: answers.authorId, parentId: answers.parentId, hiddenAt: answers.hiddenAt })
    .from(answers)
    .where(and(eq(answers.id, answerId), eq(answers.questionId, q.id)))
    .get();
  if (!a || a.hiddenAt !== null || a.parentId !== null) throw new NotFound("No such answer.");
  if (a.authorId === actor.id) throw new Conflict("You cannot accept your own answer.");
  const changed = (await tx
    .update(questions)
    .set({ acceptedAnswerId: a.id, acceptedAt: now })
    .where(and(eq(questions.id, q.id), isNull(questions.acceptedAnswerId), isNull(questions.hiddenAt)))
    .run()).changes;
  if (changed === 0) throw new Conflict("An answer to this question is already accepted.");
  const points = await awardOutsideJams(tx, { earnerId: a.authorId, actorId: actor.id, reason: "answer_accepted", source: `question:${q.id}`, subject: `answer:${a.id}`, now });
  await recomputeBadges(tx, [a.authorId], now, ["questionsAnswered"]);
  await notify(
    tx,
    [
      {
        userId: a.authorId,
        kind: "questions",
        body: `${actor.name} accepted your answer to “${q.title}”${points > 0 ? `: +${points} points` : ""}`,
        link: `/questions/${q.id}#answer-${a.id}`,
        dedupeKey: `question:${q.id}:accepted`,
        jamId: null,
      },
    ],
    now,
  );
  return { points };
}

/** Hides a question or an answer (moderators; never deleted). An answer's points are reversed. */
export async function hideQuestionContent(tx: Db, actor: SessionUser, target: { type: "question" | "answer"; id: number }, input: unknown, now: number) {
  if (!isModerator(actor)) throw new Forbidden("Only facilitators can hide questions and answers.");
  const { reason } = validate(HideInput, input);
  if (!await hideQuestionContentIn(tx, actor.id, target, reason, now)) {
    throw new Conflict(target.type === "question" ? "That question is already hidden, or gone." : "That answer is already hidden, or gone.");
  }
}

/** Hides without asking who may (the caller decided): moderation, or erasure at the author's request. False when already hidden. */
export async function hideQuestionContentIn(tx: Db, actorId: number, target: { type: "question" | "answer"; id: number }, reason: string, now: number): Promise<boolean> {
  if (target.type === "question") {
    const changed = (await tx
      .update(questions)
      .set({ hiddenAt: now, hiddenBy: actorId, hideReason: reason })
      .where(and(eq(questions.id, target.id), isNull(questions.hiddenAt)))
      .run()).changes;
    if (changed === 0) return false;
    await resolveFlags(tx, "question", target.id, now);
    await recordAudit(tx, { action: "question_hidden", actorId, subject: `question:${target.id}`, at: now, detail: { reason } });
    return true;
  }
  const a = await tx.select().from(answers).where(eq(answers.id, target.id)).get();
  if (!a) return false;
  const changed = (await tx
    .update(answers)
    .set({ hiddenAt: now, hiddenBy: actorId, hideReason: reason, hideCount: sql`${answers.hideCount} + 1` })
    .where(and(eq(answers.id, a.id), isNull(answers.hiddenAt)))
    .run()).changes;
  if (changed === 0) return false;
  await reverseSubject(tx, `answer:${a.id}`, a.hideCount + 1, now);
  await recomputeBadges(tx, [a.authorId], now, ["questionsAnswered"]);
  // Refresh the search row: a hidden accepted answer's words no longer find the question.
  await tx.update(questions).set({ acceptedAnswerId: sql`${questions.acceptedAnswerId}` }).where(eq(questions.id, a.questionId)).run();
  await resolveFlags(tx, "answer", a.id, now);
  await recordAudit(tx, { action: "answer_hidden", actorId, subject: `answer:${a.id}`, at: now, detail: { reason } });
  return true;
}

/**
 * A person's account is erased: nobody waits on them any more (each question they were asked
 * goes to the next in line, and they leave every line), their opt-out goes, and, when they asked
 * for it, what they wrote is hidden as a moderator hides it.
 */
export async function eraseFromQuestions(tx: Db, personId: number, options: { removeContent: boolean; actorId: number; reason: string; now: number }) {
  const { now } = options;
  for (const r of await tx.select({ questionId: questionRoutes.questionId }).from(questionRoutes).where(and(eq(questionRoutes.userId, personId), eq(questionRoutes.status, "asked"))).all()) {
    await passOn(tx, r.questionId, personId, now);
  }
  await tx.delete(questionRoutes).where(and(eq(questionRoutes.userId, personId), eq(questionRoutes.status, "waiting"))).run();
  await tx.delete(questionOptOuts).where(eq(questionOptOuts.userId, personId)).run();
  if (!options.removeContent) return { questionsHidden: 0, answersHidden: 0 };
  let questionsHidden = 0;
  let answersHidden = 0;
  for (const { id } of await tx.select({ id: questions.id }).from(questions).where(and(eq(questions.askerId, personId), isNull(questions.hiddenAt))).all()) {
    if (await hideQuestionContentIn(tx, options.actorId, { type: "question", id }, options.reason, now)) questionsHidden += 1;
  }
  for (const { id } of await tx.select({ id: answers.id }).from(answers).where(and(eq(answers.authorId, personId), isNull(answers.hiddenAt))).all()) {
    if (await hideQuestionContentIn(tx, options.actorId, { type: "answer", id }, options.reason, now)) answersHidden += 1;
  }
  return { questionsHidden, answersHidden };
}

/** Shows a hidden question or answer again; an answer gets back exactly the points its hiding took. */
export async function restoreQuestionContent(tx: Db, actor: SessionUser, target: { type: "question" | "answer"; id: number }, now: number) {
  if (!isModerator(actor)) throw new Forbidden("Only facilitators can restore questions and answers.");
  if (target.type === "question") {
    const changed = (await tx.update(questions).set({ hiddenAt: null, hiddenBy: null, hideReason: null }).where(and(eq(questions.id, target.id), sql`${questions.hiddenAt} IS NOT NULL`)).run()).changes;
    if (changed === 0) throw new Conflict("That question is not hidden.");
    await recordAudit(tx, { action: "question_restored", actorId: actor.id, subject: `question:${target.id}`, at: now });
    return;
  }
  const a = await tx.select().from(answers).where(eq(answers.id, target.id)).get();
  if (!a) throw new NotFound("No such answer.");
  const changed = (await tx.update(answers).set({ hiddenAt: null, hiddenBy: null, hideReason: null }).where(and(eq(answers.id, a.id), sql`${answers.hiddenAt} IS NOT NULL`)).run()).changes;
  if (changed === 0) throw new Conflict("That answer is not hidden.");
  await restoreSubject(tx, `answer:${a.id}`, a.hideCount, now);
  await recomputeBadges(tx, [a.authorId], now, ["questionsAnswered"]);
  await tx.update(questions).set({ acceptedAnswerId: sql`${questions.acceptedAnswerId}` }).where(eq(questions.id, a.questionId)).run();
  await recordAudit(tx, { action: "answer_restored", actorId: actor.id, subject: `answer:${a.id}`, at: now });
}

async function resolveFlags(tx: Db, type: "question" | "answer", id: number, now: number) {
  await tx.update(questionFlags)
    .set({ resolvedAt: now })
    .where(and(eq(questionFlags.targetType, type), eq(questionFlags.targetId, id), isNull(questionFlags.resolvedAt)))
    .run();
}

/** Flags a visible question or answer for the facilitators (once per person and target). */
export async function flagQuestionContent(tx: Db, actor: SessionUser, questionId: number, input: unknown, now: number): Promise<{ created: boolean }> {
  const q = await findOpenQuestion(tx, actor, questionId);
  const data = validate(FlagQuestionInput, input);
  if (data.targetType === "question" && data.targetId !== q.id) throw new NotFound("No such question.");
  if (data.targetType === "answer") {
    const a = await tx.select({ hiddenAt: answers.hiddenAt }).from(answers).where(and(eq(answers.id, data.targetId), eq(answers.questionId, q.id))).get();
    if (!a || a.hiddenAt !== null) throw new NotFound("No such answer.");
  }
  const written = (await tx
    .insert(questionFlags)
    .values({ targetType: data.targetType, targetId: data.targetId, userId: actor.id, reason: data.reason, createdAt: now })
    .onConflictDoNothing()
    .run()).changes;
  if (written > 0) await recordAudit(tx, { action: "question_flagged", actorId: actor.id, subject: `${data.targetType}:${data.targetId}`, at: now });
  return { created: written > 0 };
}

/**
 * Turns being asked on or off. Off also passes on every question the person was asked and has
 * not answered, so nobody waits on them.
 */
export async function setMayBeAsked(tx: Db, actor: SessionUser, on: boolean, now: number) {
  if (on) {
    await tx.delete(questionOptOuts).where(eq(questionOptOuts.userId, actor.id)).run();
  } else {
    await tx.insert(questionOptOuts).values({ userId: actor.id, createdAt: now }).onConflictDoNothing().run();
    const pending = await tx
      .select({ questionId: questionRoutes.questionId })
      .from(questionRoutes)
      .innerJoin(questions, eq(questions.id, questionRoutes.questionId))
      .where(and(eq(questionRoutes.userId, actor.id), eq(questionRoutes.status, "asked"), isNull(questions.hiddenAt), isNull(questions.acceptedAnswerId)))
      .all();
    for (const p of pending) await declineQuestion(tx, actor, p.questionId, now);
  }
  await recordAudit(tx, { action: "question_opt_out_changed", actorId: actor.id, subject: `user:${actor.id}`, at: now, detail: { mayBeAsked: on } });
}

// ---------------------------------------------------------------- escalation

/**
 * Questions nobody has answered (no visible answer) `questionEscalationHours` after they were
 * asked go to the facilitators: a notification and an e-mail each. Exactly once per question,
 * even when several processes run this at the same moment: the conditional update
 * (`escalated_at IS NULL`) inside an IMMEDIATE transaction lets one of them win.
 * `transaction` runs one question's escalation; returns the questions escalated.
 */
export async function escalateUnanswered(conn: Db, transaction: <T>(work: (tx: Db) => Promise<T>) => Promise<T>, now: number, limit = 50): Promise<number[]> {
  const hours = await getSetting(conn, "questionEscalationHours");
  const due = await conn.all<{ id: number }>(sql`
    SELECT q.id FROM questions q
    WHERE q.escalated_at IS NULL AND q.accepted_answer_id IS NULL AND q.hidden_at IS NULL
      AND q.created_at <= ${now - hours * 3_600_000}
      AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.hidden_at IS NULL AND a.parent_id IS NULL)
    ORDER BY q.created_at LIMIT ${limit}`);
  const escalated: number[] = [];
  for (const { id } of due) {
    const done = await transaction(async (tx) => {
      const changed = (await tx
        .update(questions)
        .set({ escalatedAt: now })
        .where(and(eq(questions.id, id), isNull(questions.escalatedAt), isNull(questions.acceptedAnswerId), isNull(questions.hiddenAt)))
        .run()).changes;
      if (changed === 0) return false;
      const q = (await tx.select().from(questions).where(eq(questions.id, id)).get())!;
      const asker = (await tx.select({ name: users.name }).from(users).where(eq(users.id, q.askerId)).get())!;
      // A community's question goes to its steward first; then to the facilitators (as any
      // question does) who may read it: a members-only community's, to those who are members.
      const steward =
        q.communityId !== null
          ? await tx.get<{ id: number; name: string }>(sql`SELECT u.id, u.name FROM communities c JOIN users u ON u.id = c.steward_id
              WHERE c.id = ${q.communityId} AND u.deactivated_at IS NULL AND u.erased_at IS NULL AND u.id <> ${q.askerId}
                AND ${readableCommunitySql(sql`c.id`, sql`u.id`)}`)
          : undefined;
      const facilitators = [
        ...(steward ? [steward] : []),
        ...await tx.all<{ id: number; name: string }>(sql`SELECT u.id, u.name FROM users u
          WHERE u.role = 'facilitator' AND u.deactivated_at IS NULL AND u.erased_at IS NULL AND u.id <> ${q.askerId}
            AND u.id <> ${steward?.id ?? -1} AND ${mayReadCommunity(q.communityId, sql`u.id`)}
          ORDER BY u.id`),
      ];
      await notify(
        tx,
        facilitators.map((f) => ({
          userId: f.id,
          kind: "questions" as const,
          body: `Nobody has answered “${q.title}”, asked by ${asker.name}`,
          link: `/questions/${q.id}`,
          dedupeKey: `question:${q.id}:escalated`,
          jamId: null,
        })),
        now,
      );
      const context = mailContext();
      for (const f of facilitators) {
        const mail = questionAskedMail({ question: q, asker, recipient: f, why: "unanswered" }, context);
        await queueMail(tx, { userId: f.id, kind: "question", ...mail, dedupeKey: `question:${q.id}:escalated:${f.id}` }, now);
      }
      return true;
    });
    if (done) escalated.push(id);
  }
  return escalated;
}

// ------------------------------------------------------------------ commands

export async function askQuestionCommand(actor: SessionUser, input: unknown, now = Date.now()) {
  await checkRateLimit(actor.id, "question", now);
  return await transaction(async (tx) => await askQuestion(tx, actor, input, now));
}

export async function answerCommand(actor: SessionUser, questionId: number, input: unknown, now = Date.now()) {
  await checkRateLimit(actor.id, "answer", now);
  return await transaction(async (tx) => await answerQuestion(tx, actor, questionId, input, now));
}

const AnswerIdInput = z.object({ answerId: z.coerce.number({ error: "Choose an answer." }).int().positive("Choose an answer.") });

export async function acceptCommand(actor: SessionUser, questionId: number, input: unknown, now = Date.now()) {
  const { answerId } = validate(AnswerIdInput, input);
  return await transaction(async (tx) => await acceptAnswer(tx, actor, questionId, answerId, now));
}

export async function declineCommand(actor: SessionUser, questionId: number, now = Date.now()) {
  return await transaction(async (tx) => await declineQuestion(tx, actor, questionId, now));
}

const TargetInput = z.object({
  targetType: z.enum(["question", "answer"]).catch("question"),
  targetId: z.coerce.number().int().positive().catch(0),
});

async function targetOf(tx: Db, questionId: number, input: unknown) {
  const t = TargetInput.parse(input);
  if (t.targetType === "question") return { type: "question" as const, id: questionId };
  const a = await tx.get<{ id: number }>(sql`SELECT id FROM answers WHERE id = ${t.targetId} AND question_id = ${questionId}`);
  if (!a) throw new NotFound("No such answer.");
  return { type: "answer" as const, id: a.id };
}

export async function hideCommand(actor: SessionUser, questionId: number, input: Record<string, string>, now = Date.now()) {
  return await transaction(async (tx) => await hideQuestionContent(tx, actor, await targetOf(tx, questionId, input), input, now));
}

export async function restoreCommand(actor: SessionUser, questionId: number, input: Record<string, string>, now = Date.now()) {
  return await transaction(async (tx) => await restoreQuestionContent(tx, actor, await targetOf(tx, questionId, input), now));
}

export async function flagCommand(actor: SessionUser, questionId: number, input: unknown, now = Date.now()) {
  return await transaction(async (tx) => await flagQuestionContent(tx, actor, questionId, input, now));
}

export async function saveMayBeAsked(actor: SessionUser, input: Record<string, string>, now = Date.now()) {
  const on = input.mayBeAsked === "on";
  await transaction(async (tx) => await setMayBeAsked(tx, actor, on, now));
  return { on };
}
