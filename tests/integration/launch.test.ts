import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { jamInputFromForm } from "~/http/jam-form.server";
import { postAnnouncement } from "~/services/commands/announcements.server";
import { commandCentre } from "~/services/pages/command-centre.server";
import { dotsSummary } from "~/services/lookups/dots.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideasCsv, synthesisMarkdownExport } from "~/services/pages/exports.server";
import { postIdea } from "~/services/commands/ideas.server";
import { similarIdeas } from "~/services/pages/idea.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { createJam, updateJam } from "~/services/commands/jams.server";
import { jamChallenges } from "~/services/lookups/jams.server";
import { jamForEdit, jamHome, listJams } from "~/services/pages/jams.server";
import { jamLaunch, jamPreview } from "~/services/pages/launch.server";
import { scheduleJam, unscheduleJam } from "~/services/commands/launch.server";
import { jamLeaderboard } from "~/services/pages/leaderboards.server";
import { openJamEvents } from "~/services/pages/live.server";
import { jamNetworkPage } from "~/services/pages/network.server";
import { nextIdeaToVote } from "~/services/pages/vote.server";
import { synthesisPage } from "~/services/pages/synthesis.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { auditLog, jams } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let counter = 0;
/** A jam as the new-jam form sends it (no word on drafts), with overrides. */
function formInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const now = Date.now();
  return {
    title: `Launch test ${counter}`,
    slug: `launch-test-${counter}-${now.toString(36)}`,
    description: "A jam being prepared.",
    startsAt: now + DAY,
    endsAt: now + 4 * DAY,
    challenges: [{ title: "Meetings", question: "Which meeting would you cancel?" }],
    ...overrides,
  };
}

async function refusal<E extends Error>(run: () => unknown, type: new (...args: never[]) => E): Promise<E> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

async function audits(action: string, jamId: number) {
  return await db().select().from(auditLog).where(and(eq(auditLog.action, action as never), eq(auditLog.subject, `jam:${jamId}`))).all();
}

async function current(jamId: number) {
  return (await db().select().from(jams).where(eq(jams.id, jamId)).get())!;
}

const visibleTo = async (viewer: SessionUser, jamId: number) => {
  const list = await listJams(viewer);
  return [...list.live, ...list.upcoming, ...list.past].some((j) => j.id === jamId);
};

describe("a new jam", () => {
  it("is a draft, whether made by the service or from the form, and participants do not see it", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const made = await createJam(facilitator, formInput(), { ip: null });
    expect(made.isDraft).toBe(true);
    // The form cannot say otherwise: an `isDraft` field posted by hand is not read.
    const values = { title: "From the form", startsAt: "2030-03-01T09:00", endsAt: "2030-03-03T09:00", tzOffset: "0", isDraft: "off", "challenges.0.title": "A", "challenges.0.question": "Q?" };
    const fromForm = await createJam(facilitator, { ...jamInputFromForm(values), slug: `from-form-${counter++}` }, { ip: null });
    expect(fromForm.isDraft).toBe(true);
    expect(await visibleTo(await makeUser(), made.id)).toBe(false);
    expect(await visibleTo(facilitator, made.id)).toBe(true);
    expect((await audits("jam_created", made.id))[0]?.detail).toContain('"isDraft":true');
  });

  it("may be saved unfinished while a draft (no question yet, or no challenge), but a published jam may not", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const noQuestion = await createJam(facilitator, formInput({ challenges: [{ title: "Meetings", question: "" }] }), { ip: null });
    expect((await jamChallenges(noQuestion.id)).map((c) => c.question)).toEqual([""]);
    const noChallenge = await createJam(facilitator, formInput({ challenges: [] }), { ip: null });
    expect(await jamChallenges(noChallenge.id)).toEqual([]);
    // Published at once (seeds do that): everything is needed.
    const published = await refusal(async () => await createJam(facilitator, formInput({ isDraft: false, challenges: [{ title: "M", question: "" }] }), { ip: null }), Invalid);
    expect(published.fieldErrors["challenges.0.question"]).toEqual(["Write the question this challenge asks."]);
    // A scheduled jam keeps needing its questions.
    const { jam } = await makeJam({ facilitator, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    const edit = await jamForEdit(facilitator, jam.slug);
    const error = await refusal(
      async () => await updateJam(facilitator, jam.id, { ...formInput({ slug: jam.slug }), challenges: [{ id: edit.challenges[0]!.id, title: "C", question: "" }] }, { ip: null }),
      Invalid,
    );
    expect(error.fieldErrors["challenges.0.question"]).toBeDefined();
  });

  it("saves its point rules with the rest of the form, and an edit never changes whether it is a draft", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const points = { idea_posted: 20, comment_replied: 5, support_received: 3, idea_tagged_best: 25, idea_selected: 50, first_of_day: 0, dailyCap: 150, leaderboardsHidden: true };
    const jam = await createJam(facilitator, formInput({ points }), { ip: null });
    expect((await jamForEdit(facilitator, jam.slug)).gamification).toEqual({
      // Rules the form did not send (added later) keep their defaults.
      rules: { idea_posted: 20, comment_replied: 5, support_received: 3, idea_tagged_best: 25, idea_shortlisted: 15, idea_selected: 50, first_of_day: 0, amendment_accepted: 15, dailyCap: 150 },
      leaderboardsHidden: true,
    });
    const bad = await refusal(async () => await updateJam(facilitator, jam.id, formInput({ slug: jam.slug, points: { ...points, dailyCap: 0 } }), { ip: null }), Invalid);
    expect(bad.fieldErrors["points.dailyCap"]?.[0]).toMatch(/daily cap/);
    await updateJam(facilitator, jam.id, formInput({ slug: jam.slug, isDraft: false, points: { ...points, idea_posted: 15 } }), { ip: null });
    expect((await current(jam.id)).isDraft).toBe(true);
    expect(await audits("jam_gamification_changed", jam.id)).toHaveLength(1);
  });
});

describe("scheduling a jam", () => {
  it("is refused while an item needs attention, with every reason, and changes nothing", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const now = Date.now();
    const jam = await createJam(facilitator, formInput({ startsAt: now - 3 * HOUR, endsAt: now - HOUR, challenges: [{ title: "Meetings", question: "" }] }), { ip: null });
    const error = await refusal(async () => await scheduleJam(facilitator, jam.id, {}, { ip: null }), Invalid);
    expect(error.message).toMatch(/cannot be scheduled yet/);
    expect(error.fieldErrors.checklist).toEqual(["Challenge 1 (“Meetings”) has no question yet.", "Its end has passed: choose an end in the future."]);
    const empty = await createJam(facilitator, formInput({ challenges: [] }), { ip: null });
    expect((await refusal(async () => await scheduleJam(facilitator, empty.id, {}, { ip: null }), Invalid)).fieldErrors.checklist).toEqual([
      "Add at least one challenge: the question people answer.",
    ]);
    expect((await current(jam.id)).isDraft).toBe(true);
    expect(await audits("jam_scheduled", jam.id)).toEqual([]);
    // The checklist page says the same, item by item.
    const launch = await jamLaunch(facilitator, jam.slug);
    expect(launch.ready).toBe(false);
    expect(launch.problems.challenges).toHaveLength(1);
    expect(launch.problems.schedule).toHaveLength(1);
  });

  it("publishes a ready draft for everyone, audited; participants see it on /jams only then", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const participant = await makeUser();
    const jam = await createJam(facilitator, formInput(), { ip: null });
    expect((await jamLaunch(facilitator, jam.slug)).ready).toBe(true);
    expect(await visibleTo(participant, jam.id)).toBe(false);
    const scheduled = await scheduleJam(facilitator, jam.id, { confirmedStartsAt: String(jam.startsAt) }, { ip: "203.0.113.9" });
    expect(scheduled).toMatchObject({ isDraft: false, startsAt: jam.startsAt });
    expect(await visibleTo(participant, jam.id)).toBe(true);
    expect((await listJams(participant)).upcoming.find((j) => j.id === jam.id)?.phase).toBe("scheduled");
    expect((await jamHome(participant, jam.slug)).jam.phase).toBe("scheduled");
    const [row, ...more] = await audits("jam_scheduled", jam.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorId: facilitator.id, ip: "203.0.113.9" });
    expect(JSON.parse(row!.detail!)).toEqual({ startsAt: jam.startsAt, endsAt: jam.endsAt, opensNow: false });
    // Once: a second click finds it scheduled.
    expect((await refusal(async () => await scheduleJam(facilitator, jam.id, {}, { ip: null }), Conflict)).message).toMatch(/already scheduled/);
    expect(await audits("jam_scheduled", jam.id)).toHaveLength(1);
  });

  it("opens now when its start has passed, and the start becomes now", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const now = Date.now();
    const jam = await createJam(facilitator, formInput({ startsAt: now - DAY, endsAt: now + DAY }), { ip: null });
    expect((await jamLaunch(facilitator, jam.slug, now)).opensNow).toBe(true);
    const scheduled = await scheduleJam(facilitator, jam.id, {}, { ip: null, now });
    expect(scheduled.startsAt).toBe(now);
    expect(JSON.parse((await audits("jam_scheduled", jam.id))[0]!.detail!)).toMatchObject({ startsAt: now, opensNow: true });
    expect((await jamHome(await makeUser(), jam.slug, now + 1)).jam.phase).toBe("live");
  });

  it("is refused when the start changed after the facilitator confirmed it", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const jam = await createJam(facilitator, formInput(), { ip: null });
    expect((await refusal(async () => await scheduleJam(facilitator, jam.id, { confirmedStartsAt: jam.startsAt - HOUR }, { ip: null }), Conflict)).message).toMatch(/start changed/);
    expect((await current(jam.id)).isDraft).toBe(true);
  });

  it("is for facilitators and admins only", async () => {
    const { jam } = await makeJam({ isDraft: true, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    for (const role of ["participant", "leader"] as const) {
      await refusal(async () => await scheduleJam(await makeUser({ role }), jam.id, {}, { ip: null }), Forbidden);
      await refusal(async () => await unscheduleJam(await makeUser({ role }), jam.id, { ip: null }), Forbidden);
    }
    expect((await current(jam.id)).isDraft).toBe(true);
    expect((await scheduleJam(await makeUser({ role: "admin" }), jam.id, {}, { ip: null })).isDraft).toBe(false);
  });
});

describe("taking a jam back to draft", () => {
  it("works before it starts, audited, and participants lose it again", async () => {
    const { jam, facilitator } = await makeJam({ isDraft: true, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    await scheduleJam(facilitator, jam.id, {}, { ip: null });
    expect((await jamLaunch(facilitator, jam.slug)).backToDraftRefusal).toBeNull();
    expect((await unscheduleJam(facilitator, jam.id, { ip: null })).isDraft).toBe(true);
    expect(await audits("jam_unscheduled", jam.id)).toHaveLength(1);
    expect(await visibleTo(await makeUser(), jam.id)).toBe(false);
    await refusal(async () => await jamHome(await makeUser(), jam.slug), NotFound);
  });

  it("is refused once it has started: it stays published, and the reason says how to stop it", async () => {
    const { jam, facilitator } = await makeJam();
    const error = await refusal(async () => await unscheduleJam(facilitator, jam.id, { ip: null }), Conflict);
    expect(error.message).toMatch(/has started, so it stays open to everyone.*set its end to now/);
    expect((await jamLaunch(facilitator, jam.slug)).backToDraftRefusal).toBe(error.message);
    expect((await current(jam.id)).isDraft).toBe(false);
    expect(await audits("jam_unscheduled", jam.id)).toEqual([]);
  });

  it("is refused for a jam moved back to the future after people posted in it", async () => {
    const { jam, challengeIds, facilitator } = await makeJam();
    await makeIdea(await makeUser(), challengeIds[0]!);
    await db().update(jams).set({ startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY }).where(eq(jams.id, jam.id)).run();
    await refusal(async () => await unscheduleJam(facilitator, jam.id, { ip: null }), Conflict);
    expect((await current(jam.id)).isDraft).toBe(false);
  });
});

describe("a participant and a draft jam", () => {
  it("cannot open any of its pages, streams, boards or exports: it does not exist for them", async () => {
    const { jam, challengeIds, facilitator } = await makeJam({ isDraft: true, startsAt: Date.now() - HOUR, endsAt: Date.now() + DAY });
    const [challengeId] = challengeIds as [number];
    const participant = await makeUser();
    const attacks: [string, () => Promise<unknown>][] = [
      ["jam home", async () => await jamHome(participant, jam.slug)],
      ["launch checklist", async () => await jamLaunch(participant, jam.slug)],
      ["preview", async () => await jamPreview(participant, jam.slug, null)],
      ["preview of a challenge", async () => await jamPreview(participant, jam.slug, challengeId)],
      ["challenge page", async () => await listChallengeIdeas(participant, { challengeId })],
      ["challenge search", async () => await listChallengeIdeas(participant, { challengeId, q: "meeting" })],
      ["similar ideas", async () => await similarIdeas(participant, { challengeId, text: "meetings and more" })],
      ["vote on ideas", async () => await nextIdeaToVote(participant, { challengeId })],
      ["dots", async () => await dotsSummary(participant, { challengeId })],
      ["live stream", async () => await openJamEvents(participant, jam.slug, new Request("http://localhost/"))],
      ["leaderboard", async () => await jamLeaderboard(participant, jam.slug, {})],
      ["themes", async () => await synthesisPage(participant, jam.slug)],
      ["ideas.csv", async () => await ideasCsv(participant, jam.slug)],
      ["synthesis.md", async () => await synthesisMarkdownExport(participant, jam.slug)],
      ["network", async () => await jamNetworkPage(participant, jam.slug, {})],
      ["post an idea", async () => await postIdea(participant, { challengeId, title: "Sneaky", body: "Posted before launch.", clientKey: "draft-attack-1" })],
    ];
    for (const [name, attack] of attacks) {
      await expect(attack, name).rejects.toThrow(NotFound);
    }
    // The command centre refuses every participant before looking the jam up: the same answer as for no jam at all.
    expect((await refusal(async () => await commandCentre(participant, jam.slug), Forbidden)).message).toBe(
      (await refusal(async () => await commandCentre(participant, "no-such-jam"), Forbidden)).message,
    );
    expect(await visibleTo(participant, jam.id)).toBe(false);
    // Its facilitator sees all of it.
    expect((await jamLaunch(facilitator, jam.slug)).jam.id).toBe(jam.id);
    expect((await jamPreview(facilitator, jam.slug, challengeId)).challenge?.id).toBe(challengeId);
  });

  it("a leader sees the draft but not its checklist or preview; a participant of a published jam is refused them too", async () => {
    const { jam } = await makeJam({ isDraft: true });
    const leader = await makeUser({ role: "leader" });
    expect((await jamHome(leader, jam.slug)).jam.id).toBe(jam.id);
    await refusal(async () => await jamLaunch(leader, jam.slug), Forbidden);
    await refusal(async () => await jamPreview(leader, jam.slug, null), Forbidden);
    await refusal(async () => await postAnnouncement(leader, jam.slug, { body: "Hello" }), Forbidden);
    const published = await makeJam();
    await refusal(async () => await jamLaunch(await makeUser(), published.jam.slug), Forbidden);
    await refusal(async () => await jamPreview(await makeUser(), published.jam.slug, null), Forbidden);
  });

  it("the preview shows the jam as participants will see it, and only its own challenges", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const jam = await createJam(facilitator, formInput({ challenges: [{ title: "Meetings", question: "Which meeting would you cancel?", voteMode: "stance" }] }), { ip: null });
    const preview = await jamPreview(facilitator, jam.slug, null);
    expect(preview.jam).toMatchObject({ isDraft: true, phase: "scheduled", title: jam.title });
    expect(preview.challenges.map((c) => [c.title, c.voteMode])).toEqual([["Meetings", "stance"]]);
    const other = await makeJam();
    await refusal(async () => await jamPreview(facilitator, jam.slug, other.challengeIds[0]!), NotFound);
  });
});

describe("the voting mode on the edit form", () => {
  it("is open until someone votes, then fixed with the reason", async () => {
    const { jam, challengeIds, facilitator } = await makeJam({ challenges: 2 });
    expect((await jamForEdit(facilitator, jam.slug)).challenges.map((c) => c.voteModeLock)).toEqual([null, null]);
    await castVote(await makeUser(), { ideaId: (await makeIdea(await makeUser(), challengeIds[0]!)).id });
    const [first, second] = (await jamForEdit(facilitator, jam.slug)).challenges;
    expect(first!.voteModeLock).toBe("People have already voted on this challenge with support votes; its voting mode can no longer change.");
    expect(second!.voteModeLock).toBeNull();
  });
});
