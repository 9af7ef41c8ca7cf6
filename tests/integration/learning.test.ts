/**
 * What a jam left behind: the cross-department ties it formed, kept up and lasted, counted with
 * the people network's privacy rules (an anonymous idea ties nobody).
 */
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { postComment } from "~/services/comments.server";
import { jamLearningPage, myYearAcrossDepartments } from "~/services/learning.server";
import { db } from "~db/client";
import { answers, questions, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { eq } from "drizzle-orm";
import { keepThemeAlive } from "~/services/communities.server";
import { castVote } from "~/services/votes.server";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

const DAY = 24 * 60 * 60 * 1000;
let keys = 0;
const comment = (actor: SessionUser, ideaId: number, now: number) =>
  postComment(actor, { ideaId, body: "Building on this.", clientKey: `learning-${++keys}`.padEnd(12, "x") }, { now });

describe("what a jam left behind", () => {
  it("counts the cross-department ties the jam formed, those kept up after it and those that lasted 90 days", () => {
    const now = Date.now();
    const sales = makeDepartment().id;
    const engineering = makeDepartment().id;
    const [ann, bob, cat, dan, eve, fay, gus, hal] = [sales, engineering, sales, engineering, sales, sales, sales, engineering].map((departmentId) =>
      makeUser({ departmentId }),
    );
    const earlier = makeJam({ startsAt: now - 300 * DAY, endsAt: now - 299 * DAY });
    const target = makeJam({ startsAt: now - 200 * DAY, endsAt: now - 199 * DAY, facilitator: earlier.facilitator });
    const later = makeJam({ facilitator: earlier.facilitator });
    const inEarlier = now - 299.5 * DAY;
    const inTarget = now - 199.5 * DAY;

    // Ann and Bob knew each other before the jam: their tie in it is not new.
    castVote(bob, { ideaId: makeIdea(ann!, earlier.challengeIds[0]!, { now: inEarlier }).id }, { now: inEarlier });
    castVote(bob, { ideaId: makeIdea(ann!, target.challengeIds[0]!, { now: inTarget }).id }, { now: inTarget });
    // Cat and Dan meet in the jam and keep talking: formed, kept up, lasted (now is 199 days after the end).
    const catsIdea = makeIdea(cat!, target.challengeIds[0]!, { now: inTarget });
    comment(dan!, catsIdea.id, inTarget);
    castVote(cat!, { ideaId: makeIdea(dan!, later.challengeIds[0]!).id });
    // Eve and Fay: the same department, not a cross-department tie.
    castVote(fay!, { ideaId: makeIdea(eve!, target.challengeIds[0]!, { now: inTarget }).id }, { now: inTarget });
    // Gus's anonymous idea, commented on by Hal: ties nobody.
    comment(hal!, makeIdea(gus!, target.challengeIds[0]!, { now: inTarget, isAnonymous: true }).id, inTarget);

    const page = jamLearningPage(earlier.facilitator, target.jam.slug, now);
    expect(page.ties).toMatchObject({ crossDepartment: 2, formed: 1, keptUp: 1, lasted: 1, departmentPairs: 1 });
    expect(page.ties.byDepartments).toEqual([{ departments: expect.any(Array), formed: 1, keptUp: 1 }]);

    // Seen from the day after the jam, the 90-day figure is not known yet.
    const early = jamLearningPage(earlier.facilitator, target.jam.slug, target.jam.endsAt + DAY);
    expect(early.ties.lasted).toBeNull();
    expect(early.ties.lastingKnownAt).toBe(target.jam.endsAt + 90 * DAY);
  });

  it("is for facilitators, leaders and admins only", () => {
    const { jam } = makeJam();
    expect(() => jamLearningPage(makeUser(), jam.slug)).toThrow(/Only facilitators, leaders and admins/);
    expect(jamLearningPage(makeUser({ role: "leader" }), jam.slug).ties.formed).toBe(0);
  });

  it("gives the same figures whoever wrote an anonymous idea (they never reveal its author)", () => {
    const figures = (anonymousByTheSuspect: boolean) => {
      const now = Date.now();
      const [suspect, other, commenter, voter] = [1, 2, 3, 4].map(() => makeUser({ departmentId: makeDepartment().id }));
      const { jam, challengeIds, facilitator } = makeJam();
      // The suspect's named idea draws a comment either way.
      comment(commenter!, makeIdea(suspect!, challengeIds[0]!).id, now);
      const anonymous = makeIdea(anonymousByTheSuspect ? suspect! : other!, challengeIds[0]!, { isAnonymous: true });
      comment(commenter!, anonymous.id, now);
      castVote(voter!, { ideaId: anonymous.id });
      const { lastingKnownAt: _day, byDepartments, ...counts } = jamLearningPage(facilitator, jam.slug, now).ties;
      // Each run makes departments of its own: compare the pairs' figures, not their names.
      return { ...counts, byDepartments: byDepartments.map(({ formed, keptUp }) => ({ formed, keptUp })) };
    };
    expect(figures(true)).toEqual(figures(false));
  });
});

describe("a person's year across departments (/network/me)", () => {
  it("counts the people of other departments first met in the last year, those kept up, and the departments not met yet", () => {
    const now = Date.now();
    const [mine, theirs, third, unmet] = [1, 2, 3, 4].map(() => makeDepartment());
    const me = makeUser({ departmentId: mine!.id });
    const [colleague, kept, once, longAgo] = [mine, theirs, third, third].map((d) => makeUser({ departmentId: d!.id }));
    makeUser({ departmentId: unmet!.id });
    const { challengeIds } = makeJam({ startsAt: now - 500 * DAY });
    const challenge = challengeIds[0]!;
    // My own department does not count; someone met 400 days ago is not new this year.
    comment(colleague!, makeIdea(me, challenge, { now: now - 50 * DAY }).id, now - 50 * DAY);
    castVote(me, { ideaId: makeIdea(longAgo!, challenge, { now: now - 400 * DAY }).id }, { now: now - 400 * DAY });
    // Met 100 days ago and again 40 days later: kept up. Met once 10 days ago: new, not kept up yet.
    castVote(me, { ideaId: makeIdea(kept!, challenge, { now: now - 100 * DAY }).id }, { now: now - 100 * DAY });
    comment(kept!, makeIdea(me, challenge, { now: now - 60 * DAY }).id, now - 60 * DAY);
    comment(me, makeIdea(once!, challenge, { now: now - 10 * DAY }).id, now - 10 * DAY);

    const year = myYearAcrossDepartments(db(), me, now);
    expect(year).toMatchObject({ formed: 2, keptUp: 1 });
    expect(year.byDepartment.map((d) => d.formed)).toEqual([1, 1]);
    expect(year.byDepartment.map((d) => d.department).sort()).toEqual([theirs!.name, third!.name].sort());
    expect(year.notYetMet).toContain(unmet!.name);
    expect(year.notYetMet).not.toContain(third!.name);
    expect(year.notYetMet).not.toContain(mine!.name);
  });

  it("does not count what happened under anyone's anonymous idea", () => {
    const [a, b] = [makeDepartment(), makeDepartment()];
    const writer = makeUser({ departmentId: a.id });
    const commenter = makeUser({ departmentId: b.id });
    const { challengeIds } = makeJam();
    const anonymous = makeIdea(writer, challengeIds[0]!, { isAnonymous: true });
    comment(commenter, anonymous.id, Date.now());
    castVote(commenter, { ideaId: anonymous.id });
    expect(myYearAcrossDepartments(db(), writer).formed).toBe(0);
    expect(myYearAcrossDepartments(db(), commenter).formed).toBe(0);
  });
});

describe("what followed a jam from its themes", () => {
  it("counts communities kept alive, jellies and questions from its published themes, and the median hours to a first answer", () => {
    const now = Date.now();
    const { jam, challengeIds, facilitator } = makeJam({ startsAt: now - 10 * DAY, endsAt: now - 5 * DAY });
    const author = makeUser();
    const idea = makeIdea(author, challengeIds[0]!, { now: now - 8 * DAY });
    const version = db().insert(synthesisVersions).values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: now, publishedAt: now }).returning().get();
    const theme = db().insert(themes).values({ versionId: version.id, label: "Quiet mornings", keywords: "[]", representatives: JSON.stringify([idea.id]) }).returning().get();
    db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();
    keepThemeAlive(facilitator, { themeId: theme.id });
    const asker = makeUser();
    const expert = makeUser();
    const ask = (title: string, at: number) => db().insert(questions).values({ askerId: asker.id, title, body: "", themeId: theme.id, clientKey: `q-${title}`.padEnd(8, "x"), createdAt: at }).returning().get();
    const answer = (questionId: number, at: number) => db().insert(answers).values({ questionId, authorId: expert.id, body: "Here is how.", clientKey: `a-${questionId}-${at}`.padEnd(8, "x"), createdAt: at }).returning().get();
    const first = ask("How do quiet mornings work?", now - 3 * DAY);
    answer(first.id, now - 3 * DAY + 2 * 3_600_000);
    answer(first.id, now - 3 * DAY + 9 * 3_600_000); // a later answer does not count as the first
    const second = ask("Who runs them in Sales?", now - 2 * DAY);
    const accepted = answer(second.id, now - 2 * DAY + 6 * 3_600_000);
    db().update(questions).set({ acceptedAnswerId: accepted.id }).where(eq(questions.id, second.id)).run();
    ask("Nobody has answered this one yet", now - DAY);

    const page = jamLearningPage(facilitator, jam.slug, now);
    expect(page.followUps.communities).toHaveLength(1);
    expect(page.followUps.questions).toEqual({ asked: 3, answered: 2, accepted: 1, medianHoursToAnswer: 4 });
    expect(page.followUps.jellies).toBe(0);
  });
});
