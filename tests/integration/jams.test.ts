import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { postComment } from "~/services/comments.server";
import { createJam, JAM_COUNTS_MIN_REUSE_MS, JAM_COUNTS_MAX_AGE_MS, jamChallenges, jamForEdit, jamHome, listJams, updateJam } from "~/services/jams.server";
import { hideIdea } from "~/services/moderation.server";
import { castVote } from "~/services/votes.server";
import { db } from "~db/client";
import { auditLog, challenges, ideas, jams } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let slugCounter = 0;
function jamInput(overrides: Record<string, unknown> = {}) {
  slugCounter += 1;
  const now = Date.now();
  return {
    title: `Working smarter ${slugCounter}`,
    slug: `working-smarter-${slugCounter}`,
    description: "How could we waste less time?",
    startsAt: now - HOUR,
    endsAt: now + DAY,
    isDraft: false,
    challenges: [
      { title: "Meetings", question: "Which meeting would you cancel?" },
      { title: "Tools", question: "Which tool slows you down?" },
    ],
    ...overrides,
  };
}

function invalid(run: () => unknown): Invalid {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error("expected Invalid, nothing was thrown");
}

type ChallengeEdit = { id?: number; title: string; question: string };

function editInput(facilitator: SessionUser, slug: string, change: (list: ChallengeEdit[]) => ChallengeEdit[]) {
  const { jam, challenges: list } = jamForEdit(facilitator, slug);
  return {
    title: jam.title,
    slug: jam.slug,
    description: jam.description,
    startsAt: jam.startsAt,
    endsAt: jam.endsAt,
    isDraft: jam.isDraft,
    challenges: change(list),
  };
}

describe("creating jams", () => {
  it("a participant cannot create a jam", () => {
    const before = db().select().from(jams).all().length;
    for (const role of ["participant", "leader"] as const) {
      expect(() => createJam(makeUser({ role }), jamInput(), { ip: null })).toThrow(Forbidden);
    }
    expect(db().select().from(jams).all()).toHaveLength(before);
  });

  it("a facilitator creates a jam with its challenges in order, and it is audited", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const jam = createJam(facilitator, jamInput(), { ip: "203.0.113.5" });
    expect(jamChallenges(jam.id).map((c) => c.title)).toEqual(["Meetings", "Tools"]);
    const audit = db().select().from(auditLog).where(and(eq(auditLog.action, "jam_created"), eq(auditLog.subject, `jam:${jam.id}`))).all();
    expect(audit).toMatchObject([{ actorId: facilitator.id, ip: "203.0.113.5" }]);
  });

  it("an admin can create a jam too", () => {
    expect(createJam(makeUser({ role: "admin" }), jamInput(), { ip: null }).id).toBeGreaterThan(0);
  });

  it("a slug already in use is invalid on slug", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const first = createJam(facilitator, jamInput(), { ip: null });
    const error = invalid(() => createJam(facilitator, jamInput({ slug: first.slug }), { ip: null }));
    expect(error.fieldErrors.slug?.[0]).toContain(first.slug);
    // The same address in another case is the same address.
    expect(invalid(() => createJam(facilitator, jamInput({ slug: first.slug.toUpperCase() }), { ip: null })).fieldErrors.slug).toBeDefined();
  });

  it("a slug taken from the title collides with an existing one too", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const first = createJam(facilitator, jamInput({ title: "Ideas for Zürich offices", slug: "" }), { ip: null });
    expect(first.slug).toBe("ideas-for-zurich-offices");
    expect(invalid(() => createJam(facilitator, jamInput({ title: "Ideas for Zürich offices", slug: "" }), { ip: null })).fieldErrors.slug).toBeDefined();
  });

  it("a malformed slug is invalid on slug", () => {
    const facilitator = makeUser({ role: "facilitator" });
    for (const slug of ["has spaces", "double--hyphen", "-leading", "ünïcode", "a".repeat(61)]) {
      expect(invalid(() => createJam(facilitator, jamInput({ slug }), { ip: null })).fieldErrors.slug, slug).toBeDefined();
    }
  });

  it("a jam that ends before it starts is invalid on endsAt", () => {
    const facilitator = makeUser({ role: "facilitator" });
    const now = Date.now();
    for (const endsAt of [now - DAY, now]) {
      const error = invalid(() => createJam(facilitator, jamInput({ startsAt: now, endsAt }), { ip: null }));
      expect(error.fieldErrors.endsAt?.length).toBeGreaterThan(0);
    }
  });

  it("a jam needs at least one challenge", () => {
    const facilitator = makeUser({ role: "facilitator" });
    expect(invalid(() => createJam(facilitator, jamInput({ challenges: [] }), { ip: null })).fieldErrors.challenges).toBeDefined();
  });
});

describe("editing jams", () => {
  it("a facilitator adds a challenge and edits another", () => {
    const { jam, facilitator } = makeJam({ challenges: 2 });
    const input = editInput(facilitator, jam.slug, (list) => [
      list[0]!,
      { ...list[1]!, title: "Renamed", question: "A sharper question?" },
      { title: "Added", question: "What did we forget?" },
    ]);
    updateJam(facilitator, jam.id, input, { ip: null });
    const after = jamForEdit(facilitator, jam.slug).challenges;
    expect(after.map((c) => [c.title, c.question])).toEqual([
      ["Challenge 1", "What would you change, part 1?"],
      ["Renamed", "A sharper question?"],
      ["Added", "What did we forget?"],
    ]);
    // The edited challenge kept its id (and so its ideas).
    expect(after[1]!.id).toBe(input.challenges[1]!.id);
  });

  it("edits keep a challenge's ideas with it", () => {
    const { jam, facilitator, challengeIds } = makeJam({ challenges: 1 });
    makeIdea(makeUser(), challengeIds[0]!);
    updateJam(facilitator, jam.id, editInput(facilitator, jam.slug, (list) => [{ ...list[0]!, title: "Still here" }]), { ip: null });
    expect(jamHome(facilitator, jam.slug).challenges).toMatchObject([{ id: challengeIds[0], title: "Still here", ideaCount: 1 }]);
  });

  it("a challenge that has ideas cannot be removed", () => {
    const { jam, facilitator, challengeIds } = makeJam({ challenges: 2 });
    makeIdea(makeUser(), challengeIds[1]!);
    const input = editInput(facilitator, jam.slug, (list) => [list[0]!]);
    expect(invalid(() => updateJam(facilitator, jam.id, input, { ip: null })).fieldErrors.challenges).toBeDefined();
    expect(jamChallenges(jam.id).map((c) => c.id)).toEqual(challengeIds);
  });

  it("a challenge without ideas can be removed", () => {
    const { jam, facilitator, challengeIds } = makeJam({ challenges: 2 });
    makeIdea(makeUser(), challengeIds[0]!);
    updateJam(facilitator, jam.id, editInput(facilitator, jam.slug, (list) => [list[0]!]), { ip: null });
    expect(jamChallenges(jam.id).map((c) => c.id)).toEqual([challengeIds[0]]);
    expect(db().select().from(challenges).where(eq(challenges.id, challengeIds[1]!)).get()).toBeUndefined();
  });

  it("a challenge of another jam cannot be smuggled in", () => {
    const { jam, facilitator } = makeJam();
    const other = makeJam();
    const input = editInput(facilitator, jam.slug, (list) => [...list, { id: other.challengeIds[0]!, title: "Stolen", question: "Mine now?" }]);
    expect(invalid(() => updateJam(facilitator, jam.id, input, { ip: null })).fieldErrors.challenges).toBeDefined();
    expect(jamChallenges(other.jam.id)[0]!.title).toBe("Challenge 1");
  });

  it("a slug used by another jam is invalid on edit too", () => {
    const { jam, facilitator } = makeJam();
    const other = makeJam();
    const input = { ...editInput(facilitator, jam.slug, (l) => l), slug: other.jam.slug };
    expect(invalid(() => updateJam(facilitator, jam.id, input, { ip: null })).fieldErrors.slug).toBeDefined();
  });

  it("an ended jam's schedule cannot change", () => {
    const now = Date.now();
    const { jam, facilitator } = makeJam({ startsAt: now - 2 * DAY, endsAt: now - DAY });
    const input = { ...editInput(facilitator, jam.slug, (l) => l), endsAt: now + DAY };
    expect(invalid(() => updateJam(facilitator, jam.id, input, { ip: null })).fieldErrors.endsAt).toBeDefined();
    expect(db().select().from(jams).where(eq(jams.id, jam.id)).get()!.endsAt).toBe(now - DAY);
  });

  it("a participant cannot edit a jam or open its edit form", () => {
    const { jam, facilitator } = makeJam();
    const participant = makeUser();
    const input = editInput(facilitator, jam.slug, (l) => l);
    expect(() => updateJam(participant, jam.id, { ...input, title: "Hijacked" }, { ip: null })).toThrow(Forbidden);
    expect(() => jamForEdit(participant, jam.slug)).toThrow(Forbidden);
    expect(db().select().from(jams).where(eq(jams.id, jam.id)).get()!.title).toBe(jam.title);
  });

  it("editing a jam that does not exist is not found", () => {
    const facilitator = makeUser({ role: "facilitator" });
    expect(() => updateJam(facilitator, 999_999, jamInput(), { ip: null })).toThrow(NotFound);
  });
});

describe("listing jams", () => {
  it("groups jams into live, upcoming and past, and hides drafts from participants only", () => {
    const now = Date.now();
    const facilitator = makeUser({ role: "facilitator" });
    const make = (title: string, startsAt: number, endsAt: number, isDraft = false) =>
      createJam(facilitator, jamInput({ title, slug: "", startsAt, endsAt, isDraft }), { ip: null }).id;
    const liveSoon = make("Live ending soon", now - DAY, now + HOUR);
    const liveLater = make("Live ending later", now - HOUR, now + 2 * DAY);
    const nextWeek = make("Starts next week", now + 7 * DAY, now + 8 * DAY);
    const tomorrow = make("Starts tomorrow", now + DAY, now + 2 * DAY);
    const lastMonth = make("Ended last month", now - 40 * DAY, now - 30 * DAY);
    const yesterday = make("Ended yesterday", now - 3 * DAY, now - DAY);
    const draft = make("Secret draft", now - HOUR, now + DAY, true);
    const mine = new Set([liveSoon, liveLater, nextWeek, tomorrow, lastMonth, yesterday, draft]);
    const ids = (list: { id: number }[]) => list.map((j) => j.id).filter((id) => mine.has(id));

    const forParticipant = listJams(makeUser(), now);
    expect(ids(forParticipant.live)).toEqual([liveSoon, liveLater]);
    expect(ids(forParticipant.upcoming)).toEqual([tomorrow, nextWeek]);
    expect(ids(forParticipant.past)).toEqual([yesterday, lastMonth]);
    expect(forParticipant.canCreate).toBe(false);
    expect(JSON.stringify(forParticipant)).not.toContain("Secret draft");

    const forFacilitator = listJams(facilitator, now);
    expect(ids(forFacilitator.live)).toEqual([liveSoon, liveLater]);
    expect(ids(forFacilitator.upcoming).sort()).toEqual([tomorrow, nextWeek, draft].sort());
    expect(forFacilitator.upcoming.find((j) => j.id === draft)!.phase).toBe("draft");
    expect(ids(forFacilitator.past)).toEqual([yesterday, lastMonth]);
    expect(forFacilitator.canCreate).toBe(true);

    // A jam moves from live to past when its end passes.
    const later = listJams(makeUser(), now + 2 * HOUR);
    expect(ids(later.live)).toEqual([liveLater]);
    expect(ids(later.past)[0]).toBe(liveSoon);
  });

  it("counts ideas and challenges, leaving hidden ideas out", () => {
    const { jam, challengeIds } = makeJam({ challenges: 3 });
    makeIdea(makeUser(), challengeIds[0]!);
    makeIdea(makeUser(), challengeIds[2]!);
    const hidden = makeIdea(makeUser(), challengeIds[2]!);
    db().run(sql`UPDATE ideas SET hidden_at = 1 WHERE id = ${hidden.id}`);
    const summary = listJams(makeUser()).live.find((j) => j.id === jam.id)!;
    expect(summary).toMatchObject({ ideaCount: 2, challengeCount: 3, phase: "live" });
  });

  it("a draft jam's home page is not found for a participant and shown to staff", () => {
    const { jam, facilitator } = makeJam({ isDraft: true });
    expect(() => jamHome(makeUser(), jam.slug)).toThrow(NotFound);
    expect(jamHome(facilitator, jam.slug).jam.phase).toBe("draft");
    expect(jamHome(makeUser({ role: "leader" }), jam.slug).jam.id).toBe(jam.id);
  });
});

describe("the jam home's counts", () => {
  afterEach(() => vi.useRealTimers());

  it("count visible ideas, their authors, comments and votes, and are reused for a few seconds", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { jam, challengeIds, facilitator } = makeJam();
    const [ana, ben, cy] = [makeUser(), makeUser(), makeUser()];
    const first = makeIdea(ana, challengeIds[0]!);
    makeIdea(ana, challengeIds[0]!);
    const third = makeIdea(ben, challengeIds[0]!);
    castVote(cy, { ideaId: first.id });
    castVote(ben, { ideaId: first.id });
    postComment(cy, { ideaId: first.id, body: "Yes, and on Fridays too.", clientKey: "totals-comment-1" });
    hideIdea(facilitator, { id: third.id, reason: "Off topic for this jam" }, { ip: null });

    expect(jamHome(cy, jam.slug).stats).toEqual({ ideas: 2, contributors: 1, comments: 1, votes: 2 });
    expect(jamHome(cy, jam.slug).challenges.map((c) => c.ideaCount)).toEqual([2]);

    // Within a second of computing them the page reuses the counts; after it, a change shows.
    makeIdea(cy, challengeIds[0]!);
    vi.setSystemTime(Date.now() + JAM_COUNTS_MIN_REUSE_MS - 1);
    expect(jamHome(cy, jam.slug).stats.ideas).toBe(2);
    vi.setSystemTime(Date.now() + 2);
    expect(jamHome(cy, jam.slug).stats).toEqual({ ideas: 3, contributors: 2, comments: 1, votes: 2 });
    // With no change since, the counts are reused (a row written behind the services' back is not seen)...
    db().update(ideas).set({ voteCount: 99 }).where(eq(ideas.id, first.id)).run();
    vi.setSystemTime(Date.now() + JAM_COUNTS_MAX_AGE_MS - 10);
    expect(jamHome(cy, jam.slug).stats.votes).toBe(2);
    // ...but never for longer than the maximum age.
    vi.setSystemTime(Date.now() + 20);
    expect(jamHome(cy, jam.slug).stats.votes).toBe(99);
  });
});
