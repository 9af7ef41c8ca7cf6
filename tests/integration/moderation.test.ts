import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { DEFAULT_POINT_RULES } from "~/domain/points";
import { myActivity } from "~/services/activity.server";
import {
  activePeople,
  commandCentre,
  contributionsByDepartment,
  contributionsPerMinute,
  postHandoffNote,
  risingIdeas,
  unansweredIdeas,
} from "~/services/command.server";
import { postComment } from "~/services/comments.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { flagContent, openFlagQueue } from "~/services/flags.server";
import { ALL_JAMS } from "~/services/gamification.server";
import { ideaDetail, listChallengeIdeas } from "~/services/ideas.server";
import {
  hideComment,
  hideIdea,
  ideaPageModeration,
  mergeIdeas,
  findMergeTargets,
  mergePreview,
  pinIdea,
  resolveFlag,
  restoreIdea,
  tagIdea,
  unpinIdea,
} from "~/services/moderation.server";
import { reconcileGamification } from "~/services/reconcile.server";
import { castVote } from "~/services/votes.server";
import { db } from "~db/client";
import { auditLog, comments, dotAllocations, flags, ideas, pointTotals, stanceVotes, votes } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A UTC midnight; the test jams run from two hours before it to six days after. */
const DAY0 = Date.UTC(2025, 5, 9);
const at = (day: number, hour: number, minute = 0) => DAY0 + day * DAY + hour * HOUR + minute * MINUTE;
const mod = (now: number) => ({ ip: "203.0.113.7", now });

function liveJam(challenges = 1) {
  return makeJam({ startsAt: at(0, 0) - 2 * HOUR, endsAt: at(6, 0), challenges });
}

let keys = 0;
function comment(actor: SessionUser, ideaId: number, now: number, parentId?: number) {
  keys += 1;
  return postComment(actor, { ideaId, parentId, body: "I like this, and we could add a pilot.", clientKey: `mod-key-${keys}`.padEnd(10, "x") }, { now });
}

function vote(voter: SessionUser, ideaId: number, now: number) {
  return castVote(voter, { ideaId }, { now });
}

function idea(id: number) {
  return db().select().from(ideas).where(eq(ideas.id, id)).get()!;
}

function votersOf(ideaId: number) {
  return db()
    .select({ userId: votes.userId })
    .from(votes)
    .where(eq(votes.ideaId, ideaId))
    .all()
    .map((v) => v.userId)
    .sort((a, b) => a - b);
}

function total(userId: number) {
  return (
    db()
      .select({ t: pointTotals.total })
      .from(pointTotals)
      .where(and(eq(pointTotals.scope, ALL_JAMS), eq(pointTotals.userId, userId)))
      .get()?.t ?? 0
  );
}

function auditOf(subject: string) {
  return db()
    .select({ action: auditLog.action, actorId: auditLog.actorId, detail: auditLog.detail, ip: auditLog.ip })
    .from(auditLog)
    .where(eq(auditLog.subject, subject))
    .orderBy(asc(auditLog.id))
    .all();
}

describe("merging a duplicate", () => {
  it("moves votes with at most one per person (never the kept idea's author) and comments, and recounts both ideas", () => {
    const { challengeIds, facilitator } = liveJam();
    const [dupAuthor, keptAuthor, both, dupOnly, keptOnly] = [makeUser(), makeUser(), makeUser(), makeUser(), makeUser()];
    const kept = makeIdea(keptAuthor, challengeIds[0]!, { title: "Quiet mornings", now: at(1, 9) });
    const dup = makeIdea(dupAuthor, challengeIds[0]!, { title: "No meetings before ten", now: at(1, 9, 5) });
    vote(both, kept.id, at(1, 9, 10));
    vote(both, dup.id, at(1, 9, 11));
    vote(dupOnly, dup.id, at(1, 9, 12));
    vote(keptOnly, kept.id, at(1, 9, 13));
    vote(keptAuthor, dup.id, at(1, 9, 14)); // would become a vote on their own idea
    const first = comment(keptOnly, dup.id, at(1, 10));
    const reply = comment(dupAuthor, dup.id, at(1, 10, 1), first.id);
    const removed = comment(both, dup.id, at(1, 10, 2));
    hideComment(facilitator, { id: removed.id, reason: "Off topic" }, mod(at(1, 10, 3)));
    comment(both, kept.id, at(1, 10, 4));
    expect(idea(dup.id)).toMatchObject({ voteCount: 3, commentCount: 2 });
    expect(idea(kept.id)).toMatchObject({ voteCount: 2, commentCount: 1 });

    const preview = mergePreview(facilitator, { id: dup.id, intoId: `#${kept.id}` });
    expect(preview).toMatchObject({
      duplicate: { id: dup.id, title: "No meetings before ten", voteCount: 3, commentCount: 2 },
      kept: { id: kept.id, title: "Quiet mornings", voteCount: 2, commentCount: 1 },
      sameChallenge: true,
    });
    const keptAuthorBefore = total(keptAuthor.id);
    const result = mergeIdeas(facilitator, { id: dup.id, intoId: `http://jamboree.test/jams/x/ideas/${kept.id}#comment-3` }, mod(at(1, 11)));
    expect(result).toMatchObject({ intoId: kept.id, votesMoved: 1, votesDropped: 2, commentsMoved: 3 });

    // One vote each for both, dupOnly and keptOnly; none by the kept idea's author.
    expect(votersOf(kept.id)).toEqual([both.id, dupOnly.id, keptOnly.id].sort((a, b) => a - b));
    expect(votersOf(dup.id)).toEqual([]);
    expect(db().select().from(votes).where(and(eq(votes.userId, both.id), eq(votes.ideaId, kept.id))).all()).toHaveLength(1);
    expect(db().select().from(votes).where(and(eq(votes.userId, keptAuthor.id), eq(votes.ideaId, kept.id))).all()).toEqual([]);
    // Comments moved, the reply still under its parent; the hidden one moved but does not count.
    const moved = db().select().from(comments).where(inArray(comments.id, [first.id, reply.id, removed.id])).all();
    expect(moved.every((c) => c.ideaId === kept.id)).toBe(true);
    expect(moved.find((c) => c.id === reply.id)!.parentId).toBe(first.id);
    expect(idea(kept.id)).toMatchObject({ voteCount: 3, commentCount: 3 });
    expect(idea(dup.id)).toMatchObject({
      voteCount: 0,
      commentCount: 0,
      mergedIntoId: kept.id,
      hiddenReason: "Merged into “Quiet mornings”",
      hiddenAt: at(1, 11),
      hideCount: 1,
    });
    // The support points for the moved votes are not awarded again to the kept idea's author.
    expect(total(keptAuthor.id)).toBe(keptAuthorBefore);

    // The duplicate's page: its author sees where it went; others do not find it.
    const forAuthor = ideaDetail(dupAuthor, dup.id, at(1, 12));
    expect(forAuthor.idea.hidden).toMatchObject({ reason: "Merged into “Quiet mornings”", mergedInto: { id: kept.id, title: "Quiet mornings" } });
    expect(forAuthor.canVote).toBe(false);
    expect(forAuthor.canComment).toBe(false);
    expect(() => ideaDetail(both, dup.id, at(1, 12))).toThrow(NotFound);
    expect(ideaDetail(both, kept.id, at(1, 12)).comments.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, reply.id]));

    // A merged idea cannot be restored, nor merged again.
    expect(() => restoreIdea(facilitator, { id: dup.id }, mod(at(1, 12)))).toThrow(Conflict);
    expect(() => mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(1, 12)))).toThrow(NotFound);
    const audit = auditOf(`idea:${dup.id}`);
    expect(audit.map((a) => a.action)).toEqual(["idea_merged"]);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ intoId: kept.id, votesMoved: 1, votesDropped: 2, commentsMoved: 3 });
    expect(reconcileGamification().drift).toEqual([]);
  });

  it("reverses the duplicate's points like a hide, and leaves everyone else's", () => {
    const { challengeIds, facilitator } = liveJam();
    const [dupAuthor, keptAuthor, voterA, voterB] = [makeUser(), makeUser(), makeUser(), makeUser()];
    const kept = makeIdea(keptAuthor, challengeIds[0]!, { now: at(2, 9) });
    const dup = makeIdea(dupAuthor, challengeIds[0]!, { now: at(2, 9, 1) });
    vote(voterA, dup.id, at(2, 9, 2));
    vote(voterB, dup.id, at(2, 9, 3));
    vote(voterA, kept.id, at(2, 9, 4));
    const rules = DEFAULT_POINT_RULES;
    const dupPoints = rules.idea_posted + rules.first_of_day + 2 * rules.support_received;
    expect(total(dupAuthor.id)).toBe(dupPoints);
    const keptPoints = total(keptAuthor.id);
    expect(keptPoints).toBe(rules.idea_posted + rules.first_of_day + rules.support_received);

    mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(2, 10)));
    expect(total(dupAuthor.id)).toBe(0);
    // voterB's vote moved, but its support points are not awarded again.
    expect(votersOf(kept.id)).toHaveLength(2);
    expect(total(keptAuthor.id)).toBe(keptPoints);
    expect(total(voterA.id)).toBe(0);
    expect(reconcileGamification().drift).toEqual([]);
  });

  it("moves stance votes and dots within a challenge under the same rule, and drops them across challenges", () => {
    const { challengeIds, facilitator } = liveJam(2);
    const [dupAuthor, keptAuthor, a, b] = [makeUser(), makeUser(), makeUser(), makeUser()];
    const kept = makeIdea(keptAuthor, challengeIds[0]!, { now: at(1, 9) });
    const dup = makeIdea(dupAuthor, challengeIds[0]!, { now: at(1, 9, 1) });
    const elsewhere = makeIdea(dupAuthor, challengeIds[1]!, { now: at(1, 9, 2) });
    const t = at(1, 9, 5);
    const stance = (userId: number, ideaId: number, challengeId: number, s: "agree" | "disagree" | "pass") =>
      db().insert(stanceVotes).values({ userId, ideaId, challengeId, stance: s, createdAt: t, updatedAt: t }).run();
    const dots = (userId: number, ideaId: number, challengeId: number, n: number) =>
      db().insert(dotAllocations).values({ userId, ideaId, challengeId, dots: n, updatedAt: t }).run();
    stance(a.id, kept.id, challengeIds[0]!, "agree");
    stance(a.id, dup.id, challengeIds[0]!, "disagree"); // a keeps their stance on the kept idea
    stance(b.id, dup.id, challengeIds[0]!, "agree"); // moves
    stance(keptAuthor.id, dup.id, challengeIds[0]!, "agree"); // dropped: their own idea
    dots(a.id, kept.id, challengeIds[0]!, 1);
    dots(a.id, dup.id, challengeIds[0]!, 3); // dropped: a already has dots on the kept idea
    dots(b.id, dup.id, challengeIds[0]!, 2); // moves
    stance(a.id, elsewhere.id, challengeIds[1]!, "agree");
    dots(b.id, elsewhere.id, challengeIds[1]!, 2);
    vote(a, elsewhere.id, at(1, 9, 6));

    const same = mergeIdeas(facilitator, { id: dup.id, intoId: kept.id }, mod(at(1, 10)));
    expect(same).toMatchObject({ stanceVotesMoved: 1, stanceVotesDropped: 2, dotAllocationsMoved: 1, dotAllocationsDropped: 1 });
    expect(idea(kept.id)).toMatchObject({ agreeCount: 2, disagreeCount: 0, passCount: 0, dotCount: 3 });
    expect(idea(dup.id)).toMatchObject({ agreeCount: 0, disagreeCount: 0, dotCount: 0 });
    const aStance = db().select().from(stanceVotes).where(and(eq(stanceVotes.userId, a.id), eq(stanceVotes.ideaId, kept.id))).get();
    expect(aStance?.stance).toBe("agree");

    // Across challenges: support votes move (into the kept idea's challenge); stance votes and dots do not.
    const across = mergeIdeas(facilitator, { id: elsewhere.id, intoId: kept.id }, mod(at(1, 11)));
    expect(across).toMatchObject({ votesMoved: 1, stanceVotesMoved: 0, stanceVotesDropped: 1, dotAllocationsMoved: 0, dotAllocationsDropped: 1 });
    const moved = db().select().from(votes).where(and(eq(votes.userId, a.id), eq(votes.ideaId, kept.id))).get();
    expect(moved?.challengeId).toBe(challengeIds[0]);
    expect(db().select().from(dotAllocations).where(eq(dotAllocations.ideaId, elsewhere.id)).all()).toEqual([]);
    expect(idea(kept.id)).toMatchObject({ voteCount: 1, agreeCount: 2, dotCount: 3 });
  });

  it("refuses merging into itself, into a hidden idea or into another jam's idea", () => {
    const { challengeIds, facilitator } = liveJam();
    const other = liveJam();
    const author = makeUser();
    const dup = makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const hidden = makeIdea(author, challengeIds[0]!, { now: at(1, 9, 1) });
    const foreign = makeIdea(author, other.challengeIds[0]!, { now: at(1, 9, 2) });
    hideIdea(facilitator, { id: hidden.id, reason: "Posted by mistake" }, mod(at(1, 10)));
    for (const intoId of [dup.id, hidden.id, foreign.id, 987_654, "", "the other one"]) {
      expect(() => mergeIdeas(facilitator, { id: dup.id, intoId }, mod(at(1, 11)))).toThrow(Invalid);
    }
    expect(idea(dup.id).hiddenAt).toBeNull();
  });
});

describe("pins and tags", () => {
  it("pinned ideas head the first page of their challenge, not later pages or searches", () => {
    const { challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const made = Array.from({ length: 25 }, (_, i) => makeIdea(author, challengeIds[0]!, { title: `Idea number ${i}`, now: at(1, 9, i) }));
    const oldest = made[0]!;
    pinIdea(facilitator, { id: oldest.id }, mod(at(1, 10)));
    expect(pinIdea(facilitator, { id: oldest.id }, mod(at(1, 10, 1))).changed).toBe(false);
    const first = listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "newest" }, at(1, 11));
    expect(first.pinned.map((i) => i.id)).toEqual([oldest.id]);
    expect(first.pinned[0]!.isPinned).toBe(true);
    expect(first.ideas.some((i) => i.id === oldest.id)).toBe(false); // it is on page 2 of "newest"
    const second = listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "newest", cursor: first.nextCursor }, at(1, 11));
    expect(second.pinned).toEqual([]);
    expect(second.ideas.map((i) => i.id)).toContain(oldest.id); // the keyset pages are unchanged
    expect(listChallengeIdeas(author, { challengeId: challengeIds[0], sort: "top" }, at(1, 11)).pinned).toHaveLength(1);
    expect(listChallengeIdeas(author, { challengeId: challengeIds[0], q: "number" }, at(1, 11)).pinned).toEqual([]);

    unpinIdea(facilitator, { id: oldest.id }, mod(at(1, 12)));
    expect(listChallengeIdeas(author, { challengeId: challengeIds[0] }, at(1, 12)).pinned).toEqual([]);
    expect(auditOf(`idea:${oldest.id}`).map((a) => a.action)).toEqual(["idea_pinned", "idea_unpinned"]);
  });

  it("tagging “best” awards the author once while the jam is live; the tag shows on the card", () => {
    const { challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const made = makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const before = total(author.id);
    expect(tagIdea(facilitator, { id: made.id, tag: "emerging" }, mod(at(1, 10))).points).toBe(0);
    expect(tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 11))).points).toBe(DEFAULT_POINT_RULES.idea_tagged_best);
    expect(total(author.id)).toBe(before + DEFAULT_POINT_RULES.idea_tagged_best);
    tagIdea(facilitator, { id: made.id, tag: "" }, mod(at(1, 12)));
    tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 13)));
    expect(total(author.id)).toBe(before + DEFAULT_POINT_RULES.idea_tagged_best); // once per idea
    expect(tagIdea(facilitator, { id: made.id, tag: "best" }, mod(at(1, 14))).changed).toBe(false);
    expect(ideaDetail(author, made.id, at(1, 14)).idea.tag).toBe("best");
    expect(auditOf(`idea:${made.id}`).map((a) => [a.action, JSON.parse(a.detail!).tag])).toEqual([
      ["idea_tagged", "emerging"],
      ["idea_tagged", "best"],
      ["idea_tagged", null],
      ["idea_tagged", "best"],
    ]);
    // Hiding the idea takes the tag's points back with the rest.
    hideIdea(facilitator, { id: made.id, reason: "Shares a customer's name" }, mod(at(1, 15)));
    expect(total(author.id)).toBe(0);
    expect(() => tagIdea(facilitator, { id: 987_654, tag: "best" }, mod(at(1, 16)))).toThrow(NotFound);
    expect(() => tagIdea(facilitator, { id: made.id, tag: "great" }, mod(at(1, 16)))).toThrow(Invalid);
  });

  it("tagging “best” after the jam ends earns nothing", () => {
    const { jam, challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const made = makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const before = total(author.id);
    expect(tagIdea(facilitator, { id: made.id, tag: "best" }, mod(jam.endsAt + HOUR)).points).toBe(0);
    expect(total(author.id)).toBe(before);
  });
});

describe("who may moderate", () => {
  it("pin, tag, merge, hide and resolving flags are for facilitators and admins only", () => {
    const { challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const a = makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const b = makeIdea(author, challengeIds[0]!, { now: at(1, 9, 1) });
    const reporter = makeUser();
    const flagged = flagContent(reporter, { targetType: "idea", targetId: a.id, reason: "Looks like spam" }, mod(at(1, 10)));
    for (const role of ["participant", "leader"] as const) {
      const someone = makeUser({ role });
      const t = mod(at(1, 11));
      expect(() => pinIdea(someone, { id: a.id }, t)).toThrow(Forbidden);
      expect(() => unpinIdea(someone, { id: a.id }, t)).toThrow(Forbidden);
      expect(() => tagIdea(someone, { id: a.id, tag: "best" }, t)).toThrow(Forbidden);
      expect(() => mergePreview(someone, { id: a.id, intoId: b.id })).toThrow(Forbidden);
      expect(() => mergeIdeas(someone, { id: a.id, intoId: b.id }, t)).toThrow(Forbidden);
      expect(() => resolveFlag(someone, { flagId: flagged.id, resolution: "dismiss" }, t)).toThrow(Forbidden);
      expect(ideaPageModeration(someone, { id: a.id, challengeId: challengeIds[0]!, jamId: idea(a.id).jamId }, []).canModerate).toBe(false);
    }
    expect(idea(a.id)).toMatchObject({ pinnedAt: null, tag: null, hiddenAt: null, mergedIntoId: null });
    expect(ideaPageModeration(facilitator, { id: a.id, challengeId: challengeIds[0]!, jamId: idea(a.id).jamId }, []).tools).toMatchObject({
      openFlags: [{ reason: "Looks like spam" }],
    });
    expect(() => findMergeTargets(makeUser(), { id: a.id, q: "a" })).toThrow(Forbidden);
    // The merge search finds an idea of the jam by words of its title or by its number, never the idea itself.
    const titleOf = (i: { id: number }) => idea(i.id).title;
    const words = titleOf(b).split(/\s+/).slice(0, 2).join(" ").toUpperCase();
    expect(findMergeTargets(facilitator, { id: a.id, q: words }).map((i) => i.id)).toContain(b.id);
    expect(findMergeTargets(facilitator, { id: a.id, q: `#${b.id}` }).map((i) => i.id)).toEqual([b.id]);
    expect(findMergeTargets(facilitator, { id: a.id, q: `/jams/x/ideas/${b.id}` }).map((i) => i.id)).toEqual([b.id]);
    expect(findMergeTargets(facilitator, { id: a.id, q: String(a.id) })).toEqual([]);
    expect(findMergeTargets(facilitator, { id: a.id, q: "100%_nothing" })).toEqual([]);
    expect(findMergeTargets(facilitator, { id: a.id, q: "  " })).toEqual([]);
    const admin = makeUser({ role: "admin" });
    pinIdea(admin, { id: a.id }, mod(at(1, 12)));
    expect(idea(a.id).pinnedAt).toBe(at(1, 12));
  });
});

describe("flags", () => {
  it("one flag per person per target; not on one's own or on hidden content", () => {
    const { challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const made = makeIdea(author, challengeIds[0]!, { now: at(1, 9) });
    const c = comment(makeUser(), made.id, at(1, 9, 30));
    const [p, q] = [makeUser(), makeUser()];
    const first = flagContent(p, { targetType: "idea", targetId: made.id, reason: "Names a colleague" }, mod(at(1, 10)));
    expect(first.created).toBe(true);
    expect(flagContent(p, { targetType: "idea", targetId: made.id, reason: "Again, louder" }, mod(at(1, 10, 1))).created).toBe(false);
    expect(flagContent(q, { targetType: "idea", targetId: made.id, reason: "Not respectful" }, mod(at(1, 10, 2))).created).toBe(true);
    expect(flagContent(p, { targetType: "comment", targetId: c.id, reason: "Rude remark" }, mod(at(1, 10, 3))).created).toBe(true);
    expect(db().select().from(flags).where(and(eq(flags.reporterId, p.id), eq(flags.targetType, "idea"))).all()).toHaveLength(1);
    expect(() => flagContent(author, { targetType: "idea", targetId: made.id, reason: "My own" }, mod(at(1, 11)))).toThrow(Conflict);
    expect(() => flagContent(p, { targetType: "idea", targetId: made.id, reason: "" }, mod(at(1, 11)))).toThrow(Invalid);
    expect(() => flagContent(p, { targetType: "comment", targetId: 987_654, reason: "Missing" }, mod(at(1, 11)))).toThrow(NotFound);

    const queue = openFlagQueue(db(), idea(made.id).jamId);
    expect(queue.map((i) => [i.targetType, i.targetId, i.reports.map((r) => r.reason)])).toEqual([
      ["idea", made.id, ["Names a colleague", "Not respectful"]],
      ["comment", c.id, ["Rude remark"]],
    ]);
    expect(ideaPageModeration(p, { id: made.id, challengeId: challengeIds[0]!, jamId: idea(made.id).jamId }, [c.id]).flagged).toEqual({
      idea: true,
      comments: [c.id],
    });
    expect(auditOf(`idea:${made.id}`).map((a) => [a.action, a.actorId])).toEqual([
      ["flag_created", p.id],
      ["flag_created", q.id],
    ]);

    hideIdea(facilitator, { id: made.id, reason: "Names a colleague" }, mod(at(1, 12)));
    const other = makeIdea(author, challengeIds[0]!, { now: at(1, 12, 1) });
    hideIdea(facilitator, { id: other.id, reason: "Duplicate" }, mod(at(1, 12, 2)));
    expect(() => flagContent(q, { targetType: "idea", targetId: other.id, reason: "Spam" }, mod(at(1, 13)))).toThrow(NotFound);
    // Hiding resolved the idea's open flags; the comment's flag is still open.
    expect(openFlagQueue(db(), idea(made.id).jamId).map((i) => i.targetType)).toEqual(["comment"]);
    const resolved = db()
      .select({ r: flags.resolution, by: flags.resolvedBy })
      .from(flags)
      .where(and(eq(flags.targetType, "idea"), eq(flags.targetId, made.id)))
      .all();
    expect(resolved).toEqual([
      { r: "hidden", by: facilitator.id },
      { r: "hidden", by: facilitator.id },
    ]);
  });

  it("resolving by dismissing closes every open flag on the target, once", () => {
    const { jam, challengeIds, facilitator } = liveJam();
    const made = makeIdea(makeUser(), challengeIds[0]!, { now: at(1, 9) });
    const [p, q] = [makeUser(), makeUser()];
    const f1 = flagContent(p, { targetType: "idea", targetId: made.id, reason: "Off topic" }, mod(at(1, 10)));
    flagContent(q, { targetType: "idea", targetId: made.id, reason: "Off topic too" }, mod(at(1, 10, 1)));
    expect(resolveFlag(facilitator, { flagId: f1.id, resolution: "dismiss" }, mod(at(1, 11)))).toMatchObject({ flagsResolved: 2 });
    expect(openFlagQueue(db(), jam.id)).toEqual([]);
    expect(idea(made.id).hiddenAt).toBeNull();
    expect(() => resolveFlag(facilitator, { flagId: f1.id, resolution: "dismiss" }, mod(at(1, 12)))).toThrow(Conflict);
    expect(() => resolveFlag(facilitator, { flagId: 987_654, resolution: "dismiss" }, mod(at(1, 12)))).toThrow(NotFound);
    const audit = auditOf(`idea:${made.id}`).filter((a) => a.action === "flag_resolved");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ flagId: f1.id, resolution: "dismissed", flagsResolved: 2 });
  });

  it("resolving by hiding needs a reason, hides the target (its author is told why) and reverses its points; restore gives them back", () => {
    const { jam, challengeIds, facilitator } = liveJam();
    const author = makeUser();
    const made = makeIdea(author, challengeIds[0]!, { title: "Sell the parking lot", now: at(1, 9) });
    vote(makeUser(), made.id, at(1, 9, 5));
    const c = comment(author, made.id, at(1, 9, 10));
    const earned = total(author.id);
    expect(earned).toBeGreaterThan(0);
    const reporter = makeUser();
    const f = flagContent(reporter, { targetType: "idea", targetId: made.id, reason: "Shares a price list" }, mod(at(1, 10)));
    const fc = flagContent(reporter, { targetType: "comment", targetId: c.id, reason: "Same here" }, mod(at(1, 10, 1)));
    expect(() => resolveFlag(facilitator, { flagId: f.id, resolution: "hide", reason: "" }, mod(at(1, 11)))).toThrow(Invalid);
    resolveFlag(facilitator, { flagId: f.id, resolution: "hide", reason: "Confidential prices" }, mod(at(1, 11)));
    expect(idea(made.id)).toMatchObject({ hiddenReason: "Confidential prices", hiddenAt: at(1, 11) });
    expect(total(author.id)).toBeLessThan(earned);
    resolveFlag(facilitator, { flagId: fc.id, resolution: "hide", reason: "Confidential prices" }, mod(at(1, 11, 1)));
    expect(openFlagQueue(db(), jam.id)).toEqual([]);

    // The author sees why, on the idea page and in their activity; others find nothing.
    expect(ideaDetail(author, made.id, at(1, 12)).idea.hidden).toMatchObject({ reason: "Confidential prices", mergedInto: null });
    expect(ideaDetail(author, made.id, at(1, 12)).comments.map((x) => [x.id, x.hiddenReason])).toEqual([[c.id, "Confidential prices"]]);
    expect(ideaDetail(facilitator, made.id, at(1, 12)).idea.hidden?.reason).toBe("Confidential prices");
    expect(() => ideaDetail(reporter, made.id, at(1, 12))).toThrow(NotFound);
    const activity = myActivity(author);
    expect(activity.ideas.find((i) => i.id === made.id)).toMatchObject({ isHidden: true, hiddenReason: "Confidential prices" });
    expect(activity.counts.hidden).toBeGreaterThanOrEqual(1);
    expect(myActivity(author, { tab: "comments" }).comments.find((x) => x.id === c.id)?.hiddenReason).toBe("Confidential prices");

    restoreIdea(facilitator, { id: made.id }, mod(at(1, 13)));
    expect(idea(made.id).hiddenAt).toBeNull();
    expect(myActivity(author).ideas.find((i) => i.id === made.id)).toMatchObject({ isHidden: false, hiddenReason: null });
    expect(auditOf(`idea:${made.id}`).map((a) => a.action)).toEqual(["flag_created", "idea_hidden", "flag_resolved", "idea_restored"]);
    expect(auditOf(`comment:${c.id}`).map((a) => a.action)).toEqual(["flag_created", "comment_hidden", "flag_resolved"]);
    expect(reconcileGamification().drift).toEqual([]);
  });
});

describe("the command centre", () => {
  const NOW = at(2, 14, 30) + 20_000; // 14:30:20 on day 2

  function scripted() {
    const { jam, challengeIds, facilitator } = liveJam(2);
    const [red, blue] = [makeDepartment(), makeDepartment()];
    const person = (d: { id: number }) => makeUser({ departmentId: d.id });
    const [ann, ben, cat, dan, eve, fay, gus] = [person(red), person(blue), person(red), person(red), person(blue), person(blue), person(red)];
    const ago = (minutes: number, seconds = 0) => NOW - minutes * MINUTE - seconds * 1000;
    const old = makeIdea(cat, challengeIds[0]!, { title: "Old idea", now: ago(90) }); // before the chart's hour
    const answered = makeIdea(ben, challengeIds[1]!, { title: "Answered idea", now: ago(50) });
    const rising = makeIdea(ben, challengeIds[0]!, { title: "Rising idea", now: ago(40) });
    const fresh = makeIdea(ann, challengeIds[0]!, { title: "Fresh idea", now: ago(2) }); // active: ann
    const secret = makeIdea(dan, challengeIds[1]!, { title: "Anonymous idea", isAnonymous: true, now: ago(3) }); // active: dan
    const gone = makeIdea(gus, challengeIds[0]!, { title: "Hidden idea", now: ago(45) });
    comment(eve, answered.id, ago(1)); // active: eve
    comment(cat, answered.id, ago(20));
    // Votes: fay now (active); the rest are older than five minutes.
    vote(fay, rising.id, ago(4));
    vote(ann, rising.id, ago(10));
    vote(dan, rising.id, ago(25));
    vote(eve, old.id, ago(29));
    vote(fay, old.id, ago(50)); // outside the rising window
    vote(ann, old.id, ago(60));
    vote(ben, gone.id, ago(6));
    vote(ann, gone.id, ago(7));
    vote(cat, gone.id, ago(8));
    vote(dan, gone.id, ago(9));
    hideIdea(facilitator, { id: gone.id, reason: "Duplicate" }, mod(ago(1)));
    // Activity in another jam never counts.
    const other = liveJam();
    makeIdea(person(red), other.challengeIds[0]!, { now: ago(1) });
    return { jam, facilitator, ideas: { old, answered, rising, fresh, secret, gone }, people: { ann, ben, cat, dan, eve, fay, gus }, red, blue };
  }

  it("counts people active in the last five minutes, contributions per minute and by department, rising and unanswered ideas", () => {
    const { jam, facilitator, ideas: made, red, blue } = scripted();
    expect(activePeople(db(), jam.id, NOW)).toBe(4); // ann, dan, eve, fay
    expect(activePeople(db(), jam.id, NOW + 10 * MINUTE)).toBe(0);

    const buckets = contributionsPerMinute(db(), jam.id, NOW);
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

    const departments = contributionsByDepartment(db(), jam.id, NOW);
    const byName = Object.fromEntries(departments.map((d) => [d.department, d]));
    expect(byName[red.name]).toMatchObject({ ideas: 2, comments: 1 }); // ann's and gus's ideas, cat's comment
    expect(byName[blue.name]).toMatchObject({ ideas: 2, comments: 1 }); // ben's two ideas, eve's comment
    expect(byName["Anonymous ideas"]).toMatchObject({ ideas: 1, comments: 0 }); // dan's, not counted for red
    expect(departments).toHaveLength(3);

    // Rising: votes in the last 30 minutes on visible ideas (the hidden one had 4).
    expect(risingIdeas(db(), jam.id, NOW).map((r) => [r.title, r.recentVotes, r.voteCount])).toEqual([
      ["Rising idea", 3, 3],
      ["Old idea", 1, 3],
    ]);

    expect(unansweredIdeas(db(), jam.id, NOW).map((i) => i.title)).toEqual(["Old idea", "Rising idea", "Anonymous idea", "Fresh idea"]);

    const centre = commandCentre(facilitator, jam.slug, NOW);
    expect(centre).toMatchObject({ activePeople: 4, lastHour: 7, canModerate: true });
    expect(made.secret.id).toBeGreaterThan(0);
  });

  it("is for facilitators, leaders and admins; facilitators leave hand-off notes", () => {
    const { jam, challengeIds, facilitator } = liveJam();
    const leader = makeUser({ role: "leader" });
    expect(commandCentre(leader, jam.slug, NOW).canModerate).toBe(false);
    expect(commandCentre(makeUser({ role: "admin" }), jam.slug, NOW).canModerate).toBe(true);
    expect(() => commandCentre(makeUser(), jam.slug, NOW)).toThrow(Forbidden);
    expect(() => commandCentre(facilitator, "no-such-jam", NOW)).toThrow(NotFound);

    expect(() => postHandoffNote(leader, jam.slug, { body: "All quiet" }, mod(NOW))).toThrow(Forbidden);
    expect(() => postHandoffNote(facilitator, jam.slug, { body: "   " }, mod(NOW))).toThrow(Invalid);
    postHandoffNote(facilitator, jam.slug, { body: "Flags cleared until 14:00." }, mod(NOW));
    postHandoffNote(facilitator, jam.slug, { body: "Watch the parking thread." }, mod(NOW + MINUTE));
    expect(commandCentre(leader, jam.slug, NOW).notes.map((n) => [n.body, n.author])).toEqual([
      ["Watch the parking thread.", facilitator.name],
      ["Flags cleared until 14:00.", facilitator.name],
    ]);
    expect(auditOf(`jam:${jam.id}`).filter((a) => a.action === "handoff_note_posted")).toHaveLength(2);

    const made = makeIdea(makeUser(), challengeIds[0]!, { now: at(1, 9) });
    flagContent(makeUser(), { targetType: "idea", targetId: made.id, reason: "Spam" }, mod(at(1, 10)));
    expect(commandCentre(leader, jam.slug, NOW).flags.map((f) => f.title)).toEqual([idea(made.id).title]);
  });
});
