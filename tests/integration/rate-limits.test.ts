/**
 * Per-person rate limits through the real services: the refused attempt throws
 * TooManyRequests before its transaction and writes nothing; other people are not
 * affected; once the window has passed (a later `now`) the person can go on.
 * (tests/setup/db.ts turns limits off for every other test file.)
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { postComment } from "~/services/commands/comments.server";
import { setDots } from "~/services/commands/dots.server";
import { resetRateLimits, setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { castStance } from "~/services/commands/stances.server";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { comments, ideas, votes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { refusal } from "../support/refusal";

const MINUTE = 60_000;

const ideasBy = async (authorId: number) => (await db().select({ n: count() }).from(ideas).where(eq(ideas.authorId, authorId)).get())!.n;
const commentsBy = async (authorId: number) => (await db().select({ n: count() }).from(comments).where(eq(comments.authorId, authorId)).get())!.n;
const votesBy = async (userId: number) => (await db().select({ n: count() }).from(votes).where(eq(votes.userId, userId)).get())!.n;

beforeEach(async () => {
  setRateLimitsEnabled(true);
  await resetRateLimits();
});
afterAll(() => setRateLimitsEnabled(false));

describe("posting ideas too fast", () => {
  it("refuses the 11th idea within a minute, writes nothing for it, and lets the person post again once the minute has passed", async () => {
    const { challengeIds } = await makeJam();
    const person = await makeUser();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await makeIdea(person, challengeIds[0]!, { now: t0 + i * 1_000 });
    const error = await refusal(async () => await makeIdea(person, challengeIds[0]!, { now: t0 + 20_000 }));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(40);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 40 seconds.");
    expect(await ideasBy(person.id)).toBe(10);

    // Someone else posting at the same moment is not affected.
    const other = await makeUser();
    expect((await makeIdea(other, challengeIds[0]!, { now: t0 + 20_000 })).created).toBe(true);

    // A minute after the first idea, a slot is free again.
    expect((await makeIdea(person, challengeIds[0]!, { now: t0 + MINUTE })).created).toBe(true);
    expect(await ideasBy(person.id)).toBe(11);
  });
});

describe("commenting too fast", () => {
  it("refuses the 21st comment within a minute and writes nothing for it", async () => {
    const { challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const person = await makeUser();
    const t0 = Date.now();
    const comment = async (n: number, now: number) => await postComment(person, { ideaId: idea.id, body: `Comment ${n}`, clientKey: `rl-comment-${person.id}-${n}` }, { now });
    for (let i = 0; i < 20; i++) await comment(i, t0 + i * 100);
    const error = await refusal(async () => await comment(20, t0 + 5_000));
    expect(error.message).toMatch(/^You're commenting very fast\. Try again in \d+ seconds\.$/);
    expect(error.retryAfterSeconds).toBe(55);
    expect(await commentsBy(person.id)).toBe(20);

    await expect((async () => await postComment(await makeUser(), { ideaId: idea.id, body: "Me too", clientKey: `rl-other-${person.id}` }, { now: t0 + 5_000 }))()).resolves.not.toThrow();
    await expect((async () => await comment(20, t0 + MINUTE))()).resolves.not.toThrow();
    expect(await commentsBy(person.id)).toBe(21);
  });
});

describe("voting too fast", () => {
  it("refuses the 121st support vote or withdrawal within a minute and changes nothing", async () => {
    const { challengeIds } = await makeJam();
    const author = await makeUser();
    const [first, second] = [await makeIdea(author, challengeIds[0]!), await makeIdea(author, challengeIds[0]!)];
    const person = await makeUser();
    const t0 = Date.now();
    // Toggling one vote on and off: 120 changes in half a minute.
    for (let i = 0; i < 120; i++) await (i % 2 === 0 ? castVote : withdrawVote)(person, { ideaId: first.id }, { now: t0 + i * 250 });
    expect(await votesBy(person.id)).toBe(0);
    const error = await refusal(async () => await castVote(person, { ideaId: second.id }, { now: t0 + 30_000 }));
    expect(error.message).toMatch(/^You're voting very fast\./);
    expect(error.retryAfterSeconds).toBe(30);
    expect(await votesBy(person.id)).toBe(0);
    expect((await db().select({ n: ideas.voteCount }).from(ideas).where(eq(ideas.id, second.id)).get())!.n).toBe(0);

    expect((await castVote(await makeUser(), { ideaId: second.id }, { now: t0 + 30_000 })).hasVoted).toBe(true);
    expect((await castVote(person, { ideaId: second.id }, { now: t0 + MINUTE })).hasVoted).toBe(true);
  });

  it("counts stances and dots against the same voting budget", async () => {
    const stanceJam = await makeJam({ voteMode: "stance" });
    const dotsJam = await makeJam({ voteMode: "dots", dotBudget: 10, dotMaxPerIdea: 3 });
    const author = await makeUser();
    const stanceIdea = await makeIdea(author, stanceJam.challengeIds[0]!);
    const dotsIdea = await makeIdea(author, dotsJam.challengeIds[0]!);
    const person = await makeUser();
    const t0 = Date.now();
    for (let i = 0; i < 60; i++) await castStance(person, { ideaId: stanceIdea.id, stance: i % 2 ? "agree" : "pass" }, { now: t0 + i });
    for (let i = 0; i < 60; i++) await setDots(person, { ideaId: dotsIdea.id, dots: i % 3 }, { now: t0 + 100 + i });
    await refusal(async () => await setDots(person, { ideaId: dotsIdea.id, dots: 3 }, { now: t0 + 1_000 }));
    await refusal(async () => await castStance(person, { ideaId: stanceIdea.id, stance: "disagree" }, { now: t0 + 1_000 }));
    expect((await setDots(person, { ideaId: dotsIdea.id, dots: 3 }, { now: t0 + MINUTE + 1_000 })).dots).toBe(3);
  });
});
