/**
 * /network/me as the place to tend one's own learning network: the people one learned from (and
 * who learned from one), one's communities and communities to join, and "not interested" — with
 * what nobody may learn or change through them.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/amendments.server";
import { answerInvitation, inviteCoauthor } from "~/services/coauthors.server";
import { postComment } from "~/services/comments.server";
import { joinCommunity, keepThemeAlive } from "~/services/communities.server";
import { personalData } from "~/services/data-export.server";
import { eraseAccount } from "~/services/erasure.server";
import { Invalid, NotFound } from "~/services/errors";
import { follow } from "~/services/follows.server";
import { hideIdea } from "~/services/moderation.server";
import { communitiesToJoin, dismissSuggestion, learnedFrom, learnedFromMe, myCommunities, restoreDismissed } from "~/services/my-learning.server";
import { myNetworkPage } from "~/services/network-pages.server";
import { acceptCommand, answerCommand, askQuestionCommand, hideCommand } from "~/services/question-pages.server";
import { db, transaction } from "~db/client";
import { networkDismissals, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
let keys = 0;
const key = () => `lf-key-${++keys}`.padEnd(10, "x");

function acceptedAnswer(asker: SessionUser, answerer: SessionUser, title: string, now = Date.now()) {
  const q = askQuestionCommand(asker, { title, body: "", clientKey: key() }, now);
  const a = answerCommand(answerer, q.id, { body: "Here is what worked for us.", parentId: "", clientKey: key() }, now + 1);
  acceptCommand(asker, q.id, { answerId: a.id }, now + 2);
  return { questionId: q.id, answerId: a.id };
}

function acceptedChange(author: SessionUser, proposer: SessionUser, ideaId: number, now = Date.now()) {
  const { amendmentId } = proposeAmendment(proposer, { ideaId, title: "A sharper title", body: "A sharper body for the idea.", baseVersion: 1, clientKey: key() }, { now });
  acceptAmendment(author, { amendmentId, baseVersion: 1 }, { now: now + 1 });
  return amendmentId;
}

function builtOn(original: { id: number }, builder: SessionUser, author: SessionUser, now = Date.now()) {
  const { amendmentId } = proposeAmendment(builder, { ideaId: original.id, title: "Built on it", body: "Another take on the idea.", baseVersion: 1, clientKey: key() }, { now });
  leaveAmendmentStanding(author, { amendmentId }, { now: now + 1 });
  return postAmendmentAsIdea(builder, { amendmentId, clientKey: key() }, { now: now + 2 });
}

function publishedTheme(jamId: number, createdBy: number, ideaIds: number[], label: string) {
  const version = db().insert(synthesisVersions).values({ jamId, number: 1, kind: "curated", createdBy, createdAt: Date.now(), publishedAt: Date.now() }).returning().get();
  const theme = db().insert(themes).values({ versionId: version.id, label, keywords: JSON.stringify(["focus"]), representatives: JSON.stringify(ideaIds) }).returning().get();
  for (const ideaId of ideaIds) db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
  return theme;
}

const names = (list: { people: { person: { name: string } | null }[] }) => list.people.map((p) => p.person?.name ?? null);

describe("people you learned from", () => {
  it("lists accepted answers, accepted changes, co-authors and ideas built on, per person, most recent first, linked", () => {
    const { jam, challengeIds } = makeJam();
    const me = makeUser({ name: "Mia Learner" });
    const answerer = makeUser({ name: "Ada Answerer" });
    const proposer = makeUser({ name: "Pat Proposer" });
    const coauthor = makeUser({ name: "Cora Coauthor" });
    const original = makeUser({ name: "Otto Original" });
    const t0 = Date.now();
    const q = acceptedAnswer(me, answerer, "How do we run a good retrospective?", t0);
    const mine = makeIdea(me, challengeIds[0]!, { title: "Quiet Fridays" });
    acceptedChange(me, proposer, mine.id, t0 + 10);
    inviteCoauthor(me, { ideaId: mine.id, userId: coauthor.id });
    answerInvitation(coauthor, { ideaId: mine.id, answer: "accept" });
    const theirs = makeIdea(original, challengeIds[0]!, { title: "Walking meetings" });
    builtOn(theirs, me, original, t0 + 20);
    // The answerer answers a second question later: they come first, with both items.
    const q2 = acceptedAnswer(me, answerer, "Which kanban tool scales?", Date.now() + HOUR);

    const list = learnedFrom(db(), me);
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
    expect(names(learnedFromMe(db(), answerer))).toEqual(["Mia Learner"]);
    expect(learnedFromMe(db(), answerer).people[0]!.items[0]).toMatchObject({ kind: "answer" });
    expect(names(learnedFromMe(db(), proposer))).toEqual(["Mia Learner"]);
    expect(names(learnedFromMe(db(), original))).toEqual(["Mia Learner"]);
    expect(names(learnedFrom(db(), coauthor))).toEqual(["Mia Learner"]);
  });

  it("does not link hidden content, and does not name someone else's hidden idea", () => {
    const { challengeIds, facilitator } = makeJam();
    const me = makeUser();
    const answerer = makeUser({ name: "Hidden Answerer" });
    const original = makeUser({ name: "Hidden Original" });
    const q = acceptedAnswer(me, answerer, "What makes onboarding stick?");
    const theirs = makeIdea(original, challengeIds[0]!, { title: "A title moderators hid" });
    builtOn(theirs, me, original);
    hideCommand(facilitator, q.questionId, { targetType: "answer", targetId: String(q.answerId), reason: "Off topic." });
    hideIdea(facilitator, { id: theirs.id, reason: "Off topic." }, { ip: null });
    const list = learnedFrom(db(), me);
    const items = list.people.flatMap((p) => p.items);
    expect(items.map((i) => i.href)).toEqual([null, null]);
    expect(items.find((i) => i.kind === "answer")!.title).toBe("What makes onboarding stick?");
    expect(items.find((i) => i.kind === "builtOn")!.title).toBeNull();
    expect(JSON.stringify(list)).not.toContain("A title moderators hid");
  });

  it("never shows an anonymous idea, nor counts it, either way", () => {
    const { challengeIds } = makeJam();
    const anonymousAuthor = makeUser({ name: "Secret Author" });
    const proposer = makeUser({ name: "Open Proposer" });
    const builder = makeUser({ name: "Open Builder" });
    const idea = makeIdea(anonymousAuthor, challengeIds[0]!, { title: "An anonymous idea", isAnonymous: true });
    acceptedChange(anonymousAuthor, proposer, idea.id);
    builtOn(idea, builder, anonymousAuthor);
    for (const person of [anonymousAuthor, proposer, builder]) {
      expect(learnedFrom(db(), person)).toEqual({ people: [], total: 0 });
      expect(learnedFromMe(db(), person)).toEqual({ people: [], total: 0 });
    }
    // The builder's own idea (named) is built on an anonymous one: nothing about it on anyone's page.
    for (const person of [anonymousAuthor, proposer, builder]) {
      const page = JSON.stringify(myNetworkPage(person));
      expect(page).not.toContain("An anonymous idea");
      expect(page).not.toContain("Secret Author");
    }
  });

  it("never names an erased person: they show as one Former participant, without a link to them", () => {
    const me = makeUser();
    const first = makeUser({ name: "Erin Erased" });
    const second = makeUser({ name: "Ezra Erased" });
    const q1 = acceptedAnswer(me, first, "Who knows about pricing?");
    acceptedAnswer(me, second, "Who knows about packaging?");
    for (const person of [first, second]) transaction((tx) => eraseAccount(tx, person.id, { actor: person, removeContent: false, ip: null, now: Date.now() }));
    const list = learnedFrom(db(), me);
    expect(list.total).toBe(1);
    expect(list.people[0]!.person).toBeNull();
    expect(list.people[0]!.items).toHaveLength(2);
    // Their answers stay readable (as by "Former participant"), so the question still links.
    expect(list.people[0]!.items.map((i) => i.href)).toContain(`/questions/${q1.questionId}#answer-${q1.answerId}`);
    const page = JSON.stringify(myNetworkPage(me));
    expect(page).not.toContain("Erin Erased");
    expect(page).not.toContain("Ezra Erased");
    expect(page).not.toMatch(new RegExp(`"id":(${first.id}|${second.id}),"name"`));
  });
});

/** An ended jam with a published theme the given people posted named ideas in, kept alive as a community. */
function communityOn(label: string, contributors: SessionUser[], privacy: "open" | "members" = "open") {
  const facilitator = makeUser({ role: "facilitator" });
  const { jam, challengeIds } = makeJam({ facilitator, startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() + HOUR });
  const ideas = contributors.map((c) => makeIdea(c, challengeIds[0]!, { title: `An idea on ${label}` }));
  const theme = publishedTheme(jam.id, facilitator.id, ideas.map((i) => i.id), label);
  const community = keepThemeAlive(facilitator, { themeId: theme.id, privacy }).community;
  return { community, theme, facilitator };
}

describe("communities on /network/me", () => {
  it("suggests open communities on the themes of one's ideas, with why; never a members-only one to a non-member", () => {
    const me = makeUser();
    const open = communityOn("Onboarding buddies", [me]);
    const closed = communityOn("Salary bands", [me], "members");
    const suggestions = communitiesToJoin(db(), me).suggestions;
    expect(suggestions.map((s) => s.id)).toEqual([open.community.id]);
    expect(suggestions[0]!.reasons[0]).toContain("“Onboarding buddies”");
    expect(JSON.stringify(myNetworkPage(me))).not.toContain("Salary bands");
    // Joining moves it to "your communities".
    joinCommunity(me, { communityId: open.community.id });
    expect(communitiesToJoin(db(), me).suggestions).toEqual([]);
    expect(myCommunities(db(), me).map((c) => [c.title, c.role])).toEqual([[open.community.title, "member"]]);
    expect(closed.community.privacy).toBe("members");
  });

  it("suggests from followed themes and followed people, and lists steward, member, invited and asked-to-join", () => {
    const me = makeUser();
    const friend = makeUser({ name: "Fran Friend" });
    const a = communityOn("Remote rituals", [friend]);
    const b = communityOn("Green travel", [friend]);
    follow(me, { targetType: "theme", targetId: a.theme.id });
    follow(me, { targetType: "person", targetId: friend.id });
    joinCommunity(friend, { communityId: b.community.id });
    const reasons = Object.fromEntries(communitiesToJoin(db(), me).suggestions.map((s) => [s.title, s.reasons]));
    expect(reasons[a.community.title]).toContain("You follow the theme “Remote rituals”");
    expect(reasons[b.community.title]).toContain("Fran Friend, whom you follow, is a member");
    // Asking to join a members-only community shows as "requested".
    const closed = communityOn("Board prep", [friend], "members");
    joinCommunity(me, { communityId: closed.community.id });
    expect(myCommunities(db(), me).map((c) => c.role)).toEqual(["requested"]);
    expect(myCommunities(db(), closed.facilitator).map((c) => c.role)).toEqual(["steward"]);
  });

  it("keeps a dismissal, for the person who dismissed alone", () => {
    const me = makeUser();
    const other = makeUser();
    const { community } = communityOn("Mentoring circles", [me, other]);
    expect(communitiesToJoin(db(), me).suggestions.map((s) => s.id)).toEqual([community.id]);
    dismissSuggestion(me, { kind: "community", targetId: community.id });
    dismissSuggestion(me, { kind: "community", targetId: String(community.id) }); // a repeat changes nothing
    expect(communitiesToJoin(db(), me)).toEqual({ suggestions: [], dismissed: 1 });
    expect(communitiesToJoin(db(), other).suggestions.map((s) => s.id)).toEqual([community.id]);
    // Kept: a later visit still leaves it out; bringing them back is one's own choice.
    expect(myNetworkPage(me).toJoin.suggestions).toEqual([]);
    restoreDismissed(other, { kind: "community" });
    expect(communitiesToJoin(db(), me).suggestions).toEqual([]);
    restoreDismissed(me, { kind: "community" });
    expect(communitiesToJoin(db(), me).suggestions.map((s) => s.id)).toEqual([community.id]);
  });

  it("attack: nobody dismisses for someone else, and nonsense is refused", () => {
    const me = makeUser();
    const attacker = makeUser();
    const { community } = communityOn("Pairing", [me, attacker]);
    // Whatever the form names, the row is the actor's own.
    dismissSuggestion(attacker, { kind: "community", targetId: community.id, userId: me.id, user_id: me.id });
    expect(communitiesToJoin(db(), me).suggestions.map((s) => s.id)).toEqual([community.id]);
    const rows = db().select().from(networkDismissals).where(eq(networkDismissals.targetId, community.id)).all();
    expect(rows.map((r) => r.userId)).toEqual([attacker.id]);
    expect(() => dismissSuggestion(attacker, { kind: "community", targetId: 999_999 })).toThrow(NotFound);
    expect(() => dismissSuggestion(attacker, { kind: "person", targetId: attacker.id })).toThrow(NotFound);
    expect(() => dismissSuggestion(attacker, { kind: "jam", targetId: community.id })).toThrow(Invalid);
    expect(() => dismissSuggestion(attacker, { kind: "community", targetId: "1e99" })).toThrow(Invalid);
    expect(() => dismissSuggestion(attacker, { kind: "community", targetId: "x".repeat(100_000) })).toThrow(Invalid);
  });

  it("leaves a dismissed person out of people you should meet", () => {
    const { challengeIds } = makeJam();
    const me = makeUser();
    const colleague = makeUser({ name: "Cleo Colleague" });
    const idea = makeIdea(makeUser(), challengeIds[0]!);
    postComment(me, { ideaId: idea.id, body: "I like this.", clientKey: key() });
    postComment(colleague, { ideaId: idea.id, body: "Me too.", clientKey: key() });
    expect(myNetworkPage(me).meet.map((p) => p.id)).toContain(colleague.id);
    dismissSuggestion(me, { kind: "person", targetId: colleague.id });
    expect(myNetworkPage(me).meet.map((p) => p.id)).not.toContain(colleague.id);
    expect(myNetworkPage(makeUser()).meet).toEqual([]);
  });
});

describe("data rights", () => {
  it("the download holds one's dismissals; erasure removes them, and others' dismissals of the person", () => {
    const me = makeUser();
    const other = makeUser();
    const { community } = communityOn("Data literacy", [me]);
    dismissSuggestion(me, { kind: "community", targetId: community.id });
    dismissSuggestion(me, { kind: "person", targetId: other.id });
    dismissSuggestion(other, { kind: "person", targetId: me.id });
    const data = personalData(db(), me.id) as unknown as Record<string, unknown[]>;
    expect(data.networkDismissals).toHaveLength(2);
    expect(JSON.stringify(data.networkDismissals)).toContain("Data literacy");
    transaction((tx) => eraseAccount(tx, me.id, { actor: me, removeContent: false, ip: null, now: Date.now() }));
    expect(db().select().from(networkDismissals).where(eq(networkDismissals.userId, me.id)).all()).toEqual([]);
    expect(db().select().from(networkDismissals).where(and(eq(networkDismissals.kind, "person"), eq(networkDismissals.targetId, me.id))).all()).toEqual([]);
  });
});
