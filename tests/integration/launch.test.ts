import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { jamInputFromForm } from "~/http/jam-form.server";
import { postAnnouncement } from "~/services/announcements.server";
import { commandCentre } from "~/services/command.server";
import { dotsSummary } from "~/services/dots.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { ideasCsv, synthesisMarkdownExport } from "~/services/exports.server";
import { listChallengeIdeas, postIdea, similarIdeas } from "~/services/ideas.server";
import { createJam, jamChallenges, jamForEdit, jamHome, listJams, updateJam } from "~/services/jams.server";
import { jamLaunch, jamPreview, scheduleJam, unscheduleJam } from "~/services/launch.server";
import { jamLeaderboard } from "~/services/leaderboards.server";
import { openJamEvents } from "~/services/live.server";
import { jamNetworkPage } from "~/services/network-pages.server";
import { nextIdeaToVote } from "~/services/stances.server";
import { synthesisPage } from "~/services/synthesis-view.server";
import { castVote } from "~/services/votes.server";
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

function refusal<E extends Error>(run: () => unknown, type: new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

function audits(action: string, jamId: number) {
  return db().select().from(auditLog).where(and(eq(auditLog.action, action as never), eq(auditLog.subject, `jam:${jamId}`))).all();
}

function current(jamId: number) {
  return db().select().from(jams).where(eq(jams.id, jamId)).get()!;
}

const visibleTo = (viewer: SessionUser, jamId: number) => {
  const list = listJams(viewer);
  return [...list.live, ...list.upcoming, ...list.past].some((j) => j.id === jamId);
};

describe("a new jam", () => {
  it("is a draft, whether made by the service or from the form, and participants do not see it", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const made = createJam(facilitator, formInput(), { ip: null });
    expect(made.isDraft).toBe(true);
    // The form cannot say otherwise: an `isDraft` field posted by hand is not read.
    const values = { title: "From the form", startsAt: "2030-03-01T09:00", endsAt: "2030-03-03T09:00", tzOffset: "0", isDraft: "off", "challenges.0.title": "A", "challenges.0.question": "Q?" };
    const fromForm = createJam(facilitator, { ...jamInputFromForm(values), slug: `from-form-${counter++}` }, { ip: null });
    expect(fromForm.isDraft).toBe(true);
    expect(visibleTo(makeUser(), made.id)).toBe(false);
    expect(visibleTo(facilitator, made.id)).toBe(true);
    expect(audits("jam_created", made.id)[0]?.detail).toContain('"isDraft":true');
  });

  it("may be saved unfinished while a draft (no question yet, or no challenge), but a published jam may not", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const noQuestion = createJam(facilitator, formInput({ challenges: [{ title: "Meetings", question: "" }] }), { ip: null });
    expect(jamChallenges(noQuestion.id).map((c) => c.question)).toEqual([""]);
    const noChallenge = createJam(facilitator, formInput({ challenges: [] }), { ip: null });
    expect(jamChallenges(noChallenge.id)).toEqual([]);
    // Published at once (seeds do that): everything is needed.
    const published = refusal(() => createJam(facilitator, formInput({ isDraft: false, challenges: [{ title: "M", question: "" }] }), { ip: null }), Invalid);
    expect(published.fieldErrors["challenges.0.question"]).toEqual(["Write the question this challenge asks."]);
    // A scheduled jam keeps needing its questions.
    const { jam } = makeJam({ facilitator, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    const edit = jamForEdit(facilitator, jam.slug);
    const error = refusal(
      () => updateJam(facilitator, jam.id, { ...formInput({ slug: jam.slug }), challenges: [{ id: edit.challenges[0]!.id, title: "C", question: "" }] }, { ip: null }),
      Invalid,
    );
    expect(error.fieldErrors["challenges.0.question"]).toBeDefined();
  });

  it("saves its point rules with the rest of the form, and an edit never changes whether it is a draft", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const points = { idea_posted: 20, comment_replied: 5, support_received: 3, idea_tagged_best: 25, idea_selected: 50, first_of_day: 0, dailyCap: 150, leaderboardsHidden: true };
    const jam = createJam(facilitator, formInput({ points }), { ip: null });
    expect(jamForEdit(facilitator, jam.slug).gamification).toEqual({
      // Rules the form did not send (added later) keep their defaults.
      rules: { idea_posted: 20, comment_replied: 5, support_received: 3, idea_tagged_best: 25, idea_shortlisted: 15, idea_selected: 50, first_of_day: 0, amendment_accepted: 15, dailyCap: 150 },
      leaderboardsHidden: true,
    });
    const bad = refusal(() => updateJam(facilitator, jam.id, formInput({ slug: jam.slug, points: { ...points, dailyCap: 0 } }), { ip: null }), Invalid);
    expect(bad.fieldErrors["points.dailyCap"]?.[0]).toMatch(/daily cap/);
    updateJam(facilitator, jam.id, formInput({ slug: jam.slug, isDraft: false, points: { ...points, idea_posted: 15 } }), { ip: null });
    expect(current(jam.id).isDraft).toBe(true);
    expect(audits("jam_gamification_changed", jam.id)).toHaveLength(1);
  });
});

describe("scheduling a jam", () => {
  it("is refused while an item needs attention, with every reason, and changes nothing", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const now = Date.now();
    const jam = createJam(facilitator, formInput({ startsAt: now - 3 * HOUR, endsAt: now - HOUR, challenges: [{ title: "Meetings", question: "" }] }), { ip: null });
    const error = refusal(() => scheduleJam(facilitator, jam.id, {}, { ip: null }), Invalid);
    expect(error.message).toMatch(/cannot be scheduled yet/);
    expect(error.fieldErrors.checklist).toEqual(["Challenge 1 (“Meetings”) has no question yet.", "Its end has passed: choose an end in the future."]);
    const empty = createJam(facilitator, formInput({ challenges: [] }), { ip: null });
    expect(refusal(() => scheduleJam(facilitator, empty.id, {}, { ip: null }), Invalid).fieldErrors.checklist).toEqual([
      "Add at least one challenge: the question people answer.",
    ]);
    expect(current(jam.id).isDraft).toBe(true);
    expect(audits("jam_scheduled", jam.id)).toEqual([]);
    // The checklist page says the same, item by item.
    const launch = jamLaunch(facilitator, jam.slug);
    expect(launch.ready).toBe(false);
    expect(launch.problems.challenges).toHaveLength(1);
    expect(launch.problems.schedule).toHaveLength(1);
  });

  it("publishes a ready draft for everyone, audited; participants see it on /jams only then", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const participant = makeUser();
    const jam = createJam(facilitator, formInput(), { ip: null });
    expect(jamLaunch(facilitator, jam.slug).ready).toBe(true);
    expect(visibleTo(participant, jam.id)).toBe(false);
    const scheduled = scheduleJam(facilitator, jam.id, { confirmedStartsAt: String(jam.startsAt) }, { ip: "203.0.113.9" });
    expect(scheduled).toMatchObject({ isDraft: false, startsAt: jam.startsAt });
    expect(visibleTo(participant, jam.id)).toBe(true);
    expect(listJams(participant).upcoming.find((j) => j.id === jam.id)?.phase).toBe("scheduled");
    expect(jamHome(participant, jam.slug).jam.phase).toBe("scheduled");
    const [row, ...more] = audits("jam_scheduled", jam.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actorId: facilitator.id, ip: "203.0.113.9" });
    expect(JSON.parse(row!.detail!)).toEqual({ startsAt: jam.startsAt, endsAt: jam.endsAt, opensNow: false });
    // Once: a second click finds it scheduled.
    expect(refusal(() => scheduleJam(facilitator, jam.id, {}, { ip: null }), Conflict).message).toMatch(/already scheduled/);
    expect(audits("jam_scheduled", jam.id)).toHaveLength(1);
  });

  it("opens now when its start has passed, and the start becomes now", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const now = Date.now();
    const jam = createJam(facilitator, formInput({ startsAt: now - DAY, endsAt: now + DAY }), { ip: null });
    expect(jamLaunch(facilitator, jam.slug, now).opensNow).toBe(true);
    const scheduled = scheduleJam(facilitator, jam.id, {}, { ip: null, now });
    expect(scheduled.startsAt).toBe(now);
    expect(JSON.parse(audits("jam_scheduled", jam.id)[0]!.detail!)).toMatchObject({ startsAt: now, opensNow: true });
    expect(jamHome(makeUser(), jam.slug, now + 1).jam.phase).toBe("live");
  });

  it("is refused when the start changed after the facilitator confirmed it", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const jam = createJam(facilitator, formInput(), { ip: null });
    expect(refusal(() => scheduleJam(facilitator, jam.id, { confirmedStartsAt: jam.startsAt - HOUR }, { ip: null }), Conflict).message).toMatch(/start changed/);
    expect(current(jam.id).isDraft).toBe(true);
  });

  it("is for facilitators and admins only", () => {
    const { jam } = makeJam({ isDraft: true, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    for (const role of ["participant", "leader"] as const) {
      refusal(() => scheduleJam(makeUser({ role }), jam.id, {}, { ip: null }), Forbidden);
      refusal(() => unscheduleJam(makeUser({ role }), jam.id, { ip: null }), Forbidden);
    }
    expect(current(jam.id).isDraft).toBe(true);
    expect(scheduleJam(makeUser({ role: "admin" }), jam.id, {}, { ip: null }).isDraft).toBe(false);
  });
});

describe("taking a jam back to draft", () => {
  it("works before it starts, audited, and participants lose it again", () => {
    const { jam, facilitator } = makeJam({ isDraft: true, startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY });
    scheduleJam(facilitator, jam.id, {}, { ip: null });
    expect(jamLaunch(facilitator, jam.slug).backToDraftRefusal).toBeNull();
    expect(unscheduleJam(facilitator, jam.id, { ip: null }).isDraft).toBe(true);
    expect(audits("jam_unscheduled", jam.id)).toHaveLength(1);
    expect(visibleTo(makeUser(), jam.id)).toBe(false);
    refusal(() => jamHome(makeUser(), jam.slug), NotFound);
  });

  it("is refused once it has started: it stays published, and the reason says how to stop it", () => {
    const { jam, facilitator } = makeJam();
    const error = refusal(() => unscheduleJam(facilitator, jam.id, { ip: null }), Conflict);
    expect(error.message).toMatch(/has started, so it stays open to everyone.*set its end to now/);
    expect(jamLaunch(facilitator, jam.slug).backToDraftRefusal).toBe(error.message);
    expect(current(jam.id).isDraft).toBe(false);
    expect(audits("jam_unscheduled", jam.id)).toEqual([]);
  });

  it("is refused for a jam moved back to the future after people posted in it", () => {
    const { jam, challengeIds, facilitator } = makeJam();
    makeIdea(makeUser(), challengeIds[0]!);
    db().update(jams).set({ startsAt: Date.now() + DAY, endsAt: Date.now() + 2 * DAY }).where(eq(jams.id, jam.id)).run();
    refusal(() => unscheduleJam(facilitator, jam.id, { ip: null }), Conflict);
    expect(current(jam.id).isDraft).toBe(false);
  });
});

describe("a participant and a draft jam", () => {
  it("cannot open any of its pages, streams, boards or exports: it does not exist for them", () => {
    const { jam, challengeIds, facilitator } = makeJam({ isDraft: true, startsAt: Date.now() - HOUR, endsAt: Date.now() + DAY });
    const [challengeId] = challengeIds as [number];
    const participant = makeUser();
    const attacks: [string, () => unknown][] = [
      ["jam home", () => jamHome(participant, jam.slug)],
      ["launch checklist", () => jamLaunch(participant, jam.slug)],
      ["preview", () => jamPreview(participant, jam.slug, null)],
      ["preview of a challenge", () => jamPreview(participant, jam.slug, challengeId)],
      ["challenge page", () => listChallengeIdeas(participant, { challengeId })],
      ["challenge search", () => listChallengeIdeas(participant, { challengeId, q: "meeting" })],
      ["similar ideas", () => similarIdeas(participant, { challengeId, text: "meetings and more" })],
      ["vote on ideas", () => nextIdeaToVote(participant, { challengeId })],
      ["dots", () => dotsSummary(participant, { challengeId })],
      ["live stream", () => openJamEvents(participant, jam.slug, new Request("http://localhost/"))],
      ["leaderboard", () => jamLeaderboard(participant, jam.slug, {})],
      ["themes", () => synthesisPage(participant, jam.slug)],
      ["ideas.csv", () => ideasCsv(participant, jam.slug)],
      ["synthesis.md", () => synthesisMarkdownExport(participant, jam.slug)],
      ["network", () => jamNetworkPage(participant, jam.slug, {})],
      ["post an idea", () => postIdea(participant, { challengeId, title: "Sneaky", body: "Posted before launch.", clientKey: "draft-attack-1" })],
    ];
    for (const [name, attack] of attacks) {
      expect(() => attack(), name).toThrow(NotFound);
    }
    // The command centre refuses every participant before looking the jam up: the same answer as for no jam at all.
    expect(refusal(() => commandCentre(participant, jam.slug), Forbidden).message).toBe(
      refusal(() => commandCentre(participant, "no-such-jam"), Forbidden).message,
    );
    expect(visibleTo(participant, jam.id)).toBe(false);
    // Its facilitator sees all of it.
    expect(jamLaunch(facilitator, jam.slug).jam.id).toBe(jam.id);
    expect(jamPreview(facilitator, jam.slug, challengeId).challenge?.id).toBe(challengeId);
  });

  it("a leader sees the draft but not its checklist or preview; a participant of a published jam is refused them too", () => {
    const { jam } = makeJam({ isDraft: true });
    const leader = makeUser({ role: "leader" });
    expect(jamHome(leader, jam.slug).jam.id).toBe(jam.id);
    refusal(() => jamLaunch(leader, jam.slug), Forbidden);
    refusal(() => jamPreview(leader, jam.slug, null), Forbidden);
    refusal(() => postAnnouncement(leader, jam.slug, { body: "Hello" }), Forbidden);
    const published = makeJam();
    refusal(() => jamLaunch(makeUser(), published.jam.slug), Forbidden);
    refusal(() => jamPreview(makeUser(), published.jam.slug, null), Forbidden);
  });

  it("the preview shows the jam as participants will see it, and only its own challenges", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const jam = createJam(facilitator, formInput({ challenges: [{ title: "Meetings", question: "Which meeting would you cancel?", voteMode: "stance" }] }), { ip: null });
    const preview = jamPreview(facilitator, jam.slug, null);
    expect(preview.jam).toMatchObject({ isDraft: true, phase: "scheduled", title: jam.title });
    expect(preview.challenges.map((c) => [c.title, c.voteMode])).toEqual([["Meetings", "stance"]]);
    const other = makeJam();
    refusal(() => jamPreview(facilitator, jam.slug, other.challengeIds[0]!), NotFound);
  });
});

describe("the voting mode on the edit form", () => {
  it("is open until someone votes, then fixed with the reason", () => {
    const { jam, challengeIds, facilitator } = makeJam({ challenges: 2 });
    expect(jamForEdit(facilitator, jam.slug).challenges.map((c) => c.voteModeLock)).toEqual([null, null]);
    castVote(makeUser(), { ideaId: makeIdea(makeUser(), challengeIds[0]!).id });
    const [first, second] = jamForEdit(facilitator, jam.slug).challenges;
    expect(first!.voteModeLock).toBe("People have already voted on this challenge with support votes; its voting mode can no longer change.");
    expect(second!.voteModeLock).toBeNull();
  });
});
