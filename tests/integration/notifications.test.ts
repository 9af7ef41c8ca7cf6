/**
 * The loop closes for participants: what people are told about their own ideas and comments,
 * grouped where news repeats, never about what they did themselves, never revealing an anonymous
 * author or hidden content, and only the kinds they want.
 */
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { createAction } from "~/services/actions.server";
import { backgroundRound } from "~/services/background.server";
import { postComment } from "~/services/comments.server";
import { follow } from "~/services/follows.server";
import { hideComment, hideIdea, mergeIdeas, pinIdea, restoreIdea, tagIdea, unpinIdea } from "~/services/moderation.server";
import { ideaOutcomes, sendJamResults } from "~/services/news.server";
import {
  listNotifications,
  markRead,
  NOTIFICATIONS_PAGE,
  notificationSettings,
  saveNotificationSettings,
  unreadCount,
} from "~/services/notifications.server";
import { publishVersion } from "~/services/synthesis.server";
import { castVote, withdrawVote } from "~/services/votes.server";
import { db } from "~db/client";
import { jams, notifications, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";

const HOUR = 3_600_000;
const meta = { ip: null };
let keys = 0;

function rowsOf(userId: number) {
  return db().select().from(notifications).where(eq(notifications.userId, userId)).all();
}

/** What the person reads on /notifications (first page). */
function bodiesOf(user: SessionUser) {
  return listNotifications(user).notifications.map((n) => n.body);
}

function named(first: string) {
  return makeUser({ name: `${first} ${Math.random().toString(36).slice(2, 8)}` });
}

function comment(actor: SessionUser, ideaId: number, body = "I like this, and here is why.", parentId?: number) {
  keys += 1;
  return postComment(actor, { ideaId, parentId, body, clientKey: `comment-key-${keys}` });
}

/** A live jam and an idea by Alice. */
function scene(options: { anonymous?: boolean; title?: string } = {}) {
  const { jam, challengeIds, facilitator } = makeJam();
  const alice = named("Alice");
  const title = options.title ?? `Idea ${Math.random().toString(36).slice(2, 8)}`;
  const idea = { ...makeIdea(alice, challengeIds[0]!, { title, isAnonymous: options.anonymous }), title, challengeId: challengeIds[0]! };
  return { jam, challengeId: challengeIds[0]!, facilitator, alice, idea };
}

describe("replies and comments", () => {
  it("a comment tells the idea's author, a reply tells the comment's author, and several unread ones group", () => {
    const { jam, alice, idea } = scene({ title: "Walking meetings" });
    const bob = named("Bob");
    const carol = named("Carol");
    const dan = named("Dan");
    const bobs = comment(bob, idea.id);
    expect(bodiesOf(alice)).toEqual([`${bob.name} commented on your idea “Walking meetings”`]);
    expect(listNotifications(alice).notifications[0]).toMatchObject({ kind: "comments", link: `/jams/${jam.slug}/ideas/${idea.id}#comment-${bobs.id}`, isRead: false });

    const reply = comment(carol, idea.id, "Agreed, and on Fridays too.", bobs.id);
    expect(bodiesOf(bob)).toEqual([`${carol.name} replied to your comment on “Walking meetings”`]);
    expect(listNotifications(bob).notifications[0]!.link).toBe(`/jams/${jam.slug}/ideas/${idea.id}#comment-${reply.id}`);
    // Alice had not read the first: one notification, now for two comments.
    expect(bodiesOf(alice)).toEqual(["2 new comments on your idea “Walking meetings”"]);
    expect(rowsOf(alice.id)).toHaveLength(1);
    expect(unreadCount(alice)).toBe(1);

    // Once read, the next comment starts again from one, unread.
    markRead(alice, "all");
    expect(unreadCount(alice)).toBe(0);
    comment(dan, idea.id);
    expect(bodiesOf(alice)).toEqual([`${dan.name} commented on your idea “Walking meetings”`]);
    expect(unreadCount(alice)).toBe(1);
    // Another reply to Bob's comment, unread: "2 new replies".
    comment(dan, idea.id, "Me too.", bobs.id);
    expect(bodiesOf(bob)).toEqual(["2 new replies to your comment on “Walking meetings”"]);
  });

  it("nobody is told about their own comment or reply, and a reply on one's own idea is one notice, not two", () => {
    const { alice, idea } = scene();
    const bob = named("Bob");
    const own = comment(alice, idea.id);
    expect(rowsOf(alice.id)).toEqual([]);
    const bobs = comment(bob, idea.id);
    comment(bob, idea.id, "Replying to myself.", bobs.id);
    expect(rowsOf(bob.id)).toEqual([]);
    markRead(alice, "all");
    comment(bob, idea.id, "Answering Alice.", own.id);
    // Alice's comment on Alice's idea got a reply: the reply says it all.
    expect(listNotifications(alice).notifications.filter((n) => !n.isRead).map((n) => n.body)).toEqual([
      `${bob.name} replied to your comment on “${idea.title}”`,
    ]);
  });

  it("an anonymous idea's author hears privately; nothing anyone else is told names or counts them", () => {
    const { jam, challengeId, facilitator, alice, idea } = scene({ anonymous: true, title: "Anonymous: fewer status meetings" });
    const bob = named("Bob");
    const carol = named("Carol");
    const follower = named("Follower");
    follow(follower, { targetType: "person", targetId: alice.id });
    const bobs = comment(bob, idea.id);
    comment(carol, idea.id, "Replying to Bob.", bobs.id);
    castVote(bob, { ideaId: idea.id });
    castVote(carol, { ideaId: idea.id });
    pinIdea(facilitator, { id: idea.id }, meta);
    tagIdea(facilitator, { id: idea.id, tag: "best" }, meta);

    const aliceReads = bodiesOf(alice).join("\n");
    // Bob's comment and Carol's reply, unread: grouped.
    expect(aliceReads).toContain("2 new comments on your idea “Anonymous: fewer status meetings”");
    expect(aliceReads).toContain("2 people supported your idea “Anonymous: fewer status meetings”");
    expect(aliceReads).toContain("pinned your idea");
    expect(aliceReads).toContain("tagged your idea");

    // Everyone else's notifications: not Alice's name, not her id, nothing about "your idea" to anyone but her.
    for (const other of [bob, carol, follower, facilitator]) {
      for (const row of rowsOf(other.id)) {
        expect(row.body).not.toContain(alice.name);
        expect(row.body).not.toContain(alice.email);
        expect(row.body).not.toMatch(/your (anonymous )?idea/);
      }
    }
    expect(rowsOf(follower.id)).toEqual([]);
    // The control: a named idea by the same person does tell her follower, by name.
    makeIdea(alice, challengeId, { title: "Named: a shared calendar" });
    expect(bodiesOf(follower)).toEqual([`${alice.name} posted a new idea: Named: a shared calendar`]);
    expect(jam.id).toBeGreaterThan(0);
  });

  it("a hidden idea's news is hidden from everyone but its author; comments' words are never in a notification", () => {
    const { facilitator, alice, idea } = scene({ title: "Idea that gets hidden" });
    const bob = named("Bob");
    const carol = named("Carol");
    const follower = named("Follower");
    const secretWords = "the exact words of Bob's comment";
    const bobs = comment(bob, idea.id, secretWords);
    comment(carol, idea.id, "A reply to Bob.", bobs.id);
    expect(unreadCount(bob)).toBe(1);
    for (const person of [alice, bob, carol]) for (const row of rowsOf(person.id)) expect(row.body).not.toContain(secretWords);

    hideIdea(facilitator, { id: idea.id, reason: "Off topic for this challenge" }, meta);
    // Bob may no longer open the idea: its title leaves his list and his bell.
    expect(bodiesOf(bob)).toEqual([]);
    expect(unreadCount(bob)).toBe(0);
    // Alice still sees her news, and why it is hidden and whom to ask.
    const hidden = listNotifications(alice).notifications[0]!;
    expect(hidden).toMatchObject({ kind: "hidden", isRead: false });
    expect(hidden.body).toContain("Your idea “Idea that gets hidden” was hidden by a moderator. Reason: Off topic for this challenge.");
    expect(hidden.body).toContain(`To ask about it, write to ${facilitator.name}`);
    expect(bodiesOf(alice)).toHaveLength(2);
    expect(follower.id).toBeGreaterThan(0);

    restoreIdea(facilitator, { id: idea.id }, meta);
    expect(bodiesOf(bob)).toEqual([`${carol.name} replied to your comment on “Idea that gets hidden”`]);
    expect(bodiesOf(alice)[0]).toBe("Your idea “Idea that gets hidden” is visible again: a moderator restored it");

    // A hidden comment: its author is told why; the words stay out of every notification.
    hideComment(facilitator, { id: bobs.id, reason: "Personal remark" }, meta);
    expect(bodiesOf(bob)[0]).toMatch(/^Your comment on “Idea that gets hidden” was hidden by a moderator\. Reason: Personal remark\./);
    for (const person of [alice, bob, carol]) for (const row of rowsOf(person.id)) expect(row.body).not.toContain(secretWords);
  });
});

describe("support, grouped", () => {
  it("five supporters make one notification reading 5; once read, the next supporter makes it unread with the new count", () => {
    const { alice, idea } = scene({ title: "Quiet Fridays" });
    const voters = Array.from({ length: 5 }, () => makeUser());
    for (const v of voters) castVote(v, { ideaId: idea.id });
    expect(rowsOf(alice.id)).toHaveLength(1);
    expect(listNotifications(alice).notifications).toMatchObject([{ kind: "support", body: "5 people supported your idea “Quiet Fridays”", count: 5, isRead: false }]);
    expect(unreadCount(alice)).toBe(1);

    const before = rowsOf(alice.id)[0]!;
    markRead(alice, "all");
    // Taking a vote back tells nobody anything.
    withdrawVote(voters[0]!, { ideaId: idea.id });
    expect(rowsOf(alice.id)[0]!.readAt).not.toBeNull();
    castVote(voters[0]!, { ideaId: idea.id });
    castVote(makeUser(), { ideaId: idea.id }, { now: Date.now() + 60_000 });
    const after = rowsOf(alice.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, body: "6 people supported your idea “Quiet Fridays”", count: 6, readAt: null });
    expect(after[0]!.createdAt).toBeGreaterThan(before.createdAt);
    expect(unreadCount(alice)).toBe(1);
  });

  it("six processes voting at once leave one notification that counts all six", async () => {
    const { alice, idea } = scene({ title: "Concurrent support" });
    const voters = Array.from({ length: 6 }, () => makeUser());
    const results = await raceWorkers<{ ok: number; errors: string[] }>(
      fileURLToPath(new URL("./helpers/vote-worker.ts", import.meta.url)),
      voters.map((user) => ({ user, ideaId: idea.id, attempts: 2 })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(rowsOf(alice.id)).toMatchObject([{ body: "6 people supported your idea “Concurrent support”", count: 6, readAt: null }]);
  }, 30_000);
});

describe("moderation of one's idea", () => {
  it("pinned and tagged once each; merged with a link to where it went; a facilitator's own idea tells nobody", () => {
    const { jam, challengeId, facilitator, alice, idea } = scene({ title: "Standing desks for all" });
    pinIdea(facilitator, { id: idea.id }, meta);
    unpinIdea(facilitator, { id: idea.id }, meta);
    pinIdea(facilitator, { id: idea.id }, meta);
    tagIdea(facilitator, { id: idea.id, tag: "emerging" }, meta);
    tagIdea(facilitator, { id: idea.id, tag: "best" }, meta);
    tagIdea(facilitator, { id: idea.id, tag: null }, meta);
    expect(bodiesOf(alice).sort()).toEqual(
      [
        "A facilitator pinned your idea “Standing desks for all” to the top of “Challenge 1”",
        "A facilitator tagged your idea “Standing desks for all” as emerging",
        "A facilitator tagged your idea “Standing desks for all” as one of the best",
      ].sort(),
    );

    const kept = makeIdea(named("Kim"), challengeId, { title: "Standing desks in every team" });
    const duplicate = makeIdea(alice, challengeId, { title: "Standing desks please" });
    mergeIdeas(facilitator, { id: duplicate.id, intoId: kept.id }, meta);
    const merged = listNotifications(alice).notifications.find((n) => n.body.includes("merged"))!;
    expect(merged).toMatchObject({
      kind: "hidden",
      body: "Your idea “Standing desks please” was merged into the similar idea “Standing desks in every team”: its votes and comments moved there",
      link: `/jams/${jam.slug}/ideas/${kept.id}`,
    });

    const own = makeIdea(facilitator, challengeId, { title: "My own idea" });
    pinIdea(facilitator, { id: own.id }, meta);
    tagIdea(facilitator, { id: own.id, tag: "best" }, meta);
    hideIdea(facilitator, { id: own.id, reason: "Posted by mistake" }, meta);
    expect(rowsOf(facilitator.id)).toEqual([]);
  });
});

let versionCount = 0;
/** An unpublished synthesis version of hand-made themes (the engine is not needed here). */
function makeVersion(jamId: number, createdBy: number, specs: { label: string; ideaIds: number[]; excluded?: number[]; isOther?: boolean; parent?: string }[]) {
  versionCount += 1;
  const number = (db().get<{ n: number }>(sql`SELECT coalesce(max(number), 0) AS n FROM synthesis_versions WHERE jam_id = ${jamId}`)?.n ?? 0) + 1;
  const version = db()
    .insert(synthesisVersions)
    .values({ jamId, number, kind: "curated", createdBy, createdAt: Date.now() + versionCount })
    .returning()
    .get();
  const parents = new Map<string, number>();
  specs.forEach((spec, position) => {
    let parentId: number | null = null;
    if (spec.parent) {
      parentId =
        parents.get(spec.parent) ??
        db().insert(themes).values({ versionId: version.id, label: spec.parent, keywords: "[]", representatives: "[]", position: 100 + position }).returning().get().id;
      parents.set(spec.parent, parentId);
    }
    const theme = db()
      .insert(themes)
      .values({ versionId: version.id, label: spec.label, keywords: "[]", representatives: "[]", isOther: spec.isOther ?? false, position, parentId })
      .returning()
      .get();
    for (const ideaId of [...spec.ideaIds, ...(spec.excluded ?? [])]) {
      db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id, excluded: (spec.excluded ?? []).includes(ideaId) }).run();
    }
  });
  return version;
}

describe("themes published", () => {
  it("each contributor hears which theme their idea joined, once per person (anonymous ideas apart), updated when another version is published", () => {
    const { jam, challengeId, facilitator, alice, idea } = scene({ title: "Quiet mornings" });
    const secret = named("Secret");
    const bob = named("Bob");
    const excludedAuthor = named("Excluded");
    const otherAuthor = named("Other");
    castVote(bob, { ideaId: idea.id });
    const second = makeIdea(alice, challengeId, { title: "No meetings on Fridays" });
    const anonymous = makeIdea(secret, challengeId, { title: "Focus hours", isAnonymous: true });
    const named2 = makeIdea(secret, challengeId, { title: "Shared focus calendar" });
    const excluded = makeIdea(excludedAuthor, challengeId, { title: "Free snacks" });
    const other = makeIdea(otherAuthor, challengeId, { title: "Better coffee" });
    const v1 = makeVersion(jam.id, facilitator.id, [
      { label: "Focus time", ideaIds: [idea.id, anonymous.id, named2.id], excluded: [excluded.id], parent: "Working better" },
      { label: "Fewer meetings", ideaIds: [second.id] },
      { label: "Other", ideaIds: [other.id], isOther: true },
    ]);
    publishVersion(facilitator, jam.slug, { versionId: v1.id }, meta);

    const link = `/jams/${jam.slug}/synthesis`;
    expect(listNotifications(alice).notifications.filter((n) => n.kind === "results")).toMatchObject([
      {
        body: "Your idea “Quiet mornings” is part of the theme “Focus time” (under “Working better”), and 1 more of your ideas is in the published themes",
        link,
        isRead: false,
      },
    ]);
    // The anonymous idea's author: one for the named idea, one of its own for the anonymous one.
    expect(bodiesOf(secret).sort()).toEqual(
      [
        "Your anonymous idea “Focus hours” is part of the theme “Focus time” (under “Working better”)",
        "Your idea “Shared focus calendar” is part of the theme “Focus time” (under “Working better”)",
      ].sort(),
    );
    expect(rowsOf(excludedAuthor.id)).toEqual([]);
    expect(rowsOf(otherAuthor.id)).toEqual([]);

    // Publishing it again tells nobody again.
    markRead(alice, "all");
    publishVersion(facilitator, jam.slug, { versionId: v1.id }, meta);
    expect(unreadCount(alice)).toBe(0);
    // Another version: the same notification, updated and unread.
    const v2 = makeVersion(jam.id, facilitator.id, [{ label: "Deep work", ideaIds: [idea.id] }]);
    publishVersion(facilitator, jam.slug, { versionId: v2.id }, meta);
    expect(listNotifications(alice).notifications.filter((n) => n.kind === "results")).toMatchObject([
      { body: "Your idea “Quiet mornings” is part of the theme “Deep work”", isRead: false },
    ]);
    expect(rowsOf(alice.id).filter((r) => r.kind === "results")).toHaveLength(1);

    // On /me: the theme each idea is part of and the actions it fed, with their status.
    const leader = makeUser({ role: "leader" });
    const action = createAction(leader, { ideaId: idea.id, title: "Try quiet mornings for a month", ownerId: leader.id }, meta);
    const outcomes = ideaOutcomes(db(), alice, [idea.id, second.id, anonymous.id]);
    expect(outcomes.get(idea.id)).toEqual({ theme: "Deep work", actions: [{ id: action.id, title: "Try quiet mornings for a month", status: "proposed" }] });
    expect(outcomes.get(second.id)).toEqual({ theme: null, actions: [] });
    // Someone else's idea: nothing.
    expect(outcomes.has(anonymous.id)).toBe(false);
  });

  it("a draft jam's themes reach nobody who cannot open drafts", () => {
    const { jam, facilitator, alice, idea } = scene();
    db().update(jams).set({ isDraft: true }).where(eq(jams.id, jam.id)).run();
    const v = makeVersion(jam.id, facilitator.id, [{ label: "Secret plans", ideaIds: [idea.id] }]);
    publishVersion(facilitator, jam.slug, { versionId: v.id }, meta);
    expect(rowsOf(alice.id).some((r) => r.body.includes("Secret plans"))).toBe(true);
    expect(bodiesOf(alice)).toEqual([]);
    expect(unreadCount(alice)).toBe(0);
  });
});

describe("a jam's results when it ends", () => {
  /** A jam ending `endsIn` from now, with an idea, an anonymous idea, a comment and a vote by four people. */
  function takingPart(endsIn: number) {
    const now = Date.now();
    const { jam, challengeIds } = makeJam({ startsAt: now - HOUR, endsAt: now + endsIn });
    const [author, anonymousAuthor, commenter, voter, bystander] = [named("Author"), named("Anon"), named("Commenter"), named("Voter"), named("Bystander")];
    const idea = makeIdea(author, challengeIds[0]!);
    makeIdea(anonymousAuthor, challengeIds[0]!, { isAnonymous: true });
    comment(commenter, idea.id);
    castVote(voter, { ideaId: idea.id });
    return { jam, people: [author, anonymousAuthor, commenter, voter], bystander, endsAt: now + endsIn };
  }

  const results = (userId: number) => rowsOf(userId).filter((r) => r.dedupeKey.startsWith("results:"));

  it("everyone who took part gets one notification with the results page, even when the background round runs twice", () => {
    const { jam, people, bystander, endsAt } = takingPart(2 * HOUR);
    expect(sendJamResults(endsAt - 1).some((s) => s.jamId === jam.id)).toBe(false);
    expect(backgroundRound(endsAt + 1)).toBe(true);
    expect(backgroundRound(endsAt + 2)).toBe(true);
    expect(sendJamResults(endsAt + 3).some((s) => s.jamId === jam.id)).toBe(false);
    for (const person of people) {
      expect(results(person.id)).toMatchObject([{ kind: "results", link: `/jams/${jam.slug}`, body: `“${jam.title}” has ended: see what it found, and follow its themes and actions as they come` }]);
    }
    expect(results(bystander.id)).toEqual([]);
  });

  it("a draft jam that ended tells nobody until it is open again", () => {
    const { jam, people, endsAt } = takingPart(3 * HOUR);
    db().update(jams).set({ isDraft: true }).where(eq(jams.id, jam.id)).run();
    sendJamResults(endsAt + 1);
    expect(results(people[0]!.id)).toEqual([]);
    db().update(jams).set({ isDraft: false }).where(eq(jams.id, jam.id)).run();
    expect(sendJamResults(endsAt + 2).find((s) => s.jamId === jam.id)).toEqual({ jamId: jam.id, told: 4 });
  });

  it("three processes sending results at once (no lease) still tell each person once", async () => {
    const { jam, people, endsAt } = takingPart(4 * HOUR);
    const runs = await raceWorkers<{ sent: { jamId: number; told: number }[] }>(
      fileURLToPath(new URL("./helpers/results-worker.ts", import.meta.url)),
      [0, 1, 2].map(() => ({ now: endsAt + 1 })),
    );
    const forThisJam = runs.flatMap((r) => r.sent).filter((s) => s.jamId === jam.id);
    expect(forThisJam).toEqual([{ jamId: jam.id, told: 4 }]);
    for (const person of people) expect(results(person.id)).toHaveLength(1);
  }, 30_000);
});

describe("settings: what to be told", () => {
  it("everything is on by default; kinds switched off are not written; a hide is told anyway", () => {
    const { facilitator, alice, idea } = scene({ title: "Settings idea" });
    expect(notificationSettings(alice).every((s) => s.on)).toBe(true);
    // The form sends only the ticked boxes.
    saveNotificationSettings(alice, { moderation: "on", results: "on", actions: "on", follows: "on", communities: "on", stages: "on", reviews: "on", jellies: "on", questions: "on", coauthoring: "on" });
    expect(notificationSettings(alice).filter((s) => !s.on).map((s) => s.kind)).toEqual(["comments", "support"]);
    comment(named("Bob"), idea.id);
    castVote(makeUser(), { ideaId: idea.id });
    expect(rowsOf(alice.id)).toEqual([]);
    pinIdea(facilitator, { id: idea.id }, meta);
    expect(bodiesOf(alice)).toEqual(["A facilitator pinned your idea “Settings idea” to the top of “Challenge 1”"]);

    saveNotificationSettings(alice, {});
    expect(notificationSettings(alice).every((s) => !s.on)).toBe(true);
    hideIdea(facilitator, { id: idea.id, reason: "Duplicate of another" }, meta);
    expect(bodiesOf(alice)[0]).toMatch(/was hidden by a moderator\. Reason: Duplicate of another\./);

    saveNotificationSettings(alice, { comments: "on", support: "on" });
    restoreIdea(facilitator, { id: idea.id }, meta);
    castVote(makeUser(), { ideaId: idea.id });
    expect(bodiesOf(alice)[0]).toBe("2 people supported your idea “Settings idea”");
  });

  it("someone who switched actions off changes nothing in the number of people an action says it notified", () => {
    const counts = (sameAuthor: boolean) => {
      const { jam, challengeIds } = makeJam();
      const challengeId = challengeIds[0];
      const leader = makeUser({ role: "leader" });
      const suspect = named("Suspect");
      const other = named("Other");
      const named1 = makeIdea(suspect, challengeId!, { title: "Named one for the action" });
      const anon = makeIdea(sameAuthor ? suspect : other, challengeId!, { title: "Anonymous one for the action", isAnonymous: true });
      saveNotificationSettings(suspect, {});
      const theme = makeVersion(jam.id, leader.id, [{ label: "Both", ideaIds: [named1.id, anon.id] }]);
      db().update(synthesisVersions).set({ publishedAt: Date.now() }).where(eq(synthesisVersions.id, theme.id)).run();
      const themeId = db().select({ id: themes.id }).from(themes).where(eq(themes.versionId, theme.id)).get()!.id;
      const created = createAction(leader, { themeId, title: "Act on both", ownerId: leader.id }, meta);
      return created.notified;
    };
    expect(counts(true)).toBe(counts(false));
    expect(counts(true)).toBe(2);
  });
});

describe("the notifications page", () => {
  it("lists newest news first (an updated group moves up), pages with a cursor, and marks all read", () => {
    const { alice, idea } = scene({ title: "Paged idea" });
    const start = Date.now();
    castVote(makeUser(), { ideaId: idea.id }, { now: start });
    for (let i = 0; i < NOTIFICATIONS_PAGE + 2; i += 1) {
      const other = makeIdea(alice, idea.challengeId, { title: `Another idea number ${i}` });
      castVote(makeUser(), { ideaId: other.id }, { now: start + 1000 + i });
    }
    // A new supporter of the first idea: its notification is the newest news again.
    castVote(makeUser(), { ideaId: idea.id }, { now: start + 60_000 });
    const first = listNotifications(alice);
    expect(first.notifications).toHaveLength(NOTIFICATIONS_PAGE);
    expect(first.notifications[0]!.body).toBe("2 people supported your idea “Paged idea”");
    expect(first.notifications[1]!.body).toBe(`1 person supported your idea “Another idea number ${NOTIFICATIONS_PAGE + 1}”`);
    expect(first.unread).toBe(NOTIFICATIONS_PAGE + 3);
    const second = listNotifications(alice, first.nextCursor);
    expect(second.notifications.map((n) => n.body)).toEqual([2, 1, 0].map((i) => `1 person supported your idea “Another idea number ${i}”`));
    expect(second.nextCursor).toBeNull();
    expect(markRead(alice, "all")).toBe(NOTIFICATIONS_PAGE + 3);
    expect(unreadCount(alice)).toBe(0);
    // A cursor that is not one starts from the top.
    expect(listNotifications(alice, "not-a-cursor").notifications[0]!.body).toBe("2 people supported your idea “Paged idea”");
  });
});
