import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import {
  decideProposal,
  editCommunity,
  inviteMembers,
  joinCommunity,
  keepThemeAlive,
  postInIdeaBox,
  proposeCommunity,
  removeMember,
  respondToInvitation,
  seedChallenge,
} from "~/services/commands/communities.server";
import { inviteeCandidates } from "~/services/lookups/communities.server";
import { communityDirectory, communityPage } from "~/services/pages/communities.server";
import { follow } from "~/services/commands/follows.server";
import { findIdeaForPage, findVisibleIdea, findVisibleJam } from "~/services/lookups/visibility.server";
import { jamHomePage, listJams } from "~/services/pages/jams.server";
import { listNotifications } from "~/services/pages/notifications.server";
import { personProfile } from "~/services/pages/profiles.server";
import { searchExperts } from "~/services/lookups/network.server";
import { castVote } from "~/services/commands/votes.server";
import { postComment } from "~/services/commands/comments.server";
import { jamLeaderboard } from "~/services/pages/leaderboards.server";
import { askQuestion } from "~/services/commands/questions.server";
import { db, transaction } from "~db/client";
import { challenges, communities, jams, communityMembers, notifications, pointEntries, synthesisVersions, jellies, questions, themeIdeas, themes, type Community } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import type { SessionUser } from "~/auth/session.server";

const HOUR = 3_600_000;
const key = () => `c-${Math.random().toString(36).slice(2)}`.padEnd(8, "x");

async function publishedTheme(jamId: number, createdBy: number, ideaIds: number[], label = "Meeting-free focus", published = true, number = 1) {
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId, number, kind: "curated", createdBy, createdAt: Date.now(), publishedAt: published ? Date.now() : null })
    .returning()
    .get();
  const theme = await db()
    .insert(themes)
    .values({ versionId: version.id, label, keywords: JSON.stringify(["focus"]), representatives: JSON.stringify(ideaIds) })
    .returning()
    .get();
  for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
  return theme;
}

/** An ended jam with a published theme: a named contributor, an anonymous one, and one who is both named elsewhere and anonymous here. */
async function endedJamWithTheme(label = `Theme ${Math.random().toString(36).slice(2, 8)}`) {
  const facilitator = await makeUser({ role: "facilitator" });
  const { jam, challengeIds } = await makeJam({ facilitator, startsAt: Date.now() - 48 * HOUR, endsAt: Date.now() + HOUR });
  const named = await makeUser({ name: "Named Contributor" });
  const hidden = await makeUser({ name: "Anonymous Contributor" });
  const voter = await makeUser({ name: "Voter" });
  const namedIdea = await makeIdea(named, challengeIds[0]!, { title: "Quiet mornings" });
  const anonIdea = await makeIdea(hidden, challengeIds[0]!, { title: "Secret idea", isAnonymous: true });
  await castVote(voter, { ideaId: namedIdea.id });
  await castVote(voter, { ideaId: anonIdea.id });
  const theme = await publishedTheme(jam.id, facilitator.id, [namedIdea.id, anonIdea.id], label);
  return { facilitator, jam, challengeIds, named, hidden, voter, theme, namedIdea, anonIdea };
}

async function boxOf(c: Community) {
  return (await db().select().from(communities).where(eq(communities.id, c.id)).get())!;
}

async function post(actor: SessionUser, community: Community, title: string, isAnonymous = false) {
  return await postInIdeaBox(actor, await boxOf(community), {
    title,
    body: "Let us keep doing this after the jam.",
    isAnonymous: isAnonymous ? "on" : undefined,
    clientKey: `k-${Math.random().toString(36).slice(2)}`.padEnd(8, "x"),
  });
}

describe("keeping a theme alive", () => {
  it("is for facilitators and leaders, on a published theme, once per theme", async () => {
    const t = await endedJamWithTheme();
    await expect(async () => await keepThemeAlive(t.named, { themeId: t.theme.id })).rejects.toThrow(Forbidden);
    const draft = await publishedTheme(t.jam.id, t.facilitator.id, [], "Not yet", false, 2);
    await expect(async () => await keepThemeAlive(t.facilitator, { themeId: draft.id })).rejects.toThrow(NotFound);
    const first = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    expect(first.created).toBe(true);
    expect(first.community.stewardId).toBe(t.facilitator.id);
    const leader = await makeUser({ role: "leader" });
    const again = await keepThemeAlive(leader, { themeId: t.theme.id });
    expect(again.created).toBe(false);
    expect(again.community.id).toBe(first.community.id);
    expect(await db().select().from(communities).where(eq(communities.themeId, t.theme.id)).all()).toHaveLength(1);
  });
});

describe("who is invited from a theme", () => {
  it("takes named contributors, followers and go-to people, never the author of an anonymous idea", async () => {
    const t = await endedJamWithTheme();
    const fan = await makeUser({ name: "Theme Follower" });
    await follow(fan, { targetType: "theme", targetId: t.theme.id });
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    const candidates = await inviteeCandidates(db(), community);
    const ids = candidates.map((c) => c.id);
    expect(ids).toContain(t.named.id);
    expect(ids).toContain(fan.id);
    expect(ids).not.toContain(t.hidden.id);
    // The steward (already a member) is not offered again.
    expect(ids).not.toContain(t.facilitator.id);
    expect(candidates.find((c) => c.id === t.named.id)!.reasons).toEqual(["go-to", "contributor"]);
    expect(candidates.find((c) => c.id === fan.id)!.reasons).toEqual(["follower"]);
    // Nothing on the steward's page names the anonymous author.
    const page = await communityPage(t.facilitator, community.slug);
    expect(JSON.stringify(page)).not.toContain("Anonymous Contributor");
  });

  it("invites only people from the preview, once, and only by the steward", async () => {
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    // A forged form naming the anonymous author (or anyone else) invites nobody.
    expect((await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.hidden.id, t.voter.id] })).invited).toBe(0);
    await expect(async () => await inviteMembers(t.named, { communityId: community.id, userIds: [t.named.id] })).rejects.toThrow(Forbidden);
    expect((await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id, t.named.id] })).invited).toBe(1);
    expect((await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id] })).invited).toBe(0);
    await expect(async () => await inviteMembers(t.facilitator, { communityId: community.id, userIds: Array.from({ length: 500 }, (_, i) => i + 1) })).rejects.toThrow(Invalid);
    const notices = await db().select().from(notifications).where(and(eq(notifications.userId, t.named.id), eq(notifications.kind, "communities"))).all();
    expect(notices).toHaveLength(1);
    expect((await db().select().from(notifications).where(eq(notifications.userId, t.hidden.id)).all()).filter((n) => n.kind === "communities")).toHaveLength(0);
    // The invitee accepts once; a second accept changes nothing; someone not invited cannot accept.
    expect((await respondToInvitation(t.named, { communityId: community.id, answer: "accept" })).state).toBe("member");
    expect((await respondToInvitation(t.named, { communityId: community.id, answer: "accept" })).state).toBe("member");
    await expect(async () => await respondToInvitation(t.hidden, { communityId: community.id, answer: "accept" })).rejects.toThrow(Conflict);
  });
});

describe("proposing a community", () => {
  it("waits for a facilitator, who approves it (the proposer steward, told) or declines it with a reason", async () => {
    const proposer = await makeUser();
    const facilitator = await makeUser({ role: "facilitator" });
    const { community, created } = await proposeCommunity(proposer, { title: "Remote rituals", purpose: "Sharing what keeps remote teams close." });
    expect(created).toBe(true);
    expect((await proposeCommunity(proposer, { title: "Remote rituals", purpose: "Sharing what keeps remote teams close." })).created).toBe(false);
    expect(community.status).toBe("proposed");
    // Others do not see a proposal; the proposer and facilitators do.
    const other = await makeUser();
    await expect(async () => await communityPage(other, community.slug)).rejects.toThrow(NotFound);
    expect((await communityDirectory(facilitator, { tab: "proposals" })).communities.map((c) => c.id)).toContain(community.id);
    expect((await communityDirectory(other, { tab: "proposals" })).tab).toBe("open");
    await expect(async () => await decideProposal(proposer, { communityId: community.id, decision: "approve" })).rejects.toThrow(Forbidden);

    const approved = await decideProposal(facilitator, { communityId: community.id, decision: "approve" });
    expect(approved.status).toBe("active");
    expect(approved.stewardId).toBe(proposer.id);
    expect(approved.boxChallengeId).not.toBeNull();
    await expect(async () => await decideProposal(facilitator, { communityId: community.id, decision: "decline", reason: "Too late" })).rejects.toThrow(Conflict);
    const told = (await listNotifications(proposer)).notifications;
    expect(JSON.stringify(told)).toContain("was approved");
  });

  it("declines with a reason the proposer reads, and a decline needs a reason", async () => {
    const proposer = await makeUser();
    const facilitator = await makeUser({ role: "facilitator" });
    const { community } = await proposeCommunity(proposer, { title: "Coffee roasting", purpose: "A hobby more than a practice, honestly." });
    await expect(async () => await decideProposal(facilitator, { communityId: community.id, decision: "decline", reason: "" })).rejects.toThrow(Invalid);
    const declined = await decideProposal(facilitator, { communityId: community.id, decision: "decline", reason: "Better as a jelly." });
    expect(declined.status).toBe("declined");
    expect(declined.boxJamId).toBeNull();
    expect(JSON.stringify(await listNotifications(proposer))).toContain("Better as a jelly.");
    expect((await communityPage(proposer, community.slug)).community.declineReason).toBe("Better as a jelly.");
  });
});

describe("the always-open idea box", () => {
  it("takes ideas, comments and votes after the source jam ended, scores them, and is no jam anywhere", async () => {
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id] });
    await respondToInvitation(t.named, { communityId: community.id, answer: "accept" });
    // The source jam has ended; the box has not.
    const later = { now: Date.now() + 10 * HOUR };
    const posted = await postInIdeaBox(t.named, await boxOf(community), {
      title: "Keep the quiet mornings",
      body: "Two mornings a week without meetings.",
      clientKey: "box-idea-1",
    });
    expect(posted.created).toBe(true);
    expect(posted.points).toBeGreaterThan(0);
    expect((await db().select().from(pointEntries).where(eq(pointEntries.userId, t.named.id)).all()).some((p) => p.reason === "idea_posted")).toBe(true);
    // Posting twice with the same key posts once.
    expect((await postInIdeaBox(t.named, await boxOf(community), { title: "Keep the quiet mornings", body: "Two mornings a week without meetings.", clientKey: "box-idea-1" })).created).toBe(false);
    expect(await postComment(t.facilitator, { ideaId: posted.id, body: "Yes, let us.", clientKey: key() }, later)).toBeTruthy();
    expect((await castVote(t.facilitator, { ideaId: posted.id }, later)).hasVoted).toBe(true);

    // A non-member of an open community reads but does not post.
    const reader = await makeUser();
    expect((await findVisibleIdea(db(), reader, posted.id)).idea.id).toBe(posted.id);
    await expect(async () => await post(reader, community, "Drive-by")).rejects.toThrow(Conflict);

    // No jam listing, jam page, leaderboard or synthesis shows the box.
    const box = await boxOf(community);
    const listed = await listJams(t.facilitator);
    expect([...listed.live, ...listed.upcoming, ...(listed.past)].map((j) => j.id)).not.toContain(box.boxJamId);
    const boxSlug = `community-${community.id}`;
    await expect(async () => await findVisibleJam(db(), t.facilitator, boxSlug)).rejects.toThrow(NotFound);
    await expect(async () => await jamLeaderboard(t.facilitator, boxSlug, {})).rejects.toThrow(NotFound);
    // The person's profile lists no ranking "in" the box.
    expect((await personProfile(t.facilitator, t.named.id)).byJam.map((j) => j.jamId)).not.toContain(box.boxJamId);
  });

  it("is the community's challenge only: seeding puts a linked challenge in a jam that has not started, once", async () => {
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    const { jam: next } = await makeJam({ facilitator: t.facilitator, startsAt: Date.now() + 48 * HOUR, endsAt: Date.now() + 96 * HOUR });
    await expect(async () => await seedChallenge(t.named, { communityId: community.id, jamId: next.id })).rejects.toThrow(Forbidden);
    await expect(async () => await seedChallenge(t.facilitator, { communityId: community.id, jamId: t.jam.id })).rejects.toThrow(Invalid);
    await expect(async () => await seedChallenge(t.facilitator, { communityId: community.id, jamId: (await boxOf(community)).boxJamId })).rejects.toThrow(Invalid);
    const seeded = await seedChallenge(t.facilitator, { communityId: community.id, jamId: next.id });
    expect(seeded.created).toBe(true);
    expect((await seedChallenge(t.facilitator, { communityId: community.id, jamId: next.id })).created).toBe(false);
    const challenge = (await db().select().from(challenges).where(eq(challenges.id, seeded.challengeId)).get())!;
    expect(challenge.title).toBe(community.title);
    expect(challenge.jamId).toBe(next.id);
  });
});

describe("a members-only community", () => {
  async function privateCommunity() {
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id, privacy: "members" });
    await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id] });
    await respondToInvitation(t.named, { communityId: community.id, answer: "accept" });
    const idea = await post(t.named, community, "Zanzibar mornings secret plan");
    const outsider = await makeUser({ name: "Outsider" });
    return { ...t, community, idea, outsider };
  }

  it("shows a non-member its name and purpose only", async () => {
    const p = await privateCommunity();
    const page = await communityPage(p.outsider, p.community.slug);
    expect(page.readable).toBe(false);
    expect(page.box).toBeNull();
    expect(page.members).toEqual([]);
    expect(page.resources).toEqual([]);
    expect(JSON.stringify(page)).not.toContain("Zanzibar");
    expect((await communityPage(p.named, p.community.slug)).box!.ideas.map((i) => i.id)).toContain(p.idea.id);
  });

  it("answers its idea box's jam address with the community for a member, and with no such jam for anyone else", async () => {
    const p = await privateCommunity();
    const box = await db().select().from(jams).where(eq(jams.id, (await boxOf(p.community)).boxJamId!)).get();
    expect(await jamHomePage(p.named, box!.slug)).toEqual({ community: p.community.slug });
    await expect(async () => await jamHomePage(p.outsider, box!.slug)).rejects.toThrow(NotFound);
    await expect(async () => await jamHomePage(p.named, "no-such-jam")).rejects.toThrow(NotFound);
    const home = await jamHomePage(p.named, p.jam.slug);
    expect(home.community).toBeNull();
    expect("jam" in home && home.jam.slug).toBe(p.jam.slug);
  });

  it("never lets a non-member open, comment on or vote for its ideas by id", async () => {
    const p = await privateCommunity();
    await expect(async () => await findVisibleIdea(db(), p.outsider, p.idea.id)).rejects.toThrow(NotFound);
    await expect(async () => await findIdeaForPage(db(), p.outsider, p.idea.id)).rejects.toThrow(NotFound);
    await expect(async () => await castVote(p.outsider, { ideaId: p.idea.id })).rejects.toThrow(NotFound);
    await expect(async () => await postComment(p.outsider, { ideaId: p.idea.id, body: "Let me in", clientKey: key() })).rejects.toThrow(NotFound);
    await expect(async () => await post(p.outsider, p.community, "Sneaky")).rejects.toThrow(Conflict);
    // Even facilitators who are not members.
    const other = await makeUser({ role: "facilitator" });
    await expect(async () => await findVisibleIdea(db(), other, p.idea.id)).rejects.toThrow(NotFound);
  });

  it("keeps its ideas out of profiles and expert search for non-members", async () => {
    const p = await privateCommunity();
    expect((await personProfile(p.outsider, p.named.id)).ideas.map((i) => i.id)).not.toContain(p.idea.id);
    expect((await personProfile(p.named, p.named.id)).ideas.map((i) => i.id)).toContain(p.idea.id);
    expect((await searchExperts(db(), p.outsider, "Zanzibar")).map((e) => e.id)).not.toContain(p.named.id);
    expect((await searchExperts(db(), p.named, "Zanzibar")).map((e) => e.id)).toContain(p.named.id);
  });

  it("stops showing its content to a member once removed, including their earlier notices", async () => {
    const p = await privateCommunity();
    const commenter = p.facilitator;
    await postComment(commenter, { ideaId: p.idea.id, body: "Zanzibar indeed", clientKey: key() });
    expect(JSON.stringify(await listNotifications(p.named))).toContain("Zanzibar");
    // Notices that lead to an answer (the link ends in #answer-…): one in the community, one elsewhere.
    const asked = await db()
      .insert(questions)
      .values({ askerId: p.facilitator.id, title: "Zanzibar question", body: "", communityId: p.community.id, clientKey: key(), createdAt: Date.now() })
      .returning({ id: questions.id })
      .get();
    const notice = (body: string, link: string) => ({ userId: p.named.id, kind: "questions" as const, body, link, dedupeKey: link, createdAt: Date.now() });
    await db()
      .insert(notifications)
      .values([notice("Zanzibar answer", `/questions/${asked!.id}#answer-1`), notice("Mombasa answer", `/questions/${asked!.id + 1000}#answer-2`)])
      .run();
    expect(JSON.stringify(await listNotifications(p.named))).toContain("Zanzibar answer");
    await removeMember(p.facilitator, { communityId: p.community.id, userId: p.named.id });
    await expect(async () => await findVisibleIdea(db(), p.named, p.idea.id)).rejects.toThrow(NotFound);
    const bell = JSON.stringify(await listNotifications(p.named));
    expect(bell).not.toContain("Zanzibar");
    expect(bell).toContain("Mombasa answer");
    // A removed member cannot rejoin by asking.
    await expect(async () => await joinCommunity(p.named, { communityId: p.community.id })).rejects.toThrow(Forbidden);
  });

  it("takes a request to join, which the steward hears about; a member does not change privacy", async () => {
    const p = await privateCommunity();
    expect((await joinCommunity(p.outsider, { communityId: p.community.id })).state).toBe("requested");
    expect((await joinCommunity(p.outsider, { communityId: p.community.id })).state).toBe("requested");
    expect((await communityPage(p.outsider, p.community.slug)).readable).toBe(false);
    await expect(async () => await editCommunity(p.named, { communityId: p.community.id, purpose: "Anyone can read this now, surely.", privacy: "open" })).rejects.toThrow(Forbidden);
    const rows = await db().select().from(communityMembers).where(eq(communityMembers.communityId, p.community.id)).all();
    expect(rows.find((r) => r.userId === p.outsider.id)!.state).toBe("requested");
  });
});

describe("a person's data and erasure", () => {
  it("puts their memberships and proposals in their download, without the other members", async () => {
    const { personalData } = await import("~/services/commands/data-export.server");
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id] });
    await respondToInvitation(t.named, { communityId: community.id, answer: "accept" });
    await proposeCommunity(t.named, { title: "Night shift craft", purpose: "What works on the night shift, shared." });
    const data = await personalData(db(), t.named.id);
    expect(data.communities).toEqual([expect.objectContaining({ title: community.title, state: "member", steward: false })]);
    expect(data.communitiesProposed).toEqual([expect.objectContaining({ title: "Night shift craft", status: "proposed" })]);
    expect(JSON.stringify(data.communities)).not.toContain(t.facilitator.name);
  });

  it("takes an erased person out of every community's members", async () => {
    const { eraseAccountAsAdmin } = await import("~/services/commands/erasure.server");
    const t = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    await inviteMembers(t.facilitator, { communityId: community.id, userIds: [t.named.id] });
    await respondToInvitation(t.named, { communityId: community.id, answer: "accept" });
    const admin = await makeUser({ role: "admin" });
    const erased = await eraseAccountAsAdmin(admin, { userId: t.named.id, confirmation: t.named.email }, { ip: null });
    await Promise.all(erased.recompute.map((h) => h.done));
    expect(await db().select().from(communityMembers).where(eq(communityMembers.userId, t.named.id)).all()).toEqual([]);
    expect((await communityPage(t.facilitator, community.slug)).members.map((m) => m.id)).toEqual([t.facilitator.id]);
  });
});

describe("a community kept alive from a theme", () => {
  it("lists the visible questions asked from its theme and the theme's coming jellies, and nothing of other themes", async () => {
    const t = await endedJamWithTheme();
    const other = await endedJamWithTheme();
    const { community } = await keepThemeAlive(t.facilitator, { themeId: t.theme.id });
    const now = Date.now();
    const ask = async (themeId: number, title: string) =>
      (await transaction(async (tx) => await askQuestion(tx, t.voter, { title, body: "", themeId, clientKey: key() }, now))).id;
    const onTheme = await ask(t.theme.id, "Who runs quiet mornings well?");
    const hidden = await ask(t.theme.id, "A question a facilitator hid later");
    await db().update(questions).set({ hiddenAt: now }).where(eq(questions.id, hidden)).run();
    await ask(other.theme.id, "A question about another theme");
    const jelly = async (themeId: number, startsAt: number, title: string) =>
      await db()
        .insert(jellies)
        .values({ hostId: t.named.id, title, about: "An hour on quiet mornings.", startsAt, timeZone: "UTC", durationMinutes: 60, capacity: 8, themeId, checkInCode: `C${Math.random().toString(36).slice(2, 8)}`, createdAt: now, updatedAt: now })
        .returning()
        .get();
    await jelly(t.theme.id, now + 24 * HOUR, "Quiet mornings coffee");
    await jelly(t.theme.id, now - 24 * HOUR, "A jelly that is over");
    await jelly(other.theme.id, now + 24 * HOUR, "Another theme's jelly");

    const page = await communityPage(t.voter, community.slug, {}, now);
    expect(page.questions.map((q) => q.id)).toEqual([onTheme]);
    expect(page.jellies.map((j) => j.title)).toEqual(["Quiet mornings coffee"]);
  });
});
