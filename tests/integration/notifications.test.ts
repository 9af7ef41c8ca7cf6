/**
 * The loop closes for participants: what people are told about their own ideas and comments,
 * grouped where news repeats, never about what they did themselves, never revealing an anonymous
 * author or hidden content, and only the kinds they want.
 */
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { createAction } from "~/services/commands/actions.server";
import { backgroundRound } from "~/services/jobs/background.server";
import { postComment } from "~/services/commands/comments.server";
import { follow } from "~/services/commands/follows.server";
import { hideComment, hideIdea, mergeIdeas, pinIdea, restoreIdea, tagIdea, unpinIdea } from "~/services/commands/moderation.server";
import { sendJamResults } from "~/services/jobs/jam-results.server";
import { ideaOutcomes } from "~/services/lookups/idea-outcomes.server";
import {
  markRead,
  saveNotificationSettings
} from "~/services/commands/notifications.server";
import {
  listNotifications, NOTIFICATIONS_PAGE,
  notificationSettings, unreadCount
} from "~/services/pages/notifications.server";
import { publishVersion } from "~/services/commands/synthesis.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { jams, notifications, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const meta = { ip: null };
let keys = 0;

async function rowsOf(userId: number) {
  return await db().select().from(notifications).where(eq(notifications.userId, userId)).all();
}

/** What the person reads on /notifications (first page). */
async function bodiesOf(user: SessionUser) {
  return (await listNotifications(user)).notifications.map((n) => n.body);
}

async function named(first: string) {
  return await makeUser({ name: `${first} ${Math.random().toString(36).slice(2, 8)}` });
}

async function comment(actor: SessionUser, ideaId: number, body = "I like this, and here is why.", parentId?: number) {
  keys += 1;
  return await postComment(actor, { ideaId, parentId, body, clientKey: `comment-key-${keys}` });
}

/** A live jam and an idea by Alice. */
async function scene(options: { anonymous?: boolean; title?: string } = {}) {
  const { jam, challengeIds, facilitator } = await makeJam();
  const alice = await named("Alice");
  const title = options.title ?? `Idea ${Math.random().toString(36).slice(2, 8)}`;
  const idea = { ...await makeIdea(alice, challengeIds[0]!, { title, isAnonymous: options.anonymous }), title, challengeId: challengeIds[0]! };
  return { jam, challengeId: challengeIds[0]!, facilitator, alice, idea };
}

describe("replies and comments", () => {
  it("a comment tells the idea's author, a reply tells the comment's author, and several unread ones group", async () => {
    const { jam, alice, idea } = await scene({ title: "Walking meetings" });
    const bob = await named("Bob");
    const carol = await named("Carol");
    const dan = await named("Dan");
    const bobs = await comment(bob, idea.id);
    expect(await bodiesOf(alice)).toEqual([`${bob.name} commented on your idea “Walking meetings”`]);
    expect((await listNotifications(alice)).notifications[0]).toMatchObject({ kind: "comments", link: `/jams/${jam.slug}/ideas/${idea.id}#comment-${bobs.id}`, isRead: false });

    const reply = await comment(carol, idea.id, "Agreed, and on Fridays too.", bobs.id);
    expect(await bodiesOf(bob)).toEqual([`${carol.name} replied to your comment on “Walking meetings”`]);
    expect((await listNotifications(bob)).notifications[0]!.link).toBe(`/jams/${jam.slug}/ideas/${idea.id}#comment-${reply.id}`);
    // Alice had not read the first: one notification, now for two comments.
    expect(await bodiesOf(alice)).toEqual(["2 new comments on your idea “Walking meetings”"]);
    expect(await rowsOf(alice.id)).toHaveLength(1);
    expect(await unreadCount(alice)).toBe(1);

    // Once read, the next comment starts again from one, unread.
    await markRead(alice, "all");
    expect(await unreadCount(alice)).toBe(0);
    await comment(dan, idea.id);
    expect(await bodiesOf(alice)).toEqual([`${dan.name} commented on your idea “Walking meetings”`]);
    expect(await unreadCount(alice)).toBe(1);
    // Another reply to Bob's comment, unread: "2 new replies".
    await comment(dan, idea.id, "Me too.", bobs.id);
    expect(await bodiesOf(bob)).toEqual(["2 new replies to your comment on “Walking meetings”"]);
  });

  it("nobody is told about their own comment or reply, and a reply on one's own idea is one notice, not two", async () => {
    const { alice, idea } = await scene();
    const bob = await named("Bob");
    const own = await comment(alice, idea.id);
    expect(await rowsOf(alice.id)).toEqual([]);
    const bobs = await comment(bob, idea.id);
    await comment(bob, idea.id, "Replying to myself.", bobs.id);
    expect(await rowsOf(bob.id)).toEqual([]);
    await markRead(alice, "all");
    await comment(bob, idea.id, "Answering Alice.", own.id);
    // Alice's comment on Alice's idea got a reply: the reply says it all.
    expect((await listNotifications(alice)).notifications.filter((n) => !n.isRead).map((n) => n.body)).toEqual([
      `${bob.name} replied to your comment on “${idea.title}”`,
    ]);
  });

  it("an anonymous idea's author hears privately; nothing anyone else is told names or counts them", async () => {
    const { jam, challengeId, facilitator, alice, idea } = await scene({ anonymous: true, title: "Anonymous: fewer status meetings" });
    const bob = await named("Bob");
    const carol = await named("Carol");
    const follower = await named("Follower");
    await follow(follower, { targetType: "person", targetId: alice.id });
    const bobs = await comment(bob, idea.id);
    await comment(carol, idea.id, "Replying to Bob.", bobs.id);
    await castVote(bob, { ideaId: idea.id });
    await castVote(carol, { ideaId: idea.id });
    await pinIdea(facilitator, { id: idea.id }, meta);
    await tagIdea(facilitator, { id: idea.id, tag: "best" }, meta);

    const aliceReads = (await bodiesOf(alice)).join("\n");
    // Bob's comment and Carol's reply, unread: grouped.
    expect(aliceReads).toContain("2 new comments on your idea “Anonymous: fewer status meetings”");
    expect(aliceReads).toContain("2 people supported your idea “Anonymous: fewer status meetings”");
    expect(aliceReads).toContain("pinned your idea");
    expect(aliceReads).toContain("tagged your idea");

    // Everyone else's notifications: not Alice's name, not her id, nothing about "your idea" to anyone but her.
    for (const other of [bob, carol, follower, facilitator]) {
      for (const row of await rowsOf(other.id)) {
        expect(row.body).not.toContain(alice.name);
        expect(row.body).not.toContain(alice.email);
        expect(row.body).not.toMatch(/your (anonymous )?idea/);
      }
    }
    expect(await rowsOf(follower.id)).toEqual([]);
    // The control: a named idea by the same person does tell her follower, by name.
    await makeIdea(alice, challengeId, { title: "Named: a shared calendar" });
    expect(await bodiesOf(follower)).toEqual([`${alice.name} posted a new idea: Named: a shared calendar`]);
    expect(jam.id).toBeGreaterThan(0);
  });

  it("a hidden idea's news is hidden from everyone but its author; comments' words are never in a notification", async () => {
    const { facilitator, alice, idea } = await scene({ title: "Idea that gets hidden" });
    const bob = await named("Bob");
    const carol = await named("Carol");
    const follower = await named("Follower");
    const secretWords = "the exact words of Bob's comment";
    const bobs = await comment(bob, idea.id, secretWords);
    await comment(carol, idea.id, "A reply to Bob.", bobs.id);
    expect(await unreadCount(bob)).toBe(1);
    for (const person of [alice, bob, carol]) for (const row of await rowsOf(person.id)) expect(row.body).not.toContain(secretWords);

    await hideIdea(facilitator, { id: idea.id, reason: "Off topic for this challenge" }, meta);
    // Bob may no longer open the idea: its title leaves his list and his bell.
    expect(await bodiesOf(bob)).toEqual([]);
    expect(await unreadCount(bob)).toBe(0);
    // Alice still sees her news, and why it is hidden and whom to ask.
    const hidden = (await listNotifications(alice)).notifications[0]!;
    expect(hidden).toMatchObject({ kind: "hidden", isRead: false });
    expect(hidden.body).toContain("Your idea “Idea that gets hidden” was hidden by a moderator. Reason: Off topic for this challenge.");
    expect(hidden.body).toContain(`To ask about it, write to ${facilitator.name}`);
    expect(await bodiesOf(alice)).toHaveLength(2);
    expect(follower.id).toBeGreaterThan(0);

    await restoreIdea(facilitator, { id: idea.id }, meta);
    expect(await bodiesOf(bob)).toEqual([`${carol.name} replied to your comment on “Idea that gets hidden”`]);
    expect((await bodiesOf(alice))[0]).toBe("Your idea “Idea that gets hidden” is visible again: a moderator restored it");

    // A hidden comment: its author is told why; the words stay out of every notification.
    await hideComment(facilitator, { id: bobs.id, reason: "Personal remark" }, meta);
    expect((await bodiesOf(bob))[0]).toMatch(/^Your comment on “Idea that gets hidden” was hidden by a moderator\. Reason: Personal remark\./);
    for (const person of [alice, bob, carol]) for (const row of await rowsOf(person.id)) expect(row.body).not.toContain(secretWords);
  });
});

describe("support, grouped", () => {
  it("five supporters make one notification reading 5; once read, the next supporter makes it unread with the new count", async () => {
    const { alice, idea } = await scene({ title: "Quiet Fridays" });
    const voters = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    for (const v of voters) await castVote(v, { ideaId: idea.id });
    expect(await rowsOf(alice.id)).toHaveLength(1);
    expect((await listNotifications(alice)).notifications).toMatchObject([{ kind: "support", body: "5 people supported your idea “Quiet Fridays”", count: 5, isRead: false }]);
    expect(await unreadCount(alice)).toBe(1);

    const before = (await rowsOf(alice.id))[0]!;
    await markRead(alice, "all");
    // Taking a vote back tells nobody anything.
    await withdrawVote(voters[0]!, { ideaId: idea.id });
    expect((await rowsOf(alice.id))[0]!.readAt).not.toBeNull();
    await castVote(voters[0]!, { ideaId: idea.id });
    await castVote(await makeUser(), { ideaId: idea.id }, { now: Date.now() + 60_000 });
    const after = await rowsOf(alice.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, body: "6 people supported your idea “Quiet Fridays”", count: 6, readAt: null });
    expect(after[0]!.createdAt).toBeGreaterThan(before.createdAt);
    expect(await unreadCount(alice)).toBe(1);
  });

  it("six processes voting at once leave one notification that counts all six", async () => {
    const { alice, idea } = await scene({ title: "Concurrent support" });
    const voters = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser());
    const results = await raceWorkers<{ ok: number; errors: string[] }>(
      fileURLToPath(new URL("./helpers/vote-worker.ts", import.meta.url)),
      voters.map((user) => ({ user, ideaId: idea.id, attempts: 2 })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(await rowsOf(alice.id)).toMatchObject([{ body: "6 people supported your idea “Concurrent support”", count: 6, readAt: null }]);
  }, 30_000);
});

describe("moderation of one's idea", () => {
  it("pinned and tagged once each; merged with a link to where it went; a facilitator's own idea tells nobody", async () => {
    const { jam, challengeId, facilitator, alice, idea } = await scene({ title: "Standing desks for all" });
    await pinIdea(facilitator, { id: idea.id }, meta);
    await unpinIdea(facilitator, { id: idea.id }, meta);
    await pinIdea(facilitator, { id: idea.id }, meta);
    await tagIdea(facilitator, { id: idea.id, tag: "emerging" }, meta);
    await tagIdea(facilitator, { id: idea.id, tag: "best" }, meta);
    await tagIdea(facilitator, { id: idea.id, tag: null }, meta);
    expect((await bodiesOf(alice)).sort()).toEqual(
      [
        "A facilitator pinned your idea “Standing desks for all” to the top of “Challenge 1”",
        "A facilitator tagged your idea “Standing desks for all” as emerging",
        "A facilitator tagged your idea “Standing desks for all” as one of the best",
      ].sort(),
    );

    const kept = await makeIdea(await named("Kim"), challengeId, { title: "Standing desks in every team" });
    const duplicate = await makeIdea(alice, challengeId, { title: "Standing desks please" });
    await mergeIdeas(facilitator, { id: duplicate.id, intoId: kept.id }, meta);
    const merged = (await listNotifications(alice)).notifications.find((n) => n.body.includes("merged"))!;
    expect(merged).toMatchObject({
      kind: "hidden",
      body: "Your idea “Standing desks please” was merged into the similar idea “Standing desks in every team”: its votes and comments moved there",
      link: `/jams/${jam.slug}/ideas/${kept.id}`,
    });

    const own = await makeIdea(facilitator, challengeId, { title: "My own idea" });
    await pinIdea(facilitator, { id: own.id }, meta);
    await tagIdea(facilitator, { id: own.id, tag: "best" }, meta);
    await hideIdea(facilitator, { id: own.id, reason: "Posted by mistake" }, meta);
    expect(await rowsOf(facilitator.id)).toEqual([]);
  });
});

let versionCount = 0;
/** An unpublished synthesis version of hand-made themes (the engine is not needed here). */
async function makeVersion(jamId: number, createdBy: number, specs: { label: string; ideaIds: number[]; excluded?: number[]; isOther?: boolean; parent?: string }[]) {
  versionCount += 1;
  const number = ((await db().get<{ n: number }>(sql`SELECT coalesce(max(number), 0) AS n FROM synthesis_versions WHERE jam_id = ${jamId}`))?.n ?? 0) + 1;
  const version = await db()
    .insert(synthesisVersions)
    .values({ jamId, number, kind: "curated", createdBy, createdAt: Date.now() + versionCount })
    .returning()
    .get();
  const parents = new Map<string, number>();
  await forEachInOrder(specs, async (spec, position) => {
    let parentId: number | null = null;
    if (spec.parent) {
      parentId =
        parents.get(spec.parent) ??
        (await db().insert(themes).values({ versionId: version.id, label: spec.parent, keywords: "[]", representatives: "[]", position: 100 + position }).returning().get()).id;
      parents.set(spec.parent, parentId);
    }
    const theme = await db()
      .insert(themes)
      .values({ versionId: version.id, label: spec.label, keywords: "[]", representatives: "[]", isOther: spec.isOther ?? false, position, parentId })
      .returning()
      .get();
    for (const ideaId of [...spec.ideaIds, ...(spec.excluded ?? [])]) {
      await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id, excluded: (spec.excluded ?? []).includes(ideaId) }).run();
    }
  });
  return version;
}

describe("themes published", () => {
  it("each contributor hears which theme their idea joined, once per person (anonymous ideas apart), updated when another version is published", async () => {
    const { jam, challengeId, facilitator, alice, idea } = await scene({ title: "Quiet mornings" });
    const secret = await named("Secret");
    const bob = await named("Bob");
    const excludedAuthor = await named("Excluded");
    const otherAuthor = await named("Other");
    await castVote(bob, { ideaId: idea.id });
    const second = await makeIdea(alice, challengeId, { title: "No meetings on Fridays" });
    const anonymous = await makeIdea(secret, challengeId, { title: "Focus hours", isAnonymous: true });
    const named2 = await makeIdea(secret, challengeId, { title: "Shared focus calendar" });
    const excluded = await makeIdea(excludedAuthor, challengeId, { title: "Free snacks" });
    const other = await makeIdea(otherAuthor, challengeId, { title: "Better coffee" });
    const v1 = await makeVersion(jam.id, facilitator.id, [
      { label: "Focus time", ideaIds: [idea.id, anonymous.id, named2.id], excluded: [excluded.id], parent: "Working better" },
      { label: "Fewer meetings", ideaIds: [second.id] },
      { label: "Other", ideaIds: [other.id], isOther: true },
    ]);
    await publishVersion(facilitator, jam.slug, { versionId: v1.id }, meta);

    const link = `/jams/${jam.slug}/synthesis`;
    expect((await listNotifications(alice)).notifications.filter((n) => n.kind === "results")).toMatchObject([
      {
        body: "Your idea “Quiet mornings” is part of the theme “Focus time” (under “Working better”), and 1 more of your ideas is in the published themes",
        link,
        isRead: false,
      },
    ]);
    // The anonymous idea's author: one for the named idea, one of its own for the anonymous one.
    expect((await bodiesOf(secret)).sort()).toEqual(
      [
        "Your anonymous idea “Focus hours” is part of the theme “Focus time” (under “Working better”)",
        "Your idea “Shared focus calendar” is part of the theme “Focus time” (under “Working better”)",
      ].sort(),
    );
    expect(await rowsOf(excludedAuthor.id)).toEqual([]);
    expect(await rowsOf(otherAuthor.id)).toEqual([]);

    // Publishing it again tells nobody again.
    await markRead(alice, "all");
    await publishVersion(facilitator, jam.slug, { versionId: v1.id }, meta);
    expect(await unreadCount(alice)).toBe(0);
    // Another version: the same notification, updated and unread.
    const v2 = await makeVersion(jam.id, facilitator.id, [{ label: "Deep work", ideaIds: [idea.id] }]);
    await publishVersion(facilitator, jam.slug, { versionId: v2.id }, meta);
    expect((await listNotifications(alice)).notifications.filter((n) => n.kind === "results")).toMatchObject([
      { body: "Your idea “Quiet mornings” is part of the theme “Deep work”", isRead: false },
    ]);
    expect((await rowsOf(alice.id)).filter((r) => r.kind === "results")).toHaveLength(1);

    // On /me: the theme each idea is part of and the actions it fed, with their status.
    const leader = await makeUser({ role: "leader" });
    const action = await createAction(leader, { ideaId: idea.id, title: "Try quiet mornings for a month", ownerId: leader.id }, meta);
    const outcomes = await ideaOutcomes(db(), alice, [idea.id, second.id, anonymous.id]);
    expect(outcomes.get(idea.id)).toEqual({ theme: "Deep work", actions: [{ id: action.id, title: "Try quiet mornings for a month", status: "proposed" }] });
    expect(outcomes.get(second.id)).toEqual({ theme: null, actions: [] });
    // Someone else's idea: nothing.
    expect(outcomes.has(anonymous.id)).toBe(false);
  });

  it("a draft jam's themes reach nobody who cannot open drafts", async () => {
    const { jam, facilitator, alice, idea } = await scene();
    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, jam.id)).run();
    const v = await makeVersion(jam.id, facilitator.id, [{ label: "Secret plans", ideaIds: [idea.id] }]);
    await publishVersion(facilitator, jam.slug, { versionId: v.id }, meta);
    expect((await rowsOf(alice.id)).some((r) => r.body.includes("Secret plans"))).toBe(true);
    expect(await bodiesOf(alice)).toEqual([]);
    expect(await unreadCount(alice)).toBe(0);
  });
});

describe("a jam's results when it ends", () => {
  /** A jam ending `endsIn` from now, with an idea, an anonymous idea, a comment and a vote by four people. */
  async function takingPart(endsIn: number) {
    const now = Date.now();
    const { jam, challengeIds } = await makeJam({ startsAt: now - HOUR, endsAt: now + endsIn });
    const [author, anonymousAuthor, commenter, voter, bystander] = [await named("Author"), await named("Anon"), await named("Commenter"), await named("Voter"), await named("Bystander")];
    const idea = await makeIdea(author, challengeIds[0]!);
    await makeIdea(anonymousAuthor, challengeIds[0]!, { isAnonymous: true });
    await comment(commenter, idea.id);
    await castVote(voter, { ideaId: idea.id });
    return { jam, people: [author, anonymousAuthor, commenter, voter], bystander, endsAt: now + endsIn };
  }

  const results = async (userId: number) => (await rowsOf(userId)).filter((r) => r.dedupeKey.startsWith("results:"));

  it("everyone who took part gets one notification with the results page, even when the background round runs twice", async () => {
    const { jam, people, bystander, endsAt } = await takingPart(2 * HOUR);
    expect((await sendJamResults(endsAt - 1)).some((s) => s.jamId === jam.id)).toBe(false);
    expect(await backgroundRound(endsAt + 1)).toBe(true);
    expect(await backgroundRound(endsAt + 2)).toBe(true);
    expect((await sendJamResults(endsAt + 3)).some((s) => s.jamId === jam.id)).toBe(false);
    for (const person of people) {
      expect(await results(person.id)).toMatchObject([{ kind: "results", link: `/jams/${jam.slug}`, body: `“${jam.title}” has ended: see what it found, and follow its themes and actions as they come` }]);
    }
    expect(await results(bystander.id)).toEqual([]);
  });

  it("a draft jam that ended tells nobody until it is open again", async () => {
    const { jam, people, endsAt } = await takingPart(3 * HOUR);
    await db().update(jams).set({ isDraft: true }).where(eq(jams.id, jam.id)).run();
    await sendJamResults(endsAt + 1);
    expect(await results(people[0]!.id)).toEqual([]);
    await db().update(jams).set({ isDraft: false }).where(eq(jams.id, jam.id)).run();
    expect((await sendJamResults(endsAt + 2)).find((s) => s.jamId === jam.id)).toEqual({ jamId: jam.id, told: 4 });
  });

  it("three processes sending results at once (no lease) still tell each person once", async () => {
    const { jam, people, endsAt } = await takingPart(4 * HOUR);
    const runs = await raceWorkers<{ sent: { jamId: number; told: number }[] }>(
      fileURLToPath(new URL("./helpers/results-worker.ts", import.meta.url)),
      [0, 1, 2].map(() => ({ now: endsAt + 1 })),
    );
    const forThisJam = runs.flatMap((r) => r.sent).filter((s) => s.jamId === jam.id);
    expect(forThisJam).toEqual([{ jamId: jam.id, told: 4 }]);
    for (const person of people) expect(await results(person.id)).toHaveLength(1);
  }, 30_000);
});

describe("settings: what to be told", () => {
  it("everything is on by default; kinds switched off are not written; a hide is told anyway", async () => {
    const { facilitator, alice, idea } = await scene({ title: "Settings idea" });
    expect((await notificationSettings(alice)).every((s) => s.on)).toBe(true);
    // The form sends only the ticked boxes.
    await saveNotificationSettings(alice, { moderation: "on", results: "on", actions: "on", follows: "on", communities: "on", stages: "on", reviews: "on", jellies: "on", questions: "on", coauthoring: "on" });
    expect((await notificationSettings(alice)).filter((s) => !s.on).map((s) => s.kind)).toEqual(["comments", "support"]);
    await comment(await named("Bob"), idea.id);
    await castVote(await makeUser(), { ideaId: idea.id });
    expect(await rowsOf(alice.id)).toEqual([]);
    await pinIdea(facilitator, { id: idea.id }, meta);
    expect(await bodiesOf(alice)).toEqual(["A facilitator pinned your idea “Settings idea” to the top of “Challenge 1”"]);

    await saveNotificationSettings(alice, {});
    expect((await notificationSettings(alice)).every((s) => !s.on)).toBe(true);
    await hideIdea(facilitator, { id: idea.id, reason: "Duplicate of another" }, meta);
    expect((await bodiesOf(alice))[0]).toMatch(/was hidden by a moderator\. Reason: Duplicate of another\./);

    await saveNotificationSettings(alice, { comments: "on", support: "on" });
    await restoreIdea(facilitator, { id: idea.id }, meta);
    await castVote(await makeUser(), { ideaId: idea.id });
    expect((await bodiesOf(alice))[0]).toBe("2 people supported your idea “Settings idea”");
  });

  it("someone who switched actions off changes nothing in the number of people an action says it notified", async () => {
    const counts = async (sameAuthor: boolean) => {
      const { jam, challengeIds } = await makeJam();
      const challengeId = challengeIds[0];
      const leader = await makeUser({ role: "leader" });
      const suspect = await named("Suspect");
      const other = await named("Other");
      const named1 = await makeIdea(suspect, challengeId!, { title: "Named one for the action" });
      const anon = await makeIdea(sameAuthor ? suspect : other, challengeId!, { title: "Anonymous one for the action", isAnonymous: true });
      await saveNotificationSettings(suspect, {});
      const theme = await makeVersion(jam.id, leader.id, [{ label: "Both", ideaIds: [named1.id, anon.id] }]);
      await db().update(synthesisVersions).set({ publishedAt: Date.now() }).where(eq(synthesisVersions.id, theme.id)).run();
      const themeId = (await db().select({ id: themes.id }).from(themes).where(eq(themes.versionId, theme.id)).get())!.id;
      const created = await createAction(leader, { themeId, title: "Act on both", ownerId: leader.id }, meta);
      return created.notified;
    };
    expect(await counts(true)).toBe(await counts(false));
    expect(await counts(true)).toBe(2);
  });
});

describe("the notifications page", () => {
  it("lists newest news first (an updated group moves up), pages with a cursor, and marks all read", async () => {
    const { alice, idea } = await scene({ title: "Paged idea" });
    const start = Date.now();
    await castVote(await makeUser(), { ideaId: idea.id }, { now: start });
    for (let i = 0; i < NOTIFICATIONS_PAGE + 2; i += 1) {
      const other = await makeIdea(alice, idea.challengeId, { title: `Another idea number ${i}` });
      await castVote(await makeUser(), { ideaId: other.id }, { now: start + 1000 + i });
    }
    // A new supporter of the first idea: its notification is the newest news again.
    await castVote(await makeUser(), { ideaId: idea.id }, { now: start + 60_000 });
    const first = await listNotifications(alice);
    expect(first.notifications).toHaveLength(NOTIFICATIONS_PAGE);
    expect(first.notifications[0]!.body).toBe("2 people supported your idea “Paged idea”");
    expect(first.notifications[1]!.body).toBe(`1 person supported your idea “Another idea number ${NOTIFICATIONS_PAGE + 1}”`);
    expect(first.unread).toBe(NOTIFICATIONS_PAGE + 3);
    const second = await listNotifications(alice, first.nextCursor);
    expect(second.notifications.map((n) => n.body)).toEqual([2, 1, 0].map((i) => `1 person supported your idea “Another idea number ${i}”`));
    expect(second.nextCursor).toBeNull();
    expect(await markRead(alice, "all")).toBe(NOTIFICATIONS_PAGE + 3);
    expect(await unreadCount(alice)).toBe(0);
    // A cursor that is not one starts from the top.
    expect((await listNotifications(alice, "not-a-cursor")).notifications[0]!.body).toBe("2 people supported your idea “Paged idea”");
  });
});
