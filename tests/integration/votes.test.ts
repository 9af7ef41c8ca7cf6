import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startWorkerProcess } from "./helpers/processes";
import type { SessionUser } from "~/auth/session.server";
import { Conflict, Forbidden, NotFound } from "~/services/errors";
import { castVote, withdrawVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { ideas, votes } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const WORKER = fileURLToPath(new URL("./helpers/vote-worker.ts", import.meta.url));

async function voteRows(ideaId: number) {
  return await db().select().from(votes).where(eq(votes.ideaId, ideaId)).all();
}

async function storedCount(ideaId: number) {
  return (await db().select({ n: ideas.voteCount }).from(ideas).where(eq(ideas.id, ideaId)).get())!.n;
}

async function liveIdea(options: { isAnonymous?: boolean } = {}) {
  const { jam, challengeIds } = await makeJam();
  const author = await makeUser();
  const idea = await makeIdea(author, challengeIds[0]!, { isAnonymous: options.isAnonymous });
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
    const { idea } = await liveIdea();
    const voter = await makeUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        await Promise.resolve();
        return await castVote(voter, { ideaId: idea.id });
      }),
    );
    expect(results.every((r) => r.hasVoted && r.voteCount === 1)).toBe(true);
    expect(await voteRows(idea.id)).toHaveLength(1);
    expect(await storedCount(idea.id)).toBe(1);
  });

  it("four processes each voting five times on their own connections store one vote and a count of one", async () => {
    const { idea } = await liveIdea();
    const voter = await makeUser();
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
    expect(await voteRows(idea.id)).toHaveLength(1);
    expect(await storedCount(idea.id)).toBe(1);
  });

  it("several people voting from several processes each count once", async () => {
    const { idea } = await liveIdea();
    const voters = await mapInOrder(Array.from({ length: 4 }), async () => await makeUser());
    const workers = voters.map((v) => startWorker(v, idea.id, 3));
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.write("go\n");
      const results = await Promise.all(workers.map((w) => w.done));
      expect(results.flatMap((r) => r.errors)).toEqual([]);
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }
    expect((await voteRows(idea.id)).map((v) => v.userId).sort()).toEqual(voters.map((v) => v.id).sort());
    expect(await storedCount(idea.id)).toBe(4);
  });

  it("a withdrawn vote can be cast again", async () => {
    const { idea } = await liveIdea();
    const voter = await makeUser();
    expect(await castVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
    expect(await withdrawVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 0, hasVoted: false });
    expect(await voteRows(idea.id)).toHaveLength(0);
    expect(await castVote(voter, { ideaId: idea.id })).toEqual({ ideaId: idea.id, voteCount: 1, hasVoted: true });
    expect(await voteRows(idea.id)).toHaveLength(1);
    expect(await storedCount(idea.id)).toBe(1);
  });

  it("withdrawing twice is harmless and never takes away someone else's vote", async () => {
    const { idea } = await liveIdea();
    const voter = await makeUser();
    const other = await makeUser();
    await castVote(voter, { ideaId: idea.id });
    await castVote(other, { ideaId: idea.id });
    expect((await withdrawVote(voter, { ideaId: idea.id })).voteCount).toBe(1);
    expect((await withdrawVote(voter, { ideaId: idea.id })).voteCount).toBe(1);
    expect(await storedCount(idea.id)).toBe(1);
    expect((await voteRows(idea.id)).map((v) => v.userId)).toEqual([other.id]);
  });

  it("withdrawing a vote that was never cast leaves the count at zero", async () => {
    const { idea } = await liveIdea();
    expect((await withdrawVote(await makeUser(), { ideaId: idea.id })).voteCount).toBe(0);
    expect(await storedCount(idea.id)).toBe(0);
  });

  it("the cached vote count always equals the number of vote rows", async () => {
    const { idea } = await liveIdea();
    const people = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser());
    for (const p of people) await castVote(p, { ideaId: idea.id });
    for (const p of people.slice(0, 4)) await withdrawVote(p, { ideaId: idea.id });
    for (const p of people) await castVote(p, { ideaId: idea.id });
    await withdrawVote(people[0]!, { ideaId: idea.id });
    const rows = await db().get<{ n: number }>(sql`SELECT count(*) AS n FROM votes WHERE idea_id = ${idea.id}`);
    expect(rows.n).toBe(5);
    expect(await storedCount(idea.id)).toBe(5);
  });

  it("nobody can vote on their own idea", async () => {
    const { idea, author } = await liveIdea();
    await expect(async () => await castVote(author, { ideaId: idea.id })).rejects.toThrow(Forbidden);
    expect(await voteRows(idea.id)).toHaveLength(0);
    expect(await storedCount(idea.id)).toBe(0);
  });

  it("nobody can vote on their own anonymous idea", async () => {
    const { idea, author } = await liveIdea({ isAnonymous: true });
    await expect(async () => await castVote(author, { ideaId: idea.id })).rejects.toThrow(Forbidden);
    expect(await voteRows(idea.id)).toHaveLength(0);
    // Others still can.
    expect((await castVote(await makeUser(), { ideaId: idea.id })).voteCount).toBe(1);
  });

  it("votes after the jam has ended are refused", async () => {
    const now = Date.now();
    const { challengeIds } = await makeJam({ startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR });
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { now: now - 30 * HOUR });
    const voter = await makeUser();
    await expect(async () => await castVote(voter, { ideaId: idea.id })).rejects.toThrow(Conflict);
    await expect(async () => await withdrawVote(voter, { ideaId: idea.id })).rejects.toThrow(Conflict);
    expect(await voteRows(idea.id)).toHaveLength(0);
    expect(await storedCount(idea.id)).toBe(0);
  });

  it("a vote at the very moment the jam ends is refused", async () => {
    const { jam, idea } = await liveIdea();
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id }, { now: jam.endsAt })).rejects.toThrow(Conflict);
    expect(await voteRows(idea.id)).toHaveLength(0);
  });

  it("votes before the jam has started are refused", async () => {
    const now = Date.now();
    const { jam, challengeIds } = await makeJam({ startsAt: now + 24 * HOUR, endsAt: now + 48 * HOUR });
    // The idea is dated inside the jam's window (the only time one can be posted).
    const idea = await makeIdea(await makeUser(), challengeIds[0]!, { now: jam.startsAt + HOUR });
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id })).rejects.toThrow(Conflict);
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id }, { now: jam.startsAt - 1 })).rejects.toThrow(Conflict);
    expect(await voteRows(idea.id)).toHaveLength(0);
  });

  it("votes on a hidden idea are not found", async () => {
    const { idea } = await liveIdea();
    const voter = await makeUser();
    await castVote(voter, { ideaId: idea.id });
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, idea.id)).run();
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id })).rejects.toThrow(NotFound);
    await expect(async () => await withdrawVote(voter, { ideaId: idea.id })).rejects.toThrow(NotFound);
    expect(await voteRows(idea.id)).toHaveLength(1);
  });

  it("votes on an idea in a draft jam are not found for a participant", async () => {
    const now = Date.now();
    const { challengeIds, jam } = await makeJam({ startsAt: now - HOUR, endsAt: now + HOUR });
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    await db().run(sql`UPDATE jams SET is_draft = TRUE WHERE id = ${jam.id}`);
    await expect(async () => await castVote(await makeUser(), { ideaId: idea.id })).rejects.toThrow(NotFound);
  });

  it("votes on an idea that does not exist are not found", async () => {
    await expect(async () => await castVote(await makeUser(), { ideaId: 987_654_321 })).rejects.toThrow(NotFound);
  });
});
