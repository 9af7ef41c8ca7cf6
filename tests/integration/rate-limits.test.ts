/**
 * Per-person rate limits through the real services: the refused attempt throws
 * TooManyRequests before its transaction and writes nothing; other people are not
 * affected; once the window has passed (a later `now`) the person can go on.
 * (tests/setup/db.ts turns limits off for every other test file.)
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { postComment } from "~/services/comments.server";
import { setDots } from "~/services/dots.server";
import { TooManyRequests } from "~/services/errors";
import { resetRateLimits, setRateLimitsEnabled } from "~/services/rate-limiter.server";
import { castStance } from "~/services/stances.server";
import { castVote, withdrawVote } from "~/services/votes.server";
import { db } from "~db/client";
import { comments, ideas, votes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const MINUTE = 60_000;

function refusal(fn: () => unknown): TooManyRequests {
  try {
    fn();
  } catch (error) {
    if (error instanceof TooManyRequests) return error;
    throw error;
  }
  throw new Error("expected TooManyRequests");
}

const ideasBy = (authorId: number) => db().select({ n: count() }).from(ideas).where(eq(ideas.authorId, authorId)).get()!.n;
const commentsBy = (authorId: number) => db().select({ n: count() }).from(comments).where(eq(comments.authorId, authorId)).get()!.n;
const votesBy = (userId: number) => db().select({ n: count() }).from(votes).where(eq(votes.userId, userId)).get()!.n;

beforeEach(() => {
  setRateLimitsEnabled(true);
  resetRateLimits();
});
afterAll(() => setRateLimitsEnabled(false));

describe("posting ideas too fast", () => {
  it("refuses the 11th idea within a minute, writes nothing for it, and lets the person post again once the minute has passed", () => {
    const { challengeIds } = makeJam();
    const person = makeUser();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) makeIdea(person, challengeIds[0]!, { now: t0 + i * 1_000 });
    const error = refusal(() => makeIdea(person, challengeIds[0]!, { now: t0 + 20_000 }));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(40);
    expect(error.message).toBe("You're posting ideas very fast. Try again in 40 seconds.");
    expect(ideasBy(person.id)).toBe(10);

    // Someone else posting at the same moment is not affected.
    const other = makeUser();
    expect(makeIdea(other, challengeIds[0]!, { now: t0 + 20_000 }).created).toBe(true);

    // A minute after the first idea, a slot is free again.
    expect(makeIdea(person, challengeIds[0]!, { now: t0 + MINUTE }).created).toBe(true);
    expect(ideasBy(person.id)).toBe(11);
  });
});

describe("commenting too fast", () => {
  it("refuses the 21st comment within a minute and writes nothing for it", () => {
    const { challengeIds } = makeJam();
    const idea = makeIdea(makeUser(), challengeIds[0]!);
    const person = makeUser();
    const t0 = Date.now();
    const comment = (n: number, now: number) => postComment(person, { ideaId: idea.id, body: `Comment ${n}`, clientKey: `rl-comment-${person.id}-${n}` }, { now });
    for (let i = 0; i < 20; i++) comment(i, t0 + i * 100);
    const error = refusal(() => comment(20, t0 + 5_000));
    expect(error.message).toMatch(/^You're commenting very fast\. Try again in \d+ seconds\.$/);
    expect(error.retryAfterSeconds).toBe(55);
    expect(commentsBy(person.id)).toBe(20);

    expect(() => postComment(makeUser(), { ideaId: idea.id, body: "Me too", clientKey: `rl-other-${person.id}` }, { now: t0 + 5_000 })).not.toThrow();
    expect(() => comment(20, t0 + MINUTE)).not.toThrow();
    expect(commentsBy(person.id)).toBe(21);
  });
});

describe("voting too fast", () => {
  it("refuses the 121st support vote or withdrawal within a minute and changes nothing", () => {
    const { challengeIds } = makeJam();
    const author = makeUser();
    const [first, second] = [makeIdea(author, challengeIds[0]!), makeIdea(author, challengeIds[0]!)];
    const person = makeUser();
    const t0 = Date.now();
    // Toggling one vote on and off: 120 changes in half a minute.
    for (let i = 0; i < 120; i++) (i % 2 === 0 ? castVote : withdrawVote)(person, { ideaId: first.id }, { now: t0 + i * 250 });
    expect(votesBy(person.id)).toBe(0);
    const error = refusal(() => castVote(person, { ideaId: second.id }, { now: t0 + 30_000 }));
    expect(error.message).toMatch(/^You're voting very fast\./);
    expect(error.retryAfterSeconds).toBe(30);
    expect(votesBy(person.id)).toBe(0);
    expect(db().select({ n: ideas.voteCount }).from(ideas).where(eq(ideas.id, second.id)).get()!.n).toBe(0);

    expect(castVote(makeUser(), { ideaId: second.id }, { now: t0 + 30_000 }).hasVoted).toBe(true);
    expect(castVote(person, { ideaId: second.id }, { now: t0 + MINUTE }).hasVoted).toBe(true);
  });

  it("counts stances and dots against the same voting budget", () => {
    const stanceJam = makeJam({ voteMode: "stance" });
    const dotsJam = makeJam({ voteMode: "dots", dotBudget: 10, dotMaxPerIdea: 3 });
    const author = makeUser();
    const stanceIdea = makeIdea(author, stanceJam.challengeIds[0]!);
    const dotsIdea = makeIdea(author, dotsJam.challengeIds[0]!);
    const person = makeUser();
    const t0 = Date.now();
    for (let i = 0; i < 60; i++) castStance(person, { ideaId: stanceIdea.id, stance: i % 2 ? "agree" : "pass" }, { now: t0 + i });
    for (let i = 0; i < 60; i++) setDots(person, { ideaId: dotsIdea.id, dots: i % 3 }, { now: t0 + 100 + i });
    refusal(() => setDots(person, { ideaId: dotsIdea.id, dots: 3 }, { now: t0 + 1_000 }));
    refusal(() => castStance(person, { ideaId: stanceIdea.id, stance: "disagree" }, { now: t0 + 1_000 }));
    expect(setDots(person, { ideaId: dotsIdea.id, dots: 3 }, { now: t0 + MINUTE + 1_000 }).dots).toBe(3);
  });
});
