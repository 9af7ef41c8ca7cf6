import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postComment } from "~/services/comments.server";
import { acceptAmendment, leaveAmendmentStanding, postAmendmentAsIdea, proposeAmendment } from "~/services/amendments.server";
import { answerInvitation, inviteCoauthor, removeCoauthor } from "~/services/coauthors.server";
import { Conflict, Forbidden, Invalid, NotFound, StaleEdit } from "~/services/errors";
import { ideaEditsPanel } from "~/services/idea-edits-page.server";
import { ideaDetail } from "~/services/ideas.server";
import { ideaCards as cardsOf } from "~/services/lookups/idea-cards.server";
import { hideIdea, mergeIdeas, tagIdea } from "~/services/moderation.server";
import { commentHistory, editComment, editIdea, ideaHistory } from "~/services/revisions.server";
import { castVote } from "~/services/votes.server";
import { personalData } from "~/services/data-export.server";
import { eraseAccount } from "~/services/erasure.server";
import { db, transaction } from "~db/client";
import { commentRevisions, ideaAmendments, ideaCoauthors, ideaRevisions, ideas, notifications, pointEntries, userBadges } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setting() {
  const { jam, challengeIds, facilitator } = makeJam();
  const author = makeUser({ name: "Ada Author" });
  const idea = makeIdea(author, challengeIds[0]!, { title: "Free fruit on Fridays", body: "A bowl of fruit in every kitchen." });
  return { jam, challengeId: challengeIds[0]!, facilitator, author, ideaId: idea.id };
}

const row = (id: number) => db().select().from(ideas).where(eq(ideas.id, id)).get()!;
const versions = (id: number) => db().select().from(ideaRevisions).where(eq(ideaRevisions.ideaId, id)).all();
const pointsOf = (userId: number, reason: string) =>
  db().select().from(pointEntries).where(and(eq(pointEntries.userId, userId), eq(pointEntries.reason, reason))).all();

describe("editing an idea", () => {
  it("keeps every version and shows each change as a word diff", () => {
    const { jam, author, ideaId } = setting();
    const first = editIdea(author, { ideaId, title: "Free fresh fruit on Fridays", body: "A bowl of fruit in every kitchen.", baseVersion: 1 });
    expect(first).toMatchObject({ changed: true, version: 2 });
    editIdea(author, { ideaId, title: "Free fresh fruit on Fridays", body: "A big bowl of fruit in every kitchen, every week.", baseVersion: 2 });
    expect(row(ideaId)).toMatchObject({ version: 3, title: "Free fresh fruit on Fridays", body: "A big bowl of fruit in every kitchen, every week." });
    expect(row(ideaId).editedAt).not.toBeNull();
    expect(versions(ideaId).map((v) => [v.version, v.kind])).toEqual([
      [1, "posted"],
      [2, "edited"],
      [3, "edited"],
    ]);

    const reader = makeUser();
    const history = ideaHistory(reader, { ideaId, jamSlug: jam.slug });
    expect(history.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(history.versions[1]!.titleDiff).toContainEqual({ kind: "added", text: "fresh " });
    expect(history.versions[0]!.bodyDiff!.filter((o) => o.kind === "added").map((o) => o.text)).toEqual(["big ", "kitchen, every week."]);
    expect(history.versions[2]!.titleDiff).toBeNull();
    expect(history.versions[0]!.by).toMatchObject({ kind: "person", name: "Ada Author" });
  });

  it("writes nothing for the same text again (a repeated request)", () => {
    const { author, ideaId } = setting();
    const input = { ideaId, title: "Free fruit every day", body: "A bowl of fruit in every kitchen.", baseVersion: 1 };
    editIdea(author, input);
    // The same request again (a double click, a retry): already saved, no version 3, no conflict.
    expect(editIdea(author, input)).toMatchObject({ changed: false, version: 2 });
    expect(versions(ideaId)).toHaveLength(2);
  });

  it("refuses an edit based on an older version: no lost update, no duplicate version", () => {
    const { author, ideaId } = setting();
    const coauthor = makeUser();
    inviteCoauthor(author, { ideaId, userId: coauthor.id });
    answerInvitation(coauthor, { ideaId, answer: "accept" });
    // Both opened the form at version 1.
    editIdea(author, { ideaId, title: "Fruit on Fridays, by the author", body: "One.", baseVersion: 1 });
    let refusal: unknown;
    try {
      editIdea(coauthor, { ideaId, title: "Fruit on Fridays, by the co-author", body: "Two.", baseVersion: 1 });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StaleEdit);
    expect((refusal as StaleEdit).currentVersion).toBe(2);
    expect((refusal as StaleEdit).message).toMatch(/changed while you were editing.*kept/);
    expect(row(ideaId)).toMatchObject({ title: "Fruit on Fridays, by the author", version: 2 });
    // Saving again on the version reported is a deliberate choice, and is kept as version 3.
    editIdea(coauthor, { ideaId, title: "Fruit on Fridays, by the co-author", body: "Two.", baseVersion: 2 });
    expect(versions(ideaId).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it("is refused to anyone who does not write the idea, and after the jam ended", () => {
    const { author, ideaId, jam } = setting();
    const other = makeUser();
    expect(() => editIdea(other, { ideaId, title: "Mine now", body: "", baseVersion: 1 })).toThrow(Forbidden);
    const facilitator = makeUser({ role: "facilitator" });
    expect(() => editIdea(facilitator, { ideaId, title: "Moderators do not rewrite ideas", body: "", baseVersion: 1 })).toThrow(Forbidden);
    expect(() => editIdea(author, { ideaId, title: "Later", body: "", baseVersion: 1 }, { now: jam.endsAt + MINUTE })).toThrow(Conflict);
    expect(row(ideaId).version).toBe(1);
    expect(versions(ideaId)).toHaveLength(0);
  });

  it("refuses a huge body with a field error, before anything is written", () => {
    const { author, ideaId } = setting();
    expect(() => editIdea(author, { ideaId, title: "Huge", body: "word ".repeat(100_000), baseVersion: 1 })).toThrow(Invalid);
    expect(row(ideaId).version).toBe(1);
  });

  it("cannot edit a hidden idea; its history is for its author and moderators only", () => {
    const { jam, author, facilitator, ideaId } = setting();
    editIdea(author, { ideaId, title: "Before it was hidden", body: "Text.", baseVersion: 1 });
    hideIdea(facilitator, { id: ideaId, reason: "Off topic for this challenge" }, { ip: null });
    expect(() => editIdea(author, { ideaId, title: "Sneaky change", body: "", baseVersion: 2 })).toThrow(Conflict);
    const participant = makeUser();
    expect(() => ideaHistory(participant, { ideaId, jamSlug: jam.slug })).toThrow(NotFound);
    expect(ideaHistory(facilitator, { ideaId, jamSlug: jam.slug }).versions).toHaveLength(2);
    expect(ideaHistory(author, { ideaId, jamSlug: jam.slug }).versions).toHaveLength(2);
    // The history of another jam's slug is not found either.
    expect(() => ideaHistory(facilitator, { ideaId, jamSlug: "another-jam" })).toThrow(NotFound);
  });

  it("never names an anonymous idea's author in its history, to anyone", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    const author = makeUser({ name: "Hidden Hand" });
    const { id } = makeIdea(author, challengeIds[0]!, { title: "A quiet idea", isAnonymous: true });
    editIdea(author, { ideaId: id, title: "A quieter idea", body: "", baseVersion: 1 });
    for (const viewer of [makeUser(), facilitator]) {
      const history = ideaHistory(viewer, { ideaId: id, jamSlug: jam.slug });
      expect(history.versions.map((v) => v.by)).toEqual([{ kind: "anonymous-author" }, { kind: "anonymous-author" }]);
      expect(JSON.stringify(history)).not.toContain("Hidden Hand");
    }
  });

  it("shows a voter what changed since their vote", () => {
    const { author, ideaId } = setting();
    const voter = makeUser();
    const t0 = Date.now();
    castVote(voter, { ideaId }, { now: t0 });
    expect(ideaEditsPanel(voter, { ideaId }, t0).sinceVote).toBeNull();
    editIdea(author, { ideaId, title: "Free fruit on Fridays and Mondays", body: "A bowl of fruit in every kitchen.", baseVersion: 1 }, { now: t0 + MINUTE });
    const since = ideaEditsPanel(voter, { ideaId }, t0 + 2 * MINUTE).sinceVote!;
    expect(since).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(since.titleDiff).toContainEqual({ kind: "added", text: " and Mondays" });
    // Someone who voted after the edit, and the author, see no such notice.
    const later = makeUser();
    castVote(later, { ideaId }, { now: t0 + 3 * MINUTE });
    expect(ideaEditsPanel(later, { ideaId }, t0 + 4 * MINUTE).sinceVote).toBeNull();
    expect(ideaEditsPanel(author, { ideaId }, t0 + 4 * MINUTE).sinceVote).toBeNull();
    // The card says "edited".
    expect(cardsOf(db(), voter, [row(ideaId)])[0]!.editedAt).not.toBeNull();
  });
});

describe("editing a comment", () => {
  it("keeps its versions; only its author edits it", () => {
    const { jam, ideaId } = setting();
    const commenter = makeUser();
    const c = postComment(commenter, { ideaId, body: "I like this a lot.", clientKey: "comment-key-1" });
    editComment(commenter, { commentId: c.id, body: "I like this a lot, especially on Fridays.", baseVersion: 1 });
    expect(() => editComment(makeUser(), { commentId: c.id, body: "Hijacked.", baseVersion: 2 })).toThrow(Forbidden);
    expect(() => editComment(commenter, { commentId: c.id, body: "Stale.", baseVersion: 1 })).toThrow(StaleEdit);
    const history = commentHistory(makeUser(), { ideaId, commentId: c.id, jamSlug: jam.slug });
    expect(history.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(history.versions[0]!.bodyDiff!.filter((o) => o.kind === "added").map((o) => o.text)).toEqual(["lot, especially on Fridays."]);
    expect(db().select().from(commentRevisions).where(eq(commentRevisions.commentId, c.id)).all()).toHaveLength(2);
    const detail = ideaDetail(commenter, ideaId);
    expect(detail.comments[0]).toMatchObject({ version: 2 });
    expect(detail.comments[0]!.editedAt).not.toBeNull();
  });
});

describe("co-authors", () => {
  it("are invited, accept, edit, are named on the card and share later support points once each", () => {
    const { author, ideaId } = setting();
    const colleague = makeUser({ name: "Cora Colleague" });
    inviteCoauthor(author, { ideaId, userId: colleague.id });
    // Inviting again while the invitation is open changes nothing.
    expect(inviteCoauthor(author, { ideaId, userId: colleague.id }).invited).toBe(false);
    const invite = db().select().from(notifications).where(and(eq(notifications.userId, colleague.id), eq(notifications.kind, "coauthoring"))).all();
    expect(invite).toHaveLength(1);
    expect(invite[0]!.body).toContain("invited you to co-author");
    // Not credited before accepting.
    expect(() => editIdea(colleague, { ideaId, title: "Not yet", body: "", baseVersion: 1 })).toThrow(Forbidden);

    expect(answerInvitation(colleague, { ideaId, answer: "accept" })).toMatchObject({ status: "accepted", changed: true });
    expect(answerInvitation(colleague, { ideaId, answer: "accept" })).toMatchObject({ changed: false });
    editIdea(colleague, { ideaId, title: "Free fruit on Fridays, together", body: "A bowl of fruit in every kitchen.", baseVersion: 1 });

    const card = cardsOf(db(), makeUser(), [row(ideaId)])[0]!;
    expect(card.coauthors!.map((c) => c.name)).toEqual(["Cora Colleague"]);
    expect(cardsOf(db(), colleague, [row(ideaId)])[0]!.isMine).toBe(true);

    const voter = makeUser();
    castVote(voter, { ideaId });
    castVote(voter, { ideaId });
    expect(pointsOf(author.id, "support_received")).toHaveLength(1);
    expect(pointsOf(colleague.id, "support_received")).toHaveLength(1);
    // Posting the idea stays the author's.
    expect(pointsOf(colleague.id, "idea_posted")).toHaveLength(0);
    // A co-author cannot vote on the idea they write.
    expect(() => castVote(colleague, { ideaId })).toThrow(Forbidden);
    // Idea Sparker counts a co-authored idea.
    expect(db().select().from(userBadges).where(and(eq(userBadges.userId, colleague.id), eq(userBadges.badgeKey, "idea-sparker"))).get()?.level).toBe(1);
  });

  it("shares a 'best' tag once per person", () => {
    const { author, facilitator, ideaId } = setting();
    const colleague = makeUser();
    inviteCoauthor(author, { ideaId, userId: colleague.id });
    answerInvitation(colleague, { ideaId, answer: "accept" });
    tagIdea(facilitator, { id: ideaId, tag: "best" }, { ip: null });
    tagIdea(facilitator, { id: ideaId, tag: null }, { ip: null });
    tagIdea(facilitator, { id: ideaId, tag: "best" }, { ip: null });
    expect(pointsOf(author.id, "idea_tagged_best")).toHaveLength(1);
    expect(pointsOf(colleague.id, "idea_tagged_best")).toHaveLength(1);
  });

  it("only the author invites; an anonymous idea cannot have co-authors", () => {
    const { author, challengeId, ideaId } = setting();
    const colleague = makeUser();
    const stranger = makeUser();
    expect(() => inviteCoauthor(stranger, { ideaId, userId: colleague.id })).toThrow(Forbidden);
    expect(() => inviteCoauthor(author, { ideaId, userId: author.id })).toThrow(Invalid);
    const anonymous = makeIdea(author, challengeId, { isAnonymous: true });
    expect(() => inviteCoauthor(author, { ideaId: anonymous.id, userId: colleague.id })).toThrow(/anonymous idea cannot have co-authors/);
    expect(db().select().from(ideaCoauthors).where(eq(ideaCoauthors.ideaId, anonymous.id)).all()).toHaveLength(0);
    // Someone not invited has nothing to answer.
    expect(() => answerInvitation(stranger, { ideaId, answer: "accept" })).toThrow(NotFound);
  });

  it("declines, is removed, and leaves; removed co-authors edit no more", () => {
    const { author, ideaId } = setting();
    const a = makeUser();
    const b = makeUser();
    inviteCoauthor(author, { ideaId, userId: a.id });
    answerInvitation(a, { ideaId, answer: "decline" });
    expect(() => answerInvitation(a, { ideaId, answer: "accept" })).toThrow(Conflict);
    inviteCoauthor(author, { ideaId, userId: b.id });
    answerInvitation(b, { ideaId, answer: "accept" });
    expect(() => removeCoauthor(a, { ideaId, userId: b.id })).toThrow(Forbidden);
    expect(removeCoauthor(author, { ideaId, userId: b.id }).removed).toBe(true);
    expect(removeCoauthor(author, { ideaId, userId: b.id }).removed).toBe(false);
    expect(() => editIdea(b, { ideaId, title: "After removal", body: "", baseVersion: 1 })).toThrow(Forbidden);
  });
});

describe("build on this (amendments)", () => {
  it("an accepted amendment becomes a version credited to its proposer, who earns points once", () => {
    const { jam, author, ideaId } = setting();
    const proposer = makeUser({ name: "Pat Proposer" });
    const { amendmentId } = proposeAmendment(proposer, {
      ideaId,
      title: "Free fruit on Fridays",
      body: "A bowl of seasonal fruit in every kitchen, from a local farm.",
      note: "Local and seasonal is cheaper.",
      baseVersion: 1,
      clientKey: "amend-key-1",
    });
    // The same form sent twice proposes once.
    expect(
      proposeAmendment(proposer, { ideaId, title: "Free fruit on Fridays", body: "x", baseVersion: 1, clientKey: "amend-key-1" }).created,
    ).toBe(false);
    expect(db().select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, "coauthoring"))).all()).toHaveLength(1);

    const first = acceptAmendment(author, { amendmentId, baseVersion: 1 });
    expect(first).toMatchObject({ changed: true, version: 2 });
    expect(first.points).toBeGreaterThan(0);
    // A double click or a second tab: nothing more.
    expect(acceptAmendment(author, { amendmentId, baseVersion: 1 })).toMatchObject({ changed: false, points: 0 });
    expect(pointsOf(proposer.id, "amendment_accepted")).toHaveLength(1);
    expect(versions(ideaId)).toHaveLength(2);
    expect(row(ideaId).body).toBe("A bowl of seasonal fruit in every kitchen, from a local farm.");

    const history = ideaHistory(makeUser(), { ideaId, jamSlug: jam.slug });
    expect(history.versions[0]).toMatchObject({ kind: "amendment", by: { kind: "person", name: "Pat Proposer" }, acceptedBy: { kind: "person", name: "Ada Author" } });
  });

  it("refuses accepting on someone else's idea, proposing to one's own, and accepting over a newer version", () => {
    const { author, ideaId } = setting();
    const proposer = makeUser();
    const { amendmentId } = proposeAmendment(proposer, { ideaId, title: "Fruit for all", body: "Every day.", baseVersion: 1, clientKey: "amend-key-2" });
    expect(() => acceptAmendment(proposer, { amendmentId, baseVersion: 1 })).toThrow(Forbidden);
    expect(() => acceptAmendment(makeUser(), { amendmentId, baseVersion: 1 })).toThrow(Forbidden);
    expect(() => proposeAmendment(author, { ideaId, title: "Mine", body: "Mine.", baseVersion: 1, clientKey: "amend-key-3" })).toThrow(Conflict);
    editIdea(author, { ideaId, title: "Fruit on Fridays", body: "Changed meanwhile.", baseVersion: 1 });
    expect(() => acceptAmendment(author, { amendmentId, baseVersion: 1 })).toThrow(Conflict);
    expect(pointsOf(proposer.id, "amendment_accepted")).toHaveLength(0);
  });

  it("left standing, it becomes a linked idea of its own, shown on both", () => {
    const { jam, author, ideaId } = setting();
    const proposer = makeUser();
    const { amendmentId } = proposeAmendment(proposer, { ideaId, title: "Free vegetables too", body: "And soup.", baseVersion: 1, clientKey: "amend-key-4" });
    leaveAmendmentStanding(author, { amendmentId });
    const posted = postAmendmentAsIdea(proposer, { amendmentId, clientKey: "post-key-4a" });
    expect(posted.created).toBe(true);
    expect(postAmendmentAsIdea(proposer, { amendmentId, clientKey: "post-key-4b" })).toMatchObject({ ideaId: posted.ideaId, created: false });
    expect(row(posted.ideaId)).toMatchObject({ builtOnId: ideaId, authorId: proposer.id, title: "Free vegetables too" });
    expect(() => acceptAmendment(author, { amendmentId })).toThrow(Conflict);
    expect(ideaEditsPanel(makeUser(), { ideaId }).builtOnThis).toEqual([{ id: posted.ideaId, title: "Free vegetables too" }]);
    expect(ideaEditsPanel(makeUser(), { ideaId: posted.ideaId }).builtOn).toEqual({ id: ideaId, title: "Free fruit on Fridays" });
    expect(ideaHistory(makeUser(), { ideaId, jamSlug: jam.slug }).builtOnThis.map((b) => b.id)).toEqual([posted.ideaId]);
    expect(db().select().from(ideaAmendments).where(eq(ideaAmendments.id, amendmentId)).get()!.status).toBe("posted");
  });

  it("merges show in the kept idea's history, naming the merged idea only to moderators", () => {
    const { jam, author, facilitator, challengeId, ideaId } = setting();
    const duplicate = makeIdea(makeUser(), challengeId, { title: "Fruit bowls please" });
    mergeIdeas(facilitator, { id: duplicate.id, intoId: ideaId }, { ip: null });
    expect(ideaHistory(facilitator, { ideaId, jamSlug: jam.slug }).mergedIn[0]!.idea).toEqual({ id: duplicate.id, title: "Fruit bowls please" });
    expect(ideaHistory(author, { ideaId, jamSlug: jam.slug }).mergedIn[0]!.idea).toBeNull();
  });
});

describe("data rights", () => {
  it("the archive holds the versions, co-authorships and proposals a person wrote; erasure takes their co-authorships", () => {
    const { author, ideaId } = setting();
    const colleague = makeUser();
    inviteCoauthor(author, { ideaId, userId: colleague.id });
    answerInvitation(colleague, { ideaId, answer: "accept" });
    editIdea(colleague, { ideaId, title: "Written together", body: "Yes.", baseVersion: 1 });
    const proposer = makeUser();
    proposeAmendment(proposer, { ideaId, title: "Written together, better", body: "Yes!", baseVersion: 2, clientKey: "amend-key-5" });

    const colleagueData = personalData(db(), colleague.id);
    expect(colleagueData.ideaVersions).toEqual([expect.objectContaining({ idea: "Written together", version: 2, title: "Written together" })]);
    expect(colleagueData.coauthorships).toEqual([expect.objectContaining({ idea: "Written together", status: "accepted" })]);
    expect(personalData(db(), proposer.id).proposedChanges).toEqual([expect.objectContaining({ title: "Written together, better", status: "open" })]);

    transaction((tx) => eraseAccount(tx, colleague.id, { actor: colleague, removeContent: false, ip: null, now: Date.now() + HOUR }));
    expect(db().select().from(ideaCoauthors).where(eq(ideaCoauthors.userId, colleague.id)).all()).toHaveLength(0);
  });
});
