/**
 * Erasing an account: what goes, what stays, who may, and that totals stay consistent.
 */
import { and, count, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertSession, validateSessionToken } from "~/auth/session.server";
import { isErasedEmail } from "~/domain/erasure";
import { signIn } from "~/services/commands/accounts.server";
import { postComment } from "~/services/commands/comments.server";
import { eraseAccountAsAdmin, eraseMyAccount } from "~/services/commands/erasure.server";
import { Conflict, Forbidden, Invalid, NotFound, TooManyRequests } from "~/services/errors";
import { follow } from "~/services/commands/follows.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { jamLeaderboard, overallLeaderboard } from "~/services/pages/leaderboards.server";
import { departmentBoard } from "~/services/lookups/leaderboards.server";
import { hideIdea, restoreComment, restoreIdea } from "~/services/commands/moderation.server";
import { computeNetworkNow } from "~/services/jobs/network.server";
import { networkView, personalNetwork } from "~/services/lookups/network.server";
import { listNotifications } from "~/services/pages/notifications.server";
import { personProfile } from "~/services/pages/profiles.server";
import { reconcileGamification } from "~/services/jobs/reconcile.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { answers, auditLog, comments, follows, ideas, mailOutbox, networkSnapshots, notifications, pointEntries, pointTotals, questions, sessions, signOnIdentities, userBadges, users } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser, TEST_PASSWORD } from "../factories";

let keys = 0;
const key = () => `erase-key-${++keys}`.padEnd(12, "x");
const meta = { ip: "192.0.2.44" };
const row = async (id: number) => (await db().select().from(users).where(eq(users.id, id)).get())!;

/** A person who took part: ideas (one anonymous), comments, votes, points, a follower and network ties. */
async function personWhoTookPart(name = `Sam Eraseme ${++keys}`) {
  const department = await makeDepartment();
  const sam = await makeUser({ name, email: `sam-${keys}@example.test`, departmentId: department.id });
  const colleague = await makeUser({ name: `Casey Stays ${keys}`, departmentId: department.id });
  const { jam, challengeIds } = await makeJam();
  const named = { ...await makeIdea(sam, challengeIds[0]!, { title: `Quiet rooms ${keys}` }), title: `Quiet rooms ${keys}` };
  const anonymous = await makeIdea(sam, challengeIds[0]!, { title: `Anonymous thought ${keys}`, isAnonymous: true });
  const theirs = await makeIdea(colleague, challengeIds[0]!, { title: `Standing desks ${keys}` });
  await castVote(colleague, { ideaId: named.id });
  await castVote(sam, { ideaId: theirs.id });
  const samComment = await postComment(sam, { ideaId: theirs.id, body: "Yes, and in the library too.", clientKey: key() }) as { id: number };
  await postComment(colleague, { ideaId: named.id, body: "Love it.", clientKey: key() });
  await follow(colleague, { targetType: "person", targetId: sam.id });
  await follow(sam, { targetType: "person", targetId: colleague.id });
  return { sam, colleague, jam, named, anonymous, theirs, samComment, department };
}

describe("a person erasing their own account", () => {
  it("takes their name, e-mail, sign-in, points, badges, follows and ties, and keeps what they wrote as a Former participant", async () => {
    const { sam, colleague, jam, named, anonymous, theirs, department } = await personWhoTookPart();
    await computeNetworkNow(jam.id);
    await computeNetworkNow(0);
    const token = await insertSession(db(), sam.id, Date.now());
    await db().insert(signOnIdentities).values({ issuer: "https://login.example.test", subject: `sam-${sam.id}`, userId: sam.id, createdAt: Date.now() }).run();
    const mail = async (userId: number, toAddress: string, subject: string) =>
      await db().insert(mailOutbox).values({ messageId: `<${subject.length}-${userId}-${Math.random()}@test>`, userId, toAddress, kind: "test", subject, textBody: subject, nextAttemptAt: Date.now(), dedupeKey: `t-${Math.random()}`, createdAt: Date.now() }).run();
    await mail(sam.id, sam.email, "Welcome, Sam");
    await mail(colleague.id, colleague.email, `${sam.name} commented on your idea`);
    await db().insert(auditLog).values({ at: 1, action: "sign_in_failed", subject: sam.email, detail: JSON.stringify({ note: `tried ${sam.email}` }) }).run();
    expect((await db().select({ n: count() }).from(pointEntries).where(eq(pointEntries.userId, sam.id)).get())!.n).toBeGreaterThan(0);
    // The colleague was told of Sam's comment by name.
    expect((await db().select().from(notifications).where(eq(notifications.userId, colleague.id)).all()).some((n) => n.body.startsWith(sam.name))).toBe(true);

    const result = await eraseMyAccount(sam, { confirmation: TEST_PASSWORD }, meta);
    expect(result).toMatchObject({ changed: true, ideasHidden: 0, commentsHidden: 0 });
    await Promise.all(result.recompute.map((h) => h.done));

    // The account: no name, no address, no way in.
    const after = await row(sam.id);
    expect(after).toMatchObject({ name: "Former participant", passwordHash: "", externalId: null, emailVerifiedAt: null, departmentId: null, role: "participant", hiddenFromRankings: true });
    expect(after.erasedAt).not.toBeNull();
    expect(after.deactivatedAt).not.toBeNull();
    expect(isErasedEmail(after.email)).toBe(true);
    expect(await validateSessionToken(token)).toBeNull();
    expect((await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, sam.id)).get())!.n).toBe(0);

    // What they wrote stays, without a name or a profile link; the anonymous idea stays anonymous.
    const reader = await makeUser();
    expect((await ideaDetail(reader, named.id)).idea).toMatchObject({ title: named.title, author: null, isAnonymous: false });
    expect((await ideaDetail(reader, anonymous.id)).idea).toMatchObject({ author: null, isAnonymous: true });
    expect((await ideaDetail(reader, theirs.id)).comments.find((c) => c.body === "Yes, and in the library too.")?.author).toBeNull();
    await expect(async () => await personProfile(reader, sam.id)).rejects.toThrow(NotFound);
    await expect(async () => await follow(reader, { targetType: "person", targetId: sam.id })).rejects.toThrow(NotFound);

    // Out of the game: no points, no badges, no place on any board; totals still add up.
    expect((await db().select({ n: count() }).from(pointEntries).where(eq(pointEntries.userId, sam.id)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(pointTotals).where(eq(pointTotals.userId, sam.id)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(userBadges).where(eq(userBadges.userId, sam.id)).get())!.n).toBe(0);
    expect((await overallLeaderboard(reader, {})).list.map((r) => r.userId)).not.toContain(sam.id);
    expect((await jamLeaderboard(reader, jam.slug, {})).list.map((r) => r.userId)).not.toContain(sam.id);
    const board = (await departmentBoard(db(), jam.id)).find((d) => d.id === department.id)!;
    expect(board.headcount).toBe(1);
    expect((await reconcileGamification()).drift).toEqual([]);
    // More support for their idea scores nothing and gives them no badge.
    await castVote(reader, { ideaId: named.id });
    expect((await db().select({ n: count() }).from(pointEntries).where(eq(pointEntries.userId, sam.id)).get())!.n).toBe(0);
    expect((await reconcileGamification()).drift).toEqual([]);

    // Their mail is gone; a message to someone else that named them names a Former participant.
    expect((await db().select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.userId, sam.id)).get())!.n).toBe(0);
    expect((await db().select().from(mailOutbox).where(eq(mailOutbox.userId, colleague.id)).all()).map((m) => m.subject)).toContain("Former participant commented on your idea");

    // Their company account no longer signs in as them.
    expect((await db().select({ n: count() }).from(signOnIdentities).where(eq(signOnIdentities.userId, sam.id)).get())!.n).toBe(0);

    // Follows both ways gone; their notifications gone; others' notices no longer name them.
    expect((await db().select({ n: count() }).from(follows).where(eq(follows.followerId, sam.id)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(follows).where(and(eq(follows.targetType, "person"), eq(follows.targetId, sam.id))).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(notifications).where(eq(notifications.userId, sam.id)).get())!.n).toBe(0);
    const told = await db().select().from(notifications).where(eq(notifications.userId, colleague.id)).all();
    expect(told.some((n) => n.body.includes(sam.name))).toBe(false);
    expect(told.some((n) => n.body.startsWith("Former participant commented on your idea"))).toBe(true);

    // The network: no tie names them, and the scopes they were in were computed again without them.
    const leader = await makeUser({ role: "leader" });
    for (const scope of [jam.slug, null]) {
      const view = await networkView(db(), leader, scope);
      expect(view.snapshot?.status).toBe("done");
      expect(JSON.stringify(view)).not.toContain(sam.name);
    }
    const snapshot = (await db().select().from(networkSnapshots).where(eq(networkSnapshots.scope, jam.id)).all()).at(-1)!;
    const data = JSON.parse(snapshot.data!) as { people: { id: number }[]; edges: { source: number; target: number }[] };
    expect(data.people.map((p) => p.id)).not.toContain(sam.id);
    expect(data.edges.some((e) => e.source === sam.id || e.target === sam.id)).toBe(false);
    expect((await personalNetwork(db(), colleague)).map((t) => t.id)).not.toContain(sam.id);

    // The audit log keeps its rows without their address; the erasure is recorded without a name.
    expect((await db().select({ n: count() }).from(auditLog).where(like(auditLog.subject, `%${sam.email}%`)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(auditLog).where(like(auditLog.detail, `%${sam.email}%`)).get())!.n).toBe(0);
    const erased = await db().select().from(auditLog).where(and(eq(auditLog.action, "account_erased"), eq(auditLog.subject, `user:${sam.id}`))).all();
    expect(erased).toHaveLength(1);
    expect(erased[0]!.actorId).toBe(sam.id);
    expect(erased[0]!.detail).not.toContain(sam.name);
    expect(JSON.parse(erased[0]!.detail!)).toMatchObject({ byThemself: true, alsoRemovedContent: false });

    // Their old address and password sign nobody in (a later attempt is a new failed sign-in, recorded as typed).
    await expect(signIn({ email: sam.email, password: TEST_PASSWORD }, { ip: "192.0.2.45" })).rejects.toBeInstanceOf(Invalid);
  }, 60_000);

  it("refuses a wrong password, changes nothing, and stops guessing after five", async () => {
    const { sam } = await personWhoTookPart();
    for (let i = 0; i < 5; i++) {
      await expect(eraseMyAccount(sam, { confirmation: "not my password" }, meta)).rejects.toBeInstanceOf(Invalid);
    }
    await expect(eraseMyAccount(sam, { confirmation: TEST_PASSWORD }, meta)).rejects.toBeInstanceOf(TooManyRequests);
    expect((await row(sam.id)).erasedAt).toBeNull();
    expect((await row(sam.id)).name).toBe(sam.name);
  });

  it("with “also remove what I wrote”, hides every idea and comment as moderation does, and nobody can restore them", async () => {
    const { sam, named, anonymous, samComment, jam } = await personWhoTookPart();
    const result = await eraseMyAccount(sam, { confirmation: TEST_PASSWORD, removeContent: "on" }, meta);
    await Promise.all(result.recompute.map((h) => h.done));
    expect(result).toMatchObject({ ideasHidden: 2, commentsHidden: 1 });
    for (const id of [named.id, anonymous.id]) {
      expect(await db().select().from(ideas).where(eq(ideas.id, id)).get()).toMatchObject({ hiddenReason: "erased at the author's request" });
    }
    expect(await db().select().from(comments).where(eq(comments.id, samComment.id)).get()).toMatchObject({ hiddenReason: "erased at the author's request" });
    await expect(async () => await ideaDetail(await makeUser(), named.id)).rejects.toThrow(NotFound);
    const moderator = await makeUser({ role: "facilitator" });
    await expect(async () => await restoreIdea(moderator, { id: named.id }, meta)).rejects.toThrow(Conflict);
    await expect(async () => await restoreComment(moderator, { id: samComment.id }, meta)).rejects.toThrow(Conflict);
    // Audited as moderation audits a hide, then once as the erasure.
    expect((await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "idea_hidden"), eq(auditLog.subject, `idea:${named.id}`))).get())!.n).toBe(1);
    expect((await reconcileGamification()).drift).toEqual([]);
    expect(jam.id).toBeGreaterThan(0);
  }, 60_000);

  it("ignores any other person named in the request: only the signed-in person can be erased this way", async () => {
    const { sam, colleague } = await personWhoTookPart();
    await expect(eraseMyAccount(sam, { userId: String(colleague.id), confirmation: "wrong" }, meta)).rejects.toBeInstanceOf(Invalid);
    const result = await eraseMyAccount(sam, { userId: String(colleague.id), confirmation: TEST_PASSWORD }, meta);
    await Promise.all(result.recompute.map((h) => h.done));
    expect((await row(colleague.id)).erasedAt).toBeNull();
    expect((await row(colleague.id)).name).toBe(colleague.name);
    expect((await row(sam.id)).erasedAt).not.toBeNull();
  }, 60_000);
});

describe("other people's notifications that named an erased facilitator", () => {
  it("point to the jam's facilitators instead, and new ones never name them", async () => {
    const admin = await makeUser({ role: "admin" });
    const facilitator = await makeUser({ role: "facilitator", name: "Fenna Runsthejam" });
    const { jam, challengeIds } = await makeJam({ facilitator });
    const author = await makeUser();
    const first = await makeIdea(author, challengeIds[0]!);
    const second = await makeIdea(author, challengeIds[0]!);
    await hideIdea(facilitator, { id: first.id, reason: "Off topic for this jam." }, meta);
    const told = async () => await db().select().from(notifications).where(and(eq(notifications.userId, author.id), eq(notifications.kind, "hidden"))).all();
    expect((await told())[0]!.body).toContain("write to Fenna Runsthejam, who runs");

    const result = await eraseAccountAsAdmin(admin, { userId: facilitator.id, confirmation: facilitator.email }, meta);
    await Promise.all(result.recompute.map((h) => h.done));
    expect((await told())[0]!.body).toContain(`To ask about it, write to the facilitators of “${jam.title}”.`);
    await hideIdea(await makeUser({ role: "facilitator" }), { id: second.id, reason: "A duplicate." }, meta);
    expect((await told()).map((n) => n.body).join("\n")).not.toMatch(/Fenna|Former participant, who runs/);
  }, 60_000);

  it("about a question, whether its link opens the question or one answer, say Former participant instead", async () => {
    const admin = await makeUser({ role: "admin" });
    const asker = await makeUser();
    const replier = await makeUser({ name: "Rory Replier" });
    const now = Date.now();
    const question = (await db().insert(questions).values({ askerId: asker.id, title: "Who knows the kiln?", body: "", clientKey: `erase-q-${now}`, createdAt: now }).returning().get())!;
    const answer = (await db().insert(answers).values({ questionId: question.id, authorId: replier.id, body: "I do.", clientKey: `erase-a-${now}`, createdAt: now }).returning().get())!;
    const notice = (link: string, body: string, key: string) => ({ userId: asker.id, kind: "questions" as const, body, link, dedupeKey: key, createdAt: now });
    await db().insert(notifications).values([
      notice(`/questions/${question.id}`, "Rory Replier answered your question “Who knows the kiln?”", `erase-q-${now}-1`),
      notice(`/questions/${question.id}#answer-${answer.id}`, "Rory Replier replied to your answer on “Who knows the kiln?”", `erase-q-${now}-2`),
    ]).run();

    const result = await eraseAccountAsAdmin(admin, { userId: replier.id, confirmation: replier.email }, meta);
    await Promise.all(result.recompute.map((h) => h.done));
    const bodies = (await listNotifications(asker)).notifications.filter((n) => n.kind === "questions").map((n) => n.body).sort();
    expect(bodies).toEqual(["Former participant answered your question “Who knows the kiln?”", "Former participant replied to your answer on “Who knows the kiln?”"]);
  }, 60_000);
});

describe("an admin erasing an account", () => {
  it("is for admins only, needs the person's e-mail typed, and erasing twice changes nothing", async () => {
    const admin = await makeUser({ role: "admin" });
    const { sam, colleague } = await personWhoTookPart();
    await expect(async () => await eraseAccountAsAdmin(colleague, { userId: sam.id, confirmation: sam.email }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await eraseAccountAsAdmin(await makeUser({ role: "facilitator" }), { userId: sam.id, confirmation: sam.email }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await eraseAccountAsAdmin(admin, { userId: sam.id, confirmation: "someone@else.test" }, meta)).rejects.toThrow(Invalid);
    expect((await row(sam.id)).erasedAt).toBeNull();

    const first = await eraseAccountAsAdmin(admin, { userId: String(sam.id), confirmation: sam.email.toUpperCase() }, meta);
    await Promise.all(first.recompute.map((h) => h.done));
    expect(first.changed).toBe(true);
    const erasedRow = await row(sam.id);
    const second = await eraseAccountAsAdmin(admin, { userId: String(sam.id), confirmation: "erased" }, meta);
    expect(second).toMatchObject({ changed: false, alreadyErased: true });
    expect(await row(sam.id)).toEqual(erasedRow);
    expect((await db().select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "account_erased"), eq(auditLog.subject, `user:${sam.id}`))).get())!.n).toBe(1);
    expect(JSON.parse((await db().select().from(auditLog).where(and(eq(auditLog.action, "account_erased"), eq(auditLog.subject, `user:${sam.id}`))).get())!.detail!)).toMatchObject({ byThemself: false });
    await expect(async () => await eraseAccountAsAdmin(admin, { userId: 99_999_999, confirmation: "x@y.test" }, meta)).rejects.toThrow(NotFound);
  }, 60_000);

  it("can hide what an erased person wrote afterwards, when they ask for that later", async () => {
    const admin = await makeUser({ role: "admin" });
    const { sam, named } = await personWhoTookPart();
    const first = await eraseAccountAsAdmin(admin, { userId: sam.id, confirmation: sam.email }, meta);
    await Promise.all(first.recompute.map((h) => h.done));
    expect((await db().select().from(ideas).where(eq(ideas.id, named.id)).get())!.hiddenAt).toBeNull();
    const later = await eraseAccountAsAdmin(admin, { userId: sam.id, confirmation: "erased", removeContent: "on" }, meta);
    await Promise.all(later.recompute.map((h) => h.done));
    expect(later).toMatchObject({ changed: true, alreadyErased: true, ideasHidden: 2, commentsHidden: 1 });
    expect((await db().select().from(ideas).where(eq(ideas.id, named.id)).get())!.hiddenReason).toBe("erased at the author's request");
    expect((await reconcileGamification()).drift).toEqual([]);
  }, 60_000);

  it("never leaves the company without an admin: the last admin cannot erase themself", async () => {
    // Every other admin of this database is deactivated first, so this admin is the last.
    await db().update(users).set({ deactivatedAt: Date.now() }).where(eq(users.role, "admin")).run();
    const last = await makeUser({ role: "admin" });
    await expect(async () => await eraseAccountAsAdmin(last, { userId: last.id, confirmation: last.email }, meta)).rejects.toThrow(Conflict);
    await expect(eraseMyAccount(last, { confirmation: TEST_PASSWORD }, meta)).rejects.toBeInstanceOf(Conflict);
    expect((await row(last.id)).erasedAt).toBeNull();
    // With a second admin, either may go.
    const second = await makeUser({ role: "admin" });
    const result = await eraseMyAccount(last, { confirmation: TEST_PASSWORD }, meta);
    await Promise.all(result.recompute.map((h) => h.done));
    expect((await row(last.id)).erasedAt).not.toBeNull();
    await expect(async () => await eraseAccountAsAdmin(second, { userId: second.id, confirmation: second.email }, meta)).rejects.toThrow(Conflict);
  }, 60_000);
});
