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
import { eraseAccount } from "~/services/erasure.server";
import { Conflict, Forbidden, NotFound } from "~/services/errors";
import { personalData } from "~/services/data-export.server";
import {
  acceptCommand,
  answerCommand,
  askQuestionCommand,
  declineCommand,
  flagCommand,
  hideCommand,
  questionPage,
  questionsListPage,
  restoreCommand,
  saveMayBeAsked,
  searchQuestions,
} from "~/services/question-pages.server";
import { askedPeople, escalateUnanswered, routeCandidates } from "~/services/questions.server";
import { setSetting } from "~/services/settings.server";
import { castVote } from "~/services/votes.server";
import { db, openDb, transaction, databasePath, type Db } from "~db/client";
import { mailOutbox, notifications, pointEntries, questionRoutes, userBadges, users } from "~db/schema";

let keys = 0;
const key = () => `q-key-${++keys}`.padEnd(10, "x");

function ask(asker: SessionUser, title: string, body = "", extra: Record<string, unknown> = {}, now = Date.now()) {
  return askQuestionCommand(asker, { title, body, clientKey: key(), ...extra }, now);
}
function answer(author: SessionUser, questionId: number, body = "Here is what worked for us.", parentId?: number, now = Date.now()) {
  return answerCommand(author, questionId, { body, parentId: parentId ?? "", clientKey: key() }, now);
}
const asked = (questionId: number) => askedPeople(db(), questionId).map((p) => p.id);
const noticesOf = (userId: number) => db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, "questions"))).all();
const mailOf = (userId: number) => db().select().from(mailOutbox).where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.kind, "question"))).all();
const pointsOf = (userId: number) => db().get<{ n: number }>(sql`SELECT coalesce(sum(points), 0) AS n FROM point_entries WHERE user_id = ${userId}`)!.n;
const questionPointsOf = (userId: number) =>
  db().get<{ n: number }>(sql`SELECT coalesce(sum(points), 0) AS n FROM point_entries WHERE user_id = ${userId} AND jam_id IS NULL`)!.n;

/** An expert with `supporters` colleagues supporting a named idea on `word`; from other departments unless `sameDepartment`. */
function expertOn(word: string, supporters: number, challengeId: number, options: { anonymous?: boolean; sameDepartment?: boolean } = {}) {
  const department = makeDepartment();
  const expert = makeUser({ departmentId: department.id });
  const idea = makeIdea(expert, challengeId, { title: `Our ${word} playbook`, body: `Notes on ${word}.`, isAnonymous: options.anonymous ?? false });
  for (let i = 0; i < supporters; i++) {
    const fan = makeUser(options.sameDepartment ? { departmentId: department.id } : {});
    castVote(fan, { ideaId: idea.id });
  }
  return { expert, idea };
}

describe("routing a question to the people who know", () => {
  it("asks the three best go-to people for its words, tells each once, and keeps the rest in line", () => {
    const { challengeIds } = makeJam();
    const c = challengeIds[0]!;
    const people = [4, 3, 2, 1, 0].map((n) => expertOn("kanban", n, c).expert);
    const asker = makeUser();
    const result = ask(asker, "How do you start with kanban boards?");
    expect(result.asked).toBe(3);
    expect(asked(result.id)).toEqual(people.slice(0, 3).map((p) => p.id));
    const line = db().select().from(questionRoutes).where(eq(questionRoutes.questionId, result.id)).orderBy(questionRoutes.position).all();
    expect(line.map((r) => [r.userId, r.status])).toEqual([
      [people[0]!.id, "asked"],
      [people[1]!.id, "asked"],
      [people[2]!.id, "asked"],
      [people[3]!.id, "waiting"],
      [people[4]!.id, "waiting"],
    ]);
    for (const p of people.slice(0, 3)) {
      expect(noticesOf(p.id)).toHaveLength(1);
      expect(mailOf(p.id)).toHaveLength(1);
    }
    expect(noticesOf(people[3]!.id)).toHaveLength(0);
    expect(mailOf(people[3]!.id)).toHaveLength(0);
  });

  it("weighs support from other departments above support from the author's own", () => {
    const { challengeIds } = makeJam();
    const same = expertOn("retrospectives", 3, challengeIds[0]!, { sameDepartment: true }).expert;
    const cross = expertOn("retrospectives", 2, challengeIds[0]!).expert;
    const asker = makeUser();
    expect(routeCandidates(db(), asker, "retrospectives").map((p) => p.id)).toEqual([cross.id, same.id]);
  });

  it("never makes anyone a go-to person through an anonymous idea, however supported", () => {
    const { challengeIds } = makeJam();
    const hidden = expertOn("mentoring", 12, challengeIds[0]!, { anonymous: true }).expert;
    const asker = makeUser();
    // Only the anonymous idea talks about it: nobody is asked, and the asker learns nothing.
    const result = ask(asker, "Who runs mentoring circles well?");
    expect(result.asked).toBe(0);
    expect(asked(result.id)).toEqual([]);
    expect(noticesOf(hidden.id)).toHaveLength(0);
    expect(mailOf(hidden.id)).toHaveLength(0);

    // With a named idea of theirs too, the support on the anonymous one still counts for nothing:
    // a rival with one supporter on a named idea ranks above them.
    makeIdea(hidden, challengeIds[0]!, { title: "Mentoring pairs across teams" });
    const rival = expertOn("mentoring", 1, challengeIds[0]!).expert;
    const ranked = routeCandidates(db(), asker, "mentoring");
    expect(ranked.map((p) => p.id)).toEqual([rival.id, hidden.id]);
    expect(ranked.find((p) => p.id === hidden.id)!.facts).toMatchObject({ ideas: 1, crossSupporters: 0, sameSupporters: 0 });
  });

  it("routes on the ideas the question is about, not on one common word; anonymous ideas change nothing", () => {
    const { challengeIds } = makeJam();
    const c = challengeIds[0]!;
    // A popular person whose ideas all say "meetings", and a specialist on "okr".
    const popular = makeUser();
    for (let i = 0; i < 6; i++) {
      const idea = makeIdea(popular, c, { title: `Shorter meetings, take ${i}`, body: "Meetings end at the hour." });
      for (let s = 0; s < 5; s++) castVote(makeUser(), { ideaId: idea.id });
    }
    const specialist = expertOn("okr", 1, c).expert;
    const asker = makeUser();
    const before = routeCandidates(db(), asker, "How do we set okr targets in meetings?").map((p) => p.id);
    expect(before[0]).toBe(specialist.id);
    expect(before).not.toContain(popular.id);
    // A rare word in the details does not pull the question away from what its title asks.
    const bystander = expertOn("zanzibar", 9, c).expert;
    const withDetails = routeCandidates(db(), asker, { title: "How do we set okr targets?", body: "We tried it in Zanzibar once." }).map((p) => p.id);
    expect(withDetails[0]).toBe(specialist.id);
    expect(withDetails).not.toContain(bystander.id);
    // Details route when the title's words find nobody.
    expect(routeCandidates(db(), asker, { title: "Any pointers at all?", body: "About zanzibar." }).map((p) => p.id)).toEqual([bystander.id]);
    // Anonymous ideas using the same words, however many, leave the routing as it was.
    for (let i = 0; i < 5; i++) makeIdea(makeUser(), c, { title: `okr meetings ${i}`, isAnonymous: true });
    expect(routeCandidates(db(), asker, "How do we set okr targets in meetings?").map((p) => p.id)).toEqual(before);
  });

  it("never routes to people who opted out of rankings or of being asked, to deactivated or erased people, or to the asker", () => {
    const { challengeIds, facilitator } = makeJam();
    const c = challengeIds[0]!;
    const rankedOut = expertOn("onboarding", 9, c).expert;
    const askOut = expertOn("onboarding", 8, c).expert;
    const gone = expertOn("onboarding", 7, c).expert;
    const erased = expertOn("onboarding", 6, c).expert;
    const asker = expertOn("onboarding", 10, c).expert;
    const willing = expertOn("onboarding", 1, c).expert;
    db().update(users).set({ hiddenFromRankings: true }).where(eq(users.id, rankedOut.id)).run();
    saveMayBeAsked(askOut, {});
    db().update(users).set({ deactivatedAt: Date.now() }).where(eq(users.id, gone.id)).run();
    transaction((tx) => eraseAccount(tx, erased.id, { actor: facilitator, removeContent: false, ip: null, now: Date.now() }));

    const result = ask(asker, "What makes onboarding stick?");
    expect(asked(result.id)).toEqual([willing.id]);
    const everyone = db().select({ userId: questionRoutes.userId }).from(questionRoutes).where(eq(questionRoutes.questionId, result.id)).all();
    expect(everyone.map((r) => r.userId)).toEqual([willing.id]);
    for (const p of [rankedOut, askOut, gone, erased, asker]) expect(noticesOf(p.id)).toHaveLength(0);
  });

  it("asks the go-to people of the theme a question was asked from, and refuses a theme the asker may not see", () => {
    const asker = makeUser();
    expect(() => ask(asker, "Anything about this theme at all?", "", { themeId: 999_999 })).toThrow(NotFound);
  });

  it("asks once when the form is sent twice", () => {
    const { challengeIds } = makeJam();
    const expert = expertOn("budgeting", 2, challengeIds[0]!).expert;
    const asker = makeUser();
    const clientKey = key();
    const first = askQuestionCommand(asker, { title: "How do you plan a budgeting cycle?", body: "", clientKey });
    const second = askQuestionCommand(asker, { title: "How do you plan a budgeting cycle?", body: "", clientKey });
    expect(second).toMatchObject({ id: first.id, created: false });
    expect(noticesOf(expert.id)).toHaveLength(1);
  });
});

describe("declining", () => {
  it("passes the question to the next person in line, skipping anyone who opted out since", () => {
    const { challengeIds } = makeJam();
    const c = challengeIds[0]!;
    const people = [6, 5, 4, 3, 2].map((n) => expertOn("accessibility", n, c).expert);
    const asker = makeUser();
    const { id } = ask(asker, "How do we test accessibility early?");
    saveMayBeAsked(people[3]!, {}); // the fourth opts out while waiting
    expect(declineCommand(people[0]!, id)).toEqual({ next: true });
    expect(asked(id)).toEqual([people[1]!.id, people[2]!.id, people[4]!.id]);
    expect(noticesOf(people[4]!.id)).toHaveLength(1);
    expect(mailOf(people[4]!.id)).toHaveLength(1);
    expect(noticesOf(people[3]!.id)).toHaveLength(0);
    // Twice is refused; someone never asked (or only waiting) cannot decline.
    expect(() => declineCommand(people[0]!, id)).toThrow(Conflict);
    expect(() => declineCommand(makeUser(), id)).toThrow(NotFound);
  });

  it("opting out of being asked passes on every question one was asked", () => {
    const { challengeIds } = makeJam();
    const c = challengeIds[0]!;
    const [a, b] = [3, 2].map((n) => expertOn("procurement", n, c).expert);
    const { id } = ask(makeUser(), "Who knows procurement rules?");
    expect(asked(id)).toEqual([a!.id, b!.id]);
    saveMayBeAsked(a!, {});
    expect(asked(id)).toEqual([b!.id]);
    saveMayBeAsked(a!, { mayBeAsked: "on" });
    expect(routeCandidates(db(), makeUser(), "procurement").map((p) => p.id)).toContain(a!.id);
  });
});

describe("answering and accepting", () => {
  it("earns points once per question and more when accepted, counts toward the Expert badge, and never twice", () => {
    const { challengeIds } = makeJam();
    const expert = expertOn("hiring", 2, challengeIds[0]!).expert;
    const asker = makeUser();
    const { id } = ask(asker, "How do you run hiring panels?");
    const first = answer(expert, id, "Two interviewers, one rubric.");
    expect(first.points).toBe(QUESTION_POINTS.question_answered);
    const second = answer(expert, id, "And a debrief the same day.");
    expect(second.points).toBe(0);
    // A reply to an answer earns nothing.
    const reply = answer(asker, id, "Thanks, what rubric?", first.id);
    expect(reply.points).toBe(0);
    expect(questionPointsOf(asker.id)).toBe(0);

    const badge = db().select().from(userBadges).where(and(eq(userBadges.userId, expert.id), eq(userBadges.badgeKey, "expert"))).get();
    expect(badge?.level).toBe(1);

    const accepted = acceptCommand(asker, id, { answerId: first.id });
    expect(accepted.points).toBe(QUESTION_POINTS.answer_accepted);
    expect(() => acceptCommand(asker, id, { answerId: first.id })).toThrow(Conflict);
    expect(() => acceptCommand(asker, id, { answerId: second.id })).toThrow(Conflict);
    expect(questionPointsOf(expert.id)).toBe(QUESTION_POINTS.question_answered + QUESTION_POINTS.answer_accepted);
    const page = questionPage(asker, id);
    expect(page.question.status).toBe("accepted");
    expect(page.answers.find((a) => a.id === first.id)).toMatchObject({ accepted: true, points: 25 });
    expect(noticesOf(expert.id).some((n) => n.body.includes("accepted your answer"))).toBe(true);
  });

  it("gives nothing for answering one's own question, and one's own answer cannot be accepted", () => {
    const asker = makeUser();
    const { id } = ask(asker, "Does anyone else struggle with timesheets?");
    const mine = answer(asker, id, "Answering myself: we automated it.");
    expect(mine.points).toBe(0);
    expect(pointsOf(asker.id)).toBe(0);
    expect(() => acceptCommand(asker, id, { answerId: mine.id })).toThrow(Conflict);
  });

  it("two acceptances at once (two tabs) accept one answer and award its points once", () => {
    const asker = makeUser();
    const [x, y] = [makeUser(), makeUser()];
    const { id } = ask(asker, "Which survey tool do you use for feedback?");
    const ax = answer(x, id, "We use the built-in forms.");
    const ay = answer(y, id, "A shared spreadsheet.");
    const results = [ax.id, ay.id].map((answerId) => {
      try {
        return acceptCommand(asker, id, { answerId });
      } catch (error) {
        return error;
      }
    });
    expect(results.filter((r) => r instanceof Conflict)).toHaveLength(1);
    const acceptedPoints = db().select().from(pointEntries).where(eq(pointEntries.reason, "answer_accepted")).all().filter((p) => p.source === `question:${id}`);
    expect(acceptedPoints).toHaveLength(1);
  });
});

describe("what a participant cannot do or learn", () => {
  it("cannot accept an answer to someone else's question", () => {
    const asker = makeUser();
    const [intruder, helper] = [makeUser(), makeUser()];
    const { id } = ask(asker, "How do we share meeting notes?");
    const a = answer(helper, id);
    expect(() => acceptCommand(intruder, id, { answerId: a.id })).toThrow(Forbidden);
    // Not even the answer's author.
    expect(() => acceptCommand(helper, id, { answerId: a.id })).toThrow(Forbidden);
    expect(questionPage(asker, id).question.acceptedAnswerId).toBeNull();
    expect(questionPointsOf(helper.id)).toBe(QUESTION_POINTS.question_answered);
  });

  it("cannot accept an answer from another question on their own", () => {
    const asker = makeUser();
    const other = ask(makeUser(), "Where is the travel policy?");
    const foreign = answer(makeUser(), other.id);
    const { id } = ask(asker, "Where are the expense forms?");
    expect(() => acceptCommand(asker, id, { answerId: foreign.id })).toThrow(NotFound);
  });

  it("cannot read or answer a hidden question; its asker and facilitators still see it", () => {
    const { facilitator } = makeJam();
    const asker = makeUser();
    const reader = makeUser();
    const { id } = ask(asker, "Something that breaks the rules here?");
    hideCommand(facilitator, id, { targetType: "question", reason: "Off topic" });
    expect(() => questionPage(reader, id)).toThrow(NotFound);
    expect(() => answer(reader, id)).toThrow(NotFound);
    expect(() => answer(asker, id)).toThrow(NotFound);
    expect(questionPage(asker, id).question.hiddenReason).toBe("Off topic");
    expect(questionPage(facilitator, id).question.hiddenReason).toBe("Off topic");
    expect(questionsListPage(reader, { tab: "open" }).questions.map((q) => q.id)).not.toContain(id);
    expect(() => hideCommand(reader, id, { targetType: "question", reason: "Mine now" })).toThrow(Forbidden);
  });

  it("never sees who a question went to unless they asked it; the asker sees only who was asked, never the line", () => {
    const { challengeIds } = makeJam();
    const c = challengeIds[0]!;
    const named = [5, 4, 3, 2].map((n) => expertOn("security", n, c).expert);
    const anonymousAuthor = expertOn("security", 20, c, { anonymous: true }).expert;
    const asker = makeUser();
    const { id } = ask(asker, "How do we review security changes?");
    const seen = questionPage(asker, id).asked.map((p) => p.id);
    expect(seen).toEqual(named.slice(0, 3).map((p) => p.id));
    expect(seen).not.toContain(anonymousAuthor.id);
    expect(questionPage(makeUser(), id).asked).toEqual([]);
    expect(questionPage(named[0]!, id).asked).toEqual([]);
    expect(questionPage(named[0]!, id).myRoute).toBe("asked");
    expect(questionPage(named[3]!, id).myRoute).toBeNull();
  });

  it("hiding an answer takes back its points and its Expert count; restoring gives back exactly those", () => {
    const { facilitator } = makeJam();
    const asker = makeUser();
    const helper = makeUser();
    const { id } = ask(asker, "How to onboard contractors quickly?");
    const a = answer(helper, id);
    acceptCommand(asker, id, { answerId: a.id });
    expect(questionPointsOf(helper.id)).toBe(25);
    hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Wrong and risky" });
    expect(questionPointsOf(helper.id)).toBe(0);
    expect(questionPage(makeUser(), id).answers).toEqual([]);
    expect(questionPage(facilitator, id).answers[0]!.hiddenReason).toBe("Wrong and risky");
    restoreCommand(facilitator, id, { targetType: "answer", targetId: String(a.id) });
    expect(questionPointsOf(helper.id)).toBe(25);
  });

  it("flags once per person, and a flag on a hidden answer is refused", () => {
    const { facilitator } = makeJam();
    const { id } = ask(makeUser(), "Is the printer on floor 3 fixed?");
    const a = answer(makeUser(), id);
    const flagger = makeUser();
    expect(flagCommand(flagger, id, { targetType: "answer", targetId: a.id, reason: "Rude" })).toEqual({ created: true });
    expect(flagCommand(flagger, id, { targetType: "answer", targetId: a.id, reason: "Rude" })).toEqual({ created: false });
    expect(questionPage(facilitator, id).answers[0]!.openFlags).toBe(1);
    expect(questionPage(flagger, id).answers[0]!.openFlags).toBe(0);
    hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Rude" });
    expect(() => flagCommand(makeUser(), id, { targetType: "answer", targetId: a.id, reason: "Rude" })).toThrow(NotFound);
  });
});

describe("escalation", () => {
  it("sends a question nobody answered to the facilitators after the set time, exactly once, even with two processes at it", () => {
    setSetting("questionEscalationHours", 2, makeUser({ role: "admin" }).id);
    const facilitators = [makeUser({ role: "facilitator" }), makeUser({ role: "facilitator" })];
    const asker = makeUser();
    const start = Date.now();
    const old = ask(asker, "Who owns the quarterly planning template?", "", {}, start - 3 * 3_600_000);
    const fresh = ask(asker, "Who owns the yearly planning template?", "", {}, start - 3_600_000);
    const answered = ask(asker, "Who owns the weekly planning template?", "", {}, start - 3 * 3_600_000);
    answer(makeUser(), answered.id, "The PMO does.", undefined, start - 2 * 3_600_000);

    // A second process (its own connection) reads the same due list and tries to escalate at the same moment.
    const other: Db = openDb(databasePath());
    try {
      const otherTransaction = <T>(work: (tx: Db) => T): T => other.$client.transaction(() => work(other)).immediate();
      let raced = false;
      const racingTransaction = <T>(work: (tx: Db) => T): T => {
        if (!raced) {
          raced = true;
          // The other process wins the race for every due question before this one writes.
          expect(escalateUnanswered(other, otherTransaction, start)).toEqual([old.id]);
        }
        return transaction(work);
      };
      expect(escalateUnanswered(db(), racingTransaction, start)).toEqual([]);
      expect(escalateUnanswered(db(), transaction, start + 60_000)).toEqual([]);
    } finally {
      other.$client.close();
    }
    for (const f of facilitators) {
      const told = noticesOf(f.id).filter((n) => n.link === `/questions/${old.id}`);
      expect(told).toHaveLength(1);
      expect(mailOf(f.id).filter((m) => m.subject.includes("still waiting"))).toHaveLength(1);
      expect(noticesOf(f.id).some((n) => n.link === `/questions/${fresh.id}` || n.link === `/questions/${answered.id}`)).toBe(false);
    }
    expect(questionPage(asker, old.id).question.escalated).toBe(true);
  });
});

describe("finding questions", () => {
  it("finds a question by its words and by the words of its accepted answer, never a hidden one", () => {
    const { facilitator } = makeJam();
    const asker = makeUser();
    const { id } = ask(asker, "How do we book the big meeting room?");
    const helper = makeUser();
    const a = answer(helper, id, "Use the zeppelin calendar in the intranet.");
    expect(searchQuestions(db(), "zeppelin").map((q) => q.id)).toEqual([]);
    acceptCommand(asker, id, { answerId: a.id });
    expect(searchQuestions(db(), "zeppelin").map((q) => q.id)).toEqual([id]);
    expect(searchQuestions(db(), "meeting room").map((q) => q.id)).toContain(id);
    expect(questionsListPage(makeUser(), { tab: "answered", q: "zeppelin" }).questions.map((q) => q.id)).toEqual([id]);
    hideCommand(facilitator, id, { targetType: "answer", targetId: String(a.id), reason: "Outdated" });
    expect(searchQuestions(db(), "zeppelin")).toEqual([]);
    hideCommand(facilitator, id, { targetType: "question", reason: "Outdated" });
    expect(searchQuestions(db(), "meeting room").map((q) => q.id)).not.toContain(id);
  });

  it("lists mine, asked to me, open and answered, a page at a time", () => {
    const { challengeIds } = makeJam();
    const expert = expertOn("zebrafish", 1, challengeIds[0]!).expert;
    const asker = makeUser();
    const ids = Array.from({ length: 23 }, (_, i) => ask(asker, `Question number ${i + 1} about zebrafish care`).id);
    const mine1 = questionsListPage(asker, { tab: "mine" });
    expect(mine1).toMatchObject({ total: 23, pages: 2 });
    expect(mine1.questions).toHaveLength(20);
    expect(questionsListPage(asker, { tab: "mine", page: "2" }).questions.map((q) => q.id)).toEqual(ids.slice(0, 3).reverse());
    expect(questionsListPage(expert, { tab: "asked" }).total).toBe(23);
    expect(questionsListPage(expert, { tab: "asked" }).waitingForMe).toBe(23);
    expect(questionsListPage(makeUser(), { tab: "mine" }).total).toBe(0);
    // Malformed input falls back rather than failing.
    expect(questionsListPage(asker, { tab: "everything", page: "-4" })).toMatchObject({ tab: "open", page: 1 });
  });
});

describe("erasure and data download", () => {
  it("an erased person leaves every line, is renamed in the notices they caused, and their download holds their questions", () => {
    const { challengeIds, facilitator } = makeJam();
    const [a, b, c, d] = [4, 3, 2, 1].map((n) => expertOn("payroll", n, challengeIds[0]!).expert);
    const asker = makeUser({ name: "Quentin Asker" });
    const { id } = ask(asker, "Who understands payroll cut-off dates?");
    const mine = answer(a!, id, "The cut-off is the 20th.");
    const data = personalData(db(), asker.id);
    expect(data.questionsAsked).toHaveLength(1);
    expect(personalData(db(), a!.id).answersWritten).toHaveLength(1);
    expect(personalData(db(), a!.id).questionsRoutedToYou).toHaveLength(1);
    expect(personalData(db(), d!.id).questionsRoutedToYou).toHaveLength(0);

    transaction((tx) => eraseAccount(tx, a!.id, { actor: a!, removeContent: true, ip: null, now: Date.now() }));
    expect(asked(id)).toEqual([b!.id, c!.id, d!.id]);
    expect(questionPage(asker, id).answers.map((x) => x.id)).not.toContain(mine.id);

    transaction((tx) => eraseAccount(tx, asker.id, { actor: facilitator, removeContent: false, ip: null, now: Date.now() }));
    for (const p of [b, c, d]) {
      for (const n of noticesOf(p!.id)) expect(n.body).not.toContain("Quentin");
    }
  });
});
