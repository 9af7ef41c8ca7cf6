/**
 * Questions and jellies that belong to a community: asking and proposing in one, who may read them
 * (a members-only community's are its members' alone, everywhere), routing among its members and
 * never outside from its idea box, escalation to its steward, RSVPs, and ideas from a jelly's notes
 * posted once into the community's idea box with credit. Each attack would pass without its fix.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { decideProposal, postInIdeaBox, proposeCommunity, removeMember } from "~/services/communities.server";
import { communityPage } from "~/services/community-pages.server";
import { personalData } from "~/services/data-export.server";
import { Invalid, NotFound } from "~/services/errors";
import {
  addJellyIdea,
  calendarFeed,
  checkIn,
  jellyIcs,
  jellyPage,
  jelliesPage,
  proposeJelly,
  resetCalendarFeed,
  rsvp,
} from "~/services/jellies.server";
import { listNotifications } from "~/services/notifications.server";
import { learnedFrom, learnedFromMe } from "~/services/my-learning.server";
import { acceptCommand, answerCommand, askPage, askQuestionCommand, questionPage, questionsListPage, searchQuestions } from "~/services/question-pages.server";
import { askedPeople, escalateUnanswered, routeCandidates } from "~/services/questions.server";
import { setSetting } from "~/services/settings.server";
import { castVote } from "~/services/votes.server";
import { db, transaction } from "~db/client";
import { communities, communityMembers, ideas, jellies, jellyIdeas, jellyRsvps, notifications, pointEntries, type Community } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let keys = 0;
const key = () => `cq-key-${++keys}`.padEnd(12, "x");
const word = () => `zq${Math.random().toString(36).slice(2, 9).replace(/[0-9]/g, "k")}`;

/** An active community (members only unless said), its steward, and members made directly. */
function community(privacy: "open" | "members" = "members") {
  const steward = makeUser({ name: `Steward ${word()}` });
  const admin = makeUser({ role: "admin" });
  const { community: proposed } = proposeCommunity(steward, { title: `Circle ${word()}`, purpose: "People who keep learning together.", privacy });
  decideProposal(admin, { communityId: proposed.id, decision: "approve" });
  return { steward, community: fresh(proposed) };
}

function fresh(c: Pick<Community, "id">): Community {
  return db().select().from(communities).where(eq(communities.id, c.id)).get()!;
}

function addMember(c: Community, person: SessionUser) {
  const now = Date.now();
  db()
    .insert(communityMembers)
    .values({ communityId: c.id, userId: person.id, state: "member", createdAt: now, joinedAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [communityMembers.communityId, communityMembers.userId], set: { state: "member", joinedAt: now } })
    .run();
}

function ask(asker: SessionUser, title: string, extra: Record<string, unknown> = {}, now = Date.now()) {
  return askQuestionCommand(asker, { title, body: "", clientKey: key(), ...extra }, now);
}

function postInBox(c: Community, author: SessionUser, title: string) {
  return postInIdeaBox(author, fresh(c), { title, body: `All about ${title}.`, clientKey: key() });
}

/** Someone whose named idea on `w` in an ordinary jam drew `fans` supporters from other departments. */
function publicExpert(w: string, fans: number, challengeId: number) {
  const expert = makeUser({ departmentId: makeDepartment().id });
  const idea = makeIdea(expert, challengeId, { title: `Our ${w} playbook`, body: `Notes on ${w}.` });
  for (let i = 0; i < fans; i++) castVote(makeUser(), { ideaId: idea.id });
  return expert;
}

function wallTime(at: number) {
  const iso = new Date(at).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

function proposeIn(host: SessionUser, c: Community | null, now = Date.now(), extra: Record<string, unknown> = {}) {
  const at = Math.ceil((now + DAY) / 60_000) * 60_000;
  return proposeJelly(
    host,
    {
      title: `Walk and talk ${word()}`,
      about: "An hour to compare notes.",
      ...wallTime(at),
      timeZone: "UTC",
      durationMinutes: "60",
      place: "Atrium",
      capacity: "10",
      clientKey: key(),
      ...(c ? { communityId: String(c.id) } : {}),
      ...extra,
    },
    { now },
  ).id;
}
const startOf = (id: number) => db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, id)).get()!.s;

describe("asking in a community", () => {
  it("a member asks in their community; anyone else's form naming it (or a forged id) is refused", () => {
    const { steward, community: c } = community("members");
    const member = makeUser();
    addMember(c, member);
    const outsider = makeUser();
    const asked = ask(member, `How do we run a ${word()} retro?`, { communityId: String(c.id) });
    expect(db().get<{ c: number }>(sql`SELECT community_id AS c FROM questions WHERE id = ${asked.id}`)!.c).toBe(c.id);
    expect(() => ask(outsider, `How do we run a ${word()} retro?`, { communityId: String(c.id) })).toThrow(Invalid);
    expect(() => ask(member, `How do we run a ${word()} retro?`, { communityId: "999999" })).toThrow(Invalid);
    expect(() => ask(member, `How do we run a ${word()} retro?`, { communityId: "abc" })).toThrow(Invalid);
    // The form from the community's page: only for its members.
    expect(askPage(member, { community: String(c.id) }).community?.id).toBe(c.id);
    expect(() => askPage(outsider, { community: String(c.id) })).toThrow(NotFound);
    expect(askPage(member, {}).communities.map((x) => x.id)).toContain(c.id);
    expect(askPage(outsider, {}).communities.map((x) => x.id)).not.toContain(c.id);
    expect(steward.id).toBeGreaterThan(0);
  });

  it("a members-only community's question is a 404 to others, and stays out of their lists, search and notices", () => {
    const { steward, community: c } = community("members");
    const member = makeUser();
    addMember(c, member);
    addMember(c, steward);
    const outsider = makeUser({ role: "facilitator" });
    const w = word();
    const q = ask(member, `Who has tried ${w} pairing?`, { communityId: String(c.id) });
    answerCommand(steward, q.id, { body: "We did, twice.", parentId: "", clientKey: key() });

    expect(questionPage(member, q.id).question.title).toContain(w);
    expect(() => questionPage(outsider, q.id)).toThrow(NotFound);
    expect(() => answerCommand(outsider, q.id, { body: "Let me in.", parentId: "", clientKey: key() })).toThrow(NotFound);
    const listed = (viewer: SessionUser, tab: string, query = "") => questionsListPage(viewer, { tab, q: query }).questions.map((x) => x.id);
    for (const tab of ["open", "answered"]) expect(listed(outsider, tab)).not.toContain(q.id);
    expect(listed(outsider, "answered", w)).toEqual([]);
    expect(listed(member, "answered", w)).toEqual([q.id]);
    // Search beside "who knows about …?": never without a viewer, and only for one who may read it.
    expect(searchQuestions(db(), w)).toEqual([]);
    expect(searchQuestions(db(), w, 10, outsider.id)).toEqual([]);
    expect(searchQuestions(db(), w, 10, member.id).map((x) => x.id)).toEqual([q.id]);

    // The member hears of the answer; once removed, the notice is gone from their bell.
    const about = () => listNotifications(member).notifications.filter((n) => n.link?.startsWith(`/questions/${q.id}`));
    expect(about().length).toBe(1);
    removeMember(steward, { communityId: c.id, userId: member.id });
    expect(about().length).toBe(0);
    expect(() => questionPage(member, q.id)).toThrow(NotFound);
    // Their data download keeps their own question, but not text of others they may no longer read.
    const data = personalData(db(), member.id);
    expect(data.questionsAsked.map((x) => x.id)).toContain(q.id);
  });

  it("an open community's question is read by anyone signed in", () => {
    const { community: c } = community("open");
    const member = makeUser();
    addMember(c, member);
    const reader = makeUser();
    const q = ask(member, `What is a good ${word()} cadence?`, { communityId: String(c.id) });
    expect(questionPage(reader, q.id).community?.slug).toBe(c.slug);
  });
});

describe("routing in a community", () => {
  it("a members-only community's question goes to the go-to people among its members only", () => {
    const { challengeIds } = makeJam();
    const w = word();
    const { steward, community: c } = community("members");
    const insider = makeUser();
    addMember(c, insider);
    const asker = makeUser();
    addMember(c, asker);
    // A stronger expert outside the community, and a member with a weaker named idea on the same words.
    const outsider = publicExpert(w, 5, challengeIds[0]!);
    const idea = makeIdea(insider, challengeIds[0]!, { title: `A ${w} checklist`, body: `How we use ${w}.` });
    castVote(makeUser(), { ideaId: idea.id });

    const open = ask(makeUser(), `Any tips on ${w}?`);
    expect(askedPeople(db(), open.id).map((p) => p.id)).toEqual([outsider.id, insider.id]);
    const inside = ask(asker, `Any tips on ${w}?`, { communityId: String(c.id) });
    expect(askedPeople(db(), inside.id).map((p) => p.id)).toEqual([insider.id]);
    expect(steward.id).not.toBe(insider.id);
  });

  it("with no member who knows, it goes to the steward", () => {
    const { challengeIds } = makeJam();
    const w = word();
    const { steward, community: c } = community("members");
    addMember(c, steward);
    const asker = makeUser();
    addMember(c, asker);
    publicExpert(w, 3, challengeIds[0]!);
    const q = ask(asker, `Who can explain ${w}?`, { communityId: String(c.id) });
    expect(askedPeople(db(), q.id).map((p) => p.id)).toEqual([steward.id]);
  });

  it("ideas in a members-only idea box never make anyone a go-to person outside the community", () => {
    const w = word();
    const { community: c } = community("members");
    const insider = makeUser();
    addMember(c, insider);
    const posted = postInBox(c, insider, `The ${w} method`);
    const fan = makeUser();
    addMember(c, fan);
    castVote(fan, { ideaId: posted.id });
    // Outside the community: nobody (the box is the only place these words appear).
    const outsider = makeUser();
    expect(routeCandidates(db(), outsider, `How does the ${w} method work?`)).toEqual([]);
    expect(ask(outsider, `How does the ${w} method work?`).asked).toBe(0);
    // Inside it, the box counts.
    const member = makeUser();
    addMember(c, member);
    const inside = ask(member, `How does the ${w} method work?`, { communityId: String(c.id) });
    expect(askedPeople(db(), inside.id).map((p) => p.id)).toEqual([insider.id]);
  });

  it("an accepted answer in a members-only community does not route questions outside it", () => {
    const w = word();
    const { community: c } = community("members");
    const asker = makeUser();
    const answerer = makeUser();
    addMember(c, asker);
    addMember(c, answerer);
    const q = ask(asker, `Where is the ${w} template?`, { communityId: String(c.id) });
    const a = answerCommand(answerer, q.id, { body: `The ${w} template is in the shared drive.`, parentId: "", clientKey: key() });
    transaction((tx) => tx.run(sql`UPDATE questions SET accepted_answer_id = ${a.id} WHERE id = ${q.id}`));
    expect(routeCandidates(db(), makeUser(), `Where is the ${w} template?`).map((p) => p.id)).not.toContain(answerer.id);
  });

  it("an unanswered community question goes to its steward, and a members-only one to no facilitator outside it", () => {
    const { steward, community: c } = community("members");
    addMember(c, steward);
    const asker = makeUser();
    addMember(c, asker);
    const facilitator = makeUser({ role: "facilitator" });
    const insideFacilitator = makeUser({ role: "facilitator" });
    addMember(c, insideFacilitator);
    setSetting("questionEscalationHours", 1, makeUser({ role: "admin" }).id);
    const long = Date.now() - 3 * HOUR;
    const q = ask(asker, `Does anyone use ${word()} here?`, { communityId: String(c.id) }, long);
    // Nobody knows: the steward was asked; nobody answered.
    escalateUnanswered(db(), transaction, Date.now());
    const told = (userId: number) =>
      db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.dedupeKey, `question:${q.id}:escalated`))).all().length;
    expect(told(steward.id)).toBe(1);
    expect(told(insideFacilitator.id)).toBe(1);
    expect(told(facilitator.id)).toBe(0);
  });
});

describe("jellies in a community", () => {
  it("a members-only community's jelly is a 404 to others: page, .ics, RSVP, check-in, lists and the calendar feed", () => {
    const { steward, community: c } = community("members");
    const host = makeUser();
    addMember(c, host);
    const member = makeUser();
    addMember(c, member);
    const outsider = makeUser();
    expect(() => proposeIn(outsider, c)).toThrow(Invalid);
    const id = proposeIn(host, c);
    expect(jellyPage(member, id).community?.slug).toBe(c.slug);
    expect(() => jellyPage(outsider, id)).toThrow(NotFound);
    expect(() => jellyIcs(outsider, id, "http://x")).toThrow(NotFound);
    expect(() => rsvp(outsider, { jellyId: id })).toThrow(NotFound);
    expect(() => checkIn(outsider, { jellyId: id, code: "ABCDEF" }, { now: startOf(id) })).toThrow(NotFound);
    expect(jelliesPage(outsider, {}).jellies.map((j) => j.id)).not.toContain(id);
    expect(jelliesPage(member, {}).jellies.map((j) => j.id)).toContain(id);
    expect(communityPage(member, c.slug).jellies.map((j) => j.id)).toEqual([id]);

    // A member going, then removed: the jelly leaves their calendar feed.
    expect(rsvp(member, { jellyId: id }).status).toBe("going");
    const { token } = resetCalendarFeed(member);
    expect(calendarFeed(token, "http://x")).toContain(`jelly-${id}@jamboree`);
    // Someone waits for the only other place... the jelly is made full first.
    transaction((tx) => tx.run(sql`UPDATE jellies SET capacity = 1 WHERE id = ${id}`));
    const waiting = makeUser();
    addMember(c, waiting);
    expect(rsvp(waiting, { jellyId: id }).status).toBe("waiting");
    removeMember(steward, { communityId: c.id, userId: member.id });
    expect(calendarFeed(token, "http://x")).not.toContain(`jelly-${id}@jamboree`);
    expect(() => jellyPage(member, id)).toThrow(NotFound);
    // Their place is given up: the first person waiting moves up.
    expect(db().select().from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, id), eq(jellyRsvps.userId, member.id))).all()).toEqual([]);
    expect(jellyPage(waiting, id).mine?.status).toBe("going");
  });

  it("the community page lists its own questions and jellies and those of its theme, once each", () => {
    const { community: c } = community("open");
    const member = makeUser();
    addMember(c, member);
    const q = ask(member, `What about ${word()} rotas?`, { communityId: String(c.id) });
    const j = proposeIn(member, c);
    const page = communityPage(makeUser(), c.slug);
    expect(page.questions.map((x) => x.id)).toEqual([q.id]);
    expect(page.jellies.map((x) => x.id)).toEqual([j]);
    expect(page.digest?.questions).toBe(1);
    expect(page.digest?.jelliesProposed).toBe(1);
    expect(page.canPostHere).toBe(false);
    expect(communityPage(member, c.slug).canPostHere).toBe(true);
  });
});

describe("ideas from a jelly's notes", () => {
  it("go into the community's idea box once, credited to the person, with points, and the jelly links to them", () => {
    const { community: c } = community("members");
    const host = makeUser();
    const guest = makeUser();
    addMember(c, host);
    addMember(c, guest);
    const id = proposeIn(host, c);
    rsvp(guest, { jellyId: id });
    const after = startOf(id) + 2 * HOUR;
    const input = { title: `Pair ${word()} newcomers`, body: "One buddy from another team.", creditedId: String(guest.id), clientKey: "jelly-note-0001" };
    const first = addJellyIdea(host, id, input, { now: after });
    const again = addJellyIdea(host, id, input, { now: after });
    expect(again).toEqual({ id: first.id, ideaId: first.ideaId, created: false });
    const posted = db().select().from(ideas).where(eq(ideas.id, first.ideaId!)).get()!;
    expect(posted.authorId).toBe(guest.id);
    expect(posted.isAnonymous).toBe(false);
    expect(posted.jamId).toBe(fresh(c).boxJamId);
    expect(db().select().from(jellyIdeas).where(eq(jellyIdeas.jellyId, id)).all()).toHaveLength(1);
    expect(db().select().from(ideas).where(eq(ideas.title, input.title)).all()).toHaveLength(1);
    expect(db().select().from(jellyIdeas).where(eq(jellyIdeas.id, first.id)).get()!.addedById).toBe(host.id);
    const points = db().select().from(pointEntries).where(and(eq(pointEntries.userId, guest.id), eq(pointEntries.source, `idea:${posted.id}`))).all();
    expect(points.map((p) => p.reason)).toContain("idea_posted");
    const notice = listNotifications(guest).notifications.find((n) => n.body.includes(input.title))!;
    expect(notice.body).toContain("idea box");
    expect(notice.link).toContain(`/ideas/${posted.id}`);
    const page = jellyPage(guest, id, after);
    expect(page.ideas[0]!.ideaHref).toContain(`/ideas/${posted.id}`);
    // The box lists it, credited to the guest.
    const box = communityPage(guest, c.slug, {}, after).box!;
    expect(box.ideas.map((i) => i.id)).toContain(posted.id);
  });

  it("a jelly with no community keeps today's behaviour: noted on the jelly only", () => {
    const host = makeUser();
    const guest = makeUser();
    const id = proposeIn(host, null);
    rsvp(guest, { jellyId: id });
    const noted = addJellyIdea(host, id, { title: `Lunch ${word()} roulette`, creditedId: String(guest.id), clientKey: "jelly-note-0002" }, { now: startOf(id) + HOUR });
    expect(noted.ideaId).toBeNull();
    expect(jellyPage(guest, id).ideas[0]!.ideaHref).toBeNull();
  });
  it("an accepted answer in a members-only community is no longer linked on /network/me once a person leaves it", () => {
    const { steward, community: c } = community("members");
    const member = makeUser();
    const answerer = makeUser();
    for (const p of [member, answerer, steward]) addMember(c, p);
    const w = word();
    const q = ask(member, `Who has run a ${w} retro?`, { communityId: String(c.id) });
    const a = answerCommand(answerer, q.id, { body: `We run one every ${w}.`, parentId: "", clientKey: key() });
    acceptCommand(member, q.id, { answerId: String(a.id) });
    const fromAnswerer = () => learnedFrom(db(), member).people.find((p) => p.person?.id === answerer.id)!.items[0]!;
    const toAsker = () => learnedFromMe(db(), answerer).people.find((p) => p.person?.id === member.id)!.items[0]!;
    expect(fromAnswerer().href).toBe(`/questions/${q.id}#answer-${a.id}`);
    expect(toAsker().href).toBe(`/questions/${q.id}#answer-${a.id}`);

    removeMember(steward, { communityId: c.id, userId: member.id });
    removeMember(steward, { communityId: c.id, userId: answerer.id });
    // Still who they learned from, but no link into a community they may no longer read; and the
    // asker's question title is the asker's own, while the answerer no longer reads it.
    expect(fromAnswerer()).toMatchObject({ href: null, title: expect.stringContaining(w) });
    expect(toAsker()).toMatchObject({ href: null, title: null });
  });
});
