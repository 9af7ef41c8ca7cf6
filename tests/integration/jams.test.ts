import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { postComment } from "~/services/commands/comments.server";
import { createJam, updateJam } from "~/services/commands/jams.server";
import { JAM_COUNTS_MIN_REUSE_MS, JAM_COUNTS_MAX_AGE_MS, jamChallenges } from "~/services/lookups/jams.server";
import { jamForEdit, jamHome, listJams } from "~/services/pages/jams.server";
import { hideIdea } from "~/services/commands/moderation.server";
import { castVote } from "~/services/commands/votes.server";
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

async function invalid(run: () => unknown): Promise<Invalid> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error("expected Invalid, nothing was thrown");
}

type ChallengeEdit = { id?: number; title: string; question: string };

async function editInput(facilitator: SessionUser, slug: string, change: (list: ChallengeEdit[]) => ChallengeEdit[]) {
  const { jam, challenges: list } = await jamForEdit(facilitator, slug);
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
  it("a participant cannot create a jam", async () => {
    const before = (await db().select().from(jams).all()).length;
    for (const role of ["participant", "leader"] as const) {
      await expect(async () => await createJam(await makeUser({ role }), jamInput(), { ip: null })).rejects.toThrow(Forbidden);
    }
    expect(await db().select().from(jams).all()).toHaveLength(before);
  });

  it("a facilitator creates a jam with its challenges in order, and it is audited", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const jam = await createJam(facilitator, jamInput(), { ip: "203.0.113.5" });
    expect((await jamChallenges(jam.id)).map((c) => c.title)).toEqual(["Meetings", "Tools"]);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "jam_created"), eq(auditLog.subject, `jam:${jam.id}`))).all();
    expect(audit).toMatchObject([{ actorId: facilitator.id, ip: "203.0.113.5" }]);
  });

  it("an admin can create a jam too", async () => {
    expect((await createJam(await makeUser({ role: "admin" }), jamInput(), { ip: null })).id).toBeGreaterThan(0);
  });

  it("a slug already in use is invalid on slug", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const first = await createJam(facilitator, jamInput(), { ip: null });
    const error = await invalid(async () => await createJam(facilitator, jamInput({ slug: first.slug }), { ip: null }));
    expect(error.fieldErrors.slug?.[0]).toContain(first.slug);
    // The same address in another case is the same address.
    expect((await invalid(async () => await createJam(facilitator, jamInput({ slug: first.slug.toUpperCase() }), { ip: null }))).fieldErrors.slug).toBeDefined();
  });

  it("a slug taken from the title collides with an existing one too", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const first = await createJam(facilitator, jamInput({ title: "Ideas for Zürich offices", slug: "" }), { ip: null });
    expect(first.slug).toBe("ideas-for-zurich-offices");
    expect((await invalid(async () => await createJam(facilitator, jamInput({ title: "Ideas for Zürich offices", slug: "" }), { ip: null }))).fieldErrors.slug).toBeDefined();
  });

  it("a malformed slug is invalid on slug", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    for (const slug of ["has spaces", "double--hyphen", "-leading", "ünïcode", "a".repeat(61)]) {
      expect((await invalid(async () => await createJam(facilitator, jamInput({ slug }), { ip: null }))).fieldErrors.slug, slug).toBeDefined();
    }
  });

  it("a jam that ends before it starts is invalid on endsAt", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const now = Date.now();
    for (const endsAt of [now - DAY, now]) {
      const error = await invalid(async () => await createJam(facilitator, jamInput({ startsAt: now, endsAt }), { ip: null }));
      expect(error.fieldErrors.endsAt?.length).toBeGreaterThan(0);
    }
  });

  it("a jam needs at least one challenge", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    expect((await invalid(async () => await createJam(facilitator, jamInput({ challenges: [] }), { ip: null }))).fieldErrors.challenges).toBeDefined();
  });
});

describe("editing jams", () => {
  it("a facilitator adds a challenge and edits another", async () => {
    const { jam, facilitator } = await makeJam({ challenges: 2 });
    const input = await editInput(facilitator, jam.slug, (list) => [
      list[0]!,
      { ...list[1]!, title: "Renamed", question: "A sharper question?" },
      { title: "Added", question: "What did we forget?" },
    ]);
    await updateJam(facilitator, jam.id, input, { ip: null });
    const after = (await jamForEdit(facilitator, jam.slug)).challenges;
    expect(after.map((c) => [c.title, c.question])).toEqual([
      ["Challenge 1", "What would you change, part 1?"],
      ["Renamed", "A sharper question?"],
      ["Added", "What did we forget?"],
    ]);
    // The edited challenge kept its id (and so its ideas).
    expect(after[1]!.id).toBe(input.challenges[1]!.id);
  });

  it("edits keep a challenge's ideas with it", async () => {
    const { jam, facilitator, challengeIds } = await makeJam({ challenges: 1 });
    await makeIdea(await makeUser(), challengeIds[0]!);
    await updateJam(facilitator, jam.id, await editInput(facilitator, jam.slug, (list) => [{ ...list[0]!, title: "Still here" }]), { ip: null });
    expect((await jamHome(facilitator, jam.slug)).challenges).toMatchObject([{ id: challengeIds[0], title: "Still here", ideaCount: 1 }]);
  });

  it("a challenge that has ideas cannot be removed", async () => {
    const { jam, facilitator, challengeIds } = await makeJam({ challenges: 2 });
    await makeIdea(await makeUser(), challengeIds[1]!);
    const input = await editInput(facilitator, jam.slug, (list) => [list[0]!]);
    expect((await invalid(async () => await updateJam(facilitator, jam.id, input, { ip: null }))).fieldErrors.challenges).toBeDefined();
    expect((await jamChallenges(jam.id)).map((c) => c.id)).toEqual(challengeIds);
  });

  it("a challenge without ideas can be removed", async () => {
    const { jam, facilitator, challengeIds } = await makeJam({ challenges: 2 });
    await makeIdea(await makeUser(), challengeIds[0]!);
    await updateJam(facilitator, jam.id, await editInput(facilitator, jam.slug, (list) => [list[0]!]), { ip: null });
    expect((await jamChallenges(jam.id)).map((c) => c.id)).toEqual([challengeIds[0]]);
    expect(await db().select().from(challenges).where(eq(challenges.id, challengeIds[1]!)).get()).toBeUndefined();
  });

  it("a challenge of another jam cannot be smuggled in", async () => {
    const { jam, facilitator } = await makeJam();
    const other = await makeJam();
    const input = await editInput(facilitator, jam.slug, (list) => [...list, { id: other.challengeIds[0]!, title: "Stolen", question: "Mine now?" }]);
    expect((await invalid(async () => await updateJam(facilitator, jam.id, input, { ip: null }))).fieldErrors.challenges).toBeDefined();
    expect((await jamChallenges(other.jam.id))[0]!.title).toBe("Challenge 1");
  });

  it("a slug used by another jam is invalid on edit too", async () => {
    const { jam, facilitator } = await makeJam();
    const other = await makeJam();
    const input = { ...await editInput(facilitator, jam.slug, (l) => l), slug: other.jam.slug };
    expect((await invalid(async () => await updateJam(facilitator, jam.id, input, { ip: null }))).fieldErrors.slug).toBeDefined();
  });

  it("an ended jam's schedule cannot change", async () => {
    const now = Date.now();
    const { jam, facilitator } = await makeJam({ startsAt: now - 2 * DAY, endsAt: now - DAY });
    const input = { ...await editInput(facilitator, jam.slug, (l) => l), endsAt: now + DAY };
    expect((await invalid(async () => await updateJam(facilitator, jam.id, input, { ip: null }))).fieldErrors.endsAt).toBeDefined();
    expect((await db().select().from(jams).where(eq(jams.id, jam.id)).get())!.endsAt).toBe(now - DAY);
  });

  it("a participant cannot edit a jam or open its edit form", async () => {
    const { jam, facilitator } = await makeJam();
    const participant = await makeUser();
    const input = await editInput(facilitator, jam.slug, (l) => l);
    await expect(async () => await updateJam(participant, jam.id, { ...input, title: "Hijacked" }, { ip: null })).rejects.toThrow(Forbidden);
    await expect(async () => await jamForEdit(participant, jam.slug)).rejects.toThrow(Forbidden);
    expect((await db().select().from(jams).where(eq(jams.id, jam.id)).get())!.title).toBe(jam.title);
  });

  it("editing a jam that does not exist is not found", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    await expect(async () => await updateJam(facilitator, 999_999, jamInput(), { ip: null })).rejects.toThrow(NotFound);
  });
});

describe("listing jams", () => {
  it("groups jams into live, upcoming and past, and hides drafts from participants only", async () => {
    const now = Date.now();
    const facilitator = await makeUser({ role: "facilitator" });
    const make = async (title: string, startsAt: number, endsAt: number, isDraft = false) =>
      (await createJam(facilitator, jamInput({ title, slug: "", startsAt, endsAt, isDraft }), { ip: null })).id;
    const liveSoon = await make("Live ending soon", now - DAY, now + HOUR);
    const liveLater = await make("Live ending later", now - HOUR, now + 2 * DAY);
    const nextWeek = await make("Starts next week", now + 7 * DAY, now + 8 * DAY);
    const tomorrow = await make("Starts tomorrow", now + DAY, now + 2 * DAY);
    const lastMonth = await make("Ended last month", now - 40 * DAY, now - 30 * DAY);
    const yesterday = await make("Ended yesterday", now - 3 * DAY, now - DAY);
    const draft = await make("Secret draft", now - HOUR, now + DAY, true);
    const mine = new Set([liveSoon, liveLater, nextWeek, tomorrow, lastMonth, yesterday, draft]);
    const ids = (list: { id: number }[]) => list.map((j) => j.id).filter((id) => mine.has(id));

    const forParticipant = await listJams(await makeUser(), now);
    expect(ids(forParticipant.live)).toEqual([liveSoon, liveLater]);
    expect(ids(forParticipant.upcoming)).toEqual([tomorrow, nextWeek]);
    expect(ids(forParticipant.past)).toEqual([yesterday, lastMonth]);
    expect(forParticipant.canCreate).toBe(false);
    expect(JSON.stringify(forParticipant)).not.toContain("Secret draft");

    const forFacilitator = await listJams(facilitator, now);
    expect(ids(forFacilitator.live)).toEqual([liveSoon, liveLater]);
    expect(ids(forFacilitator.upcoming).sort()).toEqual([tomorrow, nextWeek, draft].sort());
    expect(forFacilitator.upcoming.find((j) => j.id === draft)!.phase).toBe("draft");
    expect(ids(forFacilitator.past)).toEqual([yesterday, lastMonth]);
    expect(forFacilitator.canCreate).toBe(true);

    // A jam moves from live to past when its end passes.
    const later = await listJams(await makeUser(), now + 2 * HOUR);
    expect(ids(later.live)).toEqual([liveLater]);
    expect(ids(later.past)[0]).toBe(liveSoon);
  });

  it("counts ideas and challenges, leaving hidden ideas out", async () => {
    const { jam, challengeIds } = await makeJam({ challenges: 3 });
    await makeIdea(await makeUser(), challengeIds[0]!);
    await makeIdea(await makeUser(), challengeIds[2]!);
    const hidden = await makeIdea(await makeUser(), challengeIds[2]!);
    await db().run(sql`UPDATE ideas SET hidden_at = 1 WHERE id = ${hidden.id}`);
    const summary = (await listJams(await makeUser())).live.find((j) => j.id === jam.id)!;
    expect(summary).toMatchObject({ ideaCount: 2, challengeCount: 3, phase: "live" });
  });

  it("a draft jam's home page is not found for a participant and shown to staff", async () => {
    const { jam, facilitator } = await makeJam({ isDraft: true });
    await expect(async () => await jamHome(await makeUser(), jam.slug)).rejects.toThrow(NotFound);
    expect((await jamHome(facilitator, jam.slug)).jam.phase).toBe("draft");
    expect((await jamHome(await makeUser({ role: "leader" }), jam.slug)).jam.id).toBe(jam.id);
  });
});

describe("the jam home's counts", () => {
  afterEach(() => vi.useRealTimers());

  it("count visible ideas, their authors, comments and votes, and are reused for a few seconds", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { jam, challengeIds, facilitator } = await makeJam();
    const [ana, ben, cy] = [await makeUser(), await makeUser(), await makeUser()];
    const first = await makeIdea(ana, challengeIds[0]!);
    await makeIdea(ana, challengeIds[0]!);
    const third = await makeIdea(ben, challengeIds[0]!);
    await castVote(cy, { ideaId: first.id });
    await castVote(ben, { ideaId: first.id });
    await postComment(cy, { ideaId: first.id, body: "Yes, and on Fridays too.", clientKey: "totals-comment-1" });
    await hideIdea(facilitator, { id: third.id, reason: "Off topic for this jam" }, { ip: null });

    expect((await jamHome(cy, jam.slug)).stats).toEqual({ ideas: 2, contributors: 1, comments: 1, votes: 2 });
    expect((await jamHome(cy, jam.slug)).challenges.map((c) => c.ideaCount)).toEqual([2]);

    // Within a second of computing them the page reuses the counts; after it, a change shows.
    await makeIdea(cy, challengeIds[0]!);
    vi.setSystemTime(Date.now() + JAM_COUNTS_MIN_REUSE_MS - 1);
    expect((await jamHome(cy, jam.slug)).stats.ideas).toBe(2);
    vi.setSystemTime(Date.now() + 2);
    expect((await jamHome(cy, jam.slug)).stats).toEqual({ ideas: 3, contributors: 2, comments: 1, votes: 2 });
    // With no change since, the counts are reused (a row written behind the services' back is not seen)...
    await db().update(ideas).set({ voteCount: 99 }).where(eq(ideas.id, first.id)).run();
    vi.setSystemTime(Date.now() + JAM_COUNTS_MAX_AGE_MS - 10);
    expect((await jamHome(cy, jam.slug)).stats.votes).toBe(2);
    // ...but never for longer than the maximum age.
    vi.setSystemTime(Date.now() + 20);
    expect((await jamHome(cy, jam.slug)).stats.votes).toBe(99);
  });
});
