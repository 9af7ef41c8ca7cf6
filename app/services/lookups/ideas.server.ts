import { type SQL, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { type JamPhase, jamPhase, phaseAllows, phaseRefusal } from "~/domain/phase";
import { Conflict } from "~/services/errors";
import { findVisibleChallenge, findVisibleIdea } from "~/services/lookups/visibility.server";
import { db } from "~db/client";
import type { Jam } from "~db/schema";

/**
 * Who an idea counts as when people are counted: its author, but an anonymous
 * idea is a contributor of its own (minus its id, never a user id), so no count
 * shown to anyone depends on whether its author also wrote a named idea, a
 * comment or a vote. `alias` is the SQL name of the ideas table in the query.
 * Join users on it with a LEFT JOIN: an anonymous idea has no department.
 */
export function contributorOf(alias: string): SQL {
  return sql.raw(`CASE WHEN ${alias}.is_anonymous = TRUE THEN -${alias}.id ELSE ${alias}.author_id END`);
}

/** The challenge (and its jam) a route names, if the viewer may see it: for the challenge pages. */
export async function challengeForRoute(viewer: SessionUser, challengeId: number, jamSlug: string) {
  return await findVisibleChallenge(db(), viewer, challengeId, jamSlug);
}

/** The visible idea (and its jam) a route names: for the idea page's actions. */
export async function ideaForRoute(viewer: SessionUser, ideaId: number, jamSlug: string) {
  return await findVisibleIdea(db(), viewer, ideaId, jamSlug);
}

/** Refuses an action the jam's current phase does not allow. */
export function assertPhaseAllows(jam: Jam, action: "postIdea" | "edit" | "comment" | "vote", now: number): JamPhase {
  const phase = jamPhase(jam, now);
  if (!phaseAllows(phase, action)) throw new Conflict(phaseRefusal(phase));
  return phase;
}
