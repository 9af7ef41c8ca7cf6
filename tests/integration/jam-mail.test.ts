/**
 * The jam e-mails, through the real outbox (queueMail): who gets each one, exactly once, as they
 * chose; nobody who cannot see the jam; an anonymous idea's author named to nobody.
 */
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/domain/jam-mail";
import { deactivatePerson } from "~/services/commands/accounts.server";
import { createAction, updateAction } from "~/services/commands/actions.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { previewInvitation, sendInvitations } from "~/services/commands/invitations.server";
import { invitationSummary } from "~/services/lookups/invitations.server";
import { INVITATION_BATCH, runJamMailings } from "~/services/jobs/jam-mail.server";
import { scheduleJam, unscheduleJam } from "~/services/commands/launch.server";
import { saveMailSettings } from "~/services/commands/mail-preferences.server";
import { postComment } from "~/services/commands/comments.server";
import { publishVersion } from "~/services/commands/synthesis.server";
import { castVote } from "~/services/commands/votes.server";
import { hideIdea } from "~/services/commands/moderation.server";
import { db } from "~db/client";
import { jamMailings, mailDigestItems, mailOutbox, synthesisVersions, themeIdeas, themes, users } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

const H = 3_600_000;
const meta = { ip: "203.0.113.7" };

interface Mail {
  userId: number;
  subject: string;
  text: string;
  html: string | null;
  dedupeKey: string;
  jamId: number | null;
  via: "outbox" | "digest";
}

/** Every message of a kind (sent at once or waiting for a digest), for one jam or for none. */
async function mails(kind: string, jamId: number | null): Promise<Mail[]> {
  const jamIs = (column: typeof mailOutbox.jamId | typeof mailDigestItems.jamId) => (jamId === null ? sql`${column} IS NULL` : eq(column, jamId));
  const outbox = (await db()
    .select()
    .from(mailOutbox)
    .where(and(sql`${mailOutbox.kind} = ${kind}`, jamIs(mailOutbox.jamId)))
    .all())
    .map((r): Mail => ({ userId: r.userId, subject: r.subject, text: r.textBody, html: r.htmlBody, dedupeKey: r.dedupeKey, jamId: r.jamId, via: "outbox" }));
  const digest = (await db()
    .select()
    .from(mailDigestItems)
    .where(and(sql`${mailDigestItems.kind} = ${kind}`, jamIs(mailDigestItems.jamId)))
    .all())
    .map((r): Mail => ({ userId: r.userId, subject: r.subject, text: r.textBody, html: r.htmlBody, dedupeKey: r.dedupeKey, jamId: r.jamId, via: "digest" }));
  return [...outbox, ...digest];
}

const recipients = (list: Mail[]) => list.map((m) => m.userId).sort((a, b) => a - b);
const ids = (...people: { id: number }[]) => people.map((p) => p.id).sort((a, b) => a - b);

async function choose(userId: number, overrides: Record<string, string>) {
  await saveMailSettings(
    { id: userId },
    {
      mail_invitation: "immediately",
      mail_jam_opening: "immediately",
      mail_pulse: "immediately",
      mail_reminder: "immediately",
      mail_results: "immediately",
      mail_action_status: "immediately",
      ...overrides,
    },
  );
}

async function comment(author: Awaited<ReturnType<typeof makeUser>>, ideaId: number, now: number, parentId?: number) {
  return await postComment(author, { ideaId, parentId, body: `A thought at ${now}`, clientKey: `c-${Math.random().toString(36).slice(2, 12)}` }, { now });
}

describe("invitations", () => {
  it("a department: each member gets one invitation; inviting again mails nobody twice", async () => {
    const { jam, facilitator } = await makeJam({ startsAt: Date.now() + 2 * DAY_MS, endsAt: Date.now() + 5 * DAY_MS });
    const sales = await makeDepartment();
    const members = [await makeUser({ departmentId: sales.id }), await makeUser({ departmentId: sales.id }), await makeUser({ departmentId: sales.id })];
    const outsider = await makeUser();

    const preview = await previewInvitation(facilitator, jam.slug, { audience: "department", departmentId: sales.id });
    expect(preview).toMatchObject({ newly: 3, already: 0, label: sales.name, waitsForSchedule: false });
    expect(preview.message.subject).toBe(`You're invited: ${jam.title}`);
    expect(await mails("invitation", jam.id)).toHaveLength(0);

    const sent = await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: sales.id }, meta);
    expect(sent).toMatchObject({ newly: 3, already: 0, queuedNow: 3, inBackground: false });
    expect(recipients(await mails("invitation", jam.id))).toEqual(ids(...members));
    expect((await mails("invitation", jam.id)).every((m) => m.via === "outbox" && m.text.includes(`/jams/${jam.slug}`))).toBe(true);

    const again = await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: sales.id }, meta);
    expect(again).toMatchObject({ newly: 0, already: 3 });
    expect(await mails("invitation", jam.id)).toHaveLength(3);
    expect(await previewInvitation(facilitator, jam.slug, { audience: "department", departmentId: sales.id })).toMatchObject({ newly: 0, already: 3 });
    expect((await mails("invitation", jam.id)).some((m) => m.userId === outsider.id)).toBe(false);
    expect(await invitationSummary(db(), jam.id)).toMatchObject({ invited: 3, mailed: 3, waiting: 0 });
  });

  it("a pasted list: unknown, deactivated and malformed addresses are reported back, the rest invited", async () => {
    const { jam, facilitator } = await makeJam();
    const ana = await makeUser();
    const bo = await makeUser();
    const gone = await makeUser();
    const admin = await makeUser({ role: "admin" });
    await deactivatePerson(admin, { userId: gone.id }, meta);
    const pasted = `Ana <${ana.email.toUpperCase()}>, ${bo.email}\nnobody-here@example.test; ${gone.email}\nnot-an-address`;
    const preview = await previewInvitation(facilitator, jam.slug, { audience: "list", emails: pasted });
    expect(preview).toMatchObject({ newly: 2, unknown: ["nobody-here@example.test", gone.email], unknownCount: 2, invalid: ["not-an-address"] });
    const sent = await sendInvitations(facilitator, jam.slug, { audience: "list", emails: pasted }, meta);
    expect(sent).toMatchObject({ newly: 2, unknown: ["nobody-here@example.test", gone.email] });
    expect(recipients(await mails("invitation", jam.id))).toEqual(ids(ana, bo));
  });

  it("refuses what makes no sense, with a message for the field", async () => {
    const { jam, facilitator } = await makeJam();
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "department" })).rejects.toThrow(Invalid);
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "department", departmentId: 999_999 })).rejects.toThrow(Invalid);
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "list", emails: "   " })).rejects.toThrow(Invalid);
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "list", emails: "just words" })).rejects.toThrow(Invalid);
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "list", emails: "x".repeat(200_001) })).rejects.toThrow(Invalid);
    await expect(async () => await previewInvitation(facilitator, jam.slug, { audience: "somebody" })).rejects.toThrow(Invalid);
    const ended = await makeJam({ startsAt: Date.now() - 3 * DAY_MS, endsAt: Date.now() - H, facilitator });
    await expect(async () => await sendInvitations(facilitator, ended.jam.slug, { audience: "everyone" }, meta)).rejects.toThrow(Conflict);
  });

  it("only people who manage jams invite; a participant cannot even learn a draft exists", async () => {
    const draft = await makeJam({ isDraft: true, startsAt: Date.now() + DAY_MS, endsAt: Date.now() + 3 * DAY_MS });
    const live = await makeJam();
    const participant = await makeUser();
    const leader = await makeUser({ role: "leader" });
    await expect(async () => await previewInvitation(participant, draft.jam.slug, { audience: "everyone" })).rejects.toThrow(NotFound);
    await expect(async () => await sendInvitations(participant, draft.jam.slug, { audience: "everyone" }, meta)).rejects.toThrow(NotFound);
    await expect(async () => await sendInvitations(participant, live.jam.slug, { audience: "everyone" }, meta)).rejects.toThrow(Forbidden);
    await expect(async () => await sendInvitations(leader, live.jam.slug, { audience: "everyone" }, meta)).rejects.toThrow(Forbidden);
    expect(await mails("invitation", live.jam.id)).toHaveLength(0);
  });

  it("a draft's invitations wait until it is scheduled, then go once, even if it goes back to draft and is scheduled again", async () => {
    const { jam, facilitator } = await makeJam({ isDraft: true, startsAt: Date.now() + DAY_MS, endsAt: Date.now() + 4 * DAY_MS });
    const team = await makeDepartment();
    const people = [await makeUser({ departmentId: team.id }), await makeUser({ departmentId: team.id })];
    const sent = await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    expect(sent).toMatchObject({ newly: 2, waitsForSchedule: true, queuedNow: 0 });
    expect(await mails("invitation", jam.id)).toHaveLength(0);
    // The background round does not send a draft's invitations either.
    await runJamMailings(Date.now());
    expect(await mails("invitation", jam.id)).toHaveLength(0);
    expect(await invitationSummary(db(), jam.id)).toMatchObject({ invited: 2, waiting: 2 });

    await scheduleJam(facilitator, jam.id, {}, meta);
    expect(recipients(await mails("invitation", jam.id))).toEqual(ids(...people));
    await unscheduleJam(facilitator, jam.id, meta);
    await scheduleJam(facilitator, jam.id, {}, meta);
    expect(await mails("invitation", jam.id)).toHaveLength(2);
  });

  it("each person's choice holds: nothing, a digest, or at once; an unchecked address gets no jam mail", async () => {
    const { jam, facilitator } = await makeJam();
    const team = await makeDepartment();
    const never = await makeUser({ departmentId: team.id });
    const daily = await makeUser({ departmentId: team.id });
    const now = await makeUser({ departmentId: team.id });
    const unchecked = await makeUser({ departmentId: team.id, emailVerified: false });
    await choose(never.id, { mail_invitation: "never" });
    await choose(daily.id, { mail_invitation: "daily" });
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    const sent = await mails("invitation", jam.id);
    expect(sent.map((m) => [m.userId, m.via])).toEqual(
      expect.arrayContaining([
        [now.id, "outbox"],
        [daily.id, "digest"],
      ]),
    );
    expect(sent).toHaveLength(2);
    expect(sent.some((m) => m.userId === never.id || m.userId === unchecked.id)).toBe(false);
  });

  it("a large invitation queues the first batch at once and the rest in the background, each person once", async () => {
    const { jam, facilitator } = await makeJam();
    const big = await makeDepartment();
    const now = Date.now();
    const rows = Array.from({ length: INVITATION_BATCH + 20 }, (_, i) => ({
      email: `big-${jam.id}-${i}@example.test`,
      name: `Big ${i}`,
      passwordHash: "",
      departmentId: big.id,
      emailVerifiedAt: now,
      createdAt: now,
    }));
    await db().insert(users).values(rows).run();
    const sent = await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: big.id }, meta);
    expect(sent).toMatchObject({ newly: INVITATION_BATCH + 20, queuedNow: INVITATION_BATCH, inBackground: true });
    expect(await mails("invitation", jam.id)).toHaveLength(INVITATION_BATCH);
    await runJamMailings(now);
    await runJamMailings(now);
    const all = await mails("invitation", jam.id);
    expect(all).toHaveLength(INVITATION_BATCH + 20);
    expect(new Set(all.map((m) => m.userId)).size).toBe(INVITATION_BATCH + 20);
  });
});

describe("a jam's opening", () => {
  it("tells the people invited before it opened, once, however many rounds run", async () => {
    const start = Date.now() + 2 * H;
    const { jam, facilitator } = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS });
    const team = await makeDepartment();
    const invited = [await makeUser({ departmentId: team.id }), await makeUser({ departmentId: team.id })];
    const bystander = await makeUser();
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);

    await runJamMailings(start - 60_000);
    expect(await mails("jam_opening", jam.id)).toHaveLength(0);
    await runJamMailings(start + 60_000);
    await runJamMailings(start + 120_000);
    const opening = await mails("jam_opening", jam.id);
    expect(recipients(opening)).toEqual(ids(...invited));
    expect(opening[0]!.subject).toBe(`${jam.title} is open: add your ideas`);
    expect(opening.some((m) => m.userId === bystander.id)).toBe(false);
    expect(await db().select().from(jamMailings).where(and(eq(jamMailings.jamId, jam.id), eq(jamMailings.occasion, "opening"))).get()).toMatchObject({ queued: 2 });
  });

  it("a jam nobody was invited to tells everyone active (not the deactivated), and a draft tells nobody", async () => {
    const start = Date.now() + 3 * H;
    const open = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS });
    const draft = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS, isDraft: true });
    const someone = await makeUser();
    const gone = await makeUser();
    await deactivatePerson(await makeUser({ role: "admin" }), { userId: gone.id }, meta);
    await runJamMailings(start + 60_000);
    const opening = await mails("jam_opening", open.jam.id);
    expect(opening.some((m) => m.userId === someone.id)).toBe(true);
    expect(opening.some((m) => m.userId === gone.id)).toBe(false);
    expect(new Set(opening.map((m) => m.userId)).size).toBe(opening.length);
    expect(await mails("jam_opening", draft.jam.id)).toHaveLength(0);
  });

  it("is not sent hours late (the servers were down), nor for a jam published after it started", async () => {
    const start = Date.now() + 4 * H;
    const { jam } = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS });
    await runJamMailings(start + 7 * H);
    expect(await mails("jam_opening", jam.id)).toHaveLength(0);
  });
});

/** A live jam five days long and a day of activity in it, as the first pulse will tell it. */
async function pulseScenario() {
  const start = Date.now() - 2 * H;
  const { jam, challengeIds, facilitator } = await makeJam({ startsAt: start, endsAt: start + 5 * DAY_MS });
  const challenge = challengeIds[0]!;
  const team = await makeDepartment();
  const alice = await makeUser({ departmentId: team.id, name: "Alice Named" });
  const secret = await makeUser({ departmentId: team.id, name: "Zorya Secretauthor" });
  const carl = await makeUser({ departmentId: team.id, name: "Carl Commenter" });
  const dana = await makeUser({ departmentId: team.id, name: "Dana Replier" });
  const quiet = await makeUser({ departmentId: team.id, name: "Quinn Quiet" });
  const nothing = await makeUser({ departmentId: team.id, name: "Nora Nothing" });
  for (const p of [alice, secret, carl, dana, quiet, nothing]) await choose(p.id, {});
  await choose(nothing.id, { mail_pulse: "never" });
  await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
  const t = (h: number) => start + h * H;
  const named = await makeIdea(alice, challenge, { title: "Walking meetings", now: t(1) });
  const hidden = await makeIdea(secret, challenge, { title: "Anonymous pay transparency", isAnonymous: true, now: t(1.2) });
  const carlsComment = await comment(carl, named.id, t(1.5));
  await comment(dana, named.id, t(1.6), carlsComment.id);
  await comment(carl, hidden.id, t(1.7));
  for (const voter of [carl, dana, quiet]) await castVote(voter, { ideaId: hidden.id }, { now: t(1.8) });
  await castVote(carl, { ideaId: named.id }, { now: t(1.9) });
  return { jam, start, alice, secret, carl, dana, quiet, nothing, named, hidden };
}

describe("the daily pulse", () => {
  it("goes once a day to each invitee with news, personal to each, and never names an anonymous author", async () => {
    const s = await pulseScenario();
    await runJamMailings(s.start + DAY_MS - 60_000);
    expect(await mails("pulse", s.jam.id)).toHaveLength(0);
    await runJamMailings(s.start + DAY_MS + 60_000);
    await runJamMailings(s.start + DAY_MS + 120_000);
    const pulses = await mails("pulse", s.jam.id);
    // Nora chose no pulse; everyone else who was invited has news (ideas they did not write).
    expect(recipients(pulses)).toEqual(ids(s.alice, s.secret, s.carl, s.dana, s.quiet));
    const of = (p: { id: number }) => pulses.find((m) => m.userId === p.id)!;
    expect(of(s.alice).dedupeKey).toBe(`pulse:${s.jam.id}:1:${s.alice.id}`);
    // Alice hears of the comment on her idea (the reply to Carl is his news).
    expect(of(s.alice).text).toContain("Walking meetings (1 new comment on your idea)");
    expect(of(s.carl).text).toContain("Walking meetings (1 reply to your comments)");
    expect(of(s.alice).subject).toBe(`${s.jam.title}: 1 reply to you, 2 new ideas`);
    // Rising: the anonymous idea, with no author; the named one with its author.
    expect(of(s.quiet).text).toContain("Anonymous pay transparency (+3 supporters · Challenge 1)");
    expect(of(s.quiet).text).toContain("Walking meetings (+1 supporter · Challenge 1 · by Alice Named)");
    for (const m of pulses.filter((p) => p.userId !== s.secret.id)) {
      expect(m.text).not.toContain("Zorya");
      expect(m.html ?? "").not.toContain("Zorya");
    }
    // The anonymous author's pulse does not name the comment on their anonymous idea either.
    expect(of(s.secret).text).not.toContain("Replies to you");
  });

  it("a hidden idea is neither news nor rising, and an erased person gets no pulse", async () => {
    const start = Date.now() - 2 * H;
    const { jam, challengeIds, facilitator } = await makeJam({ startsAt: start, endsAt: start + 5 * DAY_MS });
    const team = await makeDepartment();
    const author = await makeUser({ departmentId: team.id });
    const reader = await makeUser({ departmentId: team.id });
    const erased = await makeUser({ departmentId: team.id });
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    const kept = await makeIdea(author, challengeIds[0]!, { title: "Kept idea", now: start + H });
    const removed = await makeIdea(author, challengeIds[0]!, { title: "Removed idea", now: start + H });
    await castVote(reader, { ideaId: removed.id }, { now: start + 1.5 * H });
    await castVote(reader, { ideaId: kept.id }, { now: start + 1.5 * H });
    await hideIdea(facilitator, { id: removed.id, reason: "Off topic" }, meta);
    await db().update(users).set({ erasedAt: Date.now() }).where(eq(users.id, erased.id)).run();
    await runJamMailings(start + DAY_MS + 60_000);
    const pulses = await mails("pulse", jam.id);
    expect(recipients(pulses)).toEqual(ids(reader));
    expect(pulses[0]!.text).toContain("1 new idea");
    expect(pulses[0]!.text).toContain("Kept idea");
    expect(pulses[0]!.text).not.toContain("Removed idea");
  });

  it("skips people with nothing new and a day with nothing at all", async () => {
    const start = Date.now() - 2 * H;
    const { jam, challengeIds, facilitator } = await makeJam({ startsAt: start, endsAt: start + 5 * DAY_MS });
    const team = await makeDepartment();
    const only = await makeUser({ departmentId: team.id });
    const other = await makeUser({ departmentId: team.id });
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    await runJamMailings(start + DAY_MS + 60_000);
    expect(await mails("pulse", jam.id)).toHaveLength(0);
    // Day 2: only `only` posted; it is news to `other`, not to its author.
    await makeIdea(only, challengeIds[0]!, { now: start + DAY_MS + 2 * H });
    await runJamMailings(start + 2 * DAY_MS + 60_000);
    expect(recipients(await mails("pulse", jam.id))).toEqual(ids(other));
  });

  it("an anonymous idea counts as news for its author too, so who gets a pulse says nothing about who wrote it", async () => {
    const start = Date.now() - 2 * H;
    const { jam, challengeIds, facilitator } = await makeJam({ startsAt: start, endsAt: start + 5 * DAY_MS });
    const team = await makeDepartment();
    const writer = await makeUser({ departmentId: team.id });
    const reader = await makeUser({ departmentId: team.id });
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    await makeIdea(writer, challengeIds[0]!, { isAnonymous: true, now: start + H });
    await runJamMailings(start + DAY_MS + 60_000);
    expect(recipients(await mails("pulse", jam.id))).toEqual(ids(writer, reader));
  });
});

describe("the reminder", () => {
  it("goes once, a day before the end, to invitees and to whoever took part", async () => {
    const start = Date.now() - 2 * H;
    const { jam, challengeIds, facilitator } = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS });
    const team = await makeDepartment();
    const invited = await makeUser({ departmentId: team.id });
    const joined = await makeUser();
    const bystander = await makeUser();
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    await makeIdea(joined, challengeIds[0]!, { now: start + H });
    await runJamMailings(jam.endsAt - DAY_MS - 60_000);
    expect(await mails("reminder", jam.id)).toHaveLength(0);
    await runJamMailings(jam.endsAt - DAY_MS + 60_000);
    await runJamMailings(jam.endsAt - DAY_MS + 120_000);
    const reminders = await mails("reminder", jam.id);
    expect(recipients(reminders)).toEqual(ids(invited, joined));
    expect(reminders.some((m) => m.userId === bystander.id)).toBe(false);
    expect(reminders.find((m) => m.userId === joined.id)!.text).toContain("Thank you for taking part");
    expect(reminders.find((m) => m.userId === invited.id)!.text).toContain("There is still time to add your ideas");
  });

  it("a mailing whose jam went back to draft or ended stops, and what is half done is finished by the next round", async () => {
    const start = Date.now() - 2 * H;
    const { jam, facilitator } = await makeJam({ startsAt: start, endsAt: start + 3 * DAY_MS });
    const team = await makeDepartment();
    const people = [await makeUser({ departmentId: team.id }), await makeUser({ departmentId: team.id })];
    await sendInvitations(facilitator, jam.slug, { audience: "department", departmentId: team.id }, meta);
    const at = jam.endsAt - DAY_MS + 60_000;
    // A round with no time left claims the reminder but writes nothing; the next one does it all.
    await runJamMailings(at, -1);
    expect(await db().select().from(jamMailings).where(and(eq(jamMailings.jamId, jam.id), eq(jamMailings.occasion, "reminder"))).get()).toMatchObject({
      finishedAt: null,
      doneThrough: 0,
    });
    expect(await mails("reminder", jam.id)).toHaveLength(0);
    await runJamMailings(at + 60_000);
    expect(recipients(await mails("reminder", jam.id))).toEqual(ids(...people));
  });
});

describe("results published", () => {
  async function synthesisOf(jamId: number, createdBy: number, ideaIds: number[]) {
    const version = await db().insert(synthesisVersions).values({ jamId, number: 1 + Math.floor(Math.random() * 1e6), kind: "curated", createdBy, createdAt: Date.now() }).returning().get();
    const theme = await db()
      .insert(themes)
      .values({ versionId: version.id, label: "Focus time", keywords: "[]", representatives: JSON.stringify(ideaIds) })
      .returning()
      .get();
    for (const ideaId of ideaIds) await db().insert(themeIdeas).values({ versionId: version.id, ideaId, themeId: theme.id }).run();
    return version;
  }

  it("each person who took part gets it once, with their named ideas only; publishing again says nothing more", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    const alice = await makeUser({ name: "Alice Results" });
    const secret = await makeUser({ name: "Zorya Hidden" });
    const voter = await makeUser();
    const bystander = await makeUser();
    const a = await makeIdea(alice, challengeIds[0]!, { title: "Quiet mornings" });
    const s = await makeIdea(secret, challengeIds[0]!, { title: "Secret salary idea", isAnonymous: true });
    await castVote(voter, { ideaId: a.id });
    const first = await synthesisOf(jam.id, facilitator.id, [a.id, s.id]);
    await publishVersion(facilitator, jam.slug, { versionId: first.id }, meta);
    const results = await mails("results", jam.id);
    expect(recipients(results)).toEqual(ids(alice, secret, voter));
    expect(results.some((m) => m.userId === bystander.id)).toBe(false);
    expect(results.find((m) => m.userId === alice.id)!.text).toContain("Quiet mornings (in “Focus time”)");
    for (const m of results) {
      // Not even to its author: the outbox keeps what it sends.
      expect(m.text).not.toContain("Secret salary idea");
      if (m.userId !== secret.id) expect(m.text).not.toContain("Zorya");
    }
    const second = await synthesisOf(jam.id, facilitator.id, [a.id]);
    await publishVersion(facilitator, jam.slug, { versionId: second.id }, meta);
    await publishVersion(facilitator, jam.slug, { versionId: first.id }, meta);
    expect(await mails("results", jam.id)).toHaveLength(3);
  });

  it("nothing for a draft jam", async () => {
    const { jam, facilitator } = await makeJam({ isDraft: true, startsAt: Date.now() + DAY_MS, endsAt: Date.now() + 3 * DAY_MS });
    const version = await synthesisOf(jam.id, facilitator.id, []);
    await publishVersion(facilitator, jam.slug, { versionId: version.id }, meta);
    expect(await mails("results", jam.id)).toHaveLength(0);
  });
});

describe("an action's status changed", () => {
  it("each author of a linked idea hears once per status; an anonymous author gets news that names nothing", async () => {
    const { jam, challengeIds } = await makeJam();
    const leader = await makeUser({ role: "leader" });
    const alice = await makeUser({ name: "Alice Action" });
    const secret = await makeUser({ name: "Zorya Anon" });
    const named = await makeIdea(alice, challengeIds[0]!, { title: "Standing desks for all" });
    const anonymous = await makeIdea(secret, challengeIds[0]!, { title: "Hidden desk idea", isAnonymous: true });
    const action = await createAction(leader, { ideaId: named.id, title: "Desk pilot", ownerId: leader.id }, meta);
    // Link the anonymous idea too (an action from a theme links every idea of it).
    await db().run(sql`INSERT INTO action_ideas (action_id, idea_id) VALUES (${action.id}, ${anonymous.id})`);
    await updateAction(leader, action.id, { status: "approved", expectedStatus: "proposed" }, meta);
    await updateAction(leader, action.id, { status: "in_progress", expectedStatus: "approved" }, meta);
    await updateAction(leader, action.id, { status: "approved", expectedStatus: "in_progress" }, meta);

    const aboutJam = await mails("action_status", jam.id);
    expect(aboutJam.filter((m) => m.userId === alice.id).map((m) => m.dedupeKey)).toEqual([
      `action:${action.id}:proposed:${alice.id}`,
      `action:${action.id}:approved:${alice.id}`,
      `action:${action.id}:in_progress:${alice.id}`,
    ]);
    const approved = aboutJam.find((m) => m.dedupeKey === `action:${action.id}:approved:${alice.id}`)!;
    expect(approved.subject).toBe("An action from your idea was approved: Desk pilot");
    expect(approved.text).toContain("Standing desks for all");
    expect(approved.text).not.toContain("Hidden desk idea");
    // The anonymous author's messages: no jam, no action, no idea, an opaque key.
    expect(aboutJam.some((m) => m.userId === secret.id)).toBe(false);
    const privately = (await mails("action_status", null)).filter((m) => m.userId === secret.id);
    expect(privately).toHaveLength(2);
    for (const m of privately) {
      expect(m.subject).toBe("There is news about one of your ideas");
      expect(`${m.text}${m.html}${m.dedupeKey}`).not.toMatch(/Desk pilot|Hidden desk idea|Standing desks|anonym/i);
      expect(m.dedupeKey).toMatch(/^private:[A-Za-z0-9_-]{32}$/);
    }
    // Nobody else's message names the anonymous author.
    for (const m of aboutJam) expect(`${m.text}${m.html}`).not.toContain("Zorya");
  });

  it("the person who changed it is not told, and nothing goes for a draft jam", async () => {
    const { jam, challengeIds } = await makeJam();
    const leader = await makeUser({ role: "leader" });
    const idea = await makeIdea(leader, challengeIds[0]!, { title: "My own idea" });
    const action = await createAction(leader, { ideaId: idea.id, title: "Self", ownerId: leader.id }, meta);
    await updateAction(leader, action.id, { status: "approved", expectedStatus: "proposed" }, meta);
    expect(await mails("action_status", jam.id)).toHaveLength(0);

    const draft = await makeJam({ isDraft: true, startsAt: Date.now() + DAY_MS, endsAt: Date.now() + 3 * DAY_MS });
    const author = await makeUser();
    const staffIdea = await db().get<{ id: number }>(
      sql`INSERT INTO ideas (challenge_id, jam_id, author_id, title, client_key, created_at) VALUES (${draft.challengeIds[0]!}, ${draft.jam.id}, ${author.id}, 'Draft idea', 'draft-key-1', ${Date.now()}) RETURNING id`,
    );
    const draftAction = await createAction(leader, { ideaId: staffIdea!.id, title: "Draft action", ownerId: leader.id }, meta);
    await updateAction(leader, draftAction.id, { status: "approved", expectedStatus: "proposed" }, meta);
    expect(await mails("action_status", draft.jam.id)).toHaveLength(0);
    expect((await mails("action_status", null)).some((m) => m.userId === author.id)).toBe(false);
  });
});

describe("in a digest", () => {
  it("a jam e-mail is one part among the others, its card opened into the digest's (not a card in a card)", async () => {
    const { digestMessage } = await import("~/mail/digests.server");
    const { sampleMails } = await import("~/mail/messages/samples");
    const { pulse, results } = sampleMails();
    const digest = digestMessage("daily", [
      { kind: "pulse", subject: pulse!.subject, textBody: pulse!.text, htmlBody: pulse!.html },
      { kind: "results", subject: results!.subject, textBody: results!.text, htmlBody: results!.html },
    ]);
    // One card per part (and the greeting's), none inside another.
    expect(digest.html.match(/max-width:560px/g)).toHaveLength(3);
    expect(digest.text).toContain(pulse!.text.trim());
    expect(digest.html).toContain("Today in “Working Smarter”");
  });
});
