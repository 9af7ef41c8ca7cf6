import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { jamPhase, phaseAllows } from "~/domain/phase";
import { STANCES, stanceDelta, type Stance, type StanceCounts } from "~/domain/vote-modes";
import { publish } from "~/live/bus";
import { db, transaction, type Db } from "~db/client";
import { ideas, stanceVotes } from "~db/schema";
import { Forbidden, validate } from "./errors";
import { writesIdea } from "./coauthors.server";
import { assertPhaseAllows } from "./ideas.server";
import { assertModeAllows, challengeMode } from "./vote-modes.server";
import { checkRateLimit } from "./rate-limiter.server";
import { findVisibleChallenge, findVisibleIdea } from "./lookups/visibility.server";

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

/** The viewer's stance on one idea, or null. */
export async function myStance(viewer: SessionUser, ideaId: number): Promise<Stance | null> {
  return (
    (await db()
      .select({ stance: stanceVotes.stance })
      .from(stanceVotes)
      .where(and(eq(stanceVotes.userId, viewer.id), eq(stanceVotes.ideaId, ideaId)))
      .get())?.stance ?? null
  );
}

export const NextIdeaInput = z.object({ challengeId: z.coerce.number().int().positive() });

export interface NextIdea {
  id: number;
  title: string;
  body: string;
  isAnonymous: boolean;
  createdAt: number;
}

/**
 * The next idea for the viewer in a stance challenge's one-at-a-time flow: a
 * visible idea they did not write and have not voted on, least-voted first
 * (agree + disagree + pass), then oldest, so every idea gets seen. With the
 * viewer's progress: how many of the ideas they can vote on they have voted on.
 */
export async function nextIdeaToVote(viewer: SessionUser, input: unknown, now = Date.now()) {
  const conn = db();
  const { challengeId } = validate(NextIdeaInput, input);
  const { challenge, jam } = await findVisibleChallenge(conn, viewer, challengeId);
  const next =
    challenge.voteMode !== "stance"
      ? undefined
      : await conn.get<NextIdea | undefined>(
          sql`SELECT i.id AS id, i.title AS title, i.body AS body, i.is_anonymous AS isAnonymous, i.created_at AS createdAt
              FROM ${ideas} i
              WHERE i.challenge_id = ${challenge.id} AND i.hidden_at IS NULL AND i.author_id <> ${viewer.id}
                AND NOT EXISTS (SELECT 1 FROM ${stanceVotes} s WHERE s.user_id = ${viewer.id} AND s.idea_id = i.id)
              ORDER BY i.agree_count + i.disagree_count + i.pass_count ASC, i.created_at ASC, i.id ASC
              LIMIT 1`,
        );
  const total =
    (await conn.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM ${ideas} i
          WHERE i.challenge_id = ${challenge.id} AND i.hidden_at IS NULL AND i.author_id <> ${viewer.id}`,
    ))?.n ?? 0;
  const voted =
    (await conn.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM ${stanceVotes} s JOIN ${ideas} i ON i.id = s.idea_id
          WHERE s.challenge_id = ${challenge.id} AND s.user_id = ${viewer.id} AND i.hidden_at IS NULL`,
    ))?.n ?? 0;
  const phase = jamPhase(jam, now);
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt, phase },
    challenge: { id: challenge.id, title: challenge.title, question: challenge.question, voteMode: challenge.voteMode },
    idea: next ? { ...next, isAnonymous: Boolean(next.isAnonymous) } : null,
    progress: { voted, total },
    canVote: phaseAllows(phase, "vote"),
  };
}
