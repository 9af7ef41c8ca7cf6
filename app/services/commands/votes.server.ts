import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { ideas, votes } from "~db/schema";
import { Forbidden, validate } from "~/services/errors";
import { award, checkSerialVoting, recomputeBadges } from "~/services/effects/gamification.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { assertModeAllows, challengeMode } from "~/services/lookups/vote-modes.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { tellAboutSupport } from "~/services/effects/news.server";
import { acceptedCoauthorIds, writesIdea } from "~/services/lookups/coauthors.server";
import { findVisibleIdea } from "~/services/lookups/visibility.server";

export const VoteInput = z.object({ ideaId: z.coerce.number().int().positive() });

export interface VoteResult {
  ideaId: number;
  voteCount: number;
  hasVoted: boolean;
}

async function countOf(tx: Db, ideaId: number): Promise<number> {
  return (await tx.select({ voteCount: ideas.voteCount }).from(ideas).where(eq(ideas.id, ideaId)).get())?.voteCount ?? 0;
}

/**
 * Supports an idea: one vote per person per idea (the primary key makes a repeat
 * a no-op), never on one's own idea, only while the jam is live. The idea's
 * cached count moves in the same transaction, and only when a row was written.
 */
export async function castVote(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<VoteResult> {
  const { ideaId } = validate(VoteInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "vote", now);
  // Read inside the transaction: a hide committed a moment earlier is seen.
  return await transaction(async (tx) => {
    const { idea, jam } = await findVisibleIdea(tx, actor, ideaId);
    assertModeAllows((await challengeMode(tx, idea.challengeId)).voteMode, "support");
    if (idea.authorId === actor.id) throw new Forbidden("You cannot vote on your own idea.");
    if (await writesIdea(tx, idea, actor.id)) throw new Forbidden("You co-author this idea: you cannot vote on it.");
    assertPhaseAllows(jam, "vote", now);
    const written = await tx
      .insert(votes)
      .values({ userId: actor.id, ideaId: idea.id, challengeId: idea.challengeId, createdAt: now })
      .onConflictDoNothing()
      .run();
    if (written.changes === 1) {
      await tx.update(ideas).set({ voteCount: sql`${ideas.voteCount} + 1` }).where(eq(ideas.id, idea.id)).run();
      // Anonymous ideas earn nothing anyway, and a report would name their author.
      const serial = !idea.isAnonymous && await checkSerialVoting(tx, { jamId: jam.id, voterId: actor.id, authorId: idea.authorId, now });
      // The author and each accepted co-author earn the support, each once (decision 026).
      const credited = [idea.authorId, ...(idea.isAnonymous ? [] : await acceptedCoauthorIds(tx, idea.id))];
      if (!serial) {
        for (const earnerId of credited) {
          await award(tx, {
            earnerId,
            actorId: actor.id,
            jam,
            reason: "support_received",
            source: `vote:${idea.id}:${actor.id}`,
            subject: `idea:${idea.id}`,
            anonymous: idea.isAnonymous,
            now,
          });
        }
      }
      await recomputeBadges(tx, credited, now, ["supportsReceived", "bridgeIdeas"]);
      const voteCount = await countOf(tx, idea.id);
      await tellAboutSupport(tx, { jam, idea, voteCount }, now);
      await publish(tx, jam.id, "vote.changed", { ideaId: idea.id, voteCount });
      await publish(tx, jam.id, "points.changed", {});
      return { ideaId: idea.id, voteCount, hasVoted: true };
    }
    return { ideaId: idea.id, voteCount: await countOf(tx, idea.id), hasVoted: true };
  });
}

/** Takes a support vote back (only while the jam is live). Taking back twice is harmless. */
export async function withdrawVote(actor: SessionUser, input: unknown, meta: { now?: number } = {}): Promise<VoteResult> {
  const { ideaId } = validate(VoteInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "vote", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await findVisibleIdea(tx, actor, ideaId);
    assertModeAllows((await challengeMode(tx, idea.challengeId)).voteMode, "support");
    assertPhaseAllows(jam, "vote", now);
    const removed = await tx
      .delete(votes)
      .where(and(eq(votes.userId, actor.id), eq(votes.ideaId, idea.id)))
      .run();
    if (removed.changes === 1) {
      await tx.update(ideas).set({ voteCount: sql`${ideas.voteCount} - 1` }).where(eq(ideas.id, idea.id)).run();
      // Points for a support are earned once and kept (re-voting cannot farm them);
      // badges follow the current votes.
      await recomputeBadges(tx, [idea.authorId, ...await acceptedCoauthorIds(tx, idea.id)], now, ["supportsReceived", "bridgeIdeas"]);
      const voteCount = await countOf(tx, idea.id);
      await publish(tx, jam.id, "vote.changed", { ideaId: idea.id, voteCount });
      return { ideaId: idea.id, voteCount, hasVoted: false };
    }
    return { ideaId: idea.id, voteCount: await countOf(tx, idea.id), hasVoted: false };
  });
}
