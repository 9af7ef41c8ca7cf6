import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raceWorkers } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import type { Stance, VoteMode } from "~/domain/vote-modes";
import { setDots } from "~/services/commands/dots.server";
import { dotsSummary } from "~/services/lookups/dots.server";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { createJam, updateJam } from "~/services/commands/jams.server";
import { jamForEdit } from "~/services/pages/jams.server";
import { castStance } from "~/services/commands/stances.server";
import { nextIdeaToVote } from "~/services/pages/vote.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { dotAllocations, ideas, pointEntries, stanceVotes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const WORKER = fileURLToPath(new URL("./helpers/vote-modes-worker.ts", import.meta.url));

async function challengeIn(voteMode: VoteMode, options: { dotBudget?: number; dotMaxPerIdea?: number; startsAt?: number; endsAt?: number } = {}) {
  const { jam, challengeIds, facilitator } = await makeJam({ voteMode, ...options });
  return { jam, challengeId: challengeIds[0]!, facilitator };
}

/** `n` ideas by `n` different people in the challenge. */
async function ideasIn(challengeId: number, n: number, options: { now?: number } = {}) {
  return await mapInOrder(Array.from({ length: n }), async () => await makeIdea(await makeUser(), challengeId, options));
}

async function stored(ideaId: number) {
  return (await db()
    .select({ agree: ideas.agreeCount, disagree: ideas.disagreeCount, pass: ideas.passCount, dots: ideas.dotCount })
    .from(ideas)
    .where(eq(ideas.id, ideaId))
    .get())!;
}

async function stanceRows(ideaId: number) {
  return await db().select().from(stanceVotes).where(eq(stanceVotes.ideaId, ideaId)).all();
}

/** The cached counters equal the stance rows, stance by stance. */
async function expectStanceCountersConsistent(ideaId: number) {
  const rows = await stanceRows(ideaId);
  const by = (s: Stance) => rows.filter((r) => r.stance === s).length;
  const counts = await stored(ideaId);
  expect({ agree: counts.agree, disagree: counts.disagree, pass: counts.pass }).toEqual({
    agree: by("agree"),
    disagree: by("disagree"),
    pass: by("pass"),
  });
  expect(counts.agree + counts.disagree + counts.pass).toBe(rows.length);
}

async function dotsOf(userId: number, challengeId: number) {
  return (
    (await db().get<{ n: number }>(sql`SELECT coalesce(sum(dots), 0) AS n FROM dot_allocations WHERE user_id = ${userId} AND challenge_id = ${challengeId}`))
      ?.n ?? 0
  );
}

async function expectDotCountersConsistent(challengeId: number) {
  const drift = await db().all<{ id: number }>(
    sql`SELECT i.id FROM ideas i WHERE i.challenge_id = ${challengeId}
        AND i.dot_count <> (SELECT coalesce(sum(d.dots), 0) FROM dot_allocations d WHERE d.idea_id = i.id)`,
  );
  expect(drift).toEqual([]);
}

const race = (jobs: Record<string, unknown>[]) => raceWorkers<WorkerResult>(WORKER, jobs);

interface WorkerResult {
  ok: number;
  refused: string[];
  errors: string[];
}



describe("dots", () => {
  it("a dot budget cannot be overspent by concurrent requests", async () => {
    const { challengeId } = await challengeIn("dots", { dotBudget: 10, dotMaxPerIdea: 3 });
    const list = await ideasIn(challengeId, 10);
    const voter = await makeUser();
    // Five processes, two ideas each, each raising its ideas to 1, 2, then 3 dots: 30 dots wanted, 10 to spend.
    const results = await race(
      Array.from({ length: 5 }, (_, i) => ({
        kind: "dots",
        user: voter,
        ideaIds: list.slice(i * 2, i * 2 + 2).map((idea) => idea.id),
        rounds: 3,
      })),
    );
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    const refused = results.flatMap((r) => r.refused);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((m) => /spent all 10 dots|only \d dots? left/.test(m))).toBe(true);
    const total = await dotsOf(voter.id, challengeId);
    // Some +1 must have been refused (30 were wanted), and a +1 is refused only when all 10 are spent.
    expect(total).toBe(10);
    const rows = await db().select().from(dotAllocations).where(eq(dotAllocations.userId, voter.id)).all();
    expect(rows.every((r) => r.dots >= 1 && r.dots <= 3)).toBe(true);
    await expectDotCountersConsistent(challengeId);
    const summary = await dotsSummary(voter, { challengeId });
    expect(summary.spent).toBe(total);
    expect(summary.remaining).toBe(10 - total);
  });

  it("the same person's dots raced from several processes on one idea never pass the per-idea maximum", async () => {
    const { challengeId } = await challengeIn("dots", { dotBudget: 10, dotMaxPerIdea: 3 });
    const [idea] = await ideasIn(challengeId, 1);
    const voter = await makeUser();
    const results = await race(Array.from({ length: 4 }, () => ({ kind: "dots", user: voter, ideaIds: [idea!.id], rounds: 4 })));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    // Round 4 (4 dots) is always refused: 3 is the most on one idea.
    expect(results.flatMap((r) => r.refused).filter((m) => m.includes("at most 3 dots on one idea"))).toHaveLength(4);
    expect(await dotsOf(voter.id, challengeId)).toBe(3);
    expect((await stored(idea!.id)).dots).toBe(3);
  });

  it("the per-idea maximum is enforced and 0 takes the dots back", async () => {
    const { challengeId } = await challengeIn("dots", { dotBudget: 5, dotMaxPerIdea: 2 });
    const [a, b, c] = await ideasIn(challengeId, 3);
    const voter = await makeUser();
    await expect(async () => await setDots(voter, { ideaId: a!.id, dots: 3 })).rejects.toThrow(/at most 2 dots on one idea/);
    expect(await setDots(voter, { ideaId: a!.id, dots: 2 })).toMatchObject({ dots: 2, dotCount: 2, spent: 2, remaining: 3 });
    expect(await setDots(voter, { ideaId: b!.id, dots: 2 })).toMatchObject({ spent: 4, remaining: 1 });
    await expect(async () => await setDots(voter, { ideaId: c!.id, dots: 2 })).rejects.toThrow(/only 1 dot left/);
    expect(await setDots(voter, { ideaId: c!.id, dots: 1 })).toMatchObject({ spent: 5, remaining: 0 });
    await expect(async () => await setDots(voter, { ideaId: c!.id, dots: 2 })).rejects.toThrow(Conflict);
    // Taking back frees dots for another idea.
    expect(await setDots(voter, { ideaId: a!.id, dots: 0 })).toMatchObject({ dots: 0, dotCount: 0, spent: 3, remaining: 2 });
    expect(await db().select().from(dotAllocations).where(eq(dotAllocations.ideaId, a!.id)).all()).toHaveLength(0);
    expect(await setDots(voter, { ideaId: c!.id, dots: 2 })).toMatchObject({ spent: 4 });
    // Setting the same number again changes nothing.
    expect(await setDots(voter, { ideaId: c!.id, dots: 2 })).toMatchObject({ dots: 2, dotCount: 2, spent: 4 });
    await expect(async () => await setDots(voter, { ideaId: c!.id, dots: -1 })).rejects.toThrow(Invalid);
    await expect(async () => await setDots(voter, { ideaId: c!.id, dots: 1.5 })).rejects.toThrow(Invalid);
    await expectDotCountersConsistent(challengeId);
  });

  it("everyone's dots add up on the idea, each within their own budget", async () => {
    const { challengeId } = await challengeIn("dots", { dotBudget: 3, dotMaxPerIdea: 3 });
    const [idea] = await ideasIn(challengeId, 1);
    const people = await mapInOrder(Array.from({ length: 4 }), async () => await makeUser());
    for (const p of people) await setDots(p, { ideaId: idea!.id, dots: 3 });
    expect((await stored(idea!.id)).dots).toBe(12);
    await setDots(people[0]!, { ideaId: idea!.id, dots: 1 });
    expect((await stored(idea!.id)).dots).toBe(10);
    await expectDotCountersConsistent(challengeId);
  });

  it("dots on an idea that was hidden are given back", async () => {
    const { challengeId } = await challengeIn("dots", { dotBudget: 4, dotMaxPerIdea: 3 });
    const [a, b] = await ideasIn(challengeId, 2);
    const voter = await makeUser();
    await setDots(voter, { ideaId: a!.id, dots: 3 });
    await expect(async () => await setDots(voter, { ideaId: b!.id, dots: 2 })).rejects.toThrow(Conflict);
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, a!.id)).run();
    expect(await dotsSummary(voter, { challengeId })).toMatchObject({ spent: 0, remaining: 4, allocations: [] });
    expect(await setDots(voter, { ideaId: b!.id, dots: 2 })).toMatchObject({ spent: 2 });
    await expect(async () => await setDots(voter, { ideaId: a!.id, dots: 0 })).rejects.toThrow(NotFound);
  });

  it("nobody can put dots on their own idea, nor outside the live jam, nor in another mode's challenge", async () => {
    const { challengeId } = await challengeIn("dots");
    const author = await makeUser();
    const own = await makeIdea(author, challengeId);
    await expect(async () => await setDots(author, { ideaId: own.id, dots: 1 })).rejects.toThrow(Forbidden);

    const now = Date.now();
    const ended = await challengeIn("dots", { startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR });
    const [old] = await ideasIn(ended.challengeId, 1, { now: now - 30 * HOUR });
    await expect(async () => await setDots(await makeUser(), { ideaId: old!.id, dots: 1 })).rejects.toThrow(/This jam has ended/);

    const support = await challengeIn("support");
    const [supported] = await ideasIn(support.challengeId, 1);
    await expect(async () => await setDots(await makeUser(), { ideaId: supported!.id, dots: 1 })).rejects.toThrow(/votes with support votes; dots are not used/);
    expect(await db().select().from(dotAllocations).where(eq(dotAllocations.challengeId, challengeId)).all()).toHaveLength(0);
  });

  it("dots earn nobody points", async () => {
    const { challengeId } = await challengeIn("dots");
    const author = await makeUser();
    const idea = await makeIdea(author, challengeId);
    const before = (await db().select().from(pointEntries).where(eq(pointEntries.userId, author.id)).all()).length;
    await setDots(await makeUser(), { ideaId: idea.id, dots: 3 });
    expect(await db().select().from(pointEntries).where(eq(pointEntries.userId, author.id)).all()).toHaveLength(before);
  });
});

describe("stances", () => {
  it("a stance vote can be changed but never doubled", async () => {
    const { challengeId } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    const voter = await makeUser();
    expect(await castStance(voter, { ideaId: idea!.id, stance: "agree" })).toMatchObject({ changed: true, agreeCount: 1, disagreeCount: 0, passCount: 0 });
    expect(await castStance(voter, { ideaId: idea!.id, stance: "agree" })).toMatchObject({ changed: false, agreeCount: 1 });
    expect(await castStance(voter, { ideaId: idea!.id, stance: "disagree" })).toMatchObject({ changed: true, agreeCount: 0, disagreeCount: 1 });
    expect(await castStance(voter, { ideaId: idea!.id, stance: "pass" })).toMatchObject({ agreeCount: 0, disagreeCount: 0, passCount: 1 });
    expect(await stanceRows(idea!.id)).toHaveLength(1);
    expect((await stanceRows(idea!.id))[0]!.stance).toBe("pass");
    await expectStanceCountersConsistent(idea!.id);
  });

  it("the counters always equal the stance rows, however people change their minds", async () => {
    const { challengeId } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    const people = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser());
    const sequence: Stance[] = ["agree", "disagree", "pass", "agree", "agree", "disagree", "pass", "pass"];
    await forEachInOrder(people, async (p, i) => {
      for (const s of sequence.slice(i % 3, i % 3 + 3 + i)) await castStance(p, { ideaId: idea!.id, stance: s });
    });
    expect(await stanceRows(idea!.id)).toHaveLength(6);
    await expectStanceCountersConsistent(idea!.id);
  });

  it("one person's stances raced from several processes leave one row and consistent counters", async () => {
    const { challengeId } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    const voter = await makeUser();
    const results = await race(
      (["agree", "disagree", "pass", "agree"] as Stance[]).map((first, i) => ({
        kind: "stance",
        user: voter,
        ideaId: idea!.id,
        stances: Array.from({ length: 6 }, (_, j) => (["agree", "disagree", "pass"] as Stance[])[(i + j) % 3]!).concat(first),
      })),
    );
    expect(results.flatMap((r) => [...r.errors, ...r.refused])).toEqual([]);
    expect(await stanceRows(idea!.id)).toHaveLength(1);
    await expectStanceCountersConsistent(idea!.id);
  });

  it("a stance in a challenge of another mode is refused with a clear message", async () => {
    const support = await challengeIn("support");
    const [idea] = await ideasIn(support.challengeId, 1);
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" })).rejects.toThrow(Conflict);
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" })).rejects.toThrow(
      "This challenge votes with support votes; agree / disagree / pass votes are not used here.",
    );
    expect(await stanceRows(idea!.id)).toHaveLength(0);
  });

  it("support votes are refused in stance and dots challenges", async () => {
    for (const mode of ["stance", "dots"] as const) {
      const { challengeId } = await challengeIn(mode);
      const [idea] = await ideasIn(challengeId, 1);
      await expect(async () => await castVote(await makeUser(), { ideaId: idea!.id })).rejects.toThrow(/support votes are not used here/);
      await expect(async () => await withdrawVote(await makeUser(), { ideaId: idea!.id })).rejects.toThrow(Conflict);
    }
  });

  it("nobody can take a stance on their own idea, anonymous or not", async () => {
    const { challengeId } = await challengeIn("stance");
    const author = await makeUser();
    const named = await makeIdea(author, challengeId);
    const anonymous = await makeIdea(author, challengeId, { isAnonymous: true });
    await expect(async () => await castStance(author, { ideaId: named.id, stance: "agree" })).rejects.toThrow(Forbidden);
    await expect(async () => await castStance(author, { ideaId: anonymous.id, stance: "pass" })).rejects.toThrow(Forbidden);
    expect(await stanceRows(named.id)).toHaveLength(0);
  });

  it("stances after the jam has ended, or before it starts, are refused", async () => {
    const now = Date.now();
    const ended = await challengeIn("stance", { startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR });
    const [old] = await ideasIn(ended.challengeId, 1, { now: now - 30 * HOUR });
    await expect(async () => await castStance(await makeUser(), { ideaId: old!.id, stance: "agree" })).rejects.toThrow(/This jam has ended/);
    const live = await challengeIn("stance");
    const [idea] = await ideasIn(live.challengeId, 1);
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" }, { now: live.jam.endsAt })).rejects.toThrow(Conflict);
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" }, { now: live.jam.startsAt - 1 })).rejects.toThrow(Conflict);
    expect(await stanceRows(old!.id)).toHaveLength(0);
    expect(await stanceRows(idea!.id)).toHaveLength(0);
  });

  it("a stance on a hidden idea is not found, and an unknown stance is invalid", async () => {
    const { challengeId } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "maybe" })).rejects.toThrow(Invalid);
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, idea!.id)).run();
    await expect(async () => await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" })).rejects.toThrow(NotFound);
  });
});

describe("the next idea to vote on", () => {
  it("serves the least-voted first, then the oldest, skipping one's own, voted and hidden ideas", async () => {
    const { challengeId } = await challengeIn("stance", { startsAt: Date.now() - 2 * HOUR });
    const viewer = await makeUser();
    const t = Date.now() - HOUR;
    const [oldest, older, newer, newest] = await mapInOrder([0, 1, 2, 3], async (i) => await makeIdea(await makeUser(), challengeId, { now: t + i * 1000 }));
    const mine = await makeIdea(viewer, challengeId, { now: t - 5000 });
    const hidden = await makeIdea(await makeUser(), challengeId, { now: t - 4000 });
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, hidden.id)).run();
    // Others' votes: oldest has 2, older 1, newer 0, newest 0.
    for (const p of [await makeUser(), await makeUser()]) await castStance(p, { ideaId: oldest!.id, stance: "agree" });
    await castStance(await makeUser(), { ideaId: older!.id, stance: "disagree" });

    const first = await nextIdeaToVote(viewer, { challengeId });
    expect(first.idea?.id).toBe(newer!.id);
    expect(first.progress).toEqual({ voted: 0, total: 4 });
    expect(first.idea).not.toHaveProperty("authorId");

    await castStance(viewer, { ideaId: newer!.id, stance: "pass" });
    expect((await nextIdeaToVote(viewer, { challengeId })).idea?.id).toBe(newest!.id);
    await castStance(viewer, { ideaId: newest!.id, stance: "agree" });
    expect((await nextIdeaToVote(viewer, { challengeId })).idea?.id).toBe(older!.id);
    await castStance(viewer, { ideaId: older!.id, stance: "agree" });
    const last = await nextIdeaToVote(viewer, { challengeId });
    expect(last.idea?.id).toBe(oldest!.id);
    expect(last.progress).toEqual({ voted: 3, total: 4 });
    await castStance(viewer, { ideaId: oldest!.id, stance: "disagree" });
    const done = await nextIdeaToVote(viewer, { challengeId });
    expect(done.idea).toBeNull();
    expect(done.progress).toEqual({ voted: 4, total: 4 });
    expect([mine.id, hidden.id]).not.toContain(first.idea?.id);
  });

  it("serves nothing in a challenge that does not vote by stance", async () => {
    const { challengeId } = await challengeIn("dots");
    await ideasIn(challengeId, 2);
    const next = await nextIdeaToVote(await makeUser(), { challengeId });
    expect(next.idea).toBeNull();
    expect(next.challenge.voteMode).toBe("dots");
  });
});

describe("results per mode", () => {
  it("“top” orders a stance challenge by agrees and a dots challenge by dots, page after page", async () => {
    const stance = await challengeIn("stance");
    const list = await ideasIn(stance.challengeId, 23);
    const voters = await mapInOrder(Array.from({ length: 3 }), async () => await makeUser());
    // Idea i gets i % 4 agrees; others' disagrees do not count.
    await forEachInOrder(list, async (idea, i) => {
      await forEachInOrder(voters.slice(0, i % 4), async (v) => await castStance(v, { ideaId: idea.id, stance: "agree" }));
      if (i % 4 === 0) await forEachInOrder(voters, async (v) => await castStance(v, { ideaId: idea.id, stance: "disagree" }));
    });
    const viewer = await makeUser();
    const page1 = await listChallengeIdeas(viewer, { challengeId: stance.challengeId, sort: "top" });
    expect(page1.challenge.voteMode).toBe("stance");
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await listChallengeIdeas(viewer, { challengeId: stance.challengeId, sort: "top", cursor: page1.nextCursor! });
    const all = [...page1.ideas, ...page2.ideas];
    expect(all).toHaveLength(23);
    expect(new Set(all.map((i) => i.id)).size).toBe(23);
    const agrees = all.map((i) => i.agreeCount);
    expect(agrees).toEqual([...agrees].sort((a, b) => b - a));
    expect(all.every((i) => i.voteMode === "stance")).toBe(true);

    const dots = await challengeIn("dots", { dotBudget: 10, dotMaxPerIdea: 3 });
    const [a, b, c] = await ideasIn(dots.challengeId, 3);
    const spender = await makeUser();
    await setDots(spender, { ideaId: b!.id, dots: 3 });
    await setDots(spender, { ideaId: c!.id, dots: 1 });
    const top = await listChallengeIdeas(spender, { challengeId: dots.challengeId, sort: "top" });
    expect(top.ideas.map((i) => i.id)).toEqual([b!.id, c!.id, a!.id]);
    expect(top.ideas.map((i) => i.myDots)).toEqual([3, 1, 0]);
    expect(top.ideas.map((i) => i.dotCount)).toEqual([3, 1, 0]);
  });

  it("cards carry the viewer's own stance", async () => {
    const { challengeId } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    const viewer = await makeUser();
    await castStance(viewer, { ideaId: idea!.id, stance: "disagree" });
    const page = await listChallengeIdeas(viewer, { challengeId, sort: "newest" });
    expect(page.ideas[0]).toMatchObject({ myStance: "disagree", disagreeCount: 1, voteMode: "stance" });
    expect((await listChallengeIdeas(await makeUser(), { challengeId, sort: "newest" })).ideas[0]!.myStance).toBeNull();
  });
});

describe("choosing the mode", () => {
  async function editInput(jamId: number, facilitator: SessionUser, change: Record<string, unknown>) {
    const { jam, challenges } = await jamForEdit(facilitator, (await db().get<{ slug: string }>(sql`SELECT slug FROM jams WHERE id = ${jamId}`))!.slug);
    return {
      title: jam.title,
      slug: jam.slug,
      description: jam.description,
      startsAt: jam.startsAt,
      endsAt: jam.endsAt,
      isDraft: jam.isDraft,
      challenges: challenges.map((c, i) => ({ id: c.id, title: c.title, question: c.question, ...(i === 0 ? change : {}) })),
    };
  }

  it("a challenge's mode and dot settings are stored, and change freely until someone votes", async () => {
    const { jam, challengeId, facilitator } = await challengeIn("support");
    await updateJam(facilitator, jam.id, await editInput(jam.id, facilitator, { voteMode: "dots", dotBudget: 6, dotMaxPerIdea: 2 }), { ip: null });
    expect((await jamForEdit(facilitator, jam.slug)).challenges[0]).toMatchObject({ id: challengeId, voteMode: "dots", dotBudget: 6, dotMaxPerIdea: 2 });
    await updateJam(facilitator, jam.id, await editInput(jam.id, facilitator, { voteMode: "stance" }), { ip: null });
    // Dot settings are kept while another mode is chosen.
    expect((await jamForEdit(facilitator, jam.slug)).challenges[0]).toMatchObject({ voteMode: "stance", dotBudget: 6, dotMaxPerIdea: 2 });
  });

  it("changing the mode after votes in the old mode is refused with a field error", async () => {
    const { jam, challengeId, facilitator } = await challengeIn("stance");
    const [idea] = await ideasIn(challengeId, 1);
    await castStance(await makeUser(), { ideaId: idea!.id, stance: "agree" });
    let error: unknown;
    try {
      await updateJam(facilitator, jam.id, await editInput(jam.id, facilitator, { voteMode: "support" }), { ip: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fieldErrors["challenges.0.voteMode"]?.[0]).toMatch(/already voted on this challenge by agreeing/);
    expect((await jamForEdit(facilitator, jam.slug)).challenges[0]!.voteMode).toBe("stance");
    // Saving with the same mode still works.
    await updateJam(facilitator, jam.id, await editInput(jam.id, facilitator, { voteMode: "stance", title: "Renamed" }), { ip: null });
  });

  it("a new jam's challenges keep the mode and dot settings the facilitator chose, and bad settings are field errors", async () => {
    const facilitator = await makeUser({ role: "facilitator" });
    const now = Date.now();
    const input = (challenges: Record<string, unknown>[]) => ({
      title: "Modes",
      slug: `modes-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      startsAt: now - HOUR,
      endsAt: now + HOUR,
      challenges,
    });
    const jam = await createJam(
      facilitator,
      input([
        { title: "A", question: "Q", voteMode: "stance" },
        { title: "B", question: "Q", voteMode: "dots", dotBudget: 5, dotMaxPerIdea: 5 },
        { title: "C", question: "Q" },
      ]),
      { ip: null },
    );
    expect((await jamForEdit(facilitator, jam.slug)).challenges.map((c) => [c.voteMode, c.dotBudget, c.dotMaxPerIdea])).toEqual([
      ["stance", 10, 3],
      ["dots", 5, 5],
      ["support", 10, 3],
    ]);
    let error: unknown;
    try {
      await createJam(
        facilitator,
        input([
          { title: "A", question: "Q", voteMode: "dots", dotBudget: Number.NaN, dotMaxPerIdea: 3 },
          { title: "B", question: "Q", voteMode: "dots", dotBudget: 4, dotMaxPerIdea: 6 },
          { title: "C", question: "Q", voteMode: "ranked" },
        ]),
        { ip: null },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect(Object.keys((error as Invalid).fieldErrors).sort()).toEqual([
      "challenges.0.dotBudget",
      "challenges.1.dotMaxPerIdea",
      "challenges.2.voteMode",
    ]);
  });

  it("dot settings only grow once dots were placed, and must make sense", async () => {
    const { jam, challengeId, facilitator } = await challengeIn("dots", { dotBudget: 10, dotMaxPerIdea: 3 });
    const [idea] = await ideasIn(challengeId, 1);
    await setDots(await makeUser(), { ideaId: idea!.id, dots: 2 });
    const attempt = (change: Record<string, unknown>) => async () =>
      await updateJam(facilitator, jam.id, await editInput(jam.id, facilitator, { voteMode: "dots", ...change }), { ip: null });
    await expect(attempt({ dotBudget: 8, dotMaxPerIdea: 3 })).rejects.toThrow(Invalid);
    await expect(attempt({ dotBudget: 10, dotMaxPerIdea: 2 })).rejects.toThrow(Invalid);
    await expect(attempt({ dotBudget: 5, dotMaxPerIdea: 6 })).rejects.toThrow(Invalid);
    await attempt({ dotBudget: 12, dotMaxPerIdea: 4 })();
    expect((await jamForEdit(facilitator, jam.slug)).challenges[0]).toMatchObject({ dotBudget: 12, dotMaxPerIdea: 4 });
  });
});
