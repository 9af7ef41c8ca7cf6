/**
 * "Ask the people who know": routing, declining, answering, accepting, points, the Expert badge,
 * escalation, search, moderation, erasure, and what a participant could learn or change that is
 * not theirs.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import type { SessionUser } from "~/auth/session.server";
import { QUESTION_POINTS } from "~/domain/questions";
import { eraseAccount } from "~/services/commands/erasure.server";
import { Conflict, Forbidden, NotFound } from "~/services/errors";
import { personalData } from "~/services/commands/data-export.server";
import {
  questionPage,
  questionsListPage,
} from "~/services/pages/questions.server";
import { searchQuestions, askedPeople, routeCandidates } from "~/services/lookups/questions.server";
import {
  acceptCommand,
  answerCommand,
  askQuestionCommand,
  declineCommand,
  flagCommand,
  hideCommand,
  restoreCommand,
  saveMayBeAsked,
  escalateUnanswered,
} from "~/services/commands/questions.server";
import { setSetting } from "~/services/commands/settings.server";
import { castVote } from "~/services/commands/votes.server";
import { db, ENGINE, openDb, transaction, databasePath, type Db } from "~db/client";
import { mailOutbox, notifications, pointEntries, questionRoutes, userBadges, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";

let keys = 0;
const key = () => `q-key-${++keys}`.padEnd(10, "x");

async function ask(asker: SessionUser, title: string, body = "", extra: Record<string, unknown> = {}, now = Date.now()) {
  return await askQuestionCommand(asker, { title, body, clientKey: key(), ...extra }, now);
}
async function answer(author: SessionUser, questionId: number, body = "Here is what worked for us.", parentId?: number, now = Date.now()) {
  return await answerCommand(author, questionId, { body, parentId: parentId ?? "", clientKey: key() }, now);
}
const asked = async (questionId: number) => (await askedPeople(db(), questionId)).map((p) => p.id);
const noticesOf = async (userId: number) => await db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, "questions"))).all();
const mailOf = async (userId: number) => await db().select().from(mailOutbox).where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.kind, "question"))).all();
const pointsOf = async (userId: number) => (await db().get<{ n: number }>(sql`SELECT coalesce(sum(points), 0) AS n FROM point_entries WHERE user_id = ${userId}`))!.n;
const questionPointsOf = async (userId: number) =>
  (await db().get<{ n: number }>(sql`SELECT coalesce(sum(points), 0) AS n FROM point_entries WHERE user_id = ${userId} AND jam_id IS NULL`))!.n;

/** An expert with `supporters` colleagues supporting a named idea on `word`; from other departments unless `sameDepartment`. */
async function expertOn(word: string, supporters: number, challengeId: number, options: { anonymous?: boolean; sameDepartment?: boolean } = {}) {
  const department = await makeDepartment();
  const expert = await makeUser({ departmentId: department.id });
  const idea = await makeIdea(expert, challengeId, { title: `Our ${word} playbook`, body: `Notes on ${word}.`, isAnonymous: options.anonymous ?? false });
  for (let i = 0; i < supporters; i++) {
    const fan = await makeUser(options.sameDepartment ? { departmentId: department.id } : {});
    await castVote(fan, { ideaId: idea.id });
  }
  return { expert, idea };
}

describe("routing a question to the people who know", () => {
  it("asks the three best go-to people for its words, tells each once, and keeps the rest in line", async () => {
    const { challengeIds } = await makeJam();
    const c = challengeIds[0]!;
    const people = await mapInOrder([4, 3, 2, 1, 0], async (n) => (await expertOn("kanban", n, c)).expert);
    const asker = await makeUser();
    const result = await ask(asker, "How do you start with kanban boards?");
    expect(result.asked).toBe(3);
    expect(await asked(result.id)).toEqual(people.slice(0, 3).map((p) => p.id));
    const line = await db().select().from(questionRoutes).where(eq(questionRoutes.questionId, result.id)).orderBy(questionRoutes.position).all();
    expect(line.map((r) => [r.userId, r.status])).toEqual([
      [people[0]!.id, "asked"],
      [people[1]!.id, "asked"],
      [people[2]!.id, "asked"],
      [people[3]!.id, "waiting"],
      [people[4]!.id, "waiting"],
    ]);
    for (const p of people.slice(0, 3)) {
      expect(await noticesOf(p.id)).toHaveLength(1);
      expect(await mailOf(p.id)).toHaveLength(1);
    }
    expect(await noticesOf(people[3]!.id)).toHaveLength(0);
    expect(await mailOf(people[3]!.id)).toHaveLength(0);
  });

  it("weighs support from other departments above support from the author's own", async () => {
    const { challengeIds } = await makeJam();
    const same = (await expertOn("retrospectives", 3, challengeIds[0]!, { sameDepartment: true })).expert;
    const cross = (await expertOn("retrospectives", 2, challengeIds[0]!)).expert;
    const asker = await makeUser();
    expect((await routeCandidates(db(), asker, "retrospectives")).map((p) => p.id)).toEqual([cross.id, same.id]);
  });

  it("never makes anyone a go-to person through an anonymous idea, however supported", async () => {
    const { challengeIds } = await makeJam();
    const hidden = (await expertOn("mentoring", 12, challengeIds[0]!, { anonymous: true })).expert;
    const asker = await makeUser();
    // Only the anonymous idea talks about it: nobody is asked, and the asker learns nothing.
    const result = await ask(asker, "Who runs mentoring circles well?");
    expect(result.asked).toBe(0);
    expect(await asked(result.id)).toEqual([]);
    expect(await noticesOf(hidden.id)).toHaveLength(0);
    expect(await mailOf(hidden.id)).toHaveLength(0);

    // With a named idea of theirs too, the support on the anonymous one still counts for nothing:
    // a rival with one supporter on a named idea ranks above them.
    await makeIdea(hidden, challengeIds[0]!, { title: "Mentoring pairs across teams" });
    const rival = (await expertOn("mentoring", 1, challengeIds[0]!)).expert;
    const ranked = await routeCandidates(db(), asker, "mentoring");
    expect(ranked.map((p) => p.id)).toEqual([rival.id, hidden.id]);
    expect(ranked.find((p) => p.id === hidden.id)!.facts).toMatchObject({ ideas: 1, crossSupporters: 0, sameSupporters: 0 });
  });

  it("routes on the ideas the question is about, not on one common word; anonymous ideas change nothing", async () => {
    const { challengeIds } = await makeJam();
    const c = challengeIds[0]!;
    // A popular person whose ideas all say "meetings", and a specialist on "okr".
    const popular = await makeUser();
    for (let i = 0; i < 6; i++) {
      const idea = await makeIdea(popular, c, { title: `Shorter meetings, take ${i}`, body: "Meetings end at the hour." });
      for (let s = 0; s < 5; s++) await castVote(await makeUser(), { ideaId: idea.id });
    }
    const specialist = (await expertOn("okr", 1, c)).expert;
    const asker = await makeUser();
    const before = (await routeCandidates(db(), asker, "How do we set okr targets in meetings?")).map((p) => p.id);
    expect(before[0]).toBe(specialist.id);
    expect(before).not.toContain(popular.id);
    // A rare word in the details does not pull the question away from what its title asks.
    const bystander = (await expertOn("zanzibar", 9, c)).expert;
    const withDetails = (await routeCandidates(db(), asker, { title: "How do we set okr targets?", body: "We tried it in Zanzibar once." })).map((p) => p.id);
    expect(withDetails[0]).toBe(specialist.id);
    expect(withDetails).not.toContain(bystander.id);
    // Details route when the title's words find nobody.
    expect((await routeCandidates(db(), asker, { title: "Any pointers at all?", body: "About zanzibar." })).map((p) => p.id)).toEqual([bystander.id]);
    // Anonymous ideas using the same words, however many, leave the routing as it was.
    for (let i = 0; i < 5; i++) await makeIdea(await makeUser(), c, { title: `okr meetings ${i}`, isAnonymous: true });
    expect((await routeCandidates(db(), asker, "How do we set okr targets in meetings?")).map((p) => p.id)).toEqual(before);
  });

  it("never routes to people who opted out of rankings or of being asked, to deactivated or erased people, or to the asker", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const c = challengeIds[0]!;
    const rankedOut = (await expertOn("onboarding", 9, c)).expert;
    const askOut = (await expertOn("onboarding", 8, c)).expert;
    const gone = (await expertOn("onboarding", 7, c)).expert;
    const erased = (await expertOn("onboarding", 6, c)).expert;
    const asker = (await expertOn("onboarding", 10, c)).expert;
    const willing = (await expertOn("onboarding", 1, c)).expert;
    await db().update(users).set({ hiddenFromRankings: true }).where(eq(users.id, rankedOut.id)).run();
    await saveMayBeAsked(askOut, {});
    await db().update(users).set({ deactivatedAt: Date.now() }).where(eq(users.id, gone.id)).run();
    await transaction(async (tx) => await eraseAccount(tx, erased.id, { actor: facilitator, removeContent: false, ip: null, now: Date.now() }));

    const result = await ask(asker, "What makes onboarding stick?");
    expect(await asked(result.id)).toEqual([willing.id]);
    const everyone = await db().select({ userId: questionRoutes.userId }).from(questionRoutes).where(eq(questionRoutes.questionId, result.id)).all();
    expect(everyone.map((r) => r.userId)).toEqual([willing.id]);
    for (const p of [rankedOut, askOut, gone, erased, asker]) expect(await noticesOf(p.id)).toHaveLength(0);
  });

  it("asks the go-to people of the theme a question was asked from, and refuses a theme the asker may not see", async () => {
    const asker = await makeUser();
    await expect(async () => await ask(asker, "Anything about this theme at all?", "", { themeId: 999_999 })).rejects.toThrow(NotFound);
  });

  it("asks once when the form is sent twice", async () => {
    const { challengeIds } = await makeJam();
    const expert = (await expertOn("budgeting", 2, challengeIds[0]!)).expert;
    const asker = await makeUser();
    const clientKey = key();
    const first = await askQuestionCommand(asker, { title: "How do you plan a budgeting cycle?", body: "", clientKey });
    const second = await askQuestionCommand(asker, { title: "How do you plan a budgeting cycle?", body: "", clientKey });
    expect(second).toMatchObject({ id: first.id, created: false });
    expect(await noticesOf(expert.id)).toHaveLength(1);
  });
});

describe("declining", () => {
  it("passes the question to the next person in line, skipping anyone who opted out since", async () => {
    const { challengeIds } = await makeJam();
    const c = challengeIds[0]!;
    const people = await mapInOrder([6, 5, 4, 3, 2], async (n) => (await expertOn("accessibility", n, c)).expert);
    const asker = await makeUser();
    const { id } = await ask(asker, "How do we test accessibility early?");
    await saveMayBeAsked(people[3]!, {}); // the fourth opts out while waiting
    expect(await declineCommand(people[0]!, id)).toEqual({ next: true });
    expect(await asked(id)).toEqual([people[1]!.id, people[2]!.id, people[4]!.id]);
    expect(await noticesOf(people[4]!.id)).toHaveLength(1);
    expect(await mailOf(people[4]!.id)).toHaveLength(1);
    expect(await noticesOf(people[3]!.id)).toHaveLength(0);
    // Twice is refused; someone never asked (or only waiting) cannot decline.
    await expect(async () => await declineCommand(people[0]!, id)).rejects.toThrow(Conflict);
    await expect(async () => await declineCommand(await makeUser(), id)).rejects.toThrow(NotFound);
  });

  it("opting out of being asked passes on every question one was asked", async () => {
    const { challengeIds } = await makeJam();
    const c = challengeIds[0]!;
    const [a, b] = await mapInOrder([3, 2], async (n) => (await expertOn("procurement", n, c)).expert);
    const { id } = await ask(await makeUser(), "Who knows procurement rules?");
    expect(await asked(id)).toEqual([a!.id, b!.id]);
    await saveMayBeAsked(a!, {});
    expect(await asked(id)).toEqual([b!.id]);
    await saveMayBeAsked(a!, { mayBeAsked: "on" });
    expect((await routeCandidates(db(), await makeUser(), "procurement")).map((p) => p.id)).toContain(a!.id);
  });
});

describe("answering and accepting", () => {
  it("earns points once per question and more when accepted, counts toward the Expert badge, and never twice", async () => {
    const { challengeIds } = await makeJam();
    const expert = (await expertOn("hiring", 2, challengeIds[0]!)).expert;
    const asker = await makeUser();
    const { id } = await ask(asker, "How do you run hiring panels?");
    const first = await answer(expert, id, "Two interviewers, one rubric.");
    expect(first.points).toBe(QUESTION_POINTS.question_answered);
    const second = await answer(expert, id, "And a debrief the same day.");
    expect(second.points).toBe(0);
    // A reply to an answer earns nothing.
    const reply = await answer(asker, id, "Thanks, what rubric?", first.id);
    expect(reply.points).toBe(0);
    expect(await questionPointsOf(asker.id)).toBe(0);

    const badge = await db().select().from(userBadges).where(and(eq(userBadges.userId, expert.id), eq(userBadges.badgeKey, "expert"))).get();
    expect(badge?.level).toBe(1);

    const accepted = await acceptCommand(asker, id, { answerId: first.id });
    expect(accepted.points).toBe(QUESTION_POINTS.answer_accepted);
    await expect(async () => await acceptCommand(asker, id, { answerId: first.id })).rejects.toThrow(Conflict);
    await expect(async () => await acceptCommand(asker, id, { answerId: second.id })).rejects.toThrow(Conflict);
    expect(await questionPointsOf(expert.id)).toBe(QUESTION_POINTS.question_answered + QUESTION_POINTS.answer_accepted);
    const page = await questionPage(asker, id);
    expect(page.question.status).toBe("accepted");
    expect(page.answers.find((a) => a.id === first.id)).toMatchObject({ accepted: true, points: 25 });
    expect((await noticesOf(expert.id)).some((n) => n.body.includes("accepted your answer"))).toBe(true);
  });

  it("gives nothing for answering one's own question, and one's own answer cannot be accepted", async () => {
    const asker = await makeUser();
    const { id } = await ask(asker, "Does anyone else struggle with timesheets?");
    const mine = await answer(asker, id, "Answering myself: we automated it.");
    expect(mine.points).toBe(0);
    expect(await pointsOf(asker.id)).toBe(0);
    await expect(async () => await acceptCommand(asker, id, { answerId: mine.id })).rejects.toThrow(Conflict);
  });

  it("two acceptances at once (two tabs) accept one answer and award its points once", async () => {
    const asker = await makeUser();
    const [x, y] = [await makeUser(), await makeUser()];
    const { id } = await ask(asker, "Which survey tool do you use for feedback?");
    const ax = await answer(x, id, "We use the built-in forms.");
    const ay = await answer(y, id, "A shared spreadsheet.");
    const results = await mapInOrder([ax.id, ay.id], async (answerId) => {
      try {
        return await acceptCommand(asker, id, { answerId });
      } catch (error) {
        return error;
      }
    });
    expect(results.filter((r) => r instanceof Conflict)).toHaveLength(1);
    const acceptedPoints = (await db().select().from(pointEntries).where(eq(pointEntries.reason, "answer_accepted")).all()).filter((p) => p.source === `question:${id}`);
    expect(acceptedPoints).toHaveLength(1);
  });
});

describe("what a participant cannot do or learn", () => {
  it("cannot accept an answer to someone else's question", async () => {
    const asker = await makeUser();
    const [intruder, helper] = [await makeUser(), await makeUser()];
    const { id } = await ask(asker, "How do we share meeting notes?");
    const a = await answer(helper, id);
    await expect(async () => await acceptCommand(intruder, id, { answerId: a.id })).rejects.toThrow(Forbidden);
    // Not even the answer's author.
    await expect(async () => await acceptCommand(helper, id, { answerId: a.id })).rejects.toThrow(Forbidden);
    expect((await questionPage(asker, id)).question.acceptedAnswerId).toBeNull();
    expect(await questionPointsOf(helper.id)).toBe(QUESTION_POINTS.question_answered);
  });

  it("cannot accept an answer from another question on their own", async () => {
    const asker = await makeUser();
    const other = await ask(await makeUser(), "Where is the travel policy?");
    const foreign = await answer(await makeUser(), other.id);
    const { id } = await ask(asker, "Where are the expense forms?");
    await expect(async () => await acceptCommand(asker, id, { answerId: foreign.id })).rejects.toThrow(NotFound);
  });

  it("cannot read or answer a hidden question; its asker and facilitators still see it", async () => {
    const { facilitator } = await makeJam();
    const asker = await makeUser();
    const reader = await makeUser();
    const { id } = await ask(asker, "Something that breaks the rules here?");
    await hideCommand(facilitator, id, { targetType: "question", reason: "Off topic" });
    await expect(async () => await questionPage(reader, id)).rejects.toThrow(NotFound);
    await expect(async () => await answer(reader, id)).rejects.toThrow(NotFound);
    await expect(async () => await answer(asker, id)).rejects.toThrow(NotFound);
    expect((await questionPage(asker, id)).question.hiddenReason).toBe("Off topic");
    expect((await questionPage(facilitator, id)).question.hiddenReason).toBe("Off topic");
    expect((await questionsListPage(reader, { tab: "open" })).questions.map((q) => q.id)).not.toContain(id);
    await expect(async () => await hideCommand(reader, id, { targetType: "question", reason: "Mine now" })).rejects.toThrow(Forbidden);
  });

  it("never sees who a question went to unless they asked it; the asker sees only who was asked, never the line", async () => {
    const { challengeIds } = await makeJam();
    const c = challengeIds[0]!;
    const named = await mapInOrder([5, 4, 3, 2], async (n) => (await expertOn("security", n, c)).expert);
    const anonymousAuthor = (await expertOn("security", 20, c, { anonymous: true })).expert;
    const asker = await makeUser();
    const { id } = await ask(asker, "How do we review security changes?");
    const seen = (await questionPage(asker, id)).asked.map((p) => p.id);
    expect(seen).toEqual(named.slice(0, 3).map((p) => p.id));
    expect(seen).not.toContain(anonymousAuthor.id);
    expect((await questionPage(await makeUser(), id)).asked).toEqual([]);
    expect((await questionPage(named[0]!, id)).asked).toEqual([]);
    expect((await questionPage(named[0]!, id)).myRoute).toBe("asked");
    expect((await questionPage(named[3]!, id)).myRoute).toBeNull();
  });

  it("hiding an answer takes back its points and its Expert count; restoring gives back exactly those", async () => {
    const { facilitator } = await makeJam();
    const asker = await makeUser();
    const helper = await makeUser();
    const { id } = await ask(asker, "How to onboard contractors quickly?");
    const a = await answer(helper, id);
    await acceptCommand(asker, id, { answerId: a.id });
    expect(await questionPointsOf(helper.id)).toBe(25);
    await hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Wrong and risky" });
    expect(await questionPointsOf(helper.id)).toBe(0);
    expect((await questionPage(await makeUser(), id)).answers).toEqual([]);
    expect((await questionPage(facilitator, id)).answers[0]!.hiddenReason).toBe("Wrong and risky");
    await restoreCommand(facilitator, id, { targetType: "answer", targetId: String(a.id) });
    expect(await questionPointsOf(helper.id)).toBe(25);
  });

  it("flags once per person, and a flag on a hidden answer is refused", async () => {
    const { facilitator } = await makeJam();
    const { id } = await ask(await makeUser(), "Is the printer on floor 3 fixed?");
    const a = await answer(await makeUser(), id);
    const flagger = await makeUser();
    expect(await flagCommand(flagger, id, { targetType: "answer", targetId: a.id, reason: "Rude" })).toEqual({ created: true });
    expect(await flagCommand(flagger, id, { targetType: "answer", targetId: a.id, reason: "Rude" })).toEqual({ created: false });
    expect((await questionPage(facilitator, id)).answers[0]!.openFlags).toBe(1);
    expect((await questionPage(flagger, id)).answers[0]!.openFlags).toBe(0);
    await hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Rude" });
    await expect(async () => await flagCommand(await makeUser(), id, { targetType: "answer", targetId: a.id, reason: "Rude" })).rejects.toThrow(NotFound);
  });
});

describe("escalation", () => {
  it("sends a question nobody answered to the facilitators after the set time, exactly once, even with two processes at it", async () => {
    await setSetting("questionEscalationHours", 2, (await makeUser({ role: "admin" })).id);
    const facilitators = [await makeUser({ role: "facilitator" }), await makeUser({ role: "facilitator" })];
    const asker = await makeUser();
    const start = Date.now();
    const old = await ask(asker, "Who owns the quarterly planning template?", "", {}, start - 3 * 3_600_000);
    const fresh = await ask(asker, "Who owns the yearly planning template?", "", {}, start - 3_600_000);
    const answered = await ask(asker, "Who owns the weekly planning template?", "", {}, start - 3 * 3_600_000);
    await answer(await makeUser(), answered.id, "The PMO does.", undefined, start - 2 * 3_600_000);

    // A second process (its own connection) reads the same due list and tries to escalate at the same moment.
    // On PostgreSQL every transaction takes a connection of its own from the pool, as another server would.
    const other: Db | null = ENGINE === "postgres" ? null : openDb(databasePath());
    try {
      const otherTransaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
        if (!other) return await transaction(work);
        other.$client.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(other);
          other.$client.exec("COMMIT");
          return result;
        } catch (error) {
          other.$client.exec("ROLLBACK");
          throw error;
        }
      };
      let raced = false;
      const racingTransaction = async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
        if (!raced) {
          raced = true;
          // The other process wins the race for every due question before this one writes.
          expect(await escalateUnanswered(other ?? db(), otherTransaction, start)).toEqual([old.id]);
        }
        return transaction(work);
      };
      expect(await escalateUnanswered(db(), racingTransaction, start)).toEqual([]);
      expect(await escalateUnanswered(db(), transaction, start + 60_000)).toEqual([]);
    } finally {
      other?.$client.close();
    }
    for (const f of facilitators) {
      const told = (await noticesOf(f.id)).filter((n) => n.link === `/questions/${old.id}`);
      expect(told).toHaveLength(1);
      expect((await mailOf(f.id)).filter((m) => m.subject.includes("still waiting"))).toHaveLength(1);
      expect((await noticesOf(f.id)).some((n) => n.link === `/questions/${fresh.id}` || n.link === `/questions/${answered.id}`)).toBe(false);
    }
    expect((await questionPage(asker, old.id)).question.escalated).toBe(true);
  });
});

describe("finding questions", () => {
  it("finds a question by its words and by the words of its accepted answer, never a hidden one", async () => {
    const { facilitator } = await makeJam();
    const asker = await makeUser();
    const { id } = await ask(asker, "How do we book the big meeting room?");
    const helper = await makeUser();
    const a = await answer(helper, id, "Use the zeppelin calendar in the intranet.");
    expect((await searchQuestions(db(), "zeppelin")).map((q) => q.id)).toEqual([]);
    await acceptCommand(asker, id, { answerId: a.id });
    expect((await searchQuestions(db(), "zeppelin")).map((q) => q.id)).toEqual([id]);
    expect((await searchQuestions(db(), "meeting room")).map((q) => q.id)).toContain(id);
    expect((await questionsListPage(await makeUser(), { tab: "answered", q: "zeppelin" })).questions.map((q) => q.id)).toEqual([id]);
    // What a person types is only words: quotes and either engine's operators are never syntax.
    for (const typed of ['"zeppelin', "zeppelin* & !calendar:* | (", "ZEPPELIN'); --"]) {
      expect((await searchQuestions(db(), typed)).map((q) => q.id), typed).toEqual([id]);
    }
    await hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Outdated" });
    expect(await searchQuestions(db(), "zeppelin")).toEqual([]);
    await restoreCommand(facilitator, id, { targetType: "answer", targetId: String(a.id) });
    expect((await searchQuestions(db(), "zeppelin")).map((q) => q.id)).toEqual([id]);
    await hideCommand(facilitator, id, { targetType: "question", reason: "Outdated" });
    expect((await searchQuestions(db(), "meeting room")).map((q) => q.id)).not.toContain(id);
  });

  it("lists mine, asked to me, open and answered, a page at a time", async () => {
    const { challengeIds } = await makeJam();
    const expert = (await expertOn("zebrafish", 1, challengeIds[0]!)).expert;
    const asker = await makeUser();
    const ids = await mapInOrder(Array.from({ length: 23 }), async (_, i) => (await ask(asker, `Question number ${i + 1} about zebrafish care`)).id);
    const mine1 = await questionsListPage(asker, { tab: "mine" });
    expect(mine1).toMatchObject({ total: 23, pages: 2 });
    expect(mine1.questions).toHaveLength(20);
    expect((await questionsListPage(asker, { tab: "mine", page: "2" })).questions.map((q) => q.id)).toEqual(ids.slice(0, 3).reverse());
    expect((await questionsListPage(expert, { tab: "asked" })).total).toBe(23);
    expect((await questionsListPage(expert, { tab: "asked" })).waitingForMe).toBe(23);
    expect((await questionsListPage(await makeUser(), { tab: "mine" })).total).toBe(0);
    // Malformed input falls back rather than failing.
    expect(await questionsListPage(asker, { tab: "everything", page: "-4" })).toMatchObject({ tab: "open", page: 1 });
  });
});

describe("erasure and data download", () => {
  it("an erased person leaves every line, is renamed in the notices they caused, and their download holds their questions", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const [a, b, c, d] = await mapInOrder([4, 3, 2, 1], async (n) => (await expertOn("payroll", n, challengeIds[0]!)).expert);
    const asker = await makeUser({ name: "Quentin Asker" });
    const { id } = await ask(asker, "Who understands payroll cut-off dates?");
    const mine = await answer(a!, id, "The cut-off is the 20th.");
    const data = await personalData(db(), asker.id);
    expect(data.questionsAsked).toHaveLength(1);
    expect((await personalData(db(), a!.id)).answersWritten).toHaveLength(1);
    expect((await personalData(db(), a!.id)).questionsRoutedToYou).toHaveLength(1);
    expect((await personalData(db(), d!.id)).questionsRoutedToYou).toHaveLength(0);

    await transaction(async (tx) => await eraseAccount(tx, a!.id, { actor: a!, removeContent: true, ip: null, now: Date.now() }));
    expect(await asked(id)).toEqual([b!.id, c!.id, d!.id]);
    expect((await questionPage(asker, id)).answers.map((x) => x.id)).not.toContain(mine.id);

    await transaction(async (tx) => await eraseAccount(tx, asker.id, { actor: facilitator, removeContent: false, ip: null, now: Date.now() }));
    for (const p of [b, c, d]) {
      for (const n of await noticesOf(p!.id)) expect(n.body).not.toContain("Quentin");
    }
  });
});
