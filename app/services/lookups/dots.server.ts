import { sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { dotsLeft } from "~/domain/vote-modes";
import type { DotsSummary } from "~/services/commands/dots.server";
import { validate } from "~/services/errors";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { db } from "~db/client";
import { dotAllocations, ideas } from "~db/schema";

export const DotsSummaryInput = z.object({ challengeId: z.coerce.number().int().positive() });

/** The viewer's dot budget in a challenge: what they have, have spent and where. */
export async function dotsSummary(viewer: SessionUser, input: unknown): Promise<DotsSummary> {
  const conn = db();
  const { challengeId } = validate(DotsSummaryInput, input);
  const { challenge } = await findVisibleChallenge(conn, viewer, challengeId);
  const allocations = await db()
    .all<{ ideaId: number; dots: number }>(
      sql`SELECT d.idea_id AS ideaId, d.dots AS dots FROM ${dotAllocations} d JOIN ${ideas} i ON i.id = d.idea_id
          WHERE d.user_id = ${viewer.id} AND d.challenge_id = ${challenge.id} AND i.hidden_at IS NULL
          ORDER BY d.dots DESC, d.idea_id ASC`,
    );
  const spent = allocations.reduce((n, a) => n + a.dots, 0);
  return {
    budget: challenge.dotBudget,
    maxPerIdea: challenge.dotMaxPerIdea,
    spent,
    remaining: dotsLeft(challenge.dotBudget, spent),
    allocations,
  };
}
