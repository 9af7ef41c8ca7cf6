import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startWorkerProcess } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import { Conflict, Forbidden, NotFound } from "~/services/errors";
import { castVote, withdrawVote } from "~/services/votes.server";
import { db } from "~db/client";
import { ideas, votes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

const HOUR = 3_600_000;
const WORKER = fileURLToPath(new URL("./helpers/vote-worker.ts", import.meta.url));

function voteRows(ideaId: number) {
  return db().select().from(votes).where(eq(votes.ideaId, ideaId)).all();
}

function storedCount(ideaId: number) {
  return db().select({ n: ideas.voteCount }).from(ideas).where(eq(ideas.id, ideaId)).get()!.n;
}

function liveIdea(options: { isAnonymous?: boolean } = {}) {
  const { jam, challengeIds } = makeJam();
  const author = makeUser();
  const idea = makeIdea(author, challengeIds[0]!, { isAnonymous: options.isAnonymous });
  return { jam, author, idea };
}

const startWorker = (user: SessionUser, ideaId: number, attempts: number) =>
  startWorkerProcess<WorkerResult>(WORKER, { user, ideaId, attempts });

interface WorkerResult {
  ok: number;
  errors: string[];
  voteCounts: number[];
}


describe("casting votes", () => {
  it("twenty concurrent identical votes store one vote and a count of one", async () => {
    const { idea } = liveIdea();
    const voter = makeUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        await Promise.resolve();
        return castVote(voter, { ideaId: idea.id });
      }),
    );
    expect(results.every((r) => r.hasVoted && r.voteCount === 1)).toBe(true);
    expect(voteRows(idea.id)).toHaveLength(1);
    expect(storedCount(idea.id)).toBe(1);
  });

  it("four processes each voting five times on their own connections store one vote and a count of one", async () => {
    const { idea } = liveIdea();
    const voter = makeUser();
    const workers = Array.from({ length: 4 }, () => startWorker(voter, idea.id, 5));
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.write("go\n");
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.flatMap((r) => r.errors)).toEqual([]);
      expect(results.reduce((n, r) => n + r.ok, 0)).toBe(20);
      expect(results.flatMap((r) => r.voteCounts).every((n) => n === 1)).toBe(true);
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }
    expect(voteRows(idea.id)).toHaveLength(1);
    expect(storedCount(idea.id)).toBe(1);
  });

  it("several people voting from several processes each count once", async () => {
    const { idea } = liveIdea();
    const voters = Array.from({ length: 4 }, () => makeUser());
    const workers = voters.map((v) => startWorker(v, idea.id, 3));
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.write("go\n");
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.flatMap((r) => r.errors)).toEqual([]);
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }
    expect(voteRows(idea.id).map((v) => v.userId).sort()).toEqual(voters.map((v) => v.id).sort());
    expect(storedCount(idea.id)).toBe(4);
  });

  it("a withdrawn vote can be cast again", () => {
    const { idea } = liveIdea();
    const voter = makeUser();
    expect(castVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
    expect(withdrawVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 0, hasVoted: false });
    expect(voteRows(idea.id)).toHaveLength(0);
    expect(castVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
    expect(voteRows(idea.id)).toHaveLength(1);
    expect(storedCount(idea.id)).toBe(1);
  });

  it("withdrawing twice is harmless and never takes away someone else's vote", () => {
    const { idea } = liveIdea();
    const voter = makeUser();
    const other = makeUser();
    castVote(voter, { ideaId: idea.id });
    castVote(other, { ideaId: idea.id });
    expect(withdrawVote(voter, { ideaId: idea.id }).voteCount).toBe(1);
    expect(withdrawVote(voter, { ideaId: idea.id }).voteCount).toBe(1);
    expect(storedCount(idea.id)).toBe(1);
    expect(voteRows(idea.id).map((v) => v.userId)).toEqual([other.id]);
  });

  it("withdrawing a vote that was never cast leaves the count at zero", () => {
    const { idea } = liveIdea();
    expect(withdrawVote(makeUser(), { ideaId: idea.id }).voteCount).toBe(0);
    expect(storedCount(idea.id)).toBe(0);
  });

  it("the cached vote count always equals the number of vote rows", () => {
    const { idea } = liveIdea();
    const people = Array.from({ length: 6 }, () => makeUser());
    for (const p of people) castVote(p, { ideaId: idea.id });
    for (const p of people.slice(0, 4)) withdrawVote(p, { ideaId: idea.id });
    for (const p of people) castVote(p, { ideaId: idea.id });
    withdrawVote(people[0]!, { ideaId: idea.id });
    const rows = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM votes WHERE idea_id = ${idea.id}`);
    expect(rows.n).toBe(5);
    expect(storedCount(idea.id)).toBe(5);
  });

  it("nobody can vote on their own idea", () => {
    const { idea, author } = liveIdea();
    expect(() => castVote(author, { ideaId: idea.id })).toThrow(Forbidden);
    expect(voteRows(idea.id)).toHaveLength(0);
    expect(storedCount(idea.id)).toBe(0);
  });

  it("nobody can vote on their own anonymous idea", () => {
    const { idea, author } = liveIdea({ isAnonymous: true });
    expect(() => castVote(author, { ideaId: idea.id })).toThrow(Forbidden);
    expect(voteRows(idea.id)).toHaveLength(0);
    // Others still can.
    expect(castVote(makeUser(), { ideaId: idea.id }).voteCount).toBe(1);
  });

  it("votes after the jam has ended are refused", () => {
    const now = Date.now();
    const { challengeIds } = makeJam({ startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR });
    const idea = makeIdea(makeUser(), challengeIds[0]!, { now: now - 30 * HOUR });
    const voter = makeUser();
    expect(() => castVote(voter, { ideaId: idea.id })).toThrow(Conflict);
    expect(() => withdrawVote(voter, { ideaId: idea.id })).toThrow(Conflict);
    expect(voteRows(idea.id)).toHaveLength(0);
    expect(storedCount(idea.id)).toBe(0);
  });

  it("a vote at the very moment the jam ends is refused", () => {
    const { jam, idea } = liveIdea();
    expect(() => castVote(makeUser(), { ideaId: idea.id }, { now: jam.endsAt })).toThrow(Conflict);
    expect(voteRows(idea.id)).toHaveLength(0);
  });

  it("votes before the jam has started are refused", () => {
    const now = Date.now();
    const { jam, challengeIds } = makeJam({ startsAt: now + 24 * HOUR, endsAt: now + 48 * HOUR });
    // The idea is dated inside the jam's window (the only time one can be posted).
    const idea = makeIdea(makeUser(), challengeIds[0]!, { now: jam.startsAt + HOUR });
    expect(() => castVote(makeUser(), { ideaId: idea.id })).toThrow(Conflict);
    expect(() => castVote(makeUser(), { ideaId: idea.id }, { now: jam.startsAt - 1 })).toThrow(Conflict);
    expect(voteRows(idea.id)).toHaveLength(0);
  });

  it("votes on a hidden idea are not found", () => {
    const { idea } = liveIdea();
    const voter = makeUser();
    castVote(voter, { ideaId: idea.id });
    db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, idea.id)).run();
    expect(() => castVote(makeUser(), { ideaId: idea.id })).toThrow(NotFound);
    expect(() => withdrawVote(voter, { ideaId: idea.id })).toThrow(NotFound);
    expect(voteRows(idea.id)).toHaveLength(1);
  });

  it("votes on an idea in a draft jam are not found for a participant", () => {
    const now = Date.now();
    const { challengeIds, jam } = makeJam({ startsAt: now - HOUR, endsAt: now + HOUR });
    const idea = makeIdea(makeUser(), challengeIds[0]!);
    db().run(sql`UPDATE jams SET is_draft = 1 WHERE id = ${jam.id}`);
    expect(() => castVote(makeUser(), { ideaId: idea.id })).toThrow(NotFound);
  });

  it("votes on an idea that does not exist are not found", () => {
    expect(() => castVote(makeUser(), { ideaId: 987_654_321 })).toThrow(NotFound);
  });
});
