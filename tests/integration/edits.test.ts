import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postComment } from "~/services/commands/comments.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/commands/amendments.server";
import { answerInvitation, inviteCoauthor, removeCoauthor } from "~/services/commands/coauthors.server";
import { Conflict, Forbidden, Invalid, NotFound, StaleEdit } from "~/services/errors";
import { ideaEditsPanel } from "~/services/pages/idea-edits.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { ideaCards as cardsOf } from "~/services/lookups/idea-cards.server";
import { hideIdea, mergeIdeas, tagIdea } from "~/services/commands/moderation.server";
import { editComment, editIdea } from "~/services/commands/revisions.server";
import { commentHistory, ideaHistory } from "~/services/pages/idea-history.server";
import { castVote } from "~/services/commands/votes.server";
import { personalData } from "~/services/commands/data-export.server";
import { eraseAccount } from "~/services/commands/erasure.server";
import { db, transaction } from "~db/client";
import { commentRevisions, ideaAmendments, ideaCoauthors, ideaRevisions, ideas, notifications, pointEntries, userBadges } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function setting() {
  const { jam, challengeIds, facilitator } = await makeJam();
  const author = await makeUser({ name: "Ada Author" });
  const idea = await makeIdea(author, challengeIds[0]!, { title: "Free fruit on Fridays", body: "A bowl of fruit in every kitchen." });
  return { jam, challengeId: challengeIds[0]!, facilitator, author, ideaId: idea.id };
}

const row = async (id: number) => (await db().select().from(ideas).where(eq(ideas.id, id)).get())!;
const versions = async (id: number) => await db().select().from(ideaRevisions).where(eq(ideaRevisions.ideaId, id)).all();
const pointsOf = async (userId: number, reason: string) =>
  await db().select().from(pointEntries).where(and(eq(pointEntries.userId, userId), eq(pointEntries.reason, reason))).all();

describe("editing an idea", () => {
  it("keeps every version and shows each change as a word diff", async () => {
    const { jam, author, ideaId } = await setting();
    const first = await editIdea(author, { ideaId, title: "Free fresh fruit on Fridays", body: "A bowl of fruit in every kitchen.", baseVersion: 1 });
    expect(first).toMatchObject({ changed: true, version: 2 });
    await editIdea(author, { ideaId, title: "Free fresh fruit on Fridays", body: "A big bowl of fruit in every kitchen, every week.", baseVersion: 2 });
    expect(await row(ideaId)).toMatchObject({ version: 3, title: "Free fresh fruit on Fridays", body: "A big bowl of fruit in every kitchen, every week." });
    expect((await row(ideaId)).editedAt).not.toBeNull();
    expect((await versions(ideaId)).map((v) => [v.version, v.kind])).toEqual([
      [1, "posted"],
      [2, "edited"],
      [3, "edited"],
    ]);

    const reader = await makeUser();
    const history = await ideaHistory(reader, { ideaId, jamSlug: jam.slug });
    expect(history.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(history.versions[1]!.titleDiff).toContainEqual({ kind: "added", text: "fresh " });
    expect(history.versions[0]!.bodyDiff!.filter((o) => o.kind === "added").map((o) => o.text)).toEqual(["big ", "kitchen, every week."]);
    expect(history.versions[2]!.titleDiff).toBeNull();
    expect(history.versions[0]!.by).toMatchObject({ kind: "person", name: "Ada Author" });
  });

  it("writes nothing for the same text again (a repeated request)", async () => {
    const { author, ideaId } = await setting();
    const input = { ideaId, title: "Free fruit every day", body: "A bowl of fruit in every kitchen.", baseVersion: 1 };
    await editIdea(author, input);
    // The same request again (a double click, a retry): already saved, no version 3, no conflict.
    expect(await editIdea(author, input)).toMatchObject({ changed: false, version: 2 });
    expect(await versions(ideaId)).toHaveLength(2);
  });

  it("refuses an edit based on an older version: no lost update, no duplicate version", async () => {
    const { author, ideaId } = await setting();
    const coauthor = await makeUser();
    await inviteCoauthor(author, { ideaId, userId: coauthor.id });
    await answerInvitation(coauthor, { ideaId, answer: "accept" });
    // Both opened the form at version 1.
    await editIdea(author, { ideaId, title: "Fruit on Fridays, by the author", body: "One.", baseVersion: 1 });
    let refusal: unknown;
    try {
      await editIdea(coauthor, { ideaId, title: "Fruit on Fridays, by the co-author", body: "Two.", baseVersion: 1 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StaleEdit);
    expect((refusal as StaleEdit).currentVersion).toBe(2);
    expect((refusal as StaleEdit).message).toMatch(/changed while you were editing.*kept/);
    expect(await row(ideaId)).toMatchObject({ title: "Fruit on Fridays, by the author", version: 2 });
    // Saving again on the version reported is a deliberate choice, and is kept as version 3.
    await editIdea(coauthor, { ideaId, title: "Fruit on Fridays, by the co-author", body: "Two.", baseVersion: 2 });
    expect((await versions(ideaId)).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it("is refused to anyone who does not write the idea, and after the jam ended", async () => {
    const { author, ideaId, jam } = await setting();
    const other = await makeUser();
    await expect(async () => await editIdea(other, { ideaId, title: "Mine now", body: "", baseVersion: 1 })).rejects.toThrow(Forbidden);
    const facilitator = await makeUser({ role: "facilitator" });
    await expect(async () => await editIdea(facilitator, { ideaId, title: "Moderators do not rewrite ideas", body: "", baseVersion: 1 })).rejects.toThrow(Forbidden);
    await expect(async () => await editIdea(author, { ideaId, title: "Later", body: "", baseVersion: 1 }, { now: jam.endsAt + MINUTE })).rejects.toThrow(Conflict);
    expect((await row(ideaId)).version).toBe(1);
    expect(await versions(ideaId)).toHaveLength(0);
  });

  it("refuses a huge body with a field error, before anything is written", async () => {
    const { author, ideaId } = await setting();
    await expect(async () => await editIdea(author, { ideaId, title: "Huge", body: "word ".repeat(100_000), baseVersion: 1 })).rejects.toThrow(Invalid);
    expect((await row(ideaId)).version).toBe(1);
  });

  it("cannot edit a hidden idea; its history is for its author and moderators only", async () => {
    const { jam, author, facilitator, ideaId } = await setting();
    await editIdea(author, { ideaId, title: "Before it was hidden", body: "Text.", baseVersion: 1 });
    await hideIdea(facilitator, { id: ideaId, reason: "Off topic for this challenge" }, { ip: null });
    await expect(async () => await editIdea(author, { ideaId, title: "Sneaky change", body: "", baseVersion: 2 })).rejects.toThrow(Conflict);
    const participant = await makeUser();
    await expect(async () => await ideaHistory(participant, { ideaId, jamSlug: jam.slug })).rejects.toThrow(NotFound);
    expect((await ideaHistory(facilitator, { ideaId, jamSlug: jam.slug })).versions).toHaveLength(2);
    expect((await ideaHistory(author, { ideaId, jamSlug: jam.slug })).versions).toHaveLength(2);
    // The history of another jam's slug is not found either.
    await expect(async () => await ideaHistory(facilitator, { ideaId, jamSlug: "another-jam" })).rejects.toThrow(NotFound);
  });

  it("never names an anonymous idea's author in its history, to anyone", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const author = await makeUser({ name: "Hidden Hand" });
    const { id } = await makeIdea(author, challengeIds[0]!, { title: "A quiet idea", isAnonymous: true });
    await editIdea(author, { ideaId: id, title: "A quieter idea", body: "", baseVersion: 1 });
    for (const viewer of [await makeUser(), facilitator]) {
      const history = await ideaHistory(viewer, { ideaId: id, jamSlug: jam.slug });
      expect(history.versions.map((v) => v.by)).toEqual([{ kind: "anonymous-author" }, { kind: "anonymous-author" }]);
      expect(JSON.stringify(history)).not.toContain("Hidden Hand");
    }
  });

  it("shows a voter what changed since their vote", async () => {
    const { author, ideaId } = await setting();
    const voter = await makeUser();
    const t0 = Date.now();
    await castVote(voter, { ideaId }, { now: t0 });
    expect((await ideaEditsPanel(voter, { ideaId }, t0)).sinceVote).toBeNull();
    await editIdea(author, { ideaId, title: "Free fruit on Fridays and Mondays", body: "A bowl of fruit in every kitchen.", baseVersion: 1 }, { now: t0 + MINUTE });
    const since = (await ideaEditsPanel(voter, { ideaId }, t0 + 2 * MINUTE)).sinceVote!;
    expect(since).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(since.titleDiff).toContainEqual({ kind: "added", text: " and Mondays" });
    // Someone who voted after the edit, and the author, see no such notice.
    const later = await makeUser();
    await castVote(later, { ideaId }, { now: t0 + 3 * MINUTE });
    expect((await ideaEditsPanel(later, { ideaId }, t0 + 4 * MINUTE)).sinceVote).toBeNull();
    expect((await ideaEditsPanel(author, { ideaId }, t0 + 4 * MINUTE)).sinceVote).toBeNull();
    // The card says "edited".
    expect((await cardsOf(db(), voter, [await row(ideaId)]))[0]!.editedAt).not.toBeNull();
  });
});

describe("editing a comment", () => {
  it("keeps its versions; only its author edits it", async () => {
    const { jam, ideaId } = await setting();
    const commenter = await makeUser();
    const c = await postComment(commenter, { ideaId, body: "I like this a lot.", clientKey: "comment-key-1" });
    await editComment(commenter, { commentId: c.id, body: "I like this a lot, especially on Fridays.", baseVersion: 1 });
    await expect(async () => await editComment(await makeUser(), { commentId: c.id, body: "Hijacked.", baseVersion: 2 })).rejects.toThrow(Forbidden);
    await expect(async () => await editComment(commenter, { commentId: c.id, body: "Stale.", baseVersion: 1 })).rejects.toThrow(StaleEdit);
    const history = await commentHistory(await makeUser(), { ideaId, commentId: c.id, jamSlug: jam.slug });
    expect(history.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(history.versions[0]!.bodyDiff!.filter((o) => o.kind === "added").map((o) => o.text)).toEqual(["lot, especially on Fridays."]);
    expect(await db().select().from(commentRevisions).where(eq(commentRevisions.commentId, c.id)).all()).toHaveLength(2);
    const detail = await ideaDetail(commenter, ideaId);
    expect(detail.comments[0]).toMatchObject({ version: 2 });
    expect(detail.comments[0]!.editedAt).not.toBeNull();
  });
});

describe("co-authors", () => {
  it("are invited, accept, edit, are named on the card and share later support points once each", async () => {
    const { author, ideaId } = await setting();
    const colleague = await makeUser({ name: "Cora Colleague" });
    await inviteCoauthor(author, { ideaId, userId: colleague.id });
    // Inviting again while the invitation is open changes nothing.
    expect((await inviteCoauthor(author, { ideaId, userId: colleague.id })).invited).toBe(false);
    const invite = await db().select().from(notifications).where(and(eq(notifications.userId, colleague.id), eq(notifications.kind, "coauthoring"))).all();
    expect(invite).toHaveLength(1);
    expect(invite[0]!.body).toContain("invited you to co-author");
    // Not credited before accepting.
    await expect(async () => await editIdea(colleague, { ideaId, title: "Not yet", body: "", baseVersion: 1 })).rejects.toThrow(Forbidden);

    expect(await answerInvitation(colleague, { ideaId, answer: "accept" })).toMatchObject({ status: "accepted", changed: true });
    expect(await answerInvitation(colleague, { ideaId, answer: "accept" })).toMatchObject({ changed: false });
    await editIdea(colleague, { ideaId, title: "Free fruit on Fridays, together", body: "A bowl of fruit in every kitchen.", baseVersion: 1 });

    const card = (await cardsOf(db(), await makeUser(), [await row(ideaId)]))[0]!;
    expect(card.coauthors!.map((c) => c.name)).toEqual(["Cora Colleague"]);
    expect((await cardsOf(db(), colleague, [await row(ideaId)]))[0]!.isMine).toBe(true);

    const voter = await makeUser();
    await castVote(voter, { ideaId });
    await castVote(voter, { ideaId });
    expect(await pointsOf(author.id, "support_received")).toHaveLength(1);
    expect(await pointsOf(colleague.id, "support_received")).toHaveLength(1);
    // Posting the idea stays the author's.
    expect(await pointsOf(colleague.id, "idea_posted")).toHaveLength(0);
    // A co-author cannot vote on the idea they write.
    await expect(async () => await castVote(colleague, { ideaId })).rejects.toThrow(Forbidden);
    // Idea Sparker counts a co-authored idea.
    expect((await db().select().from(userBadges).where(and(eq(userBadges.userId, colleague.id), eq(userBadges.badgeKey, "idea-sparker"))).get())?.level).toBe(1);
  });

  it("shares a 'best' tag once per person", async () => {
    const { author, facilitator, ideaId } = await setting();
    const colleague = await makeUser();
    await inviteCoauthor(author, { ideaId, userId: colleague.id });
    await answerInvitation(colleague, { ideaId, answer: "accept" });
    await tagIdea(facilitator, { id: ideaId, tag: "best" }, { ip: null });
    await tagIdea(facilitator, { id: ideaId, tag: null }, { ip: null });
    await tagIdea(facilitator, { id: ideaId, tag: "best" }, { ip: null });
    expect(await pointsOf(author.id, "idea_tagged_best")).toHaveLength(1);
    expect(await pointsOf(colleague.id, "idea_tagged_best")).toHaveLength(1);
  });

  it("only the author invites; an anonymous idea cannot have co-authors", async () => {
    const { author, challengeId, ideaId } = await setting();
    const colleague = await makeUser();
    const stranger = await makeUser();
    await expect(async () => await inviteCoauthor(stranger, { ideaId, userId: colleague.id })).rejects.toThrow(Forbidden);
    await expect(async () => await inviteCoauthor(author, { ideaId, userId: author.id })).rejects.toThrow(Invalid);
    const anonymous = await makeIdea(author, challengeId, { isAnonymous: true });
    await expect(async () => await inviteCoauthor(author, { ideaId: anonymous.id, userId: colleague.id })).rejects.toThrow(/anonymous idea cannot have co-authors/);
    expect(await db().select().from(ideaCoauthors).where(eq(ideaCoauthors.ideaId, anonymous.id)).all()).toHaveLength(0);
    // Someone not invited has nothing to answer.
    await expect(async () => await answerInvitation(stranger, { ideaId, answer: "accept" })).rejects.toThrow(NotFound);
  });

  it("declines, is removed, and leaves; removed co-authors edit no more", async () => {
    const { author, ideaId } = await setting();
    const a = await makeUser();
    const b = await makeUser();
    await inviteCoauthor(author, { ideaId, userId: a.id });
    await answerInvitation(a, { ideaId, answer: "decline" });
    await expect(async () => await answerInvitation(a, { ideaId, answer: "accept" })).rejects.toThrow(Conflict);
    await inviteCoauthor(author, { ideaId, userId: b.id });
    await answerInvitation(b, { ideaId, answer: "accept" });
    await expect(async () => await removeCoauthor(a, { ideaId, userId: b.id })).rejects.toThrow(Forbidden);
    expect((await removeCoauthor(author, { ideaId, userId: b.id })).removed).toBe(true);
    expect((await removeCoauthor(author, { ideaId, userId: b.id })).removed).toBe(false);
    await expect(async () => await editIdea(b, { ideaId, title: "After removal", body: "", baseVersion: 1 })).rejects.toThrow(Forbidden);
  });
});

describe("build on this (amendments)", () => {
  it("an accepted amendment becomes a version credited to its proposer, who earns points once", async () => {
    const { jam, author, ideaId } = await setting();
    const proposer = await makeUser({ name: "Pat Proposer" });
    const { amendmentId } = await proposeAmendment(proposer, {
      ideaId,
      title: "Free fruit on Fridays",
      body: "A bowl of seasonal fruit in every kitchen, from a local farm.",
      note: "Local and seasonal is cheaper.",
      baseVersion: 1,
      clientKey: "amend-key-1",
    });
    // The same form sent twice proposes once.
    expect(
      (await proposeAmendment(proposer, { ideaId, title: "Free fruit on Fridays", body: "x", baseVersion: 1, clientKey: "amend-key-1" })).created,
    ).toBe(false);
    expect(await db().select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, "coauthoring"))).all()).toHaveLength(1);

    const first = await acceptAmendment(author, { amendmentId, baseVersion: 1 });
    expect(first).toMatchObject({ changed: true, version: 2 });
    expect(first.points).toBeGreaterThan(0);
    // A double click or a second tab: nothing more.
    expect(await acceptAmendment(author, { amendmentId, baseVersion: 1 })).toMatchObject({ changed: false, points: 0 });
    expect(await pointsOf(proposer.id, "amendment_accepted")).toHaveLength(1);
    expect(await versions(ideaId)).toHaveLength(2);
    expect((await row(ideaId)).body).toBe("A bowl of seasonal fruit in every kitchen, from a local farm.");

    const history = await ideaHistory(await makeUser(), { ideaId, jamSlug: jam.slug });
    expect(history.versions[0]).toMatchObject({ kind: "amendment", by: { kind: "person", name: "Pat Proposer" }, acceptedBy: { kind: "person", name: "Ada Author" } });
  });

  it("refuses accepting on someone else's idea, proposing to one's own, and accepting over a newer version", async () => {
    const { author, ideaId } = await setting();
    const proposer = await makeUser();
    const { amendmentId } = await proposeAmendment(proposer, { ideaId, title: "Fruit for all", body: "Every day.", baseVersion: 1, clientKey: "amend-key-2" });
    await expect(async () => await acceptAmendment(proposer, { amendmentId, baseVersion: 1 })).rejects.toThrow(Forbidden);
    await expect(async () => await acceptAmendment(await makeUser(), { amendmentId, baseVersion: 1 })).rejects.toThrow(Forbidden);
    await expect(async () => await proposeAmendment(author, { ideaId, title: "Mine", body: "Mine.", baseVersion: 1, clientKey: "amend-key-3" })).rejects.toThrow(Conflict);
    await editIdea(author, { ideaId, title: "Fruit on Fridays", body: "Changed meanwhile.", baseVersion: 1 });
    await expect(async () => await acceptAmendment(author, { amendmentId, baseVersion: 1 })).rejects.toThrow(Conflict);
    expect(await pointsOf(proposer.id, "amendment_accepted")).toHaveLength(0);
  });

  it("left standing, it becomes a linked idea of its own, shown on both", async () => {
    const { jam, author, ideaId } = await setting();
    const proposer = await makeUser();
    const { amendmentId } = await proposeAmendment(proposer, { ideaId, title: "Free vegetables too", body: "And soup.", baseVersion: 1, clientKey: "amend-key-4" });
    await leaveAmendmentStanding(author, { amendmentId });
    const posted = await postAmendmentAsIdea(proposer, { amendmentId, clientKey: "post-key-4a" });
    expect(posted.created).toBe(true);
    expect(await postAmendmentAsIdea(proposer, { amendmentId, clientKey: "post-key-4b" })).toMatchObject({ ideaId: posted.ideaId, created: false });
    expect(await row(posted.ideaId)).toMatchObject({ builtOnId: ideaId, authorId: proposer.id, title: "Free vegetables too" });
    await expect(async () => await acceptAmendment(author, { amendmentId })).rejects.toThrow(Conflict);
    expect((await ideaEditsPanel(await makeUser(), { ideaId })).builtOnThis).toEqual([{ id: posted.ideaId, title: "Free vegetables too" }]);
    expect((await ideaEditsPanel(await makeUser(), { ideaId: posted.ideaId })).builtOn).toEqual({ id: ideaId, title: "Free fruit on Fridays" });
    expect((await ideaHistory(await makeUser(), { ideaId, jamSlug: jam.slug })).builtOnThis.map((b) => b.id)).toEqual([posted.ideaId]);
    expect((await db().select().from(ideaAmendments).where(eq(ideaAmendments.id, amendmentId)).get())!.status).toBe("posted");
  });

  it("merges show in the kept idea's history, naming the merged idea only to moderators", async () => {
    const { jam, author, facilitator, challengeId, ideaId } = await setting();
    const duplicate = await makeIdea(await makeUser(), challengeId, { title: "Fruit bowls please" });
    await mergeIdeas(facilitator, { id: duplicate.id, intoId: ideaId }, { ip: null });
    expect((await ideaHistory(facilitator, { ideaId, jamSlug: jam.slug })).mergedIn[0]!.idea).toEqual({ id: duplicate.id, title: "Fruit bowls please" });
    expect((await ideaHistory(author, { ideaId, jamSlug: jam.slug })).mergedIn[0]!.idea).toBeNull();
  });
});

describe("data rights", () => {
  it("the archive holds the versions, co-authorships and proposals a person wrote; erasure takes their co-authorships", async () => {
    const { author, ideaId } = await setting();
    const colleague = await makeUser();
    await inviteCoauthor(author, { ideaId, userId: colleague.id });
    await answerInvitation(colleague, { ideaId, answer: "accept" });
    await editIdea(colleague, { ideaId, title: "Written together", body: "Yes.", baseVersion: 1 });
    const proposer = await makeUser();
    await proposeAmendment(proposer, { ideaId, title: "Written together, better", body: "Yes!", baseVersion: 2, clientKey: "amend-key-5" });

    const colleagueData = await personalData(db(), colleague.id);
    expect(colleagueData.ideaVersions).toEqual([expect.objectContaining({ idea: "Written together", version: 2, title: "Written together" })]);
    expect(colleagueData.coauthorships).toEqual([expect.objectContaining({ idea: "Written together", status: "accepted" })]);
    expect((await personalData(db(), proposer.id)).proposedChanges).toEqual([expect.objectContaining({ title: "Written together, better", status: "open" })]);

    await transaction(async (tx) => await eraseAccount(tx, colleague.id, { actor: colleague, removeContent: false, ip: null, now: Date.now() + HOUR }));
    expect(await db().select().from(ideaCoauthors).where(eq(ideaCoauthors.userId, colleague.id)).all()).toHaveLength(0);
  });
});
