import { fileURLToPath } from "node:url";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { startWorkerProcess } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import { BADGES } from "~/domain/badges";
import { DEFAULT_POINT_RULES, utcDay } from "~/domain/points";
import type { Db } from "~db/client";

/**
 * One seam for a race that a single process cannot produce on its own: a hook
 * that runs just before the next service transaction opens, i.e. after the
 * service's checks outside it. Inert unless a test sets it.
 */
const seam = vi.hoisted(() => ({ beforeNextTransaction: null as null | (() => void) }));
vi.mock("~db/client", async (importOriginal) => {
  const real = await importOriginal<typeof import("~db/client")>();
  return {
    ...real,
    transaction: <T,>(work: (tx: Db) => T): T => {
      const hook = seam.beforeNextTransaction;
      seam.beforeNextTransaction = null;
      hook?.();
      return real.transaction(work);
    },
  };
});

import { postComment } from "~/services/commands/comments.server";
import { Conflict, Forbidden, NotFound } from "~/services/errors";
import {
  ALL_JAMS,
  award,
  awardFirstOfDay,
  badgeFacts,
  markLevelsSeen,
  recomputeBadges,
  totalPoints,
  unseenLevelUps,
} from "~/services/effects/gamification.server";
import { postIdea } from "~/services/commands/ideas.server";
import { updateJamGamification } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { jamLeaderboard, overallLeaderboard } from "~/services/pages/leaderboards.server";
import { departmentBoard, rankOf, serialVotingReports } from "~/services/lookups/leaderboards.server";
import { hideComment, hideIdea, restoreComment, restoreIdea } from "~/services/commands/moderation.server";
import { personProfile } from "~/services/pages/profiles.server";
import { reconcileGamification } from "~/services/jobs/reconcile.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { db, transaction } from "~db/client";
import {
  auditLog,
  departmentTotals,
  ideas,
  jams,
  pointEntries,
  pointTotals,
  serialVoteReports,
  userBadges,
  users,
  votes,
} from "~db/schema";
import { seedDemo } from "../../seeds/demo";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import { flatMapInOrder, forEachInOrder, mapInOrder } from "~/domain/in-order";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A UTC midnight; the test jams run from two hours before it to six days after. */
const DAY0 = Date.UTC(2025, 5, 2);
const at = (day: number, hour: number, minute = 0) => DAY0 + day * DAY + hour * HOUR + minute * MINUTE;
const WORKER = fileURLToPath(new URL("./helpers/gamification-worker.ts", import.meta.url));
const mod = (now: number) => ({ ip: "203.0.113.9", now });

async function liveJam() {
  return await makeJam({ startsAt: at(0, 0) - 2 * HOUR, endsAt: at(6, 0) });
}

let keys = 0;
function clientKey() {
  keys += 1;
  return `gm-key-${keys.toString().padStart(6, "0")}`;
}

async function comment(actor: SessionUser, ideaId: number, now: number, parentId?: number) {
  return await postComment(actor, { ideaId, parentId, body: "Building on this: we tried it in our team.", clientKey: clientKey() }, { now });
}

async function vote(voter: SessionUser, ideaId: number, now: number) {
  return await castVote(voter, { ideaId }, { now });
}

async function ledger(userId: number) {
  return await db().select().from(pointEntries).where(eq(pointEntries.userId, userId)).orderBy(asc(pointEntries.id)).all();
}

async function reasons(userId: number) {
  return (await ledger(userId)).map((e) => `${e.reason} ${e.points}`);
}

async function allEntries() {
  return await db().select().from(pointEntries).orderBy(asc(pointEntries.id)).all();
}

async function total(userId: number, scope = ALL_JAMS) {
  return (
    (await db()
      .select({ t: pointTotals.total })
      .from(pointTotals)
      .where(and(eq(pointTotals.scope, scope), eq(pointTotals.userId, userId)))
      .get())?.t ?? 0
  );
}

async function departmentTotal(departmentId: number, scope = ALL_JAMS) {
  return (
    (await db()
      .select({ t: departmentTotals.total })
      .from(departmentTotals)
      .where(and(eq(departmentTotals.scope, scope), eq(departmentTotals.departmentId, departmentId)))
      .get())?.t ?? 0
  );
}

async function level(userId: number, badgeKey: string) {
  return (
    (await db()
      .select({ level: userBadges.level })
      .from(userBadges)
      .where(and(eq(userBadges.userId, userId), eq(userBadges.badgeKey, badgeKey)))
      .get())?.level ?? 0
  );
}

async function duplicates() {
  return {
    ledger: await db().all(sql`SELECT user_id, reason, source, count(*) AS n FROM point_entries GROUP BY 1, 2, 3 HAVING count(*) > 1`),
    badges: await db().all(sql`SELECT user_id, badge_key, count(*) AS n FROM user_badges GROUP BY 1, 2 HAVING count(*) > 1`),
  };
}

async function asSessionUser(id: number): Promise<SessionUser> {
  return (await db()
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
    .from(users)
    .where(eq(users.id, id))
    .get())!;
}

// seedDemo needs an empty instance (its first account must become the admin), so this block comes first.
describe("reconciling the demo company", () => {
  it("finds no drift after seeding and a scripted burst of activity, then finds and repairs exactly what was corrupted", async () => {
    const NOW = Date.UTC(2025, 8, 10, 12);
    const { liveSlug } = await seedDemo({ now: NOW, seed: 11, people: 30, liveIdeas: 60, endedIdeas: 60 });
    expect((await reconcileGamification({ now: NOW })).drift).toEqual([]);

    const live = (await db().select().from(jams).where(eq(jams.slug, liveSlug)).get())!;
    const challengeIds = (await jamChallenges(live.id)).map((c) => c.id);
    const everyone = await mapInOrder((await db().select({ id: users.id }).from(users).orderBy(asc(users.id)).all()), async (u) => await asSessionUser(u.id));
    const facilitator = everyone.find((u) => u.role === "facilitator")!;
    const people = everyone.filter((u) => u.role === "participant");
    expect(people.length).toBeGreaterThanOrEqual(15);
    let t = NOW + MINUTE;
    const next = () => (t += 5_000);

    // Posts, some anonymous.
    const posted = await mapInOrder(people.slice(0, 12), async (author, i) => ({
      author,
      id: (await makeIdea(author, challengeIds[i % challengeIds.length]!, { now: next(), isAnonymous: i % 4 === 3 })).id,
    }));
    // Votes on seeded and new ideas.
    const visible = await db()
      .select({ id: ideas.id, authorId: ideas.authorId })
      .from(ideas)
      .where(and(eq(ideas.jamId, live.id), isNull(ideas.hiddenAt)))
      .orderBy(asc(ideas.id))
      .all();
    for (const [j, idea] of visible.entries()) {
      for (let k = 0; k < 4; k += 1) {
        const voter = everyone[(j * 7 + k * 3) % everyone.length]!;
        if (voter.id !== idea.authorId) await castVote(voter, { ideaId: idea.id }, { now: next() });
      }
    }
    // Withdrawals, half of them voted again.
    for (const [j, idea] of visible.slice(0, 20).entries()) {
      const voter = everyone[(j * 7) % everyone.length]!;
      if (voter.id === idea.authorId) continue;
      await withdrawVote(voter, { ideaId: idea.id }, { now: next() });
      if (j % 2 === 0) await castVote(voter, { ideaId: idea.id }, { now: next() });
    }
    // Comments, replies from others and replies to oneself.
    const threads = await mapInOrder(posted, async (p, j) => {
      const commenter = everyone[(j * 5 + 1) % everyone.length]!;
      const replier = everyone[(j * 5 + 2) % everyone.length]!;
      const c = await comment(commenter, p.id, next());
      const r = await comment(replier, p.id, next(), c.id);
      await comment(commenter, p.id, next(), c.id);
      return { comment: c.id, reply: r.id };
    });
    // Hides and restores, including a second hide of the same idea.
    const mostVoted = (await db()
      .select({ id: ideas.id })
      .from(ideas)
      .where(and(eq(ideas.jamId, live.id), isNull(ideas.hiddenAt)))
      .orderBy(sql`${ideas.voteCount} DESC`, asc(ideas.id))
      .get())!;
    await hideIdea(facilitator, { id: posted[0]!.id, reason: "Duplicate of an earlier idea" }, mod(next()));
    await hideIdea(facilitator, { id: posted[1]!.id, reason: "Off topic for this jam" }, mod(next()));
    await hideIdea(facilitator, { id: mostVoted.id, reason: "Names a customer" }, mod(next()));
    await restoreIdea(facilitator, { id: posted[0]!.id }, mod(next()));
    await restoreIdea(facilitator, { id: mostVoted.id }, mod(next()));
    await hideIdea(facilitator, { id: posted[0]!.id, reason: "Duplicate after all" }, mod(next()));
    await hideComment(facilitator, { id: threads[2]!.comment, reason: "Personal remark" }, mod(next()));
    await restoreComment(facilitator, { id: threads[2]!.comment }, mod(next()));
    await hideComment(facilitator, { id: threads[3]!.reply, reason: "Personal remark" }, mod(next()));
    await hideComment(facilitator, { id: threads[4]!.comment, reason: "Personal remark" }, mod(next()));
    // Serial voting: one person supports seven ideas of one author within minutes.
    const serialAuthor = people[12]!;
    const serialVoter = people[13]!;
    const serialIdeas = await mapInOrder(Array.from({ length: 7 }), async () => (await makeIdea(serialAuthor, challengeIds[0]!, { now: next() })).id);
    for (const id of serialIdeas) await castVote(serialVoter, { ideaId: id }, { now: next() });
    const report = await db()
      .select()
      .from(serialVoteReports)
      .where(and(eq(serialVoteReports.jamId, live.id), eq(serialVoteReports.voterId, serialVoter.id), eq(serialVoteReports.authorId, serialAuthor.id)))
      .get();
    expect(report?.votes).toBeGreaterThanOrEqual(6);
    const serialSources = serialIdeas.slice(5).map((id) => `vote:${id}:${serialVoter.id}`);
    expect(await db().select().from(pointEntries).where(inArray(pointEntries.source, serialSources)).all()).toEqual([]);

    expect(await duplicates()).toEqual({ ledger: [], badges: [] });
    expect((await reconcileGamification({ now: t })).drift).toEqual([]);

    // Corrupt one person's total and one badge level behind the services' back.
    const victim = (await db().get<{ userId: number; total: number }>(
      sql`SELECT user_id AS userId, total FROM point_totals WHERE scope = 0 AND total > 0 ORDER BY user_id LIMIT 1`,
    ))!;
    const badge = (await db().get<{ userId: number; badgeKey: string; level: number }>(
      sql`SELECT user_id AS userId, badge_key AS badgeKey, level FROM user_badges WHERE level > 0 ORDER BY user_id, badge_key LIMIT 1`,
    ))!;
    expect(victim).toBeDefined();
    expect(badge).toBeDefined();
    await db().run(sql`UPDATE point_totals SET total = total + 7 WHERE scope = 0 AND user_id = ${victim.userId}`);
    await db().run(sql`UPDATE user_badges SET level = level + 1 WHERE user_id = ${badge.userId} AND badge_key = ${badge.badgeKey}`);

    const expectedDrift = [
      { kind: "person total", key: `0:${victim.userId}`, stored: victim.total + 7, expected: victim.total },
      { kind: "badge", key: `${badge.userId}:${badge.badgeKey}`, stored: badge.level + 1, expected: badge.level },
    ];
    const dryRun = await reconcileGamification({ now: t });
    expect(dryRun.drift).toEqual(expectedDrift);
    expect(dryRun.fixed).toBe(false);
    // A report without fix changes nothing.
    expect((await reconcileGamification({ now: t })).drift).toEqual(expectedDrift);

    const repaired = await reconcileGamification({ fix: true, now: t });
    expect(repaired.drift).toEqual(expectedDrift);
    expect(repaired.fixed).toBe(true);
    expect((await reconcileGamification({ now: t })).drift).toEqual([]);
    expect(await total(victim.userId)).toBe(victim.total);
    expect(await level(badge.userId, badge.badgeKey)).toBe(badge.level);
  });
});

describe("points for posting", () => {
  it("an idea earns idea_posted plus the first-contribution bonus; a second idea that day only idea_posted; the next UTC day the bonus again", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser();
    const first = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    expect(first.points).toBe(15);
    expect((await ledger(author.id)).map(({ reason, points, source, subject, day, jamId, departmentId }) => ({ reason, points, source, subject, day, jamId, departmentId }))).toEqual([
      { reason: "idea_posted", points: 10, source: `idea:${first.id}`, subject: `idea:${first.id}`, day: utcDay(at(1, 9)), jamId: jam.id, departmentId: author.departmentId },
      { reason: "first_of_day", points: 5, source: `day:${jam.id}:${utcDay(at(1, 9))}`, subject: `idea:${first.id}`, day: utcDay(at(1, 9)), jamId: jam.id, departmentId: author.departmentId },
    ]);

    expect((await makeIdea(author, challengeIds[0]!, { now: at(2, 0) - 1 })).points).toBe(10); // 23:59:59.999 the same UTC day
    expect((await makeIdea(author, challengeIds[0]!, { now: at(2, 0) })).points).toBe(15); // midnight UTC: a new day
    expect(await reasons(author.id)).toEqual(["idea_posted 10", "first_of_day 5", "idea_posted 10", "idea_posted 10", "first_of_day 5"]);
    expect(await total(author.id)).toBe(40);
    expect(await total(author.id, jam.id)).toBe(40);
    expect(await totalPoints(db(), author.id)).toBe(40);
    expect(await departmentTotal(author.departmentId!)).toBe(40);
    expect(await departmentTotal(author.departmentId!, jam.id)).toBe(40);
  });

  it("a double submit of the same idea earns once", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const input = { challengeId: challengeIds[0]!, title: "Quiet hours", body: "", isAnonymous: false, clientKey: clientKey() };
    expect((await postIdea(author, input, { now: at(1, 9) })).points).toBe(15);
    expect(await postIdea(author, input, { now: at(1, 9) })).toMatchObject({ created: false, points: 0 });
    expect(await total(author.id)).toBe(15);
  });

  it("a comment as the day's first contribution earns the bonus, and an idea after it only idea_posted", async () => {
    const { challengeIds } = await liveJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { now: at(1, 8) });
    const person = await makeUser();
    expect((await comment(person, idea.id, at(1, 9))).points).toBe(5);
    expect((await makeIdea(person, challengeIds[0]!, { now: at(1, 10) })).points).toBe(10);
    expect((await comment(person, idea.id, at(1, 11))).points).toBe(0);
    expect(await reasons(person.id)).toEqual(["first_of_day 5", "idea_posted 10"]);
  });

  it("an anonymous idea earns nothing, supports on it earn its author nothing, and it leaves the day's bonus for a named contribution", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const anonymous = await makeIdea(author, challengeIds[0]!, { now: at(1, 9), isAnonymous: true });
    expect(anonymous.points).toBe(0);
    const voters = [await makeUser(), await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    for (const [i, v] of voters.entries()) expect((await vote(v, anonymous.id, at(1, 10, i))).voteCount).toBe(i + 1);
    expect(await ledger(author.id)).toEqual([]);
    expect(await total(author.id)).toBe(0);
    for (const v of voters) expect(await ledger(v.id)).toEqual([]);
    // Anonymous contributions count for no badge either: badges are public.
    expect(await level(author.id, "idea-sparker")).toBe(0);
    expect(await level(author.id, "crowd-favourite")).toBe(0);

    expect((await makeIdea(author, challengeIds[0]!, { now: at(1, 11) })).points).toBe(15);
    expect(await level(author.id, "idea-sparker")).toBe(1);
  });

  it("Marathoner counts whole days of a jam: many contributions on one day are one day", async () => {
    const { challengeIds } = await makeJam({ startsAt: at(0, 0), endsAt: at(3, 0) });
    const busy = await makeUser();
    const steady = await makeUser();
    for (let hour = 9; hour < 15; hour++) await makeIdea(busy, challengeIds[0]!, { now: at(0, hour) });
    for (const day of [0, 1, 2]) await makeIdea(steady, challengeIds[0]!, { now: at(day, 10) });
    const facts = await transaction(async (tx) => await badgeFacts(tx, [busy.id, steady.id], ["marathonJams"]));
    expect(facts.get(busy.id)?.marathonJams ?? 0).toBe(0);
    expect(facts.get(steady.id)?.marathonJams).toBe(1);
  });

  it("a new badge level is reported once as unseen until marked seen", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const posted = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    expect(posted.levelUps).toEqual([{ userId: author.id, badgeKey: "idea-sparker", level: 1 }]);
    expect((await makeIdea(author, challengeIds[0]!, { now: at(1, 10) })).levelUps).toEqual([]);
    expect(await unseenLevelUps(db(), author.id)).toEqual([{ badgeKey: "idea-sparker", level: 1 }]);
    await markLevelsSeen(db(), author.id);
    expect(await unseenLevelUps(db(), author.id)).toEqual([]);
    // Recomputing when nothing changed grants nothing and changes nothing.
    expect(await transaction(async (tx) => await recomputeBadges(tx, [author.id, author.id], at(1, 11)))).toEqual([]);
    expect(await unseenLevelUps(db(), author.id)).toEqual([]);
  });
});

describe("points for support", () => {
  it("each distinct supporter earns the author 2 points, once: withdrawing and voting again earns nothing more", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    await vote(a, idea.id, at(1, 10));
    await vote(b, idea.id, at(1, 10, 1));
    await vote(c, idea.id, at(1, 10, 2));
    expect(await total(author.id)).toBe(15 + 6);
    await vote(a, idea.id, at(1, 10, 3)); // a repeat is a no-op
    await withdrawVote(a, { ideaId: idea.id }, { now: at(1, 11) });
    expect(await total(author.id)).toBe(21); // points for a support are kept once earned
    await vote(a, idea.id, at(1, 11, 1));
    await withdrawVote(b, { ideaId: idea.id }, { now: at(1, 12) });
    await vote(b, idea.id, at(2, 9)); // even on another day
    expect(await total(author.id)).toBe(21);
    const supports = (await ledger(author.id)).filter((e) => e.reason === "support_received");
    expect(supports.map((e) => [e.source, e.points])).toEqual([
      [`vote:${idea.id}:${a.id}`, 2],
      [`vote:${idea.id}:${b.id}`, 2],
      [`vote:${idea.id}:${c.id}`, 2],
    ]);
    for (const v of [a, b, c]) expect(await ledger(v.id)).toEqual([]); // voting earns the voter nothing
  });

  it("badges follow the current votes: a withdrawn support takes Crowd Favourite away again", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const voters = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    await forEachInOrder(voters.slice(0, 4), async (v, i) => await vote(v, idea.id, at(1, 10, i)));
    expect(await level(author.id, "crowd-favourite")).toBe(0); // 4 of 5
    const fifth = await castVote(voters[4]!, { ideaId: idea.id }, { now: at(1, 10, 5) });
    expect(fifth.voteCount).toBe(5);
    expect(await level(author.id, "crowd-favourite")).toBe(1);
    await withdrawVote(voters[4]!, { ideaId: idea.id }, { now: at(1, 11) });
    expect(await level(author.id, "crowd-favourite")).toBe(0);
    expect(await total(author.id)).toBe(15 + 10);
  });
});

describe("the daily cap", () => {
  it("stops a person's points at the jam's cap within a UTC day and resumes the next day; other jams have their own cap", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    await updateJamGamification(facilitator, jam.id, { ...DEFAULT_POINT_RULES, dailyCap: 25, leaderboardsHidden: false }, { ip: null, now: at(0, 1) });
    const author = await makeUser();
    const voters = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser());
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    expect(idea.points).toBe(15);
    await vote(voters[0]!, idea.id, at(1, 10));
    await vote(voters[1]!, idea.id, at(1, 10, 1));
    await vote(voters[2]!, idea.id, at(1, 10, 2));
    expect(await total(author.id, jam.id)).toBe(21);
    // 10 wanted, 4 left under the cap.
    expect((await makeIdea(author, challengeIds[0]!, { now: at(1, 11) })).points).toBe(4);
    expect(await total(author.id, jam.id)).toBe(25);
    await vote(voters[3]!, idea.id, at(1, 12));
    expect((await makeIdea(author, challengeIds[0]!, { now: at(1, 13) })).points).toBe(0);
    expect(await total(author.id, jam.id)).toBe(25);
    expect((await ledger(author.id)).filter((e) => e.day === utcDay(at(1, 0))).reduce((n, e) => n + e.points, 0)).toBe(25);

    // Next UTC day: points resume, from midnight.
    await vote(voters[4]!, idea.id, at(2, 0));
    expect(await total(author.id, jam.id)).toBe(27);
    expect((await makeIdea(author, challengeIds[0]!, { now: at(2, 1) })).points).toBe(15);
    expect(await total(author.id, jam.id)).toBe(42);

    // Another jam the same day has its own cap (and the default rules).
    const other = await liveJam();
    expect((await makeIdea(author, other.challengeIds[0]!, { now: at(2, 2) })).points).toBe(15);
    expect(await total(author.id, other.jam.id)).toBe(15);
    expect(await total(author.id)).toBe(57);
    expect((await reconcileGamification()).drift).toEqual([]);
  });

  it("hiding content does not free room under the day's cap", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    await updateJamGamification(facilitator, jam.id, { ...DEFAULT_POINT_RULES, dailyCap: 25, leaderboardsHidden: false }, { ip: null, now: at(0, 1) });
    const author = await makeUser();
    await makeIdea(author, challengeIds[0]!, { now: at(1, 9) }); // 15
    const second = await makeIdea(author, challengeIds[0]!, { now: at(1, 10) }); // 10: cap reached
    expect(await total(author.id, jam.id)).toBe(25);
    await hideIdea(facilitator, { id: second.id, reason: "Posted twice" }, mod(at(1, 11)));
    expect(await total(author.id, jam.id)).toBe(15);
    expect((await makeIdea(author, challengeIds[0]!, { now: at(1, 12) })).points).toBe(0);
    expect((await makeIdea(author, challengeIds[0]!, { now: at(2, 12) })).points).toBe(15);
  });
});

describe("no points for oneself", () => {
  it("a reply to one's own comment earns nothing; a reply from someone else earns the comment's author once", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const [b, c] = [await makeUser(), await makeUser()];
    const first = await comment(b, idea.id, at(1, 10));
    expect(first.points).toBe(5); // b's first contribution of the day
    const selfReply = await comment(b, idea.id, at(1, 11), first.id);
    expect(selfReply.points).toBe(0);
    expect(await reasons(b.id)).toEqual(["first_of_day 5"]);
    expect(await level(b.id, "conversation-builder")).toBe(0); // a self-reply does not count

    await comment(author, idea.id, at(1, 12), first.id);
    expect(await reasons(b.id)).toEqual(["first_of_day 5", "comment_replied 5"]);
    expect((await ledger(b.id)).at(-1)).toMatchObject({ source: `comment:${first.id}`, subject: `comment:${first.id}` });
    expect(await level(b.id, "conversation-builder")).toBe(1);
    await comment(c, idea.id, at(1, 13), first.id); // a second reply to the same comment
    expect(await total(b.id)).toBe(10);
    // The idea's author commenting on their own idea only ever earns the day's bonus (already had it).
    expect((await comment(author, idea.id, at(1, 14))).points).toBe(0);
    expect(await reasons(author.id)).toEqual(["idea_posted 10", "first_of_day 5"]);
  });

  it("nobody can vote on their own idea, so nobody supports themself into points", async () => {
    const { challengeIds } = await liveJam();
    const author = await makeUser();
    const named = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const anonymous = await makeIdea(author, challengeIds[0]!, { now: at(1, 10), isAnonymous: true });
    await expect(async () => await vote(author, named.id, at(1, 11))).rejects.toThrow(Forbidden);
    await expect(async () => await vote(author, anonymous.id, at(1, 11))).rejects.toThrow(Forbidden);
    expect(await reasons(author.id)).toEqual(["idea_posted 10", "first_of_day 5"]);
    expect(await db().select().from(votes).where(eq(votes.userId, author.id)).all()).toEqual([]);
  });
});

describe("points stop when the jam is not live", () => {
  it("award writes nothing at or after the jam's end, before its start, or in a draft", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser();
    const other = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const rowsBefore = (await allEntries()).length;
    const grant = async (now: number, j = jam, source = `test:${now}`) =>
      await transaction(async (tx) =>
        await award(tx, { earnerId: author.id, actorId: other.id, jam: j, reason: "support_received", source, subject: `idea:${idea.id}`, anonymous: false, now }),
      );
    expect(await grant(jam.endsAt)).toBe(0);
    expect(await grant(jam.endsAt + DAY)).toBe(0);
    expect(await grant(jam.startsAt - 1)).toBe(0);
    expect(await grant(at(1, 12), { ...jam, isDraft: true })).toBe(0);
    expect(await transaction(async (tx) => await awardFirstOfDay(tx, { actorId: other.id, jam, subject: null, anonymous: false, now: jam.endsAt }))).toBe(0);
    expect(await allEntries()).toHaveLength(rowsBefore);
    expect(await total(author.id)).toBe(15);
    // The last moment of the jam still counts.
    expect(await grant(jam.endsAt - 1)).toBe(2);
    expect(await total(author.id)).toBe(17);
  });

  it("posting, commenting and voting after the end are refused and earn nothing", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const first = await comment(await makeUser(), idea.id, at(1, 10));
    const late = await makeUser();
    const before = (await allEntries()).length;
    await expect(async () => await makeIdea(late, challengeIds[0]!, { now: jam.endsAt })).rejects.toThrow(Conflict);
    await expect(async () => await comment(late, idea.id, jam.endsAt + 1, first.id)).rejects.toThrow(Conflict);
    await expect(async () => await vote(late, idea.id, jam.endsAt + HOUR)).rejects.toThrow(Conflict);
    expect(await allEntries()).toHaveLength(before);
  });
});

describe("moderation reverses and restores points", () => {
  it("hiding an idea takes exactly its points back with compensating rows; restoring gives them back; each hide is a new generation", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) }); // 10 + 5 (first of day, tied to this idea)
    const kept = await makeIdea(author, challengeIds[0]!, { now: at(1, 9, 30) }); // 10
    const voters = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    await forEachInOrder(voters, async (v, i) => await vote(v, idea.id, at(1, 10, i))); // 5 x 2
    await vote(voters[0]!, kept.id, at(1, 10, 30)); // 2
    const commenter = await makeUser();
    await comment(commenter, idea.id, at(1, 11)); // the commenter's own first-of-day bonus
    expect(await total(author.id)).toBe(37);
    expect(await total(commenter.id)).toBe(5);
    expect(await level(author.id, "crowd-favourite")).toBe(1); // 6 supports
    const ideaEntries = (await ledger(author.id)).filter((e) => e.subject === `idea:${idea.id}`);
    expect(ideaEntries.map((e) => e.reason).sort()).toEqual(["first_of_day", "idea_posted", ...Array(5).fill("support_received")]);

    const before = await allEntries();
    await hideIdea(facilitator, { id: idea.id, reason: "Duplicate of another idea" }, mod(at(1, 12)));
    const afterHide = await allEntries();
    expect(afterHide.slice(0, before.length)).toEqual(before); // nothing deleted or changed
    const reversals = afterHide.slice(before.length);
    expect(reversals).toHaveLength(7);
    expect(reversals.map((r) => [r.userId, r.reason, r.source, r.subject, r.points, r.jamId]).sort()).toEqual(
      ideaEntries.map((e) => [author.id, "reversal", `entry:${e.id}:1`, `idea:${idea.id}`, -e.points, jam.id]).sort(),
    );
    expect(await total(author.id)).toBe(12);
    expect(await total(author.id, jam.id)).toBe(12);
    expect(await departmentTotal(author.departmentId!)).toBe(12);
    expect(await total(commenter.id)).toBe(5); // other people's points are untouched
    expect(await level(author.id, "crowd-favourite")).toBe(0); // 1 support left
    expect(await level(author.id, "idea-sparker")).toBe(1); // one visible idea left

    await restoreIdea(facilitator, { id: idea.id }, mod(at(1, 13)));
    const restorals = (await allEntries()).slice(afterHide.length);
    expect(restorals.map((r) => [r.reason, r.source, r.points]).sort()).toEqual(
      ideaEntries.map((e) => ["restoral", `entry:${e.id}:1`, e.points]).sort(),
    );
    expect(await total(author.id)).toBe(37);
    expect(await level(author.id, "crowd-favourite")).toBe(1);

    await hideIdea(facilitator, { id: idea.id, reason: "Duplicate after all" }, mod(at(1, 14)));
    expect(await total(author.id)).toBe(12);
    expect((await allEntries()).filter((e) => e.subject === `idea:${idea.id}` && e.source.endsWith(":2") && e.reason === "reversal")).toHaveLength(7);
    await restoreIdea(facilitator, { id: idea.id }, mod(at(1, 15)));
    expect(await total(author.id)).toBe(37);
    expect(await allEntries()).toHaveLength(before.length + 28);
    expect((await db().select({ n: ideas.hideCount }).from(ideas).where(eq(ideas.id, idea.id)).get())!.n).toBe(2);

    const audit = await db().select().from(auditLog).where(eq(auditLog.subject, `idea:${idea.id}`)).orderBy(asc(auditLog.id)).all();
    expect(audit.map((a) => [a.action, a.actorId, a.ip, a.at])).toEqual([
      ["idea_hidden", facilitator.id, "203.0.113.9", at(1, 12)],
      ["idea_restored", facilitator.id, "203.0.113.9", at(1, 13)],
      ["idea_hidden", facilitator.id, "203.0.113.9", at(1, 14)],
      ["idea_restored", facilitator.id, "203.0.113.9", at(1, 15)],
    ]);
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ reason: "Duplicate of another idea" });
    expect((await reconcileGamification()).drift).toEqual([]);
  });

  it("a hidden idea no longer counts for Idea Sparker, and counts again when restored", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    expect(await level(author.id, "idea-sparker")).toBe(1);
    await hideIdea(facilitator, { id: idea.id, reason: "Contains a phone number" }, mod(at(1, 10)));
    expect(await level(author.id, "idea-sparker")).toBe(0);
    expect(await total(author.id)).toBe(0);
    await restoreIdea(facilitator, { id: idea.id }, mod(at(1, 11)));
    expect(await level(author.id, "idea-sparker")).toBe(1);
    expect(await total(author.id)).toBe(15);
  });

  it("only facilitators and admins can hide or restore, and only what is visible or hidden respectively", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const c = await comment(await makeUser(), idea.id, at(1, 10));
    for (const role of ["participant", "leader"] as const) {
      const someone = await makeUser({ role });
      await expect(async () => await hideIdea(someone, { id: idea.id, reason: "I do not like it" }, mod(at(1, 11)))).rejects.toThrow(Forbidden);
      await expect(async () => await hideComment(someone, { id: c.id, reason: "I do not like it" }, mod(at(1, 11)))).rejects.toThrow(Forbidden);
    }
    await expect(async () => await hideIdea(author, { id: idea.id, reason: "Changed my mind" }, mod(at(1, 11)))).rejects.toThrow(Forbidden);
    await expect(async () => await restoreIdea(author, { id: idea.id }, mod(at(1, 11)))).rejects.toThrow(Forbidden);
    await expect(async () => await restoreComment(author, { id: c.id }, mod(at(1, 11)))).rejects.toThrow(Forbidden);
    expect(await total(author.id)).toBe(15);
    await expect(async () => await restoreIdea(facilitator, { id: idea.id }, mod(at(1, 11)))).rejects.toThrow(NotFound);
    const admin = await makeUser({ role: "admin" });
    await hideIdea(admin, { id: idea.id, reason: "Contains a phone number" }, mod(at(1, 12)));
    await expect(async () => await hideIdea(facilitator, { id: idea.id, reason: "Again" }, mod(at(1, 13)))).rejects.toThrow(NotFound);
    await expect(async () => await hideIdea(facilitator, { id: 987_654, reason: "Missing" }, mod(at(1, 13)))).rejects.toThrow(NotFound);
    expect(await total(author.id)).toBe(0);
    const actions = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subject, `idea:${idea.id}`)).all();
    expect(actions.map((a) => a.action)).toEqual(["idea_hidden"]);
  });

  it("hiding a comment reverses its author's points for it (the reply bonus and the day's bonus) and its badge; restoring gives them back", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { now: at(1, 9) });
    const [b, c] = [await makeUser(), await makeUser()];
    const parent = await comment(b, idea.id, at(1, 10)); // b: first of day 5
    const reply = await comment(c, idea.id, at(1, 11), parent.id); // b: comment_replied 5; c: first of day 5
    expect(await total(b.id)).toBe(10);
    expect(await total(c.id)).toBe(5);
    expect(await level(b.id, "conversation-builder")).toBe(1);
    const commentCount = async () => (await db().select({ n: ideas.commentCount }).from(ideas).where(eq(ideas.id, idea.id)).get())!.n;
    expect(await commentCount()).toBe(2);

    const rows = (await allEntries()).length;
    await hideComment(facilitator, { id: parent.id, reason: "Personal remark about a colleague" }, mod(at(1, 12)));
    expect(await total(b.id)).toBe(0);
    expect(await reasons(b.id)).toEqual(["first_of_day 5", "comment_replied 5", "reversal -5", "reversal -5"]);
    expect(await total(c.id)).toBe(5);
    expect(await level(b.id, "conversation-builder")).toBe(0);
    expect(await commentCount()).toBe(1);
    await restoreComment(facilitator, { id: parent.id }, mod(at(1, 13)));
    expect(await total(b.id)).toBe(10);
    expect(await level(b.id, "conversation-builder")).toBe(1);
    expect(await commentCount()).toBe(2);
    await hideComment(facilitator, { id: parent.id, reason: "Personal remark, again" }, mod(at(1, 14)));
    expect(await total(b.id)).toBe(0);
    await restoreComment(facilitator, { id: parent.id }, mod(at(1, 15)));
    expect(await total(b.id)).toBe(10);
    expect(await allEntries()).toHaveLength(rows + 8);

    // Hiding the reply reverses the replier's own points; the replied-to comment no longer has a reply
    // for the badge. (The reply bonus stays with the parent's author: its subject is the parent comment.)
    await hideComment(facilitator, { id: reply.id, reason: "Spam link" }, mod(at(1, 16)));
    expect(await total(c.id)).toBe(0);
    expect(await level(b.id, "conversation-builder")).toBe(0);
    expect(await total(b.id)).toBe(10);

    const audit = await db()
      .select({ action: auditLog.action, subject: auditLog.subject })
      .from(auditLog)
      .where(inArray(auditLog.subject, [`comment:${parent.id}`, `comment:${reply.id}`]))
      .orderBy(asc(auditLog.id))
      .all();
    expect(audit.map((a) => `${a.action} ${a.subject}`)).toEqual([
      `comment_hidden comment:${parent.id}`,
      `comment_restored comment:${parent.id}`,
      `comment_hidden comment:${parent.id}`,
      `comment_restored comment:${parent.id}`,
      `comment_hidden comment:${reply.id}`,
    ]);
    await expect(async () => await hideComment(await makeUser(), { id: parent.id, reason: "Not mine to hide" }, mod(at(1, 17)))).rejects.toThrow(Forbidden);
    expect((await reconcileGamification()).drift).toEqual([]);
  });

  // Known bug: castVote checks that the idea is visible before its transaction and does not check
  // again inside it, so a hide that commits in between (another process or server) lets the vote land
  // on the hidden idea and score; restoring then gives back a reversal that never happened.
  // Remove `.fails` once castVote re-checks `hidden_at IS NULL` inside its transaction.
  it("a vote racing a hide neither scores on the hidden idea nor is over-credited on restore", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    seam.beforeNextTransaction = async () => await hideIdea(facilitator, { id: idea.id, reason: "Hidden mid-vote" }, mod(at(1, 10)));
    try {
      await vote(await makeUser(), idea.id, at(1, 10, 1));
    } catch (error) {
      expect(error).toBeInstanceOf(NotFound);
    } finally {
      seam.beforeNextTransaction = null;
    }
    expect(await total(author.id)).toBe(0);
    await restoreIdea(facilitator, { id: idea.id }, mod(at(1, 11)));
    expect(await total(author.id)).toBeLessThanOrEqual(17);
    expect(await total(author.id)).toBe(15);
  });
});

describe("serial voting", () => {
  it("the sixth and later votes on one author within an hour are recorded but earn nothing, and are reported", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser({ name: "Serial Author" });
    const ideaIds = await mapInOrder(Array.from({ length: 7 }), async (_, i) => (await makeIdea(author, challengeIds[0]!, { now: at(1, 8, i) })).id);
    expect(await total(author.id)).toBe(75);
    const fan = await makeUser({ name: "Eager Fan" });
    await forEachInOrder(ideaIds, async (id, i) => {
      expect(await vote(fan, id, at(1, 9, i))).toEqual({ ideaId: id, voteCount: 1, hasVoted: true });
      expect(await total(author.id)).toBe(75 + 2 * Math.min(i + 1, 5));
    });
    expect(await db().select().from(votes).where(eq(votes.userId, fan.id)).all()).toHaveLength(7);
    expect(
      (await ledger(author.id))
        .filter((e) => e.reason === "support_received")
        .map((e) => e.source),
    ).toEqual(ideaIds.slice(0, 5).map((id) => `vote:${id}:${fan.id}`));
    const report = await db().select().from(serialVoteReports).where(eq(serialVoteReports.voterId, fan.id)).all();
    expect(report).toEqual([
      { id: report[0]!.id, jamId: jam.id, voterId: fan.id, authorId: author.id, votes: 7, firstAt: at(1, 9, 0), lastAt: at(1, 9, 6) },
    ]);

    // Spread over more than an hour, the same seven votes are fine.
    const steady = await makeUser();
    await forEachInOrder(ideaIds, async (id, i) => await vote(steady, id, at(1, 10, 20 * i)));
    expect(await total(author.id)).toBe(85 + 14);
    expect(await db().select().from(serialVoteReports).where(eq(serialVoteReports.voterId, steady.id)).all()).toEqual([]);

    // The window slides: five votes, then one just over an hour after the first is fine, the next is not.
    const edge = await makeUser({ name: "Edge Voter" });
    const T = at(2, 9);
    await forEachInOrder(ideaIds.slice(0, 5), async (id, i) => await vote(edge, id, T + i * MINUTE));
    await vote(edge, ideaIds[5]!, T + HOUR + 1); // window (T, T+1h+1]: four earlier votes and this one
    expect(await total(author.id)).toBe(99 + 12);
    await vote(edge, ideaIds[6]!, T + HOUR + 2);
    expect(await total(author.id)).toBe(111);
    expect(await db().select().from(serialVoteReports).where(eq(serialVoteReports.voterId, edge.id)).get()).toMatchObject({
      votes: 6,
      firstAt: T + MINUTE,
      lastAt: T + HOUR + 2,
    });

    expect((await serialVotingReports(db(), jam.id)).map((r) => [r.voter, r.author, r.votes])).toEqual([
      ["Edge Voter", "Serial Author", 6],
      ["Eager Fan", "Serial Author", 7],
    ]);
  });

  // Known bug: checkSerialVoting also runs for anonymous ideas, and the report names their author to
  // facilitators, who otherwise never learn who wrote an anonymous idea (see anonymity.test.ts).
  // Anonymous ideas earn no points, so there is nothing to protect: skip the check for them.
  it("serial votes on anonymous ideas do not name their author in the facilitators' report", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser({ name: "Anonymous Author" });
    const ideaIds = await mapInOrder(Array.from({ length: 6 }), async (_, i) => (await makeIdea(author, challengeIds[0]!, { now: at(1, 8, i), isAnonymous: true })).id);
    const voter = await makeUser();
    await forEachInOrder(ideaIds, async (id, i) => await vote(voter, id, at(1, 9, i)));
    expect(await total(author.id)).toBe(0);
    expect(JSON.stringify(await serialVotingReports(db(), jam.id))).not.toContain("Anonymous Author");
    expect(await db().select().from(serialVoteReports).where(eq(serialVoteReports.authorId, author.id)).all()).toEqual([]);
  });

  it("votes on different authors do not add up to serial voting", async () => {
    const { challengeIds } = await liveJam();
    const authors = [await makeUser(), await makeUser()];
    const ideaIds = await flatMapInOrder(authors, async (a, k) => await mapInOrder(Array.from({ length: 4 }), async (_, i) => (await makeIdea(a, challengeIds[0]!, { now: at(1, 8, k * 10 + i) })).id));
    const voter = await makeUser();
    await forEachInOrder(ideaIds, async (id, i) => await vote(voter, id, at(1, 9, i)));
    for (const a of authors) expect(await total(a.id)).toBe(15 + 30 + 8);
    expect(await db().select().from(serialVoteReports).where(eq(serialVoteReports.voterId, voter.id)).all()).toEqual([]);
  });
});

const startWorker = (job: { voter: SessionUser; ideaIds: number[]; badgeUserIds: number[]; rounds: number }) =>
  startWorkerProcess<WorkerResult>(WORKER, job);

interface WorkerResult {
  votes: number;
  recomputes: number;
  levelUps: number;
  errors: string[];
}


describe("idempotent grants under concurrency", () => {
  it("processes recomputing the same badges and casting the same votes at once write no duplicates, and totals equal the ledger", async () => {
    const { challengeIds } = await makeJam(); // live now: the workers vote at the real time
    const authors = [await makeUser(), await makeUser(), await makeUser()];
    const ideaIds = await flatMapInOrder(authors, async (a) => await mapInOrder([0, 1, 2], async () => (await makeIdea(a, challengeIds[0]!)).id));
    const [x, y, z] = [await makeUser(), await makeUser(), await makeUser()];
    // Take the authors' badges away behind the services' back, so every worker races to grant them.
    await db().delete(userBadges).where(inArray(userBadges.userId, authors.map((a) => a.id))).run();
    const badgeUserIds = [...authors, x, y, z].map((u) => u.id);
    const rounds = 3;
    const workers = [x, x, y, z].map((voter) => startWorker({ voter, ideaIds, badgeUserIds, rounds }));
    let results: WorkerResult[];
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.write("go\n");
      results = await Promise.all(workers.map((w) => w.done));
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.map((r) => [r.votes, r.recomputes])).toEqual(Array(4).fill([rounds * ideaIds.length, rounds]));

    expect(await duplicates()).toEqual({ ledger: [], badges: [] });
    for (const id of ideaIds) {
      expect((await db().select({ u: votes.userId }).from(votes).where(eq(votes.ideaId, id)).all()).map((v) => v.u).sort()).toEqual([x.id, y.id, z.id].sort());
      expect((await db().select({ n: ideas.voteCount }).from(ideas).where(eq(ideas.id, id)).get())!.n).toBe(3);
    }
    for (const a of authors) {
      const supports = (await ledger(a.id)).filter((e) => e.reason === "support_received");
      expect(supports).toHaveLength(9);
      expect(await total(a.id)).toBe((await ledger(a.id)).reduce((n, e) => n + e.points, 0));
      expect(await level(a.id, "idea-sparker")).toBe(1); // 3 ideas
      expect(await level(a.id, "crowd-favourite")).toBe(1); // 9 supports
      expect(await level(a.id, "bridge-builder")).toBe(2); // 3 ideas each supported from 3 departments
    }
    // Each level was announced once in all: by a worker's recompute or by a vote's.
    expect(results.reduce((n, r) => n + r.levelUps, 0)).toBeLessThanOrEqual(authors.length * 3 + authors.length * 2);
    expect((await reconcileGamification()).drift).toEqual([]);
  });
});

describe("leaderboards", () => {
  it("rankOf is 1-based and breaks ties by the lower user id; people without points have no rank", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const [u1, u2, u3, voter, idle] = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    await makeIdea(u2, challengeIds[0]!, { now: at(1, 9) });
    await makeIdea(u1, challengeIds[0]!, { now: at(1, 10) });
    const top = await makeIdea(u3, challengeIds[0]!, { now: at(1, 11) });
    await vote(voter, top.id, at(1, 12));
    expect(await rankOf(db(), jam.id, u3!.id)).toEqual({ rank: 1, total: 17 });
    expect(await rankOf(db(), jam.id, u1!.id)).toEqual({ rank: 2, total: 15 });
    expect(await rankOf(db(), jam.id, u2!.id)).toEqual({ rank: 3, total: 15 });
    expect(await rankOf(db(), jam.id, voter!.id)).toBeNull();
    expect(await rankOf(db(), jam.id, idle!.id)).toBeNull();

    const board = await jamLeaderboard(facilitator, jam.slug, {}, at(1, 13));
    expect(board.hidden).toBe(false);
    expect(board.list.map((r) => [r.rank, r.userId, r.total, r.isMe])).toEqual([
      [1, u3!.id, 17, false],
      [2, u1!.id, 15, false],
      [3, u2!.id, 15, false],
    ]);
    expect(board.nextCursor).toBeNull();
    const mine = await jamLeaderboard(u1!, jam.slug, {}, at(1, 13));
    expect(mine.me).toEqual({ rank: 2, total: 15 });
    expect(mine.list.find((r) => r.isMe)?.userId).toBe(u1!.id);
  });

  it("rankOf over all jams agrees with sorting every total (ties by lower id)", async () => {
    const rows = await db().select().from(pointTotals).where(eq(pointTotals.scope, ALL_JAMS)).all();
    rows.sort((a, b) => b.total - a.total || a.userId - b.userId);
    expect(rows.length).toBeGreaterThan(10);
    for (const [i, r] of rows.entries()) expect(await rankOf(db(), ALL_JAMS, r.userId)).toEqual({ rank: i + 1, total: r.total });
  });

  it("the overall leaderboard, paged with its cursor, lists every person with points exactly once, in rank order", async () => {
    const { challengeIds } = await liveJam();
    const crowd = await mapInOrder(Array.from({ length: 45 }), async () => await makeUser());
    // Everyone ties on 15 points, so page boundaries fall inside a run of ties.
    for (const p of crowd) await makeIdea(p, challengeIds[0]!, { now: at(1, 9) });
    const viewer = crowd[30]!;
    const seen: { rank: number; userId: number; total: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof overallLeaderboard>> = await overallLeaderboard(viewer, cursor ? { cursor } : {});
      expect(page.isFirstPage).toBe(pages === 0);
      expect(page.me).toEqual(await rankOf(db(), ALL_JAMS, viewer.id));
      seen.push(...page.list.map(({ rank, userId, total }) => ({ rank, userId, total })));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 1_000);
    const expected = await db().select().from(pointTotals).where(eq(pointTotals.scope, ALL_JAMS)).all();
    expected.sort((a, b) => b.total - a.total || a.userId - b.userId);
    expect(pages).toBe(Math.ceil(expected.length / 20));
    expect(seen.map((r) => r.userId)).toEqual(expected.map((r) => r.userId));
    expect(new Set(seen.map((r) => r.userId)).size).toBe(seen.length);
    expect(seen.map((r) => r.rank)).toEqual(expected.map((_, i) => i + 1));
    expect(seen.map((r) => r.total)).toEqual(expected.map((r) => r.total));
    for (const p of crowd) expect(seen.some((r) => r.userId === p.id)).toBe(true);
  });

  it("per head, a small department can beat a bigger one that has more points in total", async () => {
    const { jam, challengeIds } = await liveJam();
    const small = await makeDepartment();
    const big = await makeDepartment();
    const smallTeam = await mapInOrder(Array.from({ length: 2 }), async () => await makeUser({ departmentId: small.id }));
    const bigTeam = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser({ departmentId: big.id }));
    for (const p of smallTeam) await makeIdea(p, challengeIds[0]!, { now: at(1, 9) });
    for (const p of bigTeam.slice(0, 3)) await makeIdea(p, challengeIds[0]!, { now: at(1, 9) });
    const board = await departmentBoard(db(), jam.id);
    const s = board.find((d) => d.id === small.id)!;
    const b = board.find((d) => d.id === big.id)!;
    expect(s).toMatchObject({ total: 30, headcount: 2, perHead: 15, rankByTotal: 2, rankPerHead: 1 });
    expect(b).toMatchObject({ total: 45, headcount: 6, perHead: 7.5, rankByTotal: 1, rankPerHead: 2 });
    expect(board.map((d) => d.rankByTotal)).toEqual(board.map((_, i) => i + 1));
    expect(new Set(board.map((d) => d.rankPerHead)).size).toBe(board.length);
  });

  it("a jam with hidden leaderboards shows participants only that it is hidden (and their own total); staff still see the list", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const [p1, p2] = [await makeUser(), await makeUser()];
    await makeIdea(p1, challengeIds[0]!, { now: at(1, 9) });
    await makeIdea(p2, challengeIds[0]!, { now: at(1, 10) });
    await db().update(jams).set({ leaderboardsHidden: true }).where(eq(jams.id, jam.id)).run();

    const asParticipant = await jamLeaderboard(p1, jam.slug, {}, at(1, 11));
    expect(asParticipant).toMatchObject({ hidden: true, list: [], nextCursor: null, departments: [], serialVoting: [], me: { rank: null, total: 15 } });
    expect((await jamLeaderboard(await makeUser(), jam.slug, {}, at(1, 11))).me).toBeNull();

    const asFacilitator = await jamLeaderboard(facilitator, jam.slug, {}, at(1, 11));
    expect(asFacilitator.hidden).toBe(false);
    expect(asFacilitator.list.map((r) => r.userId)).toEqual([p1.id, p2.id]);
    const asLeader = await jamLeaderboard(await makeUser({ role: "leader" }), jam.slug, {}, at(1, 11));
    expect(asLeader.hidden).toBe(false);
    expect(asLeader.list).toHaveLength(2);
  });

  // Known bug: personProfile returns rankOf(jam) for every jam, so anyone's profile page shows
  // "rank #N" in a jam whose leaderboards the facilitators hid. Remove `.fails` once profiles give
  // rank: null for such jams to viewers who are not staff.
  it("a profile does not reveal a rank in a jam whose leaderboards are hidden", async () => {
    const { jam, challengeIds } = await liveJam();
    const [p1, p2] = [await makeUser(), await makeUser()];
    await makeIdea(p1, challengeIds[0]!, { now: at(1, 9) });
    await db().update(jams).set({ leaderboardsHidden: true }).where(eq(jams.id, jam.id)).run();
    const entry = (await personProfile(p2, p1.id)).byJam.find((j) => j.jamId === jam.id);
    expect(entry?.total).toBe(15);
    expect(entry?.rank).toBeNull();
  });
});

describe("profiles", () => {
  it("anonymous ideas appear only on the author's own profile, hidden ones only to the author and with the reason", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const named = await makeIdea(author, challengeIds[0]!, { now: at(1, 9), title: "Named: rotate meeting chairs" });
    const anonymous = await makeIdea(author, challengeIds[0]!, { now: at(1, 10), title: "Secret: fix the expenses tool", isAnonymous: true });
    const hidden = await makeIdea(author, challengeIds[0]!, { now: at(1, 11), title: "Hidden: name and shame" });
    await hideIdea(facilitator, { id: hidden.id, reason: "Names a colleague" }, mod(at(1, 12)));
    const onOwnAnonymous = await comment(author, anonymous.id, at(1, 13));
    const onNamed = await comment(author, named.id, at(1, 14));

    const own = await personProfile(author, author.id);
    expect(own.isMe).toBe(true);
    expect(own.ideas.map((i) => [i.id, i.isAnonymous, i.hidden, i.hiddenReason])).toEqual([
      [hidden.id, false, true, "Names a colleague"],
      [anonymous.id, true, false, null],
      [named.id, false, false, null],
    ]);
    expect(own.comments.map((c) => c.id)).toEqual([onNamed.id, onOwnAnonymous.id]);

    for (const viewer of [await makeUser(), facilitator, await makeUser({ role: "leader" })]) {
      const seen = await personProfile(viewer, author.id);
      expect(seen.isMe).toBe(false);
      expect(seen.ideas.map((i) => i.id)).toEqual([named.id]);
      expect(seen.comments.map((c) => c.id)).toEqual([onNamed.id]);
      const text = JSON.stringify(seen);
      expect(text).not.toContain("Secret: fix the expenses tool");
      expect(text).not.toContain("Hidden: name and shame");
      expect(text).not.toContain("Names a colleague");
    }
  });

  it("shows points by jam with rank, and every badge with its progress", async () => {
    const { jam, challengeIds } = await liveJam();
    const author = await makeUser();
    const idea = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    await vote(await makeUser(), idea.id, at(1, 10));
    const profile = await personProfile(await makeUser(), author.id);
    expect(profile.person).toMatchObject({ id: author.id, name: author.name });
    expect(profile.byJam).toEqual([{ jamId: jam.id, slug: jam.slug, title: jam.title, total: 17, rank: 1 }]);
    expect(profile.overall).toEqual(await rankOf(db(), ALL_JAMS, author.id));
    expect(profile.badges.map((b) => b.key)).toEqual(BADGES.map((b) => b.key));
    expect(profile.badges.find((b) => b.key === "idea-sparker")).toMatchObject({ level: 1, score: 1, nextAt: 5 });
    expect(profile.badges.find((b) => b.key === "crowd-favourite")).toMatchObject({ level: 0, score: 1, nextAt: 5, progress: 0.2 });
    await expect(async () => await personProfile(author, 987_654_321)).rejects.toThrow(NotFound);
  });
});

describe("the whole file", () => {
  it("leaves every total equal to its ledger and every badge equal to its source data", async () => {
    expect(await duplicates()).toEqual({ ledger: [], badges: [] });
    expect((await reconcileGamification()).drift).toEqual([]);
  });
});
