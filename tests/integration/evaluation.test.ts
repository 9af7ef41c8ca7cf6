import { fileURLToPath } from "node:url";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raceWorkers } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import { DEFAULT_CRITERIA } from "~/domain/evaluation";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideaStageFor, reviewPage, reviewsHome, scoreIdeaPage } from "~/services/review-pages.server";
import { answerInvitation, inviteCoauthor } from "~/services/coauthors.server";
import { assignReviewerByHand, closeReview, decideIdea, openReview, sendReviewReminders, submitScores } from "~/services/reviews.server";
import { db } from "~db/client";
import { actionIdeas, followUpActions, ideaStages, mailOutbox, notifications, pointEntries, reviewAssignments, reviewCriteria, reviewReminders, reviewScores } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const WORKER = fileURLToPath(new URL("./helpers/reviews-worker.ts", import.meta.url));
const HOUR = 3_600_000;
const meta = { ip: "203.0.113.7" };

function criteriaOf(reviewId: number) {
  return db().select().from(reviewCriteria).where(eq(reviewCriteria.reviewId, reviewId)).orderBy(reviewCriteria.position).all();
}

/**
 * A jam with three ideas by three authors (the last anonymous when asked), two reviewers, and a
 * review of all its ideas: each idea to both reviewers.
 */
function scenario(options: { blind?: boolean; ended?: boolean; anonymous?: boolean; weights?: number[]; dueDate?: string; perIdea?: number } = {}) {
  const now = Date.now();
  const { jam, challengeIds, facilitator } = options.ended ? makeJam({ startsAt: now - 5 * HOUR, endsAt: now - HOUR }) : makeJam();
  const challengeId = challengeIds[0]!;
  const authors = [makeUser(), makeUser(), makeUser()];
  const posted = authors.map((a, i) =>
    makeIdea(a, challengeId, { title: `Idea ${"ABC"[i]} ${now}`, isAnonymous: options.anonymous === true && i === 2, now: options.ended ? now - 3 * HOUR : undefined }),
  );
  const reviewers = [makeUser({ name: "Rhea Reviewer" }), makeUser({ name: "Rex Reviewer" })];
  const weights = options.weights ?? [1, 1, 1];
  const opened = openReview(
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
  const criteria = criteriaOf(opened.id);
  const [value, cost, feasibility] = criteria.map((c) => String(c.id));
  return { jam, challengeId, facilitator, authors, ideaIds: posted.map((p) => p.id), reviewers, review: opened, criteria, value: value!, cost: cost!, feasibility: feasibility! };
}

function score(user: SessionUser, reviewId: number, ideaId: number, scores: Record<string, unknown>, comment = "") {
  return submitScores(user, reviewId, ideaId, { scores, comment }, meta);
}

describe("opening a review", () => {
  it("puts the challenge's ideas in review, tells their authors, and gives each idea N reviewers (never its author) with balanced loads", () => {
    const now = Date.now();
    const { jam, challengeIds, facilitator } = makeJam();
    const authors = [makeUser(), makeUser(), makeUser(), makeUser()];
    const ideaIds = authors.map((a) => makeIdea(a, challengeIds[0]!).id);
    const outsider = makeUser();
    // The first author is also in the pool: they must never get their own idea.
    const pool = [authors[0]!, outsider, makeUser()];
    const review = openReview(
      facilitator,
      { challengeId: challengeIds[0], title: "Pick the best", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "people", reviewers: pool.map((p) => p.email.toUpperCase()).join(", "), perIdea: 2 },
      { ...meta, now },
    );
    expect(review).toMatchObject({ ideas: 4, added: 8, short: 0, jamSlug: jam.slug });
    const rows = db().select().from(reviewAssignments).where(eq(reviewAssignments.reviewId, review.id)).all();
    expect(rows.some((r) => r.ideaId === ideaIds[0] && r.reviewerId === authors[0]!.id)).toBe(false);
    const load = pool.map((p) => rows.filter((r) => r.reviewerId === p.id).length);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    for (const id of ideaIds) expect(rows.filter((r) => r.ideaId === id)).toHaveLength(2);

    expect(db().select().from(ideaStages).where(eq(ideaStages.ideaId, ideaIds[1]!)).get()?.stage).toBe("in_review");
    const told = db().select().from(notifications).where(and(eq(notifications.userId, authors[1]!.id), eq(notifications.kind, "stages"))).all();
    expect(told.map((n) => n.body)).toEqual([expect.stringMatching(/^Your idea “.*” is in review: “Pick the best”$/)]);
    const asked = db().select().from(notifications).where(and(eq(notifications.userId, outsider.id), eq(notifications.kind, "reviews"))).get();
    expect(asked?.body).toMatch(/^You are asked to review \d ideas in “Pick the best”$/);
  });

  it("refuses unknown reviewers, an empty scope, bad criteria and a past due date, and only facilitators open one", () => {
    const { challengeIds, facilitator } = makeJam();
    const base = { challengeId: challengeIds[0], title: "R", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "hand", perIdea: 2 };
    const refusal = (input: Record<string, unknown>, who: SessionUser = facilitator) => {
      try {
        openReview(who, input, meta);
      } catch (error) {
        return error;
      }
      throw new Error("accepted");
    };
    expect((refusal(base) as Invalid).fieldErrors.scope).toBeDefined();
    makeIdea(makeUser(), challengeIds[0]!);
    expect((refusal({ ...base, assign: "people", reviewers: "nobody@example.test" }) as Invalid).fieldErrors.reviewers?.[0]).toMatch(/nobody@example.test/);
    expect((refusal({ ...base, criteria: [{ name: "Value", weight: 0 }] }) as Invalid).fieldErrors["criteria.0.weight"]).toBeDefined();
    expect((refusal({ ...base, criteria: [{ name: "Value", weight: 1 }, { name: "value", weight: 2 }] }) as Invalid).fieldErrors.criteria).toBeDefined();
    expect((refusal({ ...base, criteria: [] }) as Invalid).fieldErrors.criteria).toBeDefined();
    expect((refusal({ ...base, dueDate: "2001-01-01" }) as Invalid).fieldErrors.dueDate).toBeDefined();
    expect(refusal(base, makeUser())).toBeInstanceOf(Forbidden);
    expect(refusal(base, makeUser({ role: "leader" }))).toBeInstanceOf(Forbidden);
  });
});

describe("scoring and the ranked shortlist", () => {
  it("weights the criteria, renormalises missing ones, leaves out a reviewer with no score, and breaks ties as documented", () => {
    const s = scenario({ weights: [3, 1, 1] });
    const [a, b, c] = s.ideaIds as [number, number, number];
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    // A: (3×5 + 1 + 1) / 5 = 3.4 and (3×1 + 5 + 5) / 5 = 2.6: 3.0, spread 0.4.
    score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 1, [s.feasibility]: 1 }, "Great value, costly.");
    score(r2, s.review.id, a, { [s.value]: 1, [s.cost]: 5, [s.feasibility]: 5 }, "Cheap but pointless.");
    // B: only value scored by one reviewer (4.0); the other has not scored it (left out).
    score(r1, s.review.id, b, { [s.value]: 4, [s.cost]: "", [s.feasibility]: "" });
    // C: 3.0 from both, no spread: ties with A on score and reviewers, wins on spread.
    score(r1, s.review.id, c, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });
    score(r2, s.review.id, c, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });

    const page = reviewPage(s.facilitator, s.jam.slug, s.review.id);
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

  it("says reviewers disagreed when their spread reaches the threshold", () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    score(s.reviewers[0]!, s.review.id, a, { [s.value]: 1, [s.cost]: 1, [s.feasibility]: 1 });
    score(s.reviewers[1]!, s.review.id, a, { [s.value]: 3, [s.cost]: 3, [s.feasibility]: 3 });
    const row = reviewPage(s.facilitator, s.jam.slug, s.review.id).manage!.shortlist.find((r) => r.idea.id === a)!;
    expect(row).toMatchObject({ score: 2, sd: 1, disagreed: true });
  });

  it("keeps one score per reviewer, idea and criterion: the last submission wins, a blank removes one", () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    score(r1, s.review.id, a, { [s.value]: 1, [s.cost]: 1, [s.feasibility]: 1 });
    score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 4, [s.feasibility]: 1 });
    score(r1, s.review.id, a, { [s.value]: 5, [s.cost]: 2, [s.feasibility]: "" }, "Changed my mind");
    const rows = db().select().from(reviewScores).where(and(eq(reviewScores.ideaId, a), eq(reviewScores.reviewerId, r1.id))).all();
    expect(rows.map((r) => r.score).sort()).toEqual([2, 5]);
  });

  it("concurrent submissions from several processes leave one score per criterion, never duplicates", async () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    const results = await raceWorkers<{ ok: number; errors: string[] }>(
      WORKER,
      [1, 2, 3, 4].map((n) => ({ kind: "score", user: r1, reviewId: s.review.id, ideaId: a, times: 5, input: { scores: { [s.value]: n, [s.cost]: n, [s.feasibility]: n } } })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(20);
    const rows = db().select().from(reviewScores).where(and(eq(reviewScores.ideaId, a), eq(reviewScores.reviewerId, r1.id))).all();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.score)).size).toBe(1);
  });

  it("refuses scores out of range, for unknown criteria, or none at all, and scoring a closed review", () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    const r1 = s.reviewers[0]!;
    for (const bad of [{ [s.value]: 0 }, { [s.value]: 6 }, { [s.value]: 2.5 }, { [s.value]: "x" }]) {
      expect(() => score(r1, s.review.id, a, bad)).toThrow(Invalid);
    }
    const other = scenario();
    expect(() => score(r1, s.review.id, a, { [other.value]: 3 })).toThrow(Invalid);
    expect(() => score(r1, s.review.id, a, { "99999999": 3 })).toThrow(Invalid);
    expect(() => score(r1, s.review.id, a, { [s.value]: "", [s.cost]: "" })).toThrow(Invalid);
    expect(() => submitScores(r1, s.review.id, a, { scores: { [s.value]: 3 }, comment: "x".repeat(2001) }, meta)).toThrow(Invalid);
    expect(db().select().from(reviewScores).where(eq(reviewScores.reviewId, s.review.id)).all()).toEqual([]);
    closeReview(s.facilitator, s.review.id, meta);
    expect(() => score(r1, s.review.id, a, { [s.value]: 3 })).toThrow(Conflict);
  });
});

describe("who sees and does what", () => {
  it("a reviewer cannot score an idea not given to them, nor an idea of another review", () => {
    const s = scenario({ perIdea: 1 });
    const r1 = s.reviewers[0]!;
    const mine = new Set(db().select().from(reviewAssignments).where(and(eq(reviewAssignments.reviewId, s.review.id), eq(reviewAssignments.reviewerId, r1.id))).all().map((r) => r.ideaId));
    const notMine = s.ideaIds.find((id) => !mine.has(id))!;
    expect(() => score(r1, s.review.id, notMine, { [s.value]: 5 })).toThrow(NotFound);
    expect(() => scoreIdeaPage(r1, s.jam.slug, s.review.id, notMine)).toThrow(NotFound);
    const other = scenario();
    expect(() => score(r1, other.review.id, other.ideaIds[0]!, { [other.value]: 5 })).toThrow(NotFound);
    expect(() => score(makeUser(), s.review.id, s.ideaIds[0]!, { [s.value]: 5 })).toThrow(NotFound);
  });

  it("a participant cannot read the review, its shortlist or its scores; a reviewer reads only their own ideas", () => {
    const s = scenario();
    score(s.reviewers[0]!, s.review.id, s.ideaIds[0]!, { [s.value]: 5 }, "Secret note");
    expect(() => reviewPage(makeUser(), s.jam.slug, s.review.id)).toThrow(NotFound);
    // An idea's author is not a reviewer: not found either.
    expect(() => reviewPage(s.authors[0]!, s.jam.slug, s.review.id)).toThrow(NotFound);
    expect(reviewsHome(s.authors[0]!)).toEqual({ mine: [], running: null });
    const asReviewer = reviewPage(s.reviewers[1]!, s.jam.slug, s.review.id);
    expect(asReviewer.manage).toBeNull();
    expect(asReviewer.mine).toHaveLength(3);
    expect(JSON.stringify(asReviewer)).not.toContain("Secret note");
    // The wrong jam in the address: not found.
    expect(() => reviewPage(s.facilitator, "another-jam", s.review.id)).toThrow(NotFound);
    // A facilitator who was not given the idea reads scores on the review's page, not the score page.
    expect(() => scoreIdeaPage(s.facilitator, s.jam.slug, s.review.id, s.ideaIds[0]!)).toThrow(NotFound);
    // The stage is the author's and the facilitators' to see.
    expect(ideaStageFor(makeUser(), s.ideaIds[0]!)).toBeNull();
    expect(ideaStageFor(s.authors[0]!, s.ideaIds[0]!)?.label).toBe("In review");
  });

  it("in a blind review a reviewer gets no author and nobody else's scores until they submitted their own", () => {
    const s = scenario({ blind: true });
    const [a] = s.ideaIds as [number];
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    score(r2, s.review.id, a, { [s.value]: 1, [s.cost]: 2, [s.feasibility]: 1 }, "Rex thinks it is weak");
    const before = scoreIdeaPage(r1, s.jam.slug, s.review.id, a);
    expect(before.others).toBeNull();
    expect(before.idea.author).toBeNull();
    const data = JSON.stringify(before);
    expect(data).not.toContain("Rex thinks it is weak");
    expect(data).not.toContain("Rex Reviewer");
    expect(data).not.toContain(s.authors[0]!.name);
    expect(JSON.stringify(reviewPage(r1, s.jam.slug, s.review.id))).not.toContain(s.authors[0]!.name);

    score(r1, s.review.id, a, { [s.value]: 4, [s.cost]: 4, [s.feasibility]: 4 });
    const after = scoreIdeaPage(r1, s.jam.slug, s.review.id, a);
    expect(after.others).toEqual([{ name: "Rex Reviewer", submitted: true, comment: "Rex thinks it is weak", scores: { [s.value]: 1, [s.cost]: 2, [s.feasibility]: 1 } }]);
    expect(after.idea.author).toBeNull();
  });

  it("in an open (not blind) review a reviewer sees the author and others' scores", () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    score(s.reviewers[1]!, s.review.id, a, { [s.value]: 2 });
    const page = scoreIdeaPage(s.reviewers[0]!, s.jam.slug, s.review.id, a);
    expect(page.idea.author).toBe(s.authors[0]!.name);
    expect(page.others?.[0]?.scores).toEqual({ [s.value]: 2 });
  });

  it("an author never reviews their own idea; an anonymous idea gets no reviewer by hand", () => {
    const s = scenario({ anonymous: true });
    const [a, , anonymousIdea] = s.ideaIds as [number, number, number];
    expect(() => assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: s.authors[0]!.email }, meta)).toThrow(Invalid);
    expect(() => assignReviewerByHand(s.facilitator, s.review.id, { ideaId: anonymousIdea, email: makeUser().email }, meta)).toThrow(Invalid);
    const helper = makeUser();
    expect(assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: helper.email }, meta)).toEqual({ added: 1 });
    expect(() => assignReviewerByHand(s.facilitator, s.review.id, { ideaId: a, email: helper.email }, meta)).toThrow(Invalid);
    expect(() => assignReviewerByHand(s.reviewers[0]!, s.review.id, { ideaId: a, email: helper.email }, meta)).toThrow(Forbidden);
    // The anonymous idea's author is never named to the facilitator.
    const page = reviewPage(s.facilitator, s.jam.slug, s.review.id);
    expect(page.manage!.shortlist.find((r) => r.idea.id === anonymousIdea)?.idea.author).toBeNull();
    expect(JSON.stringify(page)).not.toContain(s.authors[2]!.name);
  });
});

describe("co-authors", () => {
  it("a co-author never reviews the idea they write, by hand or by round-robin", () => {
    const { challengeIds, facilitator } = makeJam();
    const author = makeUser();
    const coauthor = makeUser();
    const idea = makeIdea(author, challengeIds[0]!);
    inviteCoauthor(author, { ideaId: idea.id, userId: coauthor.id });
    answerInvitation(coauthor, { ideaId: idea.id, answer: "accept" });
    const others = [makeUser(), makeUser()];
    const review = openReview(
      facilitator,
      { challengeId: challengeIds[0], title: "Round", scope: "all", criteria: DEFAULT_CRITERIA, blind: "", dueDate: "", assign: "people", reviewers: [coauthor, ...others].map((p) => p.email).join(", "), perIdea: 2 },
      meta,
    );
    const rows = db().select().from(reviewAssignments).where(eq(reviewAssignments.reviewId, review.id)).all();
    expect(rows.filter((r) => r.ideaId === idea.id).map((r) => r.reviewerId).sort()).toEqual(others.map((o) => o.id).sort());
    expect(() => assignReviewerByHand(facilitator, review.id, { ideaId: idea.id, email: coauthor.email }, meta)).toThrow(Invalid);
  });
});

describe("deciding", () => {
  it("shortlists, selects into one follow-up action (even when selected twice), tells the author and earns points once per stage", () => {
    const s = scenario({ ended: true });
    const [a, b] = s.ideaIds as [number, number];
    const author = s.authors[0]!;
    expect(decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "shortlisted" }, meta)).toMatchObject({ stage: "shortlisted", changed: true });
    expect(decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "shortlisted" }, meta)).toMatchObject({ changed: false });
    const first = decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "selected" }, meta);
    const again = decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "selected" }, meta);
    expect(again).toEqual({ stage: "selected", changed: false, actionId: first.actionId });
    const linked = db().select().from(actionIdeas).where(eq(actionIdeas.ideaId, a)).all();
    expect(linked).toHaveLength(1);
    expect(db().select().from(followUpActions).where(eq(followUpActions.id, first.actionId!)).get()).toMatchObject({ status: "approved", ownerId: s.facilitator.id });
    expect(() => decideIdea(s.facilitator, s.review.id, { ideaId: a, decision: "not_selected", reason: "No" }, meta)).toThrow(Conflict);

    const bodies = db().select({ body: notifications.body }).from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, "stages"))).all().map((n) => n.body);
    expect(bodies).toEqual([expect.stringMatching(/is in review/), expect.stringMatching(/was shortlisted/), expect.stringMatching(/was selected .* becomes a follow-up action$/)]);
    const mail = db().select({ subject: mailOutbox.subject }).from(mailOutbox).where(and(eq(mailOutbox.userId, author.id), eq(mailOutbox.kind, "idea_stage"))).orderBy(mailOutbox.id).all();
    expect(mail.map((m) => m.subject)).toEqual([expect.stringMatching(/^Your idea was shortlisted: /), expect.stringMatching(/^Your idea was selected: /)]);
    // The jam has ended: outcomes still earn (once per stage).
    const points = db().select({ reason: pointEntries.reason, points: pointEntries.points }).from(pointEntries).where(and(eq(pointEntries.userId, author.id), eq(pointEntries.subject, `idea:${a}`))).all();
    expect(points.filter((p) => p.reason !== "idea_posted" && p.reason !== "first_of_day")).toEqual([
      { reason: "idea_shortlisted", points: 15 },
      { reason: "idea_selected", points: 50 },
    ]);
    expect(ideaStageFor(author, a)).toEqual({ stage: "selected", label: "Selected", reason: null });

    // Not selected needs a reason, which the author reads.
    expect(() => decideIdea(s.facilitator, s.review.id, { ideaId: b, decision: "not_selected" }, meta)).toThrow(Invalid);
    decideIdea(s.facilitator, s.review.id, { ideaId: b, decision: "not_selected", reason: "Another team already does this." }, meta);
    expect(ideaStageFor(s.authors[1]!, b)).toEqual({ stage: "not_selected", label: "Not selected", reason: "Another team already does this." });
    // Only facilitators decide; an idea outside the review is not found.
    expect(() => decideIdea(s.reviewers[0]!, s.review.id, { ideaId: b, decision: "selected" }, meta)).toThrow(Forbidden);
    expect(() => decideIdea(s.facilitator, s.review.id, { ideaId: scenario().ideaIds[0], decision: "selected" }, meta)).toThrow(NotFound);
  });

  it("two processes selecting the same idea at once create one action", async () => {
    const s = scenario();
    const [a] = s.ideaIds as [number];
    const results = await raceWorkers<{ ok: number; errors: string[]; result: { actionId: number } }>(
      WORKER,
      [1, 2, 3].map(() => ({ kind: "decide", user: s.facilitator, reviewId: s.review.id, input: { ideaId: a, decision: "selected" } })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.result.actionId)).size).toBe(1);
    expect(db().select().from(actionIdeas).where(eq(actionIdeas.ideaId, a)).all()).toHaveLength(1);
  });

  it("tells an anonymous idea's author privately and never names them; it earns no points", () => {
    const s = scenario({ anonymous: true });
    const idea = s.ideaIds[2]!;
    const author = s.authors[2]!;
    decideIdea(s.facilitator, s.review.id, { ideaId: idea, decision: "shortlisted" }, meta);
    const notice = db().select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.dedupeKey, `stage:${idea}:shortlisted`))).get();
    expect(notice?.body).toMatch(/^Your anonymous idea “.*” was shortlisted/);
    const mail = db().select().from(mailOutbox).where(and(eq(mailOutbox.userId, author.id), eq(mailOutbox.kind, "idea_stage"))).all();
    expect(mail.map((m) => m.subject)).toEqual(["There is news about one of your ideas"]);
    expect(mail[0]!.dedupeKey).toMatch(/^private:/);
    expect(mail[0]!.textBody).not.toContain("Idea C");
    expect(db().select().from(pointEntries).where(and(eq(pointEntries.subject, `idea:${idea}`), eq(pointEntries.reason, "idea_shortlisted"))).all()).toEqual([]);
  });
});

describe("reminders", () => {
  it("reminds each reviewer who has not finished once, by notification and e-mail, also when several processes run the round", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const s = scenario({ dueDate: today });
    const [r1, r2] = s.reviewers as [SessionUser, SessionUser];
    for (const id of s.ideaIds) score(r1, s.review.id, id, { [s.value]: 3 });
    const now = Date.now();
    const results = await raceWorkers<{ ok: number; errors: string[]; result: number }>(WORKER, [1, 2, 3].map(() => ({ kind: "remind", now })));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(sendReviewReminders(now + 60_000)).toBe(0);
    const reminders = db().select().from(reviewReminders).where(eq(reviewReminders.reviewId, s.review.id)).all();
    expect(reminders.map((r) => r.reviewerId)).toEqual([r2.id]);
    const notices = db().select().from(notifications).where(eq(notifications.dedupeKey, `review:${s.review.id}:reminder`)).all();
    expect(notices.map((n) => [n.userId, n.body])).toEqual([[r2.id, `Reminder: 3 ideas left to score in “${s.review.title}”, due soon`]]);
    const mail = db().select().from(mailOutbox).where(and(eq(mailOutbox.kind, "review_reminder"), eq(mailOutbox.userId, r2.id))).all();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`3 ideas left to review: ${s.review.title}`);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM mail_outbox WHERE kind = 'review_reminder' AND user_id = ${r1.id}`)?.n).toBe(0);
  });

  it("does not remind before the day before the due date, nor for a closed review", () => {
    const far = new Date(Date.now() + 5 * 24 * HOUR).toISOString().slice(0, 10);
    const s = scenario({ dueDate: far });
    expect(sendReviewReminders(Date.now())).toBe(0);
    closeReview(s.facilitator, s.review.id, meta);
    expect(sendReviewReminders(Date.now() + 10 * 24 * HOUR)).toBe(0);
  });
});
