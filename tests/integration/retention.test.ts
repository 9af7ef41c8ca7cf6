/**
 * Retention: an admin sets how long audit rows and ended jams are kept; the background purge
 * deletes what is older, keeps every total consistent, and audits what it deleted.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createAction } from "~/services/commands/actions.server";
import { backgroundRound } from "~/services/jobs/background.server";
import { postComment } from "~/services/commands/comments.server";
import { Forbidden, Invalid } from "~/services/errors";
import { computeNetworkNow } from "~/services/jobs/network.server";
import { reconcileGamification } from "~/services/jobs/reconcile.server";
import { applyRetention, saveRetention } from "~/services/commands/retention.server";
import { retentionSection } from "~/services/pages/company-settings.server";
import { startSynthesis } from "~/services/commands/synthesis.server";
import { castVote } from "~/services/commands/votes.server";
import { db, ENGINE } from "~db/client";
import { ideaMatches } from "~db/fts";
import { ideaMatchesPg, tsPrefixQuery } from "~db/pg/search";
import { auditLog, comments, ideas, jamInvitations, jams, liveEvents, mailOutbox, networkSnapshots, notifications, pointEntries, pointTotals, synthesisVersions, themes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const meta = { ip: "192.0.2.90" };
let keys = 0;
const key = () => `retention-key-${++keys}`.padEnd(14, "x");

/** A jam that ran (with points, comments, votes, a synthesis and an action) and ended `endedDaysAgo` days ago. */
async function jamThatRan(endedDaysAgo: number, word: string) {
  const now = Date.now();
  const endsAt = now - endedDaysAgo * DAY;
  const { jam, challengeIds, facilitator } = await makeJam({ startsAt: endsAt - 2 * DAY, endsAt, title: `${word} jam` });
  const [a, b] = [await makeUser(), await makeUser()];
  const at = endsAt - DAY;
  const ideaIds: number[] = [];
  for (let i = 0; i < 6; i++) {
    const author = i % 2 ? a : b;
    ideaIds.push((await makeIdea(author, challengeIds[0]!, { title: `${word} idea ${i} about meeting rooms`, now: at + i })).id);
  }
  await castVote(a, { ideaId: ideaIds[0] }, { now: at + 100 });
  await castVote(b, { ideaId: ideaIds[1] }, { now: at + 101 });
  await postComment(a, { ideaId: ideaIds[0], body: `A ${word} comment.`, clientKey: key() }, { now: at + 200 });
  await startSynthesis(facilitator, jam.slug, { k: "2" }, { wait: true });
  const leader = await makeUser({ role: "leader" });
  await createAction(leader, { ideaId: String(ideaIds[0]), title: `${word} action`, ownerId: leader.id }, meta);
  await computeNetworkNow(jam.id);
  // An invitation and the e-mail that went with it.
  await db().insert(jamInvitations).values({ jamId: jam.id, userId: a.id, invitedBy: facilitator.id, invitedAt: at, mailedAt: at }).run();
  await db().insert(mailOutbox).values({ messageId: `<inv-${jam.id}@test>`, userId: a.id, toAddress: a.email, kind: "invitation", subject: `Join the ${word} jam`, textBody: "Come along.", status: "sent", nextAttemptAt: at, sentAt: at, dedupeKey: `inv-${jam.id}`, jamId: jam.id, createdAt: at }).run();
  return { jam, a, b, ideaIds };
}

/** How many ideas the search index finds for a word (FTS5's index on SQLite, the ideas' own search column on PostgreSQL). */
const ftsFinds = async (word: string) =>
  (await db()
    .select({ n: count() })
    .from(ideas)
    .where(ENGINE === "postgres" ? ideaMatchesPg(tsPrefixQuery(word)!) : ideaMatches(`"${word}"*`))
    .get())!.n;

describe("retention settings", () => {
  it("are for admins, in whole days from 30 to 3,650, or empty for ever", async () => {
    const admin = await makeUser({ role: "admin" });
    await expect(async () => await retentionSection(await makeUser({ role: "facilitator" }))).rejects.toThrow(Forbidden);
    await expect(async () => await saveRetention(await makeUser(), { auditRetentionDays: "365" }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await saveRetention(admin, { auditRetentionDays: "10" }, meta)).rejects.toThrow(Invalid);
    await expect(async () => await saveRetention(admin, { endedJamRetentionDays: "1.5" }, meta)).rejects.toThrow(Invalid);
    await expect(async () => await saveRetention(admin, { endedJamRetentionDays: "forever" }, meta)).rejects.toThrow(Invalid);
    expect(await saveRetention(admin, { auditRetentionDays: "", endedJamRetentionDays: "" }, meta)).toMatchObject({ saved: true });
    expect((await retentionSection(admin)).settings).toEqual({ auditRetentionDays: null, endedJamRetentionDays: null });
  });
});

describe("the purge of ended jams", () => {
  it("asks to confirm what a setting would delete, then deletes the old jam and all of it, and keeps every total consistent", async () => {
    const admin = await makeUser({ role: "admin" });
    const old = await jamThatRan(400, "Zanzibar");
    const recent = await jamThatRan(5, "Quokka");
    await computeNetworkNow(0);
    expect(await ftsFinds("zanzibar")).toBe(6);
    expect((await db().select({ n: count() }).from(pointEntries).where(eq(pointEntries.jamId, old.jam.id)).get())!.n).toBeGreaterThan(0);
    expect((await db().select({ n: count() }).from(notifications).where(eq(notifications.jamId, old.jam.id)).get())!.n).toBeGreaterThan(0);
    expect((await db().select({ n: count() }).from(themes).innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId)).where(eq(synthesisVersions.jamId, old.jam.id)).get())!.n).toBeGreaterThan(0);

    // Saving asks first, showing what would go; nothing is saved or deleted until confirmed.
    const asked = await saveRetention(admin, { auditRetentionDays: "", endedJamRetentionDays: "365" }, meta);
    expect(asked).toMatchObject({ saved: false, needsConfirmation: true });
    expect(asked.preview.jams.map((j) => j.title)).toEqual(["Zanzibar jam"]);
    expect(asked.preview.jams[0]).toMatchObject({ ideas: 6, comments: 1 });
    expect((await retentionSection(admin)).settings.endedJamRetentionDays).toBeNull();
    expect(await saveRetention(admin, { auditRetentionDays: "", endedJamRetentionDays: "365", confirmed: "yes" }, meta)).toMatchObject({ saved: true });
    expect((await db().select().from(auditLog).where(and(eq(auditLog.action, "setting_changed"), eq(auditLog.subject, "endedJamRetentionDays"))).all()).at(-1)!.detail).toBe(
      JSON.stringify({ from: null, to: 365 }),
    );
    // The page now shows what the next purge deletes.
    expect((await retentionSection(admin)).preview.jams.map((j) => j.id)).toEqual([old.jam.id]);

    const purged = await applyRetention();
    expect(purged.jamsDeleted.map((j) => j.id)).toEqual([old.jam.id]);

    // Gone, with everything of it.
    expect(await db().select().from(jams).where(eq(jams.id, old.jam.id)).get()).toBeUndefined();
    for (const table of [ideas, pointEntries, synthesisVersions, liveEvents] as const) {
      expect((await db().select({ n: count() }).from(table).where(eq(table.jamId, old.jam.id)).get())!.n).toBe(0);
    }
    expect((await db().select({ n: count() }).from(comments).where(sql`${comments.body} LIKE 'A Zanzibar%'`).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(pointTotals).where(eq(pointTotals.scope, old.jam.id)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(networkSnapshots).where(eq(networkSnapshots.scope, old.jam.id)).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(notifications).where(eq(notifications.jamId, old.jam.id)).get())!.n).toBe(0);
    expect(await ftsFinds("zanzibar")).toBe(0);
    expect((await db().select({ n: count() }).from(jamInvitations).where(eq(jamInvitations.jamId, old.jam.id)).get())!.n).toBe(0);
    // The record of the e-mail already sent stays in the person's mail history, without the jam.
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.subject, "Join the Zanzibar jam")).get()).toMatchObject({ jamId: null, status: "sent" });
    expect((await reconcileGamification()).drift).toEqual([]);

    // The recent jam is untouched.
    expect((await db().select({ n: count() }).from(ideas).where(eq(ideas.jamId, recent.jam.id)).get())!.n).toBe(6);
    expect(await ftsFinds("quokka")).toBe(6);

    // Audited with what went; a second round finds nothing and writes nothing.
    const rows = await db().select().from(auditLog).where(eq(auditLog.action, "retention_purged")).all();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.detail!)).toMatchObject({ jamsDeleted: [expect.objectContaining({ id: old.jam.id, title: "Zanzibar jam", ideas: 6, comments: 1 })], endedJamRetentionDays: 365 });
    expect(await applyRetention()).toEqual({ auditRowsDeleted: 0, jamsDeleted: [] });
    expect((await db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "retention_purged")).get())!.n).toBe(1);
    await saveRetention(admin, { auditRetentionDays: "", endedJamRetentionDays: "" }, meta);
  }, 120_000);
});

describe("the purge of audit rows", () => {
  it("deletes rows older than the period in the background round, and records the purge itself", async () => {
    const admin = await makeUser({ role: "admin" });
    const now = Date.now();
    const old = Array.from({ length: 12 }, (_, i) => ({ at: now - 200 * DAY - i * HOUR, action: "sign_in", subject: `old-${i}@example.test` }));
    await db().insert(auditLog).values(old).run();
    await db().insert(auditLog).values({ at: now - 10 * DAY, action: "sign_in", subject: "recent@example.test" }).run();
    const asked = await saveRetention(admin, { auditRetentionDays: "180", endedJamRetentionDays: "" }, meta);
    expect(asked).toMatchObject({ saved: false, needsConfirmation: true });
    expect(asked.preview.auditRows).toBeGreaterThanOrEqual(12);
    await saveRetention(admin, { auditRetentionDays: "180", endedJamRetentionDays: "", confirmed: "yes" }, meta);

    expect(await backgroundRound(now)).toBe(true);
    expect((await db().select({ n: count() }).from(auditLog).where(sql`${auditLog.at} < ${now - 180 * DAY}`).get())!.n).toBe(0);
    expect((await db().select({ n: count() }).from(auditLog).where(eq(auditLog.subject, "recent@example.test")).get())!.n).toBe(1);
    const purge = (await db().select().from(auditLog).where(eq(auditLog.action, "retention_purged")).all()).at(-1)!;
    expect(JSON.parse(purge.detail!).auditRowsDeleted).toBeGreaterThanOrEqual(12);
    await saveRetention(admin, { auditRetentionDays: "", endedJamRetentionDays: "" }, meta);
  });
});
