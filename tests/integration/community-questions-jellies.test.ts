/**
 * Questions and jellies that belong to a community: asking and proposing in one, who may read them
 * (a members-only community's are its members' alone, everywhere), routing among its members and
 * never outside from its idea box, escalation to its steward, RSVPs, and ideas from a jelly's notes
 * posted once into the community's idea box with credit. Each attack would pass without its fix.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { decideProposal, postInIdeaBox, proposeCommunity, removeMember } from "~/services/commands/communities.server";
import { communityPage } from "~/services/pages/communities.server";
import { personalData } from "~/services/commands/data-export.server";
import { Invalid, NotFound } from "~/services/errors";
import {
  addJellyIdea,
  checkIn,
  proposeJelly,
  resetCalendarFeed,
  rsvp,
} from "~/services/commands/jellies.server";
import {
  calendarFeed, jellyIcs,
  jellyPage,
  jelliesPage
} from "~/services/pages/jellies.server";
import { listNotifications } from "~/services/pages/notifications.server";
import { learnedFrom, learnedFromMe } from "~/services/lookups/my-learning.server";
import { askPage, questionPage, questionsListPage } from "~/services/pages/questions.server";
import { searchQuestions, askedPeople, routeCandidates } from "~/services/lookups/questions.server";
import { acceptCommand, answerCommand, askQuestionCommand, escalateUnanswered } from "~/services/commands/questions.server";
import { setSetting } from "~/services/commands/settings.server";
import { castVote } from "~/services/commands/votes.server";
import { db, transaction } from "~db/client";
import { communities, communityMembers, ideas, jellies, jellyIdeas, jellyRsvps, notifications, pointEntries, type Community } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let keys = 0;
const key = () => `cq-key-${++keys}`.padEnd(12, "x");
const word = () => `zq${Math.random().toString(36).slice(2, 9).replace(/[0-9]/g, "k")}`;

/** An active community (members only unless said), its steward, and members made directly. */
async function community(privacy: "open" | "members" = "members") {
  const steward = await makeUser({ name: `Steward ${word()}` });
  const admin = await makeUser({ role: "admin" });
  const { community: proposed } = await proposeCommunity(steward, { title: `Circle ${word()}`, purpose: "People who keep learning together.", privacy });
  await decideProposal(admin, { communityId: proposed.id, decision: "approve" });
  return { steward, community: await fresh(proposed) };
}

async function fresh(c: Pick<Community, "id">): Promise<Community> {
  return (await db().select().from(communities).where(eq(communities.id, c.id)).get())!;
}

async function addMember(c: Community, person: SessionUser) {
  const now = Date.now();
  await db()
    .insert(communityMembers)
    .values({ communityId: c.id, userId: person.id, state: "member", createdAt: now, joinedAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [communityMembers.communityId, communityMembers.userId], set: { state: "member", joinedAt: now } })
    .run();
}

async function ask(asker: SessionUser, title: string, extra: Record<string, unknown> = {}, now = Date.now()) {
  return await askQuestionCommand(asker, { title, body: "", clientKey: key(), ...extra }, now);
}

async function postInBox(c: Community, author: SessionUser, title: string) {
  return await postInIdeaBox(author, await fresh(c), { title, body: `All about ${title}.`, clientKey: key() });
}

/** Someone whose named idea on `w` in an ordinary jam drew `fans` supporters from other departments. */
async function publicExpert(w: string, fans: number, challengeId: number) {
  const expert = await makeUser({ departmentId: (await makeDepartment()).id });
  const idea = await makeIdea(expert, challengeId, { title: `Our ${w} playbook`, body: `Notes on ${w}.` });
  for (let i = 0; i < fans; i++) await castVote(await makeUser(), { ideaId: idea.id });
  return expert;
}

function wallTime(at: number) {
  const iso = new Date(at).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function proposeIn(host: SessionUser, c: Community | null, now = Date.now(), extra: Record<string, unknown> = {}) {
  const at = Math.ceil((now + DAY) / 60_000) * 60_000;
  return (await proposeJelly(
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
  )).id;
}
const startOf = async (id: number) => (await db().select({ s: jellies.startsAt }).from(jellies).where(eq(jellies.id, id)).get())!.s;

describe("asking in a community", () => {
  it("a member asks in their community; anyone else's form naming it (or a forged id) is refused", async () => {
    const { steward, community: c } = await community("members");
    const member = await makeUser();
    await addMember(c, member);
    const outsider = await makeUser();
    const asked = await ask(member, `How do we run a ${word()} retro?`, { communityId: String(c.id) });
    expect((await db().get<{ c: number }>(sql`SELECT community_id AS c FROM questions WHERE id = ${asked.id}`))!.c).toBe(c.id);
    await expect(async () => await ask(outsider, `How do we run a ${word()} retro?`, { communityId: String(c.id) })).rejects.toThrow(Invalid);
    await expect(async () => await ask(member, `How do we run a ${word()} retro?`, { communityId: "999999" })).rejects.toThrow(Invalid);
    await expect(async () => await ask(member, `How do we run a ${word()} retro?`, { communityId: "abc" })).rejects.toThrow(Invalid);
    // The form from the community's page: only for its members.
    expect((await askPage(member, { community: String(c.id) })).community?.id).toBe(c.id);
    await expect(async () => await askPage(outsider, { community: String(c.id) })).rejects.toThrow(NotFound);
    expect((await askPage(member, {})).communities.map((x) => x.id)).toContain(c.id);
    expect((await askPage(outsider, {})).communities.map((x) => x.id)).not.toContain(c.id);
    expect(steward.id).toBeGreaterThan(0);
  });

  it("a members-only community's question is a 404 to others, and stays out of their lists, search and notices", async () => {
    const { steward, community: c } = await community("members");
    const member = await makeUser();
    await addMember(c, member);
    await addMember(c, steward);
    const outsider = await makeUser({ role: "facilitator" });
    const w = word();
    const q = await ask(member, `Who has tried ${w} pairing?`, { communityId: String(c.id) });
    await answerCommand(steward, q.id, { body: "We did, twice.", parentId: "", clientKey: key() });

    expect((await questionPage(member, q.id)).question.title).toContain(w);
    await expect(async () => await questionPage(outsider, q.id)).rejects.toThrow(NotFound);
    await expect(async () => await answerCommand(outsider, q.id, { body: "Let me in.", parentId: "", clientKey: key() })).rejects.toThrow(NotFound);
    const listed = async (viewer: SessionUser, tab: string, query = "") => (await questionsListPage(viewer, { tab, q: query })).questions.map((x) => x.id);
    for (const tab of ["open", "answered"]) expect(await listed(outsider, tab)).not.toContain(q.id);
    expect(await listed(outsider, "answered", w)).toEqual([]);
    expect(await listed(member, "answered", w)).toEqual([q.id]);
    // Search beside "who knows about …?": never without a viewer, and only for one who may read it.
    expect(await searchQuestions(db(), w)).toEqual([]);
    expect(await searchQuestions(db(), w, 10, outsider.id)).toEqual([]);
    expect((await searchQuestions(db(), w, 10, member.id)).map((x) => x.id)).toEqual([q.id]);

    // The member hears of the answer; once removed, the notice is gone from their bell.
    const about = async () => (await listNotifications(member)).notifications.filter((n) => n.link?.startsWith(`/questions/${q.id}`));
    expect((await about()).length).toBe(1);
    await removeMember(steward, { communityId: c.id, userId: member.id });
    expect((await about()).length).toBe(0);
    await expect(async () => await questionPage(member, q.id)).rejects.toThrow(NotFound);
    // Their data download keeps their own question, but not text of others they may no longer read.
    const data = await personalData(db(), member.id);
    expect(data.questionsAsked.map((x) => x.id)).toContain(q.id);
  });

  it("an open community's question is read by anyone signed in", async () => {
    const { community: c } = await community("open");
    const member = await makeUser();
    await addMember(c, member);
    const reader = await makeUser();
    const q = await ask(member, `What is a good ${word()} cadence?`, { communityId: String(c.id) });
    expect((await questionPage(reader, q.id)).community?.slug).toBe(c.slug);
  });
});

describe("routing in a community", () => {
  it("a members-only community's question goes to the go-to people among its members only", async () => {
    const { challengeIds } = await makeJam();
    const w = word();
    const { steward, community: c } = await community("members");
    const insider = await makeUser();
    await addMember(c, insider);
    const asker = await makeUser();
    await addMember(c, asker);
    // A stronger expert outside the community, and a member with a weaker named idea on the same words.
    const outsider = await publicExpert(w, 5, challengeIds[0]!);
    const idea = await makeIdea(insider, challengeIds[0]!, { title: `A ${w} checklist`, body: `How we use ${w}.` });
    await castVote(await makeUser(), { ideaId: idea.id });

    const open = await ask(await makeUser(), `Any tips on ${w}?`);
    expect((await askedPeople(db(), open.id)).map((p) => p.id)).toEqual([outsider.id, insider.id]);
    const inside = await ask(asker, `Any tips on ${w}?`, { communityId: String(c.id) });
    expect((await askedPeople(db(), inside.id)).map((p) => p.id)).toEqual([insider.id]);
    expect(steward.id).not.toBe(insider.id);
  });

  it("with no member who knows, it goes to the steward", async () => {
    const { challengeIds } = await makeJam();
    const w = word();
    const { steward, community: c } = await community("members");
    await addMember(c, steward);
    const asker = await makeUser();
    await addMember(c, asker);
    await publicExpert(w, 3, challengeIds[0]!);
    const q = await ask(asker, `Who can explain ${w}?`, { communityId: String(c.id) });
    expect((await askedPeople(db(), q.id)).map((p) => p.id)).toEqual([steward.id]);
  });

  it("ideas in a members-only idea box never make anyone a go-to person outside the community", async () => {
    const w = word();
    const { community: c } = await community("members");
    const insider = await makeUser();
    await addMember(c, insider);
    const posted = await postInBox(c, insider, `The ${w} method`);
    const fan = await makeUser();
    await addMember(c, fan);
    await castVote(fan, { ideaId: posted.id });
    // Outside the community: nobody (the box is the only place these words appear).
    const outsider = await makeUser();
    expect(await routeCandidates(db(), outsider, `How does the ${w} method work?`)).toEqual([]);
    expect((await ask(outsider, `How does the ${w} method work?`)).asked).toBe(0);
    // Inside it, the box counts.
    const member = await makeUser();
    await addMember(c, member);
    const inside = await ask(member, `How does the ${w} method work?`, { communityId: String(c.id) });
    expect((await askedPeople(db(), inside.id)).map((p) => p.id)).toEqual([insider.id]);
  });

  it("an accepted answer in a members-only community does not route questions outside it", async () => {
    const w = word();
    const { community: c } = await community("members");
    const asker = await makeUser();
    const answerer = await makeUser();
    await addMember(c, asker);
    await addMember(c, answerer);
    const q = await ask(asker, `Where is the ${w} template?`, { communityId: String(c.id) });
    const a = await answerCommand(answerer, q.id, { body: `The ${w} template is in the shared drive.`, parentId: "", clientKey: key() });
    await transaction(async (tx) => await tx.run(sql`UPDATE questions SET accepted_answer_id = ${a.id} WHERE id = ${q.id}`));
    expect((await routeCandidates(db(), await makeUser(), `Where is the ${w} template?`)).map((p) => p.id)).not.toContain(answerer.id);
  });

  it("an unanswered community question goes to its steward, and a members-only one to no facilitator outside it", async () => {
    const { steward, community: c } = await community("members");
    await addMember(c, steward);
    const asker = await makeUser();
    await addMember(c, asker);
    const facilitator = await makeUser({ role: "facilitator" });
    const insideFacilitator = await makeUser({ role: "facilitator" });
    await addMember(c, insideFacilitator);
    await setSetting("questionEscalationHours", 1, (await makeUser({ role: "admin" })).id);
    const long = Date.now() - 3 * HOUR;
    const q = await ask(asker, `Does anyone use ${word()} here?`, { communityId: String(c.id) }, long);
    // Nobody knows: the steward was asked; nobody answered.
    await escalateUnanswered(db(), transaction, Date.now());
    const told = async (userId: number) =>
      (await db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.dedupeKey, `question:${q.id}:escalated`))).all()).length;
    expect(await told(steward.id)).toBe(1);
    expect(await told(insideFacilitator.id)).toBe(1);
    expect(await told(facilitator.id)).toBe(0);
  });
});

describe("jellies in a community", () => {
  it("a members-only community's jelly is a 404 to others: page, .ics, RSVP, check-in, lists and the calendar feed", async () => {
    const { steward, community: c } = await community("members");
    const host = await makeUser();
    await addMember(c, host);
    const member = await makeUser();
    await addMember(c, member);
    const outsider = await makeUser();
    await expect(async () => await proposeIn(outsider, c)).rejects.toThrow(Invalid);
    const id = await proposeIn(host, c);
    expect((await jellyPage(member, id)).community?.slug).toBe(c.slug);
    await expect(async () => await jellyPage(outsider, id)).rejects.toThrow(NotFound);
    await expect(async () => await jellyIcs(outsider, id, "http://x")).rejects.toThrow(NotFound);
    await expect(async () => await rsvp(outsider, { jellyId: id })).rejects.toThrow(NotFound);
    await expect(async () => await checkIn(outsider, { jellyId: id, code: "ABCDEF" }, { now: await startOf(id) })).rejects.toThrow(NotFound);
    expect((await jelliesPage(outsider, {})).jellies.map((j) => j.id)).not.toContain(id);
    expect((await jelliesPage(member, {})).jellies.map((j) => j.id)).toContain(id);
    expect((await communityPage(member, c.slug)).jellies.map((j) => j.id)).toEqual([id]);

    // A member going, then removed: the jelly leaves their calendar feed.
    expect((await rsvp(member, { jellyId: id })).status).toBe("going");
    const { token } = await resetCalendarFeed(member);
    expect(await calendarFeed(token, "http://x")).toContain(`jelly-${id}@jamboree`);
    // Someone waits for the only other place... the jelly is made full first.
    await transaction(async (tx) => await tx.run(sql`UPDATE jellies SET capacity = 1 WHERE id = ${id}`));
    const waiting = await makeUser();
    await addMember(c, waiting);
    expect((await rsvp(waiting, { jellyId: id })).status).toBe("waiting");
    await removeMember(steward, { communityId: c.id, userId: member.id });
    expect(await calendarFeed(token, "http://x")).not.toContain(`jelly-${id}@jamboree`);
    await expect(async () => await jellyPage(member, id)).rejects.toThrow(NotFound);
    // Their place is given up: the first person waiting moves up.
    expect(await db().select().from(jellyRsvps).where(and(eq(jellyRsvps.jellyId, id), eq(jellyRsvps.userId, member.id))).all()).toEqual([]);
    expect((await jellyPage(waiting, id)).mine?.status).toBe("going");
  });

  it("the community page lists its own questions and jellies and those of its theme, once each", async () => {
    const { community: c } = await community("open");
    const member = await makeUser();
    await addMember(c, member);
    const q = await ask(member, `What about ${word()} rotas?`, { communityId: String(c.id) });
    const j = await proposeIn(member, c);
    const page = await communityPage(await makeUser(), c.slug);
    expect(page.questions.map((x) => x.id)).toEqual([q.id]);
    expect(page.jellies.map((x) => x.id)).toEqual([j]);
    expect(page.digest?.questions).toBe(1);
    expect(page.digest?.jelliesProposed).toBe(1);
    expect(page.canPostHere).toBe(false);
    expect((await communityPage(member, c.slug)).canPostHere).toBe(true);
  });
});

describe("ideas from a jelly's notes", () => {
  it("go into the community's idea box once, credited to the person, with points, and the jelly links to them", async () => {
    const { community: c } = await community("members");
    const host = await makeUser();
    const guest = await makeUser();
    await addMember(c, host);
    await addMember(c, guest);
    const id = await proposeIn(host, c);
    await rsvp(guest, { jellyId: id });
    const after = await startOf(id) + 2 * HOUR;
    const input = { title: `Pair ${word()} newcomers`, body: "One buddy from another team.", creditedId: String(guest.id), clientKey: "jelly-note-0001" };
    const first = await addJellyIdea(host, id, input, { now: after });
    const again = await addJellyIdea(host, id, input, { now: after });
    expect(again).toEqual({ id: first.id, ideaId: first.ideaId, created: false });
    const posted = (await db().select().from(ideas).where(eq(ideas.id, first.ideaId!)).get())!;
    expect(posted.authorId).toBe(guest.id);
    expect(posted.isAnonymous).toBe(false);
    expect(posted.jamId).toBe((await fresh(c)).boxJamId);
    expect(await db().select().from(jellyIdeas).where(eq(jellyIdeas.jellyId, id)).all()).toHaveLength(1);
    expect(await db().select().from(ideas).where(eq(ideas.title, input.title)).all()).toHaveLength(1);
    expect((await db().select().from(jellyIdeas).where(eq(jellyIdeas.id, first.id)).get())!.addedById).toBe(host.id);
    const points = await db().select().from(pointEntries).where(and(eq(pointEntries.userId, guest.id), eq(pointEntries.source, `idea:${posted.id}`))).all();
    expect(points.map((p) => p.reason)).toContain("idea_posted");
    const notice = (await listNotifications(guest)).notifications.find((n) => n.body.includes(input.title))!;
    expect(notice.body).toContain("idea box");
    expect(notice.link).toContain(`/ideas/${posted.id}`);
    const page = await jellyPage(guest, id, after);
    expect(page.ideas[0]!.ideaHref).toContain(`/ideas/${posted.id}`);
    // The box lists it, credited to the guest.
    const box = (await communityPage(guest, c.slug, {}, after)).box!;
    expect(box.ideas.map((i) => i.id)).toContain(posted.id);
  });

  it("a jelly with no community keeps today's behaviour: noted on the jelly only", async () => {
    const host = await makeUser();
    const guest = await makeUser();
    const id = await proposeIn(host, null);
    await rsvp(guest, { jellyId: id });
    const noted = await addJellyIdea(host, id, { title: `Lunch ${word()} roulette`, creditedId: String(guest.id), clientKey: "jelly-note-0002" }, { now: await startOf(id) + HOUR });
    expect(noted.ideaId).toBeNull();
    expect((await jellyPage(guest, id)).ideas[0]!.ideaHref).toBeNull();
  });
  it("an accepted answer in a members-only community is no longer linked on /network/me once a person leaves it", async () => {
    const { steward, community: c } = await community("members");
    const member = await makeUser();
    const answerer = await makeUser();
    for (const p of [member, answerer, steward]) await addMember(c, p);
    const w = word();
    const q = await ask(member, `Who has run a ${w} retro?`, { communityId: String(c.id) });
    const a = await answerCommand(answerer, q.id, { body: `We run one every ${w}.`, parentId: "", clientKey: key() });
    await acceptCommand(member, q.id, { answerId: String(a.id) });
    const fromAnswerer = async () => (await learnedFrom(db(), member)).people.find((p) => p.person?.id === answerer.id)!.items[0]!;
    const toAsker = async () => (await learnedFromMe(db(), answerer)).people.find((p) => p.person?.id === member.id)!.items[0]!;
    expect((await fromAnswerer()).href).toBe(`/questions/${q.id}#answer-${a.id}`);
    expect((await toAsker()).href).toBe(`/questions/${q.id}#answer-${a.id}`);

    await removeMember(steward, { communityId: c.id, userId: member.id });
    await removeMember(steward, { communityId: c.id, userId: answerer.id });
    // Still who they learned from, but no link into a community they may no longer read; and the
    // asker's question title is the asker's own, while the answerer no longer reads it.
    expect(await fromAnswerer()).toMatchObject({ href: null, title: expect.stringContaining(w) });
    expect(await toAsker()).toMatchObject({ href: null, title: null });
  });
});
