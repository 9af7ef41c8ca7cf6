import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { DEFAULT_POINT_RULES } from "~/domain/points";
import { myActivity } from "~/services/pages/activity.server";
import {
  activePeople,
  commandCentre,
  contributionsByDepartment,
  contributionsPerMinute,
  risingIdeas,
  unansweredIdeas,
} from "~/services/pages/command-centre.server";
import { postHandoffNote } from "~/services/commands/handoff-notes.server";
import { postComment } from "~/services/commands/comments.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { flagContent } from "~/services/commands/flags.server";
import { openFlagQueue } from "~/services/lookups/flags.server";
import { ALL_JAMS } from "~/services/effects/gamification.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import {
  hideComment,
  hideIdea,
  mergeIdeas,
  mergePreview,
  pinIdea,
  resolveFlag,
  restoreIdea,
  tagIdea,
  unpinIdea,
} from "~/services/commands/moderation.server";
import { ideaPageModeration, findMergeTargets } from "~/services/lookups/moderation.server";
import { reconcileGamification } from "~/services/jobs/reconcile.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { auditLog, comments, dotAllocations, flags, ideas, pointTotals, stanceVotes, votes } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A UTC midnight; the test jams run from two hours before it to six days after. */
const DAY0 = Date.UTC(2025, 5, 9);
const at = (day: number, hour: number, minute = 0) => DAY0 + day * DAY + hour * HOUR + minute * MINUTE;
const mod = (now: number) => ({ ip: "203.0.113.7", now });

async function liveJam(challenges = 1) {
  return await makeJam({ startsAt: at(0, 0) - 2 * HOUR, endsAt: at(6, 0), challenges });
}

let keys = 0;
async function comment(actor: SessionUser, ideaId: number, now: number, parentId?: number) {
  keys += 1;
  return await postComment(actor, { ideaId, parentId, body: "I like this, and we could add a pilot.", clientKey: `mod-key-${keys}`.padEnd(10, "x") }, { now });
}

async function vote(voter: SessionUser, ideaId: number, now: number) {
  return await castVote(voter, { ideaId }, { now });
}

async function idea(id: number) {
  return (await db().select().from(ideas).where(eq(ideas.id, id)).get())!;
}

async function votersOf(ideaId: number) {
  return (await db()
    .select({ userId: votes.userId })
    .from(votes)
    .where(eq(votes.ideaId, ideaId))
    .all())
    .map((v) => v.userId)
    .sort((a, b) => a - b);
}

async function total(userId: number) {
  return (
    (await db()
      .select({ t: pointTotals.total })
      .from(pointTotals)
      .where(and(eq(pointTotals.scope, ALL_JAMS), eq(pointTotals.userId, userId)))
      .get())?.t ?? 0
  );
}

async function auditOf(subject: string) {
  return await db()
    .select({ action: auditLog.action, actorId: auditLog.actorId, detail: auditLog.detail, ip: auditLog.ip })
    .from(auditLog)
    .where(eq(auditLog.subject, subject))
    .orderBy(asc(auditLog.id))
    .all();
}

describe("merging a duplicate", () => {
  it("moves votes with at most one per person (never the kept idea's author) and comments, and recounts both ideas", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const [dupAuthor, keptAuthor, both, dupOnly, keptOnly] = [await makeUser(), await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const kept = await makeIdea(keptAuthor, challengeIds[0]!, { title: "Quiet mornings", now: at(1, 9) });
    const dup = await makeIdea(dupAuthor, challengeIds[0]!, { title: "No meetings before ten", now: at(1, 9, 5) });
    await vote(both, kept.id, at(1, 9, 10));
    await vote(both, dup.id, at(1, 9, 11));
    await vote(dupOnly, dup.id, at(1, 9, 12));
    await vote(keptOnly, kept.id, at(1, 9, 13));
    await vote(keptAuthor, dup.id, at(1, 9, 14)); // would become a vote on their own idea
    const first = await comment(keptOnly, dup.id, at(1, 10));
    const reply = await comment(dupAuthor, dup.id, at(1, 10, 1), first.id);
    const removed = await comment(both, dup.id, at(1, 10, 2));
    await hideComment(facilitator, { id: removed.id, reason: "Off topic" }, mod(at(1, 10, 3)));
    await comment(both, kept.id, at(1, 10, 4));
    expect(await idea(dup.id)).toMatchObject({ voteCount: 3, commentCount: 2 });
    expect(await idea(kept.id)).toMatchObject({ voteCount: 2, commentCount: 1 });

    const preview = await mergePreview(facilitator, { id: dup.id, intoId: `#${kept.id}` });
    expect(preview).toMatchObject({
      duplicate: { id: dup.id, title: "No meetings before ten", voteCount: 3, commentCount: 2 },
      kept: { id: kept.id, title: "Quiet mornings", voteCount: 2, commentCount: 1 },
      sameChallenge: true,
    });
    const keptAuthorBefore = await total(keptAuthor.id);
    const result = await mergeIdeas(facilitator, { id: dup.id, intoId: `http://jamboree.test/jams/x/ideas/${kept.id}#comment-3` }, mod(at(1, 11)));
    expect(result).toMatchObject({ intoId: kept.id, votesMoved: 1, votesDropped: 2, commentsMoved: 3 });

    // One vote each for both, dupOnly and keptOnly; none by the kept idea's author.
    expect(await votersOf(kept.id)).toEqual([both.id, dupOnly.id, keptOnly.id].sort((a, b) => a - b));
    expect(await votersOf(dup.id)).toEqual([]);
    expect(await db().select().from(votes).where(and(eq(votes.userId, both.id), eq(votes.ideaId, kept.id))).all()).toHaveLength(1);
    expect(await db().select().from(votes).where(and(eq(votes.userId, keptAuthor.id), eq(votes.ideaId, kept.id))).all()).toEqual([]);
    // Comments moved, the reply still under its parent; the hidden one moved but does not count.
    const moved = await db().select().from(comments).where(inArray(comments.id, [first.id, reply.id, removed.id])).all();
    expect(moved.every((c) => c.ideaId === kept.id)).toBe(true);
    expect(moved.find((c) => c.id === reply.id)!.parentId).toBe(first.id);
    expect(await idea(kept.id)).toMatchObject({ voteCount: 3, commentCount: 3 });
    expect(await idea(dup.id)).toMatchObject({
      voteCount: 0,
      commentCount: 0,
      mergedIntoId: kept.id,
      hiddenReason: "Merged into “Quiet mornings”",
      hiddenAt: at(1, 11),
      hideCount: 1,
    });
    // The support points for the moved votes are not awarded again to the kept idea's author.
    expect(await total(keptAuthor.id)).toBe(keptAuthorBefore);

    // The duplicate's page: its author sees where it went; others do not find it.
    const forAuthor = await ideaDetail(dupAuthor, dup.id, at(1, 12));
    expect(forAuthor.idea.hidden).toMatchObject({ reason: "Merged into “Quiet mornings”", mergedInto: { id: kept.id, title: "Quiet mornings" } });
    expect(forAuthor.canVote).toBe(false);
    expect(forAuthor.canComment).toBe(false);
    await expect(async () => await ideaDetail(both, dup.id, at(1, 12))).rejects.toThrow(NotFound);
    expect((await ideaDetail(both, kept.id, at(1, 12))).comments.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, reply.id]));

    // A merged idea cannot be restored, nor merged again.
    await expect(async () => await restoreIdea(facilitator, { id: dup.id }, mod(at(1, 12)))).rejects.toThrow(Conflict);
    await expect(async () => await mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(1, 12)))).rejects.toThrow(NotFound);
    const audit = await auditOf(`idea:${dup.id}`);
    expect(audit.map((a) => a.action)).toEqual(["idea_merged"]);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ intoId: kept.id, votesMoved: 1, votesDropped: 2, commentsMoved: 3 });
    expect((await reconcileGamification()).drift).toEqual([]);
  });

  it("reverses the duplicate's points like a hide, and leaves everyone else's", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const [dupAuthor, keptAuthor, voterA, voterB] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const kept = await makeIdea(keptAuthor, challengeIds[0]!, { now: at(2, 9) });
    const dup = await makeIdea(dupAuthor, challengeIds[0]!, { now: at(2, 9, 1) });
    await vote(voterA, dup.id, at(2, 9, 2));
    await vote(voterB, dup.id, at(2, 9, 3));
    await vote(voterA, kept.id, at(2, 9, 4));
    const rules = DEFAULT_POINT_RULES;
    const dupPoints = rules.idea_posted + rules.first_of_day + 2 * rules.support_received;
    expect(await total(dupAuthor.id)).toBe(dupPoints);
    const keptPoints = await total(keptAuthor.id);
    expect(keptPoints).toBe(rules.idea_posted + rules.first_of_day + rules.support_received);

    await mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(2, 10)));
    expect(await total(dupAuthor.id)).toBe(0);
    // voterB's vote moved, but its support points are not awarded again.
    expect(await votersOf(kept.id)).toHaveLength(2);
    expect(await total(keptAuthor.id)).toBe(keptPoints);
    expect(await total(voterA.id)).toBe(0);
    expect((await reconcileGamification()).drift).toEqual([]);
  });

  it("moves stance votes and dots within a challenge under the same rule, and drops them across challenges", async () => {
    const { challengeIds, facilitator } = await liveJam(2);
    const [dupAuthor, keptAuthor, a, b] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const kept = await makeIdea(keptAuthor, challengeIds[0]!, { now: at(1, 9) });
    const dup = await makeIdea(dupAuthor, challengeIds[0]!, { now: at(1, 9, 1) });
    const elsewhere = await makeIdea(dupAuthor, challengeIds[1]!, { now: at(1, 9, 2) });
    const t = at(1, 9, 5);
    const stance = async (userId: number, ideaId: number, challengeId: number, s: "agree" | "disagree" | "pass") =>
      await db().insert(stanceVotes).values({ userId, ideaId, challengeId, stance: s, createdAt: t, updatedAt: t }).run();
    const dots = async (userId: number, ideaId: number, challengeId: number, n: number) =>
      await db().insert(dotAllocations).values({ userId, ideaId, challengeId, dots: n, updatedAt: t }).run();
    await stance(a.id, kept.id, challengeIds[0]!, "agree");
    await stance(a.id, dup.id, challengeIds[0]!, "disagree"); // a keeps their stance on the kept idea
    await stance(b.id, dup.id, challengeIds[0]!, "agree"); // moves
    await stance(keptAuthor.id, dup.id, challengeIds[0]!, "agree"); // dropped: their own idea
    await dots(a.id, kept.id, challengeIds[0]!, 1);
    await dots(a.id, dup.id, challengeIds[0]!, 3); // dropped: a already has dots on the kept idea
    await dots(b.id, dup.id, challengeIds[0]!, 2); // moves
    await stance(a.id, elsewhere.id, challengeIds[1]!, "agree");
    await dots(b.id, elsewhere.id, challengeIds[1]!, 2);
    await vote(a, elsewhere.id, at(1, 9, 6));

    const same = await mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(1, 10)));
    expect(same).toMatchObject({ stanceVotesMoved: 1, stanceVotesDropped: 2, dotAllocationsMoved: 1, dotAllocationsDropped: 1 });
    expect(await idea(kept.id)).toMatchObject({ agreeCount: 2, disagreeCount: 0, passCount: 0, dotCount: 3 });
    expect(await idea(dup.id)).toMatchObject({ agreeCount: 0, disagreeCount: 0, dotCount: 0 });
    const aStance = await db().select().from(stanceVotes).where(and(eq(stanceVotes.userId, a.id), eq(stanceVotes.ideaId, kept.id))).get();
    expect(aStance?.stance).toBe("agree");

    // Across challenges: support votes move (into the kept idea's challenge); stance votes and dots do not.
    const across = await mergeIdeas(facilitator, { id: elsewhere.id, intoId: kept.id }, mod(at(1, 11)));
    expect(across).toMatchObject({ votesMoved: 1, stanceVotesMoved: 0, stanceVotesDropped: 1, dotAllocationsMoved: 0, dotAllocationsDropped: 1 });
    const moved = await db().select().from(votes).where(and(eq(votes.userId, a.id), eq(votes.ideaId, kept.id))).get();
    expect(moved?.challengeId).toBe(challengeIds[0]);
    expect(await db().select().from(dotAllocations).where(eq(dotAllocations.ideaId, elsewhere.id)).all()).toEqual([]);
    expect(await idea(kept.id)).toMatchObject({ voteCount: 1, agreeCount: 2, dotCount: 3 });
  });

  it("refuses merging into itself, into a hidden idea or into another jam's idea", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const other = await liveJam();
    const author = await makeUser();
    const dup = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const hidden = await makeIdea(author, challengeIds[0]!, { now: at(1, 9, 1) });
    const foreign = await makeIdea(author, other.challengeIds[0]!, { now: at(1, 9, 2) });
    await hideIdea(facilitator, { id: hidden.id, reason: "Posted by mistake" }, mod(at(1, 10)));
    for (const intoId of [dup.id, hidden.id, foreign.id, 987_654, "", "the other one"]) {
      await expect(async () => await mergeIdeas(facilitator, { id: dup.id, intoId }, mod(at(1, 11)))).rejects.toThrow(Invalid);
    }
    expect((await idea(dup.id)).hiddenAt).toBeNull();
  });
});

describe("pins and tags", () => {
  it("pinned ideas head the first page of their challenge, not later pages or searches", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const made = await mapInOrder(Array.from({ length: 25 }), async (_, i) => await makeIdea(author, challengeIds[0]!, { title: `Idea number ${i}`, now: at(1, 9, i) }));
    const oldest = made[0]!;
    await pinIdea(facilitator, { id: oldest.id }, mod(at(1, 10)));
    expect((await pinIdea(facilitator, { id: oldest.id }, mod(at(1, 10, 1)))).changed).toBe(false);
    const first = await listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "newest" }, at(1, 11));
    expect(first.pinned.map((i) => i.id)).toEqual([oldest.id]);
    expect(first.pinned[0]!.isPinned).toBe(true);
    expect(first.ideas.some((i) => i.id === oldest.id)).toBe(false); // it is on page 2 of "newest"
    const second = await listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "newest", cursor: first.nextCursor }, at(1, 11));
    expect(second.pinned).toEqual([]);
    expect(second.ideas.map((i) => i.id)).toContain(oldest.id); // the keyset pages are unchanged
    expect((await listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "top" }, at(1, 11))).pinned).toHaveLength(1);
    expect((await listChallengeIdeas(author, { challengeId: challengeIds[0], q: "number" }, at(1, 11))).pinned).toEqual([]);

    await unpinIdea(facilitator, { id: oldest.id }, mod(at(1, 12)));
    expect((await listChallengeIdeas(author, { challengeId: challengeIds[0] }, at(1, 12))).pinned).toEqual([]);
    expect((await auditOf(`idea:${oldest.id}`)).map((a) => a.action)).toEqual(["idea_pinned", "idea_unpinned"]);
  });

  it("tagging “best” awards the author once while the jam is live; the tag shows on the card", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const made = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const before = await total(author.id);
    expect((await tagIdea(facilitator, { id: made.id, tag: "emerging" }, mod(at(1, 10)))).points).toBe(0);
    expect((await tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 11)))).points).toBe(DEFAULT_POINT_RULES.idea_tagged_best);
    expect(await total(author.id)).toBe(before + DEFAULT_POINT_RULES.idea_tagged_best);
    await tagIdea(facilitator, { id: made.id, tag: "" }, mod(at(1, 12)));
    await tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 13)));
    expect(await total(author.id)).toBe(before + DEFAULT_POINT_RULES.idea_tagged_best); // once per idea
    expect((await tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 14)))).changed).toBe(false);
    expect((await ideaDetail(author, made.id, at(1, 14))).idea.tag).toBe("best");
    expect((await auditOf(`idea:${made.id}`)).map((a) => [a.action, JSON.parse(a.detail!).tag])).toEqual([
      ["idea_tagged", "emerging"],
      ["idea_tagged", "best"],
      ["idea_tagged", null],
      ["idea_tagged", "best"],
    ]);
    // Hiding the idea takes the tag's points back with the rest.
    await hideIdea(facilitator, { id: made.id, reason: "Shares a customer's name" }, mod(at(1, 15)));
    expect(await total(author.id)).toBe(0);
    await expect(async () => await tagIdea(facilitator, { id: 987_654, tag: "best" }, mod(at(1, 16)))).rejects.toThrow(NotFound);
    await expect(async () => await tagIdea(facilitator, { id: made.id, tag: "great" }, mod(at(1, 16)))).rejects.toThrow(Invalid);
  });

  it("tagging “best” after the jam ends earns nothing", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const made = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const before = await total(author.id);
    expect((await tagIdea(facilitator, { id: made.id, tag: "best" }, mod(jam.endsAt + HOUR))).points).toBe(0);
    expect(await total(author.id)).toBe(before);
  });
});

describe("who may moderate", () => {
  it("pin, tag, merge, hide and resolving flags are for facilitators and admins only", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const a = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const b = await makeIdea(author, challengeIds[0]!, { now: at(1, 9, 1) });
    const reporter = await makeUser();
    const flagged = await flagContent(reporter, { targetType: "idea", targetId: a.id, reason: "Looks like spam" }, mod(at(1, 10)));
    for (const role of ["participant", "leader"] as const) {
      const someone = await makeUser({ role });
      const t = mod(at(1, 11));
      await expect(async () => await pinIdea(someone, { id: a.id }, t)).rejects.toThrow(Forbidden);
      await expect(async () => await unpinIdea(someone, { id: a.id }, t)).rejects.toThrow(Forbidden);
      await expect(async () => await tagIdea(someone, { id: a.id, tag: "best" }, t)).rejects.toThrow(Forbidden);
      await expect(async () => await mergePreview(someone, { id: a.id, intoId: b.id })).rejects.toThrow(Forbidden);
      await expect(async () => await mergeIdeas(someone, { id: a.id, intoId: b.id }, t)).rejects.toThrow(Forbidden);
      await expect(async () => await resolveFlag(someone, { flagId: flagged.id, resolution: "dismiss" }, t)).rejects.toThrow(Forbidden);
      expect((await ideaPageModeration(someone, { id: a.id, challengeId: challengeIds[0]!, jamId: (await idea(a.id)).jamId }, [])).canModerate).toBe(false);
    }
    expect(await idea(a.id)).toMatchObject({ pinnedAt: null, tag: null, hiddenAt: null, mergedIntoId: null });
    expect((await ideaPageModeration(facilitator, { id: a.id, challengeId: challengeIds[0]!, jamId: (await idea(a.id)).jamId }, [])).tools).toMatchObject({
      openFlags: [{ reason: "Looks like spam" }],
    });
    await expect(async () => await findMergeTargets(await makeUser(), { id: a.id, q: "a" })).rejects.toThrow(Forbidden);
    // The merge search finds an idea of the jam by words of its title or by its number, never the idea itself.
    const titleOf = async (i: { id: number }) => (await idea(i.id)).title;
    const words = (await titleOf(b)).split(/\s+/).slice(0, 2).join(" ").toUpperCase();
    expect((await findMergeTargets(facilitator, { id: a.id, q: words })).map((i) => i.id)).toContain(b.id);
    expect((await findMergeTargets(facilitator, { id: a.id, q: `#${b.id}` })).map((i) => i.id)).toEqual([b.id]);
    expect((await findMergeTargets(facilitator, { id: a.id, q: `/jams/x/ideas/${b.id}` })).map((i) => i.id)).toEqual([b.id]);
    expect(await findMergeTargets(facilitator, { id: a.id, q: String(a.id) })).toEqual([]);
    expect(await findMergeTargets(facilitator, { id: a.id, q: "100%_nothing" })).toEqual([]);
    expect(await findMergeTargets(facilitator, { id: a.id, q: "  " })).toEqual([]);
    const admin = await makeUser({ role: "admin" });
    await pinIdea(admin, { id: a.id }, mod(at(1, 12)));
    expect((await idea(a.id)).pinnedAt).toBe(at(1, 12));
  });
});

describe("flags", () => {
  it("one flag per person per target; not on one's own or on hidden content", async () => {
    const { challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const made = await makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const c = await comment(await makeUser(), made.id, at(1, 9, 30));
    const [p, q] = [await makeUser(), await makeUser()];
    const first = await flagContent(p, { targetType: "idea", targetId: made.id, reason: "Names a colleague" }, mod(at(1, 10)));
    expect(first.created).toBe(true);
    expect((await flagContent(p, { targetType: "idea", targetId: made.id, reason: "Again, louder" }, mod(at(1, 10, 1)))).created).toBe(false);
    expect((await flagContent(q, { targetType: "idea", targetId: made.id, reason: "Not respectful" }, mod(at(1, 10, 2)))).created).toBe(true);
    expect((await flagContent(p, { targetType: "comment", targetId: c.id, reason: "Rude remark" }, mod(at(1, 10, 3)))).created).toBe(true);
    expect(await db().select().from(flags).where(and(eq(flags.reporterId, p.id), eq(flags.targetType, "idea"))).all()).toHaveLength(1);
    await expect(async () => await flagContent(author, { targetType: "idea", targetId: made.id, reason: "My own" }, mod(at(1, 11)))).rejects.toThrow(Conflict);
    await expect(async () => await flagContent(p, { targetType: "idea", targetId: made.id, reason: "" }, mod(at(1, 11)))).rejects.toThrow(Invalid);
    await expect(async () => await flagContent(p, { targetType: "comment", targetId: 987_654, reason: "Missing" }, mod(at(1, 11)))).rejects.toThrow(NotFound);

    const queue = await openFlagQueue(db(), (await idea(made.id)).jamId);
    expect(queue.map((i) => [i.targetType, i.targetId, i.reports.map((r) => r.reason)])).toEqual([
      ["idea", made.id, ["Names a colleague", "Not respectful"]],
      ["comment", c.id, ["Rude remark"]],
    ]);
    expect((await ideaPageModeration(p, { id: made.id, challengeId: challengeIds[0]!, jamId: (await idea(made.id)).jamId }, [c.id])).flagged).toEqual({
      idea: true,
      comments: [c.id],
    });
    expect((await auditOf(`idea:${made.id}`)).map((a) => [a.action, a.actorId])).toEqual([
      ["flag_created", p.id],
      ["flag_created", q.id],
    ]);

    await hideIdea(facilitator, { id: made.id, reason: "Names a colleague" }, mod(at(1, 12)));
    const other = await makeIdea(author, challengeIds[0]!, { now: at(1, 12, 1) });
    await hideIdea(facilitator, { id: other.id, reason: "Duplicate" }, mod(at(1, 12, 2)));
    await expect(async () => await flagContent(q, { targetType: "idea", targetId: other.id, reason: "Spam" }, mod(at(1, 13)))).rejects.toThrow(NotFound);
    // Hiding resolved the idea's open flags; the comment's flag is still open.
    expect((await openFlagQueue(db(), (await idea(made.id)).jamId)).map((i) => i.targetType)).toEqual(["comment"]);
    const resolved = await db()
      .select({ r: flags.resolution, by: flags.resolvedBy })
      .from(flags)
      .where(and(eq(flags.targetType, "idea"), eq(flags.targetId, made.id)))
      .all();
    expect(resolved).toEqual([
      { r: "hidden", by: facilitator.id },
      { r: "hidden", by: facilitator.id },
    ]);
  });

  it("resolving by dismissing closes every open flag on the target, once", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const made = await makeIdea(await makeUser(), challengeIds[0]!, { now: at(1, 9) });
    const [p, q] = [await makeUser(), await makeUser()];
    const f1 = await flagContent(p, { targetType: "idea", targetId: made.id, reason: "Off topic" }, mod(at(1, 10)));
    await flagContent(q, { targetType: "idea", targetId: made.id, reason: "Off topic too" }, mod(at(1, 10, 1)));
    expect(await resolveFlag(facilitator, { flagId: f1.id, resolution: "dismiss" }, mod(at(1, 11)))).toMatchObject({ flagsResolved: 2 });
    expect(await openFlagQueue(db(), jam.id)).toEqual([]);
    expect((await idea(made.id)).hiddenAt).toBeNull();
    await expect(async () => await resolveFlag(facilitator, { flagId: f1.id, resolution: "dismiss" }, mod(at(1, 12)))).rejects.toThrow(Conflict);
    await expect(async () => await resolveFlag(facilitator, { flagId: 987_654, resolution: "dismiss" }, mod(at(1, 12)))).rejects.toThrow(NotFound);
    const audit = (await auditOf(`idea:${made.id}`)).filter((a) => a.action === "flag_resolved");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ flagId: f1.id, resolution: "dismissed", flagsResolved: 2 });
  });

  it("resolving by hiding needs a reason, hides the target (its author is told why) and reverses its points; restore gives them back", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const author = await makeUser();
    const made = await makeIdea(author, challengeIds[0]!, { title: "Sell the parking lot", now: at(1, 9) });
    await vote(await makeUser(), made.id, at(1, 9, 5));
    const c = await comment(author, made.id, at(1, 9, 10));
    const earned = await total(author.id);
    expect(earned).toBeGreaterThan(0);
    const reporter = await makeUser();
    const f = await flagContent(reporter, { targetType: "idea", targetId: made.id, reason: "Shares a price list" }, mod(at(1, 10)));
    const fc = await flagContent(reporter, { targetType: "comment", targetId: c.id, reason: "Same here" }, mod(at(1, 10, 1)));
    await expect(async () => await resolveFlag(facilitator, { flagId: f.id, resolution: "hide", reason: "" }, mod(at(1, 11)))).rejects.toThrow(Invalid);
    await resolveFlag(facilitator, { flagId: f.id, resolution: "hide", reason: "Confidential prices" }, mod(at(1, 11)));
    expect(await idea(made.id)).toMatchObject({ hiddenReason: "Confidential prices", hiddenAt: at(1, 11) });
    expect(await total(author.id)).toBeLessThan(earned);
    await resolveFlag(facilitator, { flagId: fc.id, resolution: "hide", reason: "Confidential prices" }, mod(at(1, 11, 1)));
    expect(await openFlagQueue(db(), jam.id)).toEqual([]);

    // The author sees why, on the idea page and in their activity; others find nothing.
    expect((await ideaDetail(author, made.id, at(1, 12))).idea.hidden).toMatchObject({ reason: "Confidential prices", mergedInto: null });
    expect((await ideaDetail(author, made.id, at(1, 12))).comments.map((x) => [x.id, x.hiddenReason])).toEqual([[c.id, "Confidential prices"]]);
    expect((await ideaDetail(facilitator, made.id, at(1, 12))).idea.hidden?.reason).toBe("Confidential prices");
    await expect(async () => await ideaDetail(reporter, made.id, at(1, 12))).rejects.toThrow(NotFound);
    const activity = await myActivity(author);
    expect(activity.ideas.find((i) => i.id === made.id)).toMatchObject({ isHidden: true, hiddenReason: "Confidential prices" });
    expect(activity.counts.hidden).toBeGreaterThanOrEqual(1);
    expect((await myActivity(author, { tab: "comments" })).comments.find((x) => x.id === c.id)?.hiddenReason).toBe("Confidential prices");

    await restoreIdea(facilitator, { id: made.id }, mod(at(1, 13)));
    expect((await idea(made.id)).hiddenAt).toBeNull();
    expect((await myActivity(author)).ideas.find((i) => i.id === made.id)).toMatchObject({ isHidden: false, hiddenReason: null });
    expect((await auditOf(`idea:${made.id}`)).map((a) => a.action)).toEqual(["flag_created", "idea_hidden", "flag_resolved", "idea_restored"]);
    expect((await auditOf(`comment:${c.id}`)).map((a) => a.action)).toEqual(["flag_created", "comment_hidden", "flag_resolved"]);
    expect((await reconcileGamification()).drift).toEqual([]);
  });
});

describe("the command centre", () => {
  const NOW = at(2, 14, 30) + 20_000; // 14:30:20 on day 2

  async function scripted() {
    const { jam, challengeIds, facilitator } = await liveJam(2);
    const [red, blue] = [await makeDepartment(), await makeDepartment()];
    const person = async (d: { id: number }) => await makeUser({ departmentId: d.id });
    const [ann, ben, cat, dan, eve, fay, gus] = [await person(red), await person(blue), await person(red), await person(red), await person(blue), await person(blue), await person(red)];
    const ago = (minutes: number, seconds = 0) => NOW - minutes * MINUTE - seconds * 1000;
    const old = await makeIdea(cat, challengeIds[0]!, { title: "Old idea", now: ago(90) }); // before the chart's hour
    const answered = await makeIdea(ben, challengeIds[1]!, { title: "Answered idea", now: ago(50) });
    const rising = await makeIdea(ben, challengeIds[0]!, { title: "Rising idea", now: ago(40) });
    const fresh = await makeIdea(ann, challengeIds[0]!, { title: "Fresh idea", now: ago(2) }); // active: ann
    const secret = await makeIdea(dan, challengeIds[1]!, { title: "Anonymous idea", isAnonymous: true, now: ago(3) }); // active: dan
    const gone = await makeIdea(gus, challengeIds[0]!, { title: "Hidden idea", now: ago(45) });
    await comment(eve, answered.id, ago(1)); // active: eve
    await comment(cat, answered.id, ago(20));
    // Votes: fay now (active); the rest are older than five minutes.
    await vote(fay, rising.id, ago(4));
    await vote(ann, rising.id, ago(10));
    await vote(dan, rising.id, ago(25));
    await vote(eve, old.id, ago(29));
    await vote(fay, old.id, ago(50)); // outside the rising window
    await vote(ann, old.id, ago(60));
    await vote(ben, gone.id, ago(6));
    await vote(ann, gone.id, ago(7));
    await vote(cat, gone.id, ago(8));
    await vote(dan, gone.id, ago(9));
    await hideIdea(facilitator, { id: gone.id, reason: "Duplicate" }, mod(ago(1)));
    // Activity in another jam never counts.
    const other = await liveJam();
    await makeIdea(await person(red), other.challengeIds[0]!, { now: ago(1) });
    return { jam, facilitator, ideas: { old, answered, rising, fresh, secret, gone }, people: { ann, ben, cat, dan, eve, fay, gus }, red, blue };
  }

  it("counts people active in the last five minutes, contributions per minute and by department, rising and unanswered ideas", async () => {
    const { jam, facilitator, ideas: made, red, blue } = await scripted();
    expect(await activePeople(db(), jam.id, NOW)).toBe(4); // ann, dan, eve, fay
    expect(await activePeople(db(), jam.id, NOW + 10 * MINUTE)).toBe(0);

    const buckets = await contributionsPerMinute(db(), jam.id, NOW);
    expect(buckets).toHaveLength(60);
    expect(buckets.at(-1)!.at).toBe(at(2, 14, 30)); // the minute NOW is in comes last
    expect(buckets[0]!.at).toBe(at(2, 13, 31));
    const minute = (minutesAgo: number) => buckets[59 - minutesAgo]!;
    // Idea at 14:28:20 (2 min ago) is in the 14:28 bucket; comment at 14:29:20 in 14:29.
    expect(minute(2)).toMatchObject({ ideas: 1, comments: 0 });
    expect(minute(1)).toMatchObject({ ideas: 0, comments: 1 });
    expect(minute(3)).toMatchObject({ ideas: 1, comments: 0 });
    expect(minute(20)).toMatchObject({ ideas: 0, comments: 1 });
    expect(minute(45)).toMatchObject({ ideas: 1, comments: 0 }); // hidden later, but it was posted
    expect(buckets.reduce((n, b) => n + b.ideas, 0)).toBe(5); // not the 90-minute-old one
    expect(buckets.reduce((n, b) => n + b.comments, 0)).toBe(2);

    const departments = await contributionsByDepartment(db(), jam.id, NOW);
    const byName = Object.fromEntries(departments.map((d) => [d.department, d]));
    expect(byName[red.name]).toMatchObject({ ideas: 2, comments: 1 }); // ann's and gus's ideas, cat's comment
    expect(byName[blue.name]).toMatchObject({ ideas: 2, comments: 1 }); // ben's two ideas, eve's comment
    expect(byName["Anonymous ideas"]).toMatchObject({ ideas: 1, comments: 0 }); // dan's, not counted for red
    expect(departments).toHaveLength(3);

    // Rising: votes in the last 30 minutes on visible ideas (the hidden one had 4).
    expect((await risingIdeas(db(), jam.id, NOW)).map((r) => [r.title, r.recentVotes, r.voteCount])).toEqual([
      ["Rising idea", 3, 3],
      ["Old idea", 1, 3],
    ]);

    expect((await unansweredIdeas(db(), jam.id, NOW)).map((i) => i.title)).toEqual(["Old idea", "Rising idea", "Anonymous idea", "Fresh idea"]);

    const centre = await commandCentre(facilitator, jam.slug, NOW);
    expect(centre).toMatchObject({ activePeople: 4, lastHour: 7, canModerate: true });
    expect(made.secret.id).toBeGreaterThan(0);
  });

  it("is for facilitators, leaders and admins; facilitators leave hand-off notes", async () => {
    const { jam, challengeIds, facilitator } = await liveJam();
    const leader = await makeUser({ role: "leader" });
    expect((await commandCentre(leader, jam.slug, NOW)).canModerate).toBe(false);
    expect((await commandCentre(await makeUser({ role: "admin" }), jam.slug, NOW)).canModerate).toBe(true);
    await expect(async () => await commandCentre(await makeUser(), jam.slug, NOW)).rejects.toThrow(Forbidden);
    await expect(async () => await commandCentre(facilitator, "no-such-jam", NOW)).rejects.toThrow(NotFound);

    await expect(async () => await postHandoffNote(leader, jam.slug, { body: "All quiet" }, mod(NOW))).rejects.toThrow(Forbidden);
    await expect(async () => await postHandoffNote(facilitator, jam.slug, { body: "   " }, mod(NOW))).rejects.toThrow(Invalid);
    await postHandoffNote(facilitator, jam.slug, { body: "Flags cleared until 14:00." }, mod(NOW));
    await postHandoffNote(facilitator, jam.slug, { body: "Watch the parking thread." }, mod(NOW + MINUTE));
    expect((await commandCentre(leader, jam.slug, NOW)).notes.map((n) => [n.body, n.author])).toEqual([
      ["Watch the parking thread.", facilitator.name],
      ["Flags cleared until 14:00.", facilitator.name],
    ]);
    expect((await auditOf(`jam:${jam.id}`)).filter((a) => a.action === "handoff_note_posted")).toHaveLength(2);

    const made = await makeIdea(await makeUser(), challengeIds[0]!, { now: at(1, 9) });
    await flagContent(await makeUser(), { targetType: "idea", targetId: made.id, reason: "Spam" }, mod(at(1, 10)));
    expect((await commandCentre(leader, jam.slug, NOW)).flags.map((f) => f.title)).toEqual([(await idea(made.id)).title]);
  });
});
