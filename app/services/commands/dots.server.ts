import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { allocationRefusal, dotsLeft } from "~/domain/vote-modes";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { dotAllocations, ideas } from "~db/schema";
import { writesIdea } from "~/services/lookups/coauthors.server";
import { Conflict, Forbidden, validate } from "~/services/errors";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { assertModeAllows, challengeMode } from "~/services/lookups/vote-modes.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { findVisibleIdea } from "~/services/lookups/visibility.server";

export const DotsInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  dots: z.coerce
    .number({ error: "Say how many dots to place." })
    .int("Dots are whole numbers.")
    .min(0, "Dots are whole numbers, zero or more.")
    .max(1000, "That is more dots than anyone has."),
});

export interface DotsResult {
  ideaId: number;
  /** The person's dots on this idea now. */
  dots: number;
  /** Everyone's dots on this idea. */
  dotCount: number;
  budget: number;
  spent: number;
  remaining: number;
}

/**
 * Dots the person has placed in the challenge, on ideas still visible: dots on
 * an idea that was hidden (or merged away) are given back.
 */
async function spentDots(conn: Db, userId: number, challengeId: number): Promise<number> {
  return (
    (await conn.get<{ n: number }>(
      sql`SELECT coalesce(sum(d.dots), 0) AS n FROM ${dotAllocations} d JOIN ${ideas} i ON i.id = d.idea_id
          WHERE d.user_id = ${userId} AND d.challenge_id = ${challengeId} AND i.hidden_at IS NULL`,
    ))?.n ?? 0
  );
}

/**
 * Sets the person's dots on an idea in a dots challenge (0 takes them all
 * back). The budget and the per-idea maximum are checked and the row written
 * in one IMMEDIATE transaction, which holds SQLite's write lock from its first
 * read: concurrent requests from the same person queue behind each other and
 * each sees what the previous one spent, so the budget can never be overspent.
 * The idea's cached dot count moves in the same transaction. Dots earn no points.
 */
export async function setDots(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<DotsResult> {
  const data = validate(DotsInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "vote", now);
  return await transaction(async (tx) => {
    // Read inside the transaction: a hide committed a moment earlier is seen.
    const { idea, jam } = await findVisibleIdea(tx, actor, data.ideaId);
    const challenge = await challengeMode(tx, idea.challengeId);
    assertModeAllows(challenge.voteMode, "dots");
    if (idea.authorId === actor.id) throw new Forbidden("You cannot put dots on your own idea.");
    assertPhaseAllows(jam, "vote", now);
    const where = and(eq(dotAllocations.userId, actor.id), eq(dotAllocations.ideaId, idea.id));
    const current = (await tx.select({ dots: dotAllocations.dots }).from(dotAllocations).where(where).get())?.dots ?? 0;
    // A co-author may take dots back (placed before they joined), never add any.
    if (data.dots > current && await writesIdea(tx, idea, actor.id)) throw new Forbidden("You co-author this idea: you cannot put dots on it.");
    const spent = await spentDots(tx, actor.id, idea.challengeId);
    const refusal = allocationRefusal(spent, current, data.dots, challenge.dotBudget, challenge.dotMaxPerIdea);
    if (refusal) throw new Conflict(refusal);
    const result = (dotCount: number): DotsResult => {
      const nowSpent = spent - current + data.dots;
      return { ideaId: idea.id, dots: data.dots, dotCount, budget: challenge.dotBudget, spent: nowSpent, remaining: dotsLeft(challenge.dotBudget, nowSpent) };
    };
    const stored = async () => (await tx.select({ n: ideas.dotCount }).from(ideas).where(eq(ideas.id, idea.id)).get())!.n;
    if (data.dots === current) return result(await stored());
    if (data.dots === 0) {
      await tx.delete(dotAllocations).where(where).run();
    } else {
      await tx.insert(dotAllocations)
        .values({ userId: actor.id, ideaId: idea.id, challengeId: idea.challengeId, dots: data.dots, updatedAt: now })
        .onConflictDoUpdate({ target: [dotAllocations.userId, dotAllocations.ideaId], set: { dots: data.dots, updatedAt: now } })
        .run();
    }
    await tx.update(ideas)
      .set({ dotCount: sql`${ideas.dotCount} + ${data.dots - current}` })
      .where(eq(ideas.id, idea.id))
      .run();
    const dotCount = await stored();
    await publish(tx, jam.id, "vote.changed", { ideaId: idea.id, dotCount });
    return result(dotCount);
  });
}

export interface DotsSummary {
  budget: number;
  maxPerIdea: number;
  spent: number;
  remaining: number;
  /** The viewer's dots per visible idea, most first. */
  allocations: { ideaId: number; dots: number }[];
}
