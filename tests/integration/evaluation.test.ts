import { fileURLToPath } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raceWorkers } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import { DEFAULT_CRITERIA } from "~/domain/evaluation";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideaStageFor, reviewPage, reviewsHome, scoreIdeaPage } from "~/services/pages/reviews.server";
import { answerInvitation, inviteCoauthor } from "~/services/commands/coauthors.server";
import { assignReviewerByHand, closeReview, decideIdea, openReview, sendReviewReminders, submitScores } from "~/services/commands/reviews.server";
import { db } from "~db/client";
import { actionIdeas, followUpActions, ideaStages, mailOutbox, notifications, pointEntries, reviewAssignments, reviewCriteria, reviewReminders, reviewScores } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const WORKER = fileURLToPath(new URL("./helpers/reviews-worker.ts", import.meta.url));
const HOUR = 3_600_000;
const meta = { ip: "203.0.113.7" };

async function criteriaOf(reviewId: number) {
  return await db().select().from(reviewCriteria).where(eq(reviewCriteria.reviewId, reviewId)).orderBy(reviewCriteria.position).all();
}

/**
 * A jam with three ideas by three authors (the last anonymous when asked), two reviewers, and a
 * review of all its ideas: each idea to both reviewers.
 */
async function scenario(options: { blind?: boolean; ended?: boolean; anonymous?: boolean; weights?: number[]; dueDate?: string; perIdea?: number } = {}) {
  const now = Date.now();
  const { jam, challengeIds, facilitator } = options.ended ? await makeJam({ startsAt: now - 5 * HOUR, endsAt: now - HOUR }) : await makeJam();
  const challengeId = challengeIds[0]!;
  const authors = [await makeUser(), await makeUser(), await makeUser()];
  const posted = await mapInOrder(authors, async (a, i) =>
    await makeIdea(a, challengeId, { title: `Idea ${"ABC"[i]} ${now}`, isAnonymous: options.anonymous === true && i === 2, now: options.ended ? now - 3 * HOUR : undefined }),
  );
  const reviewers = [await makeUser({ name: "Rhea Reviewer" }), await makeUser({ name: "Rex Reviewer" })];
  const weights = options.weights ?? [1, 1, 1];
  const opened = await openReview(
    facilitator,
    {
      challengeId,
      title: `Round one ${now}`,
      scope: "all",
      criteria: DEFAULT_CRITERIA.map((c, i) => ({ ...c, weight: weights[i] })),
      blind: options.blind ? "on" : "",
      dueDate: options.dueDate ?? "",
      assign: "people",
      reviewers: reviewers.map((r) => r.email).join("\n"),
      perIdea: options.perIdea ?? 2,
    },
    meta,
  );
  const criteria = await criteriaOf(opened.id);
  const [value, cost, feasibility] = criteria.map((c) => String(c.id));
  return { jam, challengeId, facilitator, authors, ideaIds: posted.map((p) => p.id), reviewers, review: opened, criteria, value: value!, cost: cost!, feasibility: feasibility! };
}

async function score(user: SessionUser, reviewId: number, ideaId: number, scores: Record<string, unknown>, comment = "") {
  return await submitScores(user, reviewId, ideaId, { scores, comment }, meta);
}

describe("opening a review", () => {
  it("puts the challenge's ideas in review, tells their authors, and gives each idea N reviewers (never its author) with balanced loads", async () => {
    const now = Date.now();
    const { jam, challengeIds, facilitator } = await makeJam();
    const authors = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const ideaIds = await mapInOrder(authors, async (a) => (await makeIdea(a, challengeIds[0]!)).id);
    const outsider = await makeUser();
    // The first author is also in the pool: they must never get their own idea.
    const pool = [authors[0]!, outsider, await makeUser()];
    const review = await openReview(
      facilitator,
      { challengeId: challengeIds[0], title: "Pick the best", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "people", reviewers: pool.map((p) => p.email.toUpperCase()).join(", "), perIdea: 2 },
      { ...meta, now },
    );
    expect(review).toMatchObject({ ideas: 4, added: 8, short: 0, jamSlug: jam.slug });
    const rows = await db().select().from(reviewAssignments).where(eq(reviewAssignments.reviewId, review.id)).all();
    expect(rows.some((r) => r.ideaId === ideaIds[0] && r.reviewerId === authors[0]!.id)).toBe(false);
    const load = pool.map((p) => rows.filter((r) => r.reviewerId === p.id).length);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    for (const id of ideaIds) expect(rows.filter((r) => r.ideaId === id)).toHaveLength(2);

    expect((await db().select().from(ideaStages).where(eq(ideaStages.ideaId, ideaIds[1]!)).get())?.stage).toBe("in_review");
    const told = await db().select().from(notifications).where(and(eq(notifications.userId, authors[1]!.id), eq(notifications.kind, "stages"))).all();
    expect(told.map((n) => n.body)).toEqual([expect.stringMatching(/^Your idea “.*” is in review: “Pick the best”$/)]);
    const asked = await db().select().from(notifications).where(and(eq(notifications.userId, outsider.id), eq(notifications.kind, "reviews"))).get();
    expect(asked?.body).toMatch(/^You are asked to review \d ideas in “Pick the best”$/);
  });

  it("refuses unknown reviewers, an empty scope, bad criteria and a past due date, and only facilitators open one", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const base = { challengeId: challengeIds[0], title: "R", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "hand", perIdea: 2 };
    const refusal = async (input: Record<string, unknown>, who: SessionUser = facilitator) => {
      try {
        await openReview(who, input, meta);
      } catch (error) {
        return error;
      }
      throw new Error("accepted");
    };
    expect((await refusal(base) as Invalid).fieldErrors.scope).toBeDefined();
    await makeIdea(await makeUser(), challengeIds[0]!);
    expect((await refusal({ ...base, assign: "people", reviewers: "nobody@example.test" }) as Invalid).fieldErrors.reviewers?.[0]).toMatch(/nobody@example.test/);
    expect((await refusal({ ...base, criteria: [{ name: "Value", weight: 0 }] }) as Invalid).fieldErrors["criteria.0.weight"]).toBeDefined();
    expect((await refusal({ ...base, criteria: [{ name: "Value", weight: 1 }, { name: "value", weight: 2 }] }) as Invalid).fieldErrors.criteria).toBeDefined();
    expect((await refusal({ ...base, criteria: [] }) as Invalid).fieldErrors.criteria).toBeDefined();
    expect((await refusal({ ...base, dueDate: "2001-01-01" }) as Invalid).fieldErrors.dueDate).toBeDefined();
    expect(await refusal(base, await makeUser())).toBeInstanceOf(Forbidden);
    expect(await refusal(base, await makeUser({ role: "leader" }))).toBeInstanceOf(Forbidden);
  });
});

describe("scoring and the ranked shortlist", () => {
  it("weights the criteria, renormalises missing ones, leaves out a reviewer with no score, and breaks ties as documented", async () => {
    const s = await scenario({ weights: [3, 1, 1] });
    const [a, b, c] = s.ideaIds as [number, number, number];
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    // A: (3×5 + 1 + 1) / 5 = 3.4 and (3×1 + 5 + 5) / 5 = 2.6: 3.0, spread 0.4.
    await score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 1, [s.feasibility]: 1 }, "Great value, costly.");
    await score(r2, s.review.id, a, { [s.value]: 1, [s.cost]: 5, [s.feasibility]: 5 }, "Cheap but pointless.");
    // B: only value scored by one reviewer (4.0); the other has not scored it (left out).
    await score(r1, s.review.id, b, { [s.value]: 4, [s.cost]: "", [s.feasibility]: "" });
    // C: 3.0 from both, no spread: ties with A on score and reviewers, wins on spread.
    await score(r1, s.review.id, c, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });
    await score(r2, s.review.id, c, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });

    const page = await reviewPage(s.facilitator, s.jam.slug, s.review.id);
    const shortlist = page.manage!.shortlist;
    expect(shortlist.map((r) => [r.idea.id, r.rank, r.score, r.sd, r.min, r.max, r.disagreed])).toEqual([
      [b, 1, 4, 0, 4, 4, false],
      [c, 2, 3, 0, 3, 3, false],
      [a, 3, 3, 0.4, 2.6, 3.4, false],
    ]);
    const rowA = shortlist.find((r) => r.idea.id === a)!;
    expect(rowA.reviewers.map((r) => [r.name, r.score, r.comment])).toEqual([
      ["Rex Reviewer", 2.6, "Cheap but pointless."],
      ["Rhea Reviewer", 3.4, "Great value, costly."],
    ]);
    const rowB = shortlist.find((r) => r.idea.id === b)!;
    expect(rowB.reviewers.find((r) => r.name === "Rex Reviewer")).toMatchObject({ score: null, submitted: false });
    expect(page.manage!.progress.byReviewer.map((p) => [p.name, p.assigned, p.submitted])).toEqual([
      ["Rex Reviewer", 3, 2],
      ["Rhea Reviewer", 3, 3],
    ]);
    expect(page.manage!.progress).toMatchObject({ submitted: 5, total: 6 });
  });

  it("says reviewers disagreed when their spread reaches the threshold", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    await score(s.reviewers[0]!, s.review.id, a, { [s.value]: 1, [s.cost]: 1, [s.feasibility]: 1 });
    await score(s.reviewers[1]!, s.review.id, a, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });
    const row = (await reviewPage(s.facilitator, s.jam.slug, s.review.id)).manage!.shortlist.find((r) => r.idea.id === a)!;
    expect(row).toMatchObject({ score: 2, sd: 1, disagreed: true });
  });

  it("keeps one score per reviewer, idea and criterion: the last submission wins, a blank removes one", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    await score(r1, s.review.id, a, { [s.value]: 1, [s.cost]: 1, [s.feasibility]: 1 });
    await score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 4, [s.feasibility]: 1 });
    await score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 2, [s.feasibility]: "" }, "Changed my mind");
    const rows = await db().select().from(reviewScores).where(and(eq(reviewScores.ideaId, a), eq(reviewScores.reviewerId, r1.id))).all();
    expect(rows.map((r) => r.score).sort()).toEqual([2, 5]);
  });

  it("concurrent submissions from several processes leave one score per criterion, never duplicates", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    const results = await raceWorkers<{ ok: number; errors: string[] }>(
      WORKER,
      [1, 2, 3, 4].map((n) => ({ kind: "score", user: r1, reviewId: s.review.id, ideaId: a, times: 5, input: { scores: { [s.value]: n, [s.cost]: n, [s.feasibility]: n } } })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(20);
    const rows = await db().select().from(reviewScores).where(and(eq(reviewScores.ideaId, a), eq(reviewScores.reviewerId, r1.id))).all();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.score)).size).toBe(1);
  });

  it("refuses scores out of range, for unknown criteria, or none at all, and scoring a closed review", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    for (const bad of [{ [s.value]: 0 }, { [s.value]: 6 }, { [s.value]: 2.5 }, { [s.value]: "x" }]) {
      await expect(async () => await score(r1, s.review.id, a, bad)).rejects.toThrow(Invalid);
    }
    const other = await scenario();
    await expect(async () => await score(r1, s.review.id, a, { [other.value]: 3 })).rejects.toThrow(Invalid);
    await expect(async () => await score(r1, s.review.id, a, { "99999999": 3 })).rejects.toThrow(Invalid);
    await expect(async () => await score(r1, s.review.id, a, { [s.value]: "", [s.cost]: "" })).rejects.toThrow(Invalid);
    await expect(async () => await submitScores(r1, s.review.id, a, { scores: { [s.value]: 3 }, comment: "x".repeat(2001) }, meta)).rejects.toThrow(Invalid);
    expect(await db().select().from(reviewScores).where(eq(reviewScores.reviewId, s.review.id)).all()).toEqual([]);
    await closeReview(s.facilitator, s.review.id, meta);
    await expect(async () => await score(r1, s.review.id, a, { [s.value]: 3 })).rejects.toThrow(Conflict);
  });
});

describe("who sees and does what", () => {
  it("a reviewer cannot score an idea not given to them, nor an idea of another review", async () => {
    const s = await scenario({ perIdea: 1 });
    const r1 = s.reviewers[0]!;
    const mine = new Set((await db().select().from(reviewAssignments).where(and(eq(reviewAssignments.reviewId, s.review.id), eq(reviewAssignments.reviewerId, r1.id))).all()).map((r) => r.ideaId));
    const notMine = s.ideaIds.find((id) => !mine.has(id))!;
    await expect(async () => await score(r1, s.review.id, notMine, { [s.value]: 5 })).rejects.toThrow(NotFound);
    await expect(async () => await scoreIdeaPage(r1, s.jam.slug, s.review.id, notMine)).rejects.toThrow(NotFound);
    const other = await scenario();
    await expect(async () => await score(r1, other.review.id, other.ideaIds[0]!, { [other.value]: 5 })).rejects.toThrow(NotFound);
    await expect(async () => await score(await makeUser(), s.review.id, s.ideaIds[0]!, { [s.value]: 5 })).rejects.toThrow(NotFound);
  });

  it("a participant cannot read the review, its shortlist or its scores; a reviewer reads only their own ideas", async () => {
    const s = await scenario();
    await score(s.reviewers[0]!, s.review.id, s.ideaIds[0]!, { [s.value]: 5 }, "Secret note");
    await expect(async () => await reviewPage(await makeUser(), s.jam.slug, s.review.id)).rejects.toThrow(NotFound);
    // An idea's author is not a reviewer: not found either.
    await expect(async () => await reviewPage(s.authors[0]!, s.jam.slug, s.review.id)).rejects.toThrow(NotFound);
    expect(await reviewsHome(s.authors[0]!)).toEqual({ mine: [], running: null });
    const asReviewer = await reviewPage(s.reviewers[1]!, s.jam.slug, s.review.id);
    expect(asReviewer.manage).toBeNull();
    expect(asReviewer.mine).toHaveLength(3);
    expect(JSON.stringify(asReviewer)).not.toContain("Secret note");
    // The wrong jam in the address: not found.
    await expect(async () => await reviewPage(s.facilitator, "another-jam", s.review.id)).rejects.toThrow(NotFound);
    // A facilitator who was not given the idea reads scores on the review's page, not the score page.
    await expect(async () => await scoreIdeaPage(s.facilitator, s.jam.slug, s.review.id, s.ideaIds[0]!)).rejects.toThrow(NotFound);
    // The stage is the author's and the facilitators' to see.
    expect(await ideaStageFor(await makeUser(), s.ideaIds[0]!)).toBeNull();
    expect((await ideaStageFor(s.authors[0]!, s.ideaIds[0]!))?.label).toBe("In review");
  });

  it("in a blind review a reviewer gets no author and nobody else's scores until they submitted their own", async () => {
    const s = await scenario({ blind: true });
    const [a] = s.ideaIds as [number];
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    await score(r2, s.review.id, a, { [s.value]: 1, [s.cost]: 2, [s.feasibility]: 1 }, "Rex thinks it is weak");
    const before = await scoreIdeaPage(r1, s.jam.slug, s.review.id, a);
    expect(before.others).toBeNull();
    expect(before.idea.author).toBeNull();
    const data = JSON.stringify(before);
    expect(data).not.toContain("Rex thinks it is weak");
    expect(data).not.toContain("Rex Reviewer");
    expect(data).not.toContain(s.authors[0]!.name);
    expect(JSON.stringify(await reviewPage(r1, s.jam.slug, s.review.id))).not.toContain(s.authors[0]!.name);

    await score(r1, s.review.id, a, { [s.value]: 4, [s.cost]: 4, [s.feasibility]: 4 });
    const after = await scoreIdeaPage(r1, s.jam.slug, s.review.id, a);
    expect(after.others).toEqual([{ name: "Rex Reviewer", submitted: true, comment: "Rex thinks it is weak", scores: { [s.value]: 1, [s.cost]: 2, [s.feasibility]: 1 } }]);
    expect(after.idea.author).toBeNull();
  });

  it("in an open (not blind) review a reviewer sees the author and others' scores", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    await score(s.reviewers[1]!, s.review.id, a, { [s.value]: 2 });
    const page = await scoreIdeaPage(s.reviewers[0]!, s.jam.slug, s.review.id, a);
    expect(page.idea.author).toBe(s.authors[0]!.name);
    expect(page.others?.[0]?.scores).toEqual({ [s.value]: 2 });
  });

  it("an author never reviews their own idea; an anonymous idea gets no reviewer by hand", async () => {
    const s = await scenario({ anonymous: true });
    const [a, , anonymousIdea] = s.ideaIds as [number, number, number];
    await expect(async () => await assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: s.authors[0]!.email }, meta)).rejects.toThrow(Invalid);
    await expect(async () => await assignReviewerByHand(s.facilitator, s.review.id, { ideaId: anonymousIdea, email: (await makeUser()).email }, meta)).rejects.toThrow(Invalid);
    const helper = await makeUser();
    expect(await assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: helper.email }, meta)).toEqual({ added: 1 });
    await expect(async () => await assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: helper.email }, meta)).rejects.toThrow(Invalid);
    await expect(async () => await assignReviewerByHand(s.reviewers[0]!, s.review.id, { ideaId: a, email: helper.email }, meta)).rejects.toThrow(Forbidden);
    // The anonymous idea's author is never named to the facilitator.
    const page = await reviewPage(s.facilitator, s.jam.slug, s.review.id);
    expect(page.manage!.shortlist.find((r) => r.idea.id === anonymousIdea)?.idea.author).toBeNull();
    expect(JSON.stringify(page)).not.toContain(s.authors[2]!.name);
  });
});

describe("co-authors", () => {
  it("a co-author never reviews the idea they write, by hand or by round-robin", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const author = await makeUser();
    const coauthor = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!);
    await inviteCoauthor(author, { ideaId: idea.id, userId: coauthor.id });
    await answerInvitation(coauthor, { ideaId: idea.id, answer: "accept" });
    const others = [await makeUser(), await makeUser()];
    const review = await openReview(
      facilitator,
      { challengeId: challengeIds[0], title: "Round", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "people", reviewers: [coauthor, ...others].map((p) => p.email).join(", "), perIdea: 2 },
      meta,
    );
    const rows = await db().select().from(reviewAssignments).where(eq(reviewAssignments.reviewId, review.id)).all();
    expect(rows.filter((r) => r.ideaId === idea.id).map((r) => r.reviewerId).sort()).toEqual(others.map((o) => o.id).sort());
    await expect(async () => await assignReviewerByHand(facilitator, review.id, { ideaId: idea.id, email: coauthor.email }, meta)).rejects.toThrow(Invalid);
  });
});

describe("deciding", () => {
  it("shortlists, selects into one follow-up action (even when selected twice), tells the author and earns points once per stage", async () => {
    const s = await scenario({ ended: true });
    const [a, b] = s.ideaIds as [number, number];
    const author = s.authors[0]!;
    expect(await decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "shortlisted" }, meta)).toMatchObject({ stage: "shortlisted", changed: true });
    expect(await decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "shortlisted" }, meta)).toMatchObject({ changed: false });
    const first = await decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "selected" }, meta);
    const again = await decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "selected" }, meta);
    expect(again).toEqual({ stage: "selected", changed: false, actionId: first.actionId });
    const linked = await db().select().from(actionIdeas).where(eq(actionIdeas.ideaId, a)).all();
    expect(linked).toHaveLength(1);
    expect(await db().select().from(followUpActions).where(eq(followUpActions.id, first.actionId!)).get()).toMatchObject({ status: "approved", ownerId: s.facilitator.id });
    await expect(async () => await decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "not_selected", reason: "No" }, meta)).rejects.toThrow(Conflict);

    const bodies = (await db().select({ body: notifications.body }).from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, "stages"))).all()).map((n) => n.body);
    expect(bodies).toEqual([expect.stringMatching(/is in review/), expect.stringMatching(/was shortlisted/), expect.stringMatching(/was selected .* becomes a follow-up action$/)]);
    const mail = await db().select({ subject: mailOutbox.subject }).from(mailOutbox).where(and(eq(mailOutbox.userId, author.id), eq(mailOutbox.kind, "idea_stage"))).orderBy(mailOutbox.id).all();
    expect(mail.map((m) => m.subject)).toEqual([expect.stringMatching(/^Your idea was shortlisted: /), expect.stringMatching(/^Your idea was selected: /)]);
    // The jam has ended: outcomes still earn (once per stage).
    const points = await db().select({ reason: pointEntries.reason, points: pointEntries.points }).from(pointEntries).where(and(eq(pointEntries.userId, author.id), eq(pointEntries.subject, `idea:${a}`))).all();
    expect(points.filter((p) => p.reason !== "idea_posted" && p.reason !== "first_of_day")).toEqual([
      { reason: "idea_shortlisted", points: 15 },
      { reason: "idea_selected", points: 50 },
    ]);
    expect(await ideaStageFor(author, a)).toEqual({ stage: "selected", label: "Selected", reason: null });

    // Not selected needs a reason, which the author reads.
    await expect(async () => await decideIdea(s.facilitator, s.review.id, { ideaId: b, decision: "not_selected" }, meta)).rejects.toThrow(Invalid);
    await decideIdea(s.facilitator, s.review.id, { ideaId: b, decision: "not_selected", reason: "Another team already does this." }, meta);
    expect(await ideaStageFor(s.authors[1]!, b)).toEqual({ stage: "not_selected", label: "Not selected", reason: "Another team already does this." });
    // Only facilitators decide; an idea outside the review is not found.
    await expect(async () => await decideIdea(s.reviewers[0]!, s.review.id, { ideaId: b, decision: "selected" }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await decideIdea(s.facilitator, s.review.id, { ideaId: (await scenario()).ideaIds[0], decision: "selected" }, meta)).rejects.toThrow(NotFound);
  });

  it("two processes selecting the same idea at once create one action", async () => {
    const s = await scenario();
    const [a] = s.ideaIds as [number];
    const results = await raceWorkers<{ ok: number; errors: string[]; result: { actionId: number } }>(
      WORKER,
      [1, 2, 3].map(() => ({ kind: "decide", user: s.facilitator, reviewId: s.review.id, input: { ideaId: a, decision: "selected" } })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.result.actionId)).size).toBe(1);
    expect(await db().select().from(actionIdeas).where(eq(actionIdeas.ideaId, a)).all()).toHaveLength(1);
  });

  it("tells an anonymous idea's author privately and never names them; it earns no points", async () => {
    const s = await scenario({ anonymous: true });
    const idea = s.ideaIds[2]!;
    const author = s.authors[2]!;
    await decideIdea(s.facilitator, s.review.id, { ideaId: idea, decision: "shortlisted" }, meta);
    const notice = await db().select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.dedupeKey, `stage:${idea}:shortlisted`))).get();
    expect(notice?.body).toMatch(/^Your anonymous idea “.*” was shortlisted/);
    const mail = await db().select().from(mailOutbox).where(and(eq(mailOutbox.userId, author.id), eq(mailOutbox.kind, "idea_stage"))).all();
    expect(mail.map((m) => m.subject)).toEqual(["There is news about one of your ideas"]);
    expect(mail[0]!.dedupeKey).toMatch(/^private:/);
    expect(mail[0]!.textBody).not.toContain("Idea C");
    expect(await db().select().from(pointEntries).where(and(eq(pointEntries.subject, `idea:${idea}`), eq(pointEntries.reason, "idea_shortlisted"))).all()).toEqual([]);
  });
});

describe("reminders", () => {
  it("reminds each reviewer who has not finished once, by notification and e-mail, also when several processes run the round", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const s = await scenario({ dueDate: today });
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    for (const id of s.ideaIds) await score(r1, s.review.id, id, { [s.value]: 3 });
    const now = Date.now();
    const results = await raceWorkers<{ ok: number; errors: string[]; result: number }>(WORKER, [1, 2, 3].map(() => ({ kind: "remind", now })));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(await sendReviewReminders(now + 60_000)).toBe(0);
    const reminders = await db().select().from(reviewReminders).where(eq(reviewReminders.reviewId, s.review.id)).all();
    expect(reminders.map((r) => r.reviewerId)).toEqual([r2.id]);
    const notices = await db().select().from(notifications).where(eq(notifications.dedupeKey, `review:${s.review.id}:reminder`)).all();
    expect(notices.map((n) => [n.userId, n.body])).toEqual([[r2.id, `Reminder: 3 ideas left to score in “${s.review.title}”, due soon`]]);
    const mail = await db().select().from(mailOutbox).where(and(eq(mailOutbox.kind, "review_reminder"), eq(mailOutbox.userId, r2.id))).all();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`3 ideas left to review: ${s.review.title}`);
    expect((await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM mail_outbox WHERE kind = 'review_reminder' AND user_id = ${r1.id}`))?.n).toBe(0);
  });

  it("does not remind before the day before the due date, nor for a closed review", async () => {
    const far = new Date(Date.now() + 5 * 24 * HOUR).toISOString().slice(0, 10);
    const s = await scenario({ dueDate: far });
    expect(await sendReviewReminders(Date.now())).toBe(0);
    await closeReview(s.facilitator, s.review.id, meta);
    expect(await sendReviewReminders(Date.now() + 10 * 24 * HOUR)).toBe(0);
  });
});
