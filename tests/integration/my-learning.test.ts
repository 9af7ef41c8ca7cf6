/**
 * /network/me as the place to tend one's own learning network: the people one learned from (and
 * who learned from one), one's communities and communities to join, and "not interested" — with
 * what nobody may learn or change through them.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/commands/amendments.server";
import { answerInvitation, inviteCoauthor } from "~/services/commands/coauthors.server";
import { postComment } from "~/services/commands/comments.server";
import { joinCommunity, keepThemeAlive } from "~/services/commands/communities.server";
import { personalData } from "~/services/commands/data-export.server";
import { eraseAccount } from "~/services/commands/erasure.server";
import { Invalid, NotFound } from "~/services/errors";
import { follow } from "~/services/commands/follows.server";
import { hideIdea } from "~/services/commands/moderation.server";
import { communitiesToJoin, learnedFrom, learnedFromMe, myCommunities } from "~/services/lookups/my-learning.server";
import { dismissSuggestion, restoreDismissed } from "~/services/commands/suggestions.server";
import { myNetworkPage } from "~/services/pages/network.server";
import { acceptCommand, answerCommand, askQuestionCommand, hideCommand } from "~/services/commands/questions.server";
import { db, transaction } from "~db/client";
import { networkDismissals, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
let keys = 0;
const key = () => `lf-key-${++keys}`.padEnd(10, "x");

async function acceptedAnswer(asker: SessionUser, answerer: SessionUser, title: string, now = Date.now()) {
  const q = await askQuestionCommand(asker, { title, body: "", clientKey: key() }, now);
  const a = await answerCommand(answerer, q.id, { body: "Here is what worked for us.", parentId: "", clientKey: key() }, now + 1);
  await acceptCommand(asker, q.id, { answerId: a.id }, now + 2);
  return { questionId: q.id, answerId: a.id };
}

async function acceptedChange(author: SessionUser, proposer: SessionUser, ideaId: number, now = Date.now()) {
  const { amendmentId } = await proposeAmendment(proposer, { ideaId, title: "A sharper title", body: "A sharper body for the idea.", baseVersion: 1, clientKey: key() }, { now });
  await acceptAmendment(author, { amendmentId, baseVersion: 1 }, { now: now + 1 });
  return amendmentId;
}

async function builtOn(original: { id: number }, builder: SessionUser, author: SessionUser, now = Date.now()) {
  const { amendmentId } = await proposeAmendment(builder, { ideaId: original.id, title: "Built on it", body: "Another take on the idea.", baseVersion: 1, clientKey: key() }, { now });
  await leaveAmendmentStanding(author, { amendmentId }, { now: now + 1 });
  return await postAmendmentAsIdea(builder, { amendmentId, clientKey: key() }, { now: now + 2 });
}

async function publishedTheme(jamId: number, createdBy: number, ideaIds: number[], label: string) {
  const version = await db().insert(synthesisVersions).values({ jamId, number: 1, kind: "curated", createdBy, createdAt: Date.now(), publishedAt: Date.now() }).returning().get();
  const theme = await db().insert(themes).values({ versionId: version.id, label, keywords: JSON.stringify(["focus"]), representatives: JSON.stringify(ideaIds) }).returning().get();
  for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
  return theme;
}

const names = (list: { people: { person: { name: string } | null }[] }) => list.people.map((p) => p.person?.name ?? null);

describe("people you learned from", () => {
  it("lists accepted answers, accepted changes, co-authors and ideas built on, per person, most recent first, linked", async () => {
    const { jam, challengeIds } = await makeJam();
    const me = await makeUser({ name: "Mia Learner" });
    const answerer = await makeUser({ name: "Ada Answerer" });
    const proposer = await makeUser({ name: "Pat Proposer" });
    const coauthor = await makeUser({ name: "Cora Coauthor" });
    const original = await makeUser({ name: "Otto Original" });
    const t0 = Date.now();
    const q = await acceptedAnswer(me, answerer, "How do we run a good retrospective?", t0);
    const mine = await makeIdea(me, challengeIds[0]!, { title: "Quiet Fridays" });
    await acceptedChange(me, proposer, mine.id, t0 + 10);
    const theirs = await makeIdea(original, challengeIds[0]!, { title: "Walking meetings" });
    await builtOn(theirs, me, original, t0 + 20);
    // Each step carries its own time: the order below must not depend on how fast the steps ran.
    await inviteCoauthor(me, { ideaId: mine.id, userId: coauthor.id }, { now: t0 + 30 });
    await answerInvitation(coauthor, { ideaId: mine.id, answer: "accept" }, { now: t0 + 31 });
    // The answerer answers a second question later: they come first, with both items.
    const q2 = await acceptedAnswer(me, answerer, "Which kanban tool scales?", Date.now() + HOUR);

    const list = await learnedFrom(db(), me);
    expect(list.total).toBe(4);
    expect(names(list)).toEqual(["Ada Answerer", "Cora Coauthor", "Otto Original", "Pat Proposer"]);
    const ada = list.people[0]!;
    expect(ada.items.map((i) => [i.kind, i.title, i.href])).toEqual([
      ["answer", "Which kanban tool scales?", `/questions/${q2.questionId}#answer-${q2.answerId}`],
      ["answer", "How do we run a good retrospective?", `/questions/${q.questionId}#answer-${q.answerId}`],
    ]);
    const byName = (n: string) => list.people.find((p) => p.person?.name === n)!.items;
    expect(byName("Pat Proposer")).toEqual([expect.objectContaining({ kind: "amendment", title: "A sharper title", href: `/jams/${jam.slug}/ideas/${mine.id}` })]);
    expect(byName("Cora Coauthor")).toEqual([expect.objectContaining({ kind: "coauthor", title: "A sharper title" })]);
    expect(byName("Otto Original")).toEqual([expect.objectContaining({ kind: "builtOn", title: "Walking meetings", href: `/jams/${jam.slug}/ideas/${theirs.id}` })]);

    // The other way: each of them learned from me (the co-author wrote with me, which is theirs to see too).
    expect(names(await learnedFromMe(db(), answerer))).toEqual(["Mia Learner"]);
    expect((await learnedFromMe(db(), answerer)).people[0]!.items[0]).toMatchObject({ kind: "answer" });
    expect(names(await learnedFromMe(db(), proposer))).toEqual(["Mia Learner"]);
    expect(names(await learnedFromMe(db(), original))).toEqual(["Mia Learner"]);
    expect(names(await learnedFrom(db(), coauthor))).toEqual(["Mia Learner"]);
  });

  it("reads for staff too, who see draft jams: a facilitator's accepted change lists its proposer", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const proposer = await makeUser({ name: "Sol Staffhelper" });
    const theirs = await makeIdea(facilitator, challengeIds[0]!, { title: "A staff idea" });
    await acceptedChange(facilitator, proposer, theirs.id);
    expect(names(await learnedFrom(db(), facilitator))).toEqual(["Sol Staffhelper"]);
  });

  it("does not link hidden content, and does not name someone else's hidden idea", async () => {
    const { challengeIds, facilitator } = await makeJam();
    const me = await makeUser();
    const answerer = await makeUser({ name: "Hidden Answerer" });
    const original = await makeUser({ name: "Hidden Original" });
    const q = await acceptedAnswer(me, answerer, "What makes onboarding stick?");
    const theirs = await makeIdea(original, challengeIds[0]!, { title: "A title moderators hid" });
    await builtOn(theirs, me, original);
    await hideCommand(facilitator, q.questionId, { targetType: "answer", targetId: String(q.answerId), reason: "Off topic." });
    await hideIdea(facilitator, { id: theirs.id, reason: "Off topic." }, { ip: null });
    const list = await learnedFrom(db(), me);
    const items = list.people.flatMap((p) => p.items);
    expect(items.map((i) => i.href)).toEqual([null, null]);
    expect(items.find((i) => i.kind === "answer")!.title).toBe("What makes onboarding stick?");
    expect(items.find((i) => i.kind === "builtOn")!.title).toBeNull();
    expect(JSON.stringify(list)).not.toContain("A title moderators hid");
  });

  it("never shows an anonymous idea, nor counts it, either way", async () => {
    const { challengeIds } = await makeJam();
    const anonymousAuthor = await makeUser({ name: "Secret Author" });
    const proposer = await makeUser({ name: "Open Proposer" });
    const builder = await makeUser({ name: "Open Builder" });
    const idea = await makeIdea(anonymousAuthor, challengeIds[0]!, { title: "An anonymous idea", isAnonymous: true });
    await acceptedChange(anonymousAuthor, proposer, idea.id);
    await builtOn(idea, builder, anonymousAuthor);
    for (const person of [anonymousAuthor, proposer, builder]) {
      expect(await learnedFrom(db(), person)).toEqual({ people: [], total: 0 });
      expect(await learnedFromMe(db(), person)).toEqual({ people: [], total: 0 });
    }
    // The builder's own idea (named) is built on an anonymous one: nothing about it on anyone's page.
    for (const person of [anonymousAuthor, proposer, builder]) {
      const page = JSON.stringify(await myNetworkPage(person));
      expect(page).not.toContain("An anonymous idea");
      expect(page).not.toContain("Secret Author");
    }
  });

  it("never names an erased person: they show as one Former participant, without a link to them", async () => {
    const me = await makeUser();
    const first = await makeUser({ name: "Erin Erased" });
    const second = await makeUser({ name: "Ezra Erased" });
    const q1 = await acceptedAnswer(me, first, "Who knows about pricing?");
    await acceptedAnswer(me, second, "Who knows about packaging?");
    for (const person of [first, second]) await transaction(async (tx) => await eraseAccount(tx, person.id, { actor: person, removeContent: false, ip: null, now: Date.now() }));
    const list = await learnedFrom(db(), me);
    expect(list.total).toBe(1);
    expect(list.people[0]!.person).toBeNull();
    expect(list.people[0]!.items).toHaveLength(2);
    // Their answers stay readable (as by "Former participant"), so the question still links.
    expect(list.people[0]!.items.map((i) => i.href)).toContain(`/questions/${q1.questionId}#answer-${q1.answerId}`);
    const page = JSON.stringify(await myNetworkPage(me));
    expect(page).not.toContain("Erin Erased");
    expect(page).not.toContain("Ezra Erased");
    expect(page).not.toMatch(new RegExp(`"id":(${first.id}|${second.id}),"name"`));
  });
});

/** An ended jam with a published theme the given people posted named ideas in, kept alive as a community. */
async function communityOn(label: string, contributors: SessionUser[], privacy: "open" | "members" = "open") {
  const facilitator = await makeUser({ role: "facilitator" });
  const { jam, challengeIds } = await makeJam({ facilitator, startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() + HOUR });
  const ideas = await mapInOrder(contributors, async (c) => await makeIdea(c, challengeIds[0]!, { title: `An idea on ${label}` }));
  const theme = await publishedTheme(jam.id, facilitator.id, ideas.map((i) => i.id), label);
  const community = (await keepThemeAlive(facilitator, { themeId: theme.id, privacy })).community;
  return { community, theme, facilitator };
}

describe("communities on /network/me", () => {
  it("suggests open communities on the themes of one's ideas, with why; never a members-only one to a non-member", async () => {
    const me = await makeUser();
    const open = await communityOn("Onboarding buddies", [me]);
    const closed = await communityOn("Salary bands", [me], "members");
    const suggestions = (await communitiesToJoin(db(), me)).suggestions;
    expect(suggestions.map((s) => s.id)).toEqual([open.community.id]);
    expect(suggestions[0]!.reasons[0]).toContain("“Onboarding buddies”");
    expect(JSON.stringify(await myNetworkPage(me))).not.toContain("Salary bands");
    // Joining moves it to "your communities".
    await joinCommunity(me, { communityId: open.community.id });
    expect((await communitiesToJoin(db(), me)).suggestions).toEqual([]);
    expect((await myCommunities(db(), me)).map((c) => [c.title, c.role])).toEqual([[open.community.title, "member"]]);
    expect(closed.community.privacy).toBe("members");
  });

  it("suggests from followed themes and followed people, and lists steward, member, invited and asked-to-join", async () => {
    const me = await makeUser();
    const friend = await makeUser({ name: "Fran Friend" });
    const a = await communityOn("Remote rituals", [friend]);
    const b = await communityOn("Green travel", [friend]);
    await follow(me, { targetType: "theme", targetId: a.theme.id });
    await follow(me, { targetType: "person", targetId: friend.id });
    await joinCommunity(friend, { communityId: b.community.id });
    const reasons = Object.fromEntries((await communitiesToJoin(db(), me)).suggestions.map((s) => [s.title, s.reasons]));
    expect(reasons[a.community.title]).toContain("You follow the theme “Remote rituals”");
    expect(reasons[b.community.title]).toContain("Fran Friend, whom you follow, is a member");
    // Asking to join a members-only community shows as "requested".
    const closed = await communityOn("Board prep", [friend], "members");
    await joinCommunity(me, { communityId: closed.community.id });
    expect((await myCommunities(db(), me)).map((c) => c.role)).toEqual(["requested"]);
    expect((await myCommunities(db(), closed.facilitator)).map((c) => c.role)).toEqual(["steward"]);
  });

  it("keeps a dismissal, for the person who dismissed alone", async () => {
    const me = await makeUser();
    const other = await makeUser();
    const { community } = await communityOn("Mentoring circles", [me, other]);
    expect((await communitiesToJoin(db(), me)).suggestions.map((s) => s.id)).toEqual([community.id]);
    await dismissSuggestion(me, { kind: "community", targetId: community.id });
    await dismissSuggestion(me, { kind: "community", targetId: String(community.id) }); // a repeat changes nothing
    expect(await communitiesToJoin(db(), me)).toEqual({ suggestions: [], dismissed: 1 });
    expect((await communitiesToJoin(db(), other)).suggestions.map((s) => s.id)).toEqual([community.id]);
    // Kept: a later visit still leaves it out; bringing them back is one's own choice.
    expect((await myNetworkPage(me)).toJoin.suggestions).toEqual([]);
    await restoreDismissed(other, { kind: "community" });
    expect((await communitiesToJoin(db(), me)).suggestions).toEqual([]);
    await restoreDismissed(me, { kind: "community" });
    expect((await communitiesToJoin(db(), me)).suggestions.map((s) => s.id)).toEqual([community.id]);
  });

  it("attack: nobody dismisses for someone else, and nonsense is refused", async () => {
    const me = await makeUser();
    const attacker = await makeUser();
    const { community } = await communityOn("Pairing", [me, attacker]);
    // Whatever the form names, the row is the actor's own.
    await dismissSuggestion(attacker, { kind: "community", targetId: community.id, userId: me.id, user_id: me.id });
    expect((await communitiesToJoin(db(), me)).suggestions.map((s) => s.id)).toEqual([community.id]);
    const rows = await db().select().from(networkDismissals).where(eq(networkDismissals.targetId, community.id)).all();
    expect(rows.map((r) => r.userId)).toEqual([attacker.id]);
    await expect(async () => await dismissSuggestion(attacker, { kind: "community", targetId: 999_999 })).rejects.toThrow(NotFound);
    await expect(async () => await dismissSuggestion(attacker, { kind: "person", targetId: attacker.id })).rejects.toThrow(NotFound);
    await expect(async () => await dismissSuggestion(attacker, { kind: "jam", targetId: community.id })).rejects.toThrow(Invalid);
    await expect(async () => await dismissSuggestion(attacker, { kind: "community", targetId: "1e99" })).rejects.toThrow(Invalid);
    await expect(async () => await dismissSuggestion(attacker, { kind: "community", targetId: "x".repeat(100_000) })).rejects.toThrow(Invalid);
  });

  it("leaves a dismissed person out of people you should meet", async () => {
    const { challengeIds } = await makeJam();
    const me = await makeUser();
    const colleague = await makeUser({ name: "Cleo Colleague" });
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    await postComment(me, { ideaId: idea.id, body: "I like this.", clientKey: key() });
    await postComment(colleague, { ideaId: idea.id, body: "Me too.", clientKey: key() });
    expect((await myNetworkPage(me)).meet.map((p) => p.id)).toContain(colleague.id);
    await dismissSuggestion(me, { kind: "person", targetId: colleague.id });
    expect((await myNetworkPage(me)).meet.map((p) => p.id)).not.toContain(colleague.id);
    expect((await myNetworkPage(await makeUser())).meet).toEqual([]);
  });
});

describe("data rights", () => {
  it("the download holds one's dismissals; erasure removes them, and others' dismissals of the person", async () => {
    const me = await makeUser();
    const other = await makeUser();
    const { community } = await communityOn("Data literacy", [me]);
    await dismissSuggestion(me, { kind: "community", targetId: community.id });
    await dismissSuggestion(me, { kind: "person", targetId: other.id });
    await dismissSuggestion(other, { kind: "person", targetId: me.id });
    const data = await personalData(db(), me.id) as unknown as Record<string, unknown[]>;
    expect(data.networkDismissals).toHaveLength(2);
    expect(JSON.stringify(data.networkDismissals)).toContain("Data literacy");
    await transaction(async (tx) => await eraseAccount(tx, me.id, { actor: me, removeContent: false, ip: null, now: Date.now() }));
    expect(await db().select().from(networkDismissals).where(eq(networkDismissals.userId, me.id)).all()).toEqual([]);
    expect(await db().select().from(networkDismissals).where(and(eq(networkDismissals.kind, "person"), eq(networkDismissals.targetId, me.id))).all()).toEqual([]);
  });
});
