import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { jamPhase, phaseAllows } from "~/domain/phase";
import type { Stance } from "~/domain/vote-modes";
import type { NextIdea } from "~/services/commands/stances.server";
import { validate } from "~/services/errors";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { db } from "~db/client";
import { stanceVotes, ideas } from "~db/schema";

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
