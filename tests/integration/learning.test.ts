/**
 * What a jam left behind: the cross-department ties it formed, kept up and lasted, counted with
 * the people network's privacy rules (an anonymous idea ties nobody).
 */
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { postComment } from "~/services/commands/comments.server";
import { jamLearningPage } from "~/services/pages/learning.server";
import { myYearAcrossDepartments } from "~/services/lookups/learning.server";
import { db } from "~db/client";
import { answers, questions, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { eq } from "drizzle-orm";
import { keepThemeAlive } from "~/services/commands/communities.server";
import { castVote } from "~/services/commands/votes.server";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const DAY = 24 * 60 * 60 * 1000;
let keys = 0;
const comment = async (actor: SessionUser, ideaId: number, now: number) =>
  await postComment(actor, { ideaId, body: "Building on this.", clientKey: `learning-${++keys}`.padEnd(12, "x") }, { now });

describe("what a jam left behind", () => {
  it("counts the cross-department ties the jam formed, those kept up after it and those that lasted 90 days", async () => {
    const now = Date.now();
    const sales = (await makeDepartment()).id;
    const engineering = (await makeDepartment()).id;
    const [ann, bob, cat, dan, eve, fay, gus, hal] = await mapInOrder([sales, engineering, sales, engineering, sales, sales, sales, engineering], async (departmentId) =>
      await makeUser({ departmentId }),
    );
    const earlier = await makeJam({ startsAt: now - 300 * DAY, endsAt: now - 299 * DAY });
    const target = await makeJam({ startsAt: now - 200 * DAY, endsAt: now - 199 * DAY, facilitator: earlier.facilitator });
    const later = await makeJam({ facilitator: earlier.facilitator });
    const inEarlier = now - 299.5 * DAY;
    const inTarget = now - 199.5 * DAY;

    // Ann and Bob knew each other before the jam: their tie in it is not new.
    await castVote(bob, { ideaId: (await makeIdea(ann!, earlier.challengeIds[0]!, { now: inEarlier })).id }, { now: inEarlier });
    await castVote(bob, { ideaId: (await makeIdea(ann!, target.challengeIds[0]!, { now: inTarget })).id }, { now: inTarget });
    // Cat and Dan meet in the jam and keep talking: formed, kept up, lasted (now is 199 days after the end).
    const catsIdea = await makeIdea(cat!, target.challengeIds[0]!, { now: inTarget });
    await comment(dan!, catsIdea.id, inTarget);
    await castVote(cat!, { ideaId: (await makeIdea(dan!, later.challengeIds[0]!)).id });
    // Eve and Fay: the same department, not a cross-department tie.
    await castVote(fay!, { ideaId: (await makeIdea(eve!, target.challengeIds[0]!, { now: inTarget })).id }, { now: inTarget });
    // Gus's anonymous idea, commented on by Hal: ties nobody.
    await comment(hal!, (await makeIdea(gus!, target.challengeIds[0]!, { now: inTarget, isAnonymous: true })).id, inTarget);

    const page = await jamLearningPage(earlier.facilitator, target.jam.slug, now);
    expect(page.ties).toMatchObject({ crossDepartment: 2, formed: 1, keptUp: 1, lasted: 1, departmentPairs: 1 });
    expect(page.ties.byDepartments).toEqual([{ departments: expect.any(Array), formed: 1, keptUp: 1 }]);

    // Seen from the day after the jam, the 90-day figure is not known yet.
    const early = await jamLearningPage(earlier.facilitator, target.jam.slug, target.jam.endsAt + DAY);
    expect(early.ties.lasted).toBeNull();
    expect(early.ties.lastingKnownAt).toBe(target.jam.endsAt + 90 * DAY);
  });

  it("is for facilitators, leaders and admins only", async () => {
    const { jam } = await makeJam();
    await expect(async () => await jamLearningPage(await makeUser(), jam.slug)).rejects.toThrow(/Only facilitators, leaders and admins/);
    expect((await jamLearningPage(await makeUser({ role: "leader" }), jam.slug)).ties.formed).toBe(0);
  });

  it("gives the same figures whoever wrote an anonymous idea (they never reveal its author)", async () => {
    const figures = async (anonymousByTheSuspect: boolean) => {
      const now = Date.now();
      const [suspect, other, commenter, voter] = await mapInOrder([1, 2, 3, 4], async () => await makeUser({ departmentId: (await makeDepartment()).id }));
      const { jam, challengeIds, facilitator } = await makeJam();
      // The suspect's named idea draws a comment either way.
      await comment(commenter!, (await makeIdea(suspect!, challengeIds[0]!)).id, now);
      const anonymous = await makeIdea(anonymousByTheSuspect ? suspect! : other!, challengeIds[0]!, { isAnonymous: true });
      await comment(commenter!, anonymous.id, now);
      await castVote(voter!, { ideaId: anonymous.id });
      const { lastingKnownAt: _day, byDepartments, ...counts } = (await jamLearningPage(facilitator, jam.slug, now)).ties;
      // Each run makes departments of its own: compare the pairs' figures, not their names.
      return { ...counts, byDepartments: byDepartments.map(({ formed, keptUp }) => ({ formed, keptUp })) };
    };
    expect(await figures(true)).toEqual(await figures(false));
  });
});

describe("a person's year across departments (/network/me)", () => {
  it("counts the people of other departments first met in the last year, those kept up, and the departments not met yet", async () => {
    const now = Date.now();
    const [mine, theirs, third, unmet] = await mapInOrder([1, 2, 3, 4], async () => await makeDepartment());
    const me = await makeUser({ departmentId: mine!.id });
    const [colleague, kept, once, longAgo] = await mapInOrder([mine, theirs, third, third], async (d) => await makeUser({ departmentId: d!.id }));
    await makeUser({ departmentId: unmet!.id });
    const { challengeIds } = await makeJam({ startsAt: now - 500 * DAY });
    const challenge = challengeIds[0]!;
    // My own department does not count; someone met 400 days ago is not new this year.
    await comment(colleague!, (await makeIdea(me, challenge, { now: now - 50 * DAY })).id, now - 50 * DAY);
    await castVote(me, { ideaId: (await makeIdea(longAgo!, challenge, { now: now - 400 * DAY })).id }, { now: now - 400 * DAY });
    // Met 100 days ago and again 40 days later: kept up. Met once 10 days ago: new, not kept up yet.
    await castVote(me, { ideaId: (await makeIdea(kept!, challenge, { now: now - 100 * DAY })).id }, { now: now - 100 * DAY });
    await comment(kept!, (await makeIdea(me, challenge, { now: now - 60 * DAY })).id, now - 60 * DAY);
    await comment(me, (await makeIdea(once!, challenge, { now: now - 10 * DAY })).id, now - 10 * DAY);

    const year = await myYearAcrossDepartments(db(), me, now);
    expect(year).toMatchObject({ formed: 2, keptUp: 1 });
    expect(year.byDepartment.map((d) => d.formed)).toEqual([1, 1]);
    expect(year.byDepartment.map((d) => d.department).sort()).toEqual([theirs!.name, third!.name].sort());
    expect(year.notYetMet).toContain(unmet!.name);
    expect(year.notYetMet).not.toContain(third!.name);
    expect(year.notYetMet).not.toContain(mine!.name);
  });

  it("does not count what happened under anyone's anonymous idea", async () => {
    const [a, b] = [await makeDepartment(), await makeDepartment()];
    const writer = await makeUser({ departmentId: a.id });
    const commenter = await makeUser({ departmentId: b.id });
    const { challengeIds } = await makeJam();
    const anonymous = await makeIdea(writer, challengeIds[0]!, { isAnonymous: true });
    await comment(commenter, anonymous.id, Date.now());
    await castVote(commenter, { ideaId: anonymous.id });
    expect((await myYearAcrossDepartments(db(), writer)).formed).toBe(0);
    expect((await myYearAcrossDepartments(db(), commenter)).formed).toBe(0);
  });
});

describe("what followed a jam from its themes", () => {
  it("counts communities kept alive, jellies and questions from its published themes, and the median hours to a first answer", async () => {
    const now = Date.now();
    const { jam, challengeIds, facilitator } = await makeJam({ startsAt: now - 10 * DAY, endsAt: now - 5 * DAY });
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: now - 8 * DAY });
    const version = await db().insert(synthesisVersions).values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: now, publishedAt: now }).returning().get();
    const theme = await db().insert(themes).values({ versionId: version.id, label: "Quiet mornings", keywords: "[]", representatives: JSON.stringify([idea.id]) }).returning().get();
    await db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();
    await keepThemeAlive(facilitator, { themeId: theme.id });
    const asker = await makeUser();
    const expert = await makeUser();
    const ask = async (title: string, at: number) => await db().insert(questions).values({ askerId: asker.id, title, body: "", themeId: theme.id, clientKey: `q-${title}`.padEnd(8, "x"), createdAt: at }).returning().get();
    const answer = async (questionId: number, at: number) => await db().insert(answers).values({ questionId, authorId: expert.id, body: "Here is how.", clientKey: `a-${questionId}-${at}`.padEnd(8, "x"), createdAt: at }).returning().get();
    const first = await ask("How do quiet mornings work?", now - 3 * DAY);
    await answer(first.id, now - 3 * DAY + 2 * 3_600_000);
    await answer(first.id, now - 3 * DAY + 9 * 3_600_000); // a later answer does not count as the first
    const second = await ask("Who runs them in Sales?", now - 2 * DAY);
    const accepted = await answer(second.id, now - 2 * DAY + 6 * 3_600_000);
    await db().update(questions).set({ acceptedAnswerId: accepted.id }).where(eq(questions.id, second.id)).run();
    await ask("Nobody has answered this one yet", now - DAY);

    const page = await jamLearningPage(facilitator, jam.slug, now);
    expect(page.followUps.communities).toHaveLength(1);
    expect(page.followUps.questions).toEqual({ asked: 3, answered: 2, accepted: 1, medianHoursToAnswer: 4 });
    expect(page.followUps.jellies).toBe(0);
  });
});
