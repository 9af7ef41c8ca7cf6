import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { STANCES, stanceDelta, type Stance, type StanceCounts } from "~/domain/vote-modes";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { ideas, stanceVotes } from "~db/schema";
import { Forbidden, validate } from "~/services/errors";
import { writesIdea } from "~/services/lookups/coauthors.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { assertModeAllows, challengeMode } from "~/services/lookups/vote-modes.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { findVisibleIdea } from "~/services/lookups/visibility.server";

export const StanceInput = z.object({
  ideaId: z.coerce.number().int().positive(),
  stance: z.enum(STANCES, { error: "Choose agree, disagree or pass." }),
});

export interface StanceResult extends StanceCounts {
  ideaId: number;
  stance: Stance;
  /** False when the person already held this stance (nothing changed). */
  changed: boolean;
}

async function countsOf(tx: Db, ideaId: number): Promise<StanceCounts> {
  return (await tx
    .select({ agreeCount: ideas.agreeCount, disagreeCount: ideas.disagreeCount, passCount: ideas.passCount })
    .from(ideas)
    .where(eq(ideas.id, ideaId))
    .get())!;
}

/**
 * Agrees, disagrees or passes on an idea in a stance challenge: one stance per
 * person per idea (the primary key), which the person may change. The idea's
 * cached counters move in the same transaction: the old stance down, the new
 * one up, so agree + disagree + pass always equals the idea's stance rows.
 * Never on one's own idea, only while the jam is live. Stances earn no points.
 */
export async function castStance(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<StanceResult> {
  const { ideaId, stance } = validate(StanceInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "vote", now);
  return await transaction(async (tx) => {
    // Read inside the transaction: a hide committed a moment earlier is seen.
    const { idea, jam } = await findVisibleIdea(tx, actor, ideaId);
    assertModeAllows((await challengeMode(tx, idea.challengeId)).voteMode, "stance");
    if (idea.authorId === actor.id) throw new Forbidden("You cannot vote on your own idea.");
    if (await writesIdea(tx, idea, actor.id)) throw new Forbidden("You co-author this idea: you cannot vote on it.");
    assertPhaseAllows(jam, "vote", now);
    const previous =
      (await tx
        .select({ stance: stanceVotes.stance })
        .from(stanceVotes)
        .where(and(eq(stanceVotes.userId, actor.id), eq(stanceVotes.ideaId, idea.id)))
        .get())?.stance ?? null;
    if (previous === stance) return { ideaId: idea.id, stance, changed: false, ...await countsOf(tx, idea.id) };
    if (previous) {
      await tx.update(stanceVotes)
        .set({ stance, updatedAt: now })
        .where(and(eq(stanceVotes.userId, actor.id), eq(stanceVotes.ideaId, idea.id)))
        .run();
    } else {
      await tx.insert(stanceVotes)
        .values({ userId: actor.id, ideaId: idea.id, challengeId: idea.challengeId, stance, createdAt: now, updatedAt: now })
        .run();
    }
    const d = stanceDelta(previous, stance);
    await tx.update(ideas)
      .set({
        agreeCount: sql`${ideas.agreeCount} + ${d.agreeCount}`,
        disagreeCount: sql`${ideas.disagreeCount} + ${d.disagreeCount}`,
        passCount: sql`${ideas.passCount} + ${d.passCount}`,
      })
      .where(eq(ideas.id, idea.id))
      .run();
    const counts = await countsOf(tx, idea.id);
    await publish(tx, jam.id, "vote.changed", { ideaId: idea.id, ...counts });
    return { ideaId: idea.id, stance, changed: true, ...counts };
  });
}

export interface NextIdea {
  id: number;
  title: string;
  body: string;
  isAnonymous: boolean;
  createdAt: number;
}
