import { and, eq, sql } from "drizzle-orm";
import { modeRefusal, type Stance, type VoteAction, type VoteMode } from "~/domain/vote-modes";
import { preparedQuery, type Db } from "~db/client";
import { inList, jsonList } from "~db/lists";
import { challenges, dotAllocations, stanceVotes } from "~db/schema";
import { Conflict } from "~/services/errors";

/** The challenge's voting mode and dot settings, read on the caller's connection (inside its transaction). */
export async function challengeMode(tx: Db, challengeId: number) {
  return (await tx
    .select({ voteMode: challenges.voteMode, dotBudget: challenges.dotBudget, dotMaxPerIdea: challenges.dotMaxPerIdea })
    .from(challenges)
    .where(eq(challenges.id, challengeId))
    .get())!;
}

/** Refuses (Conflict) an action the challenge's voting mode does not use. */
export function assertModeAllows(mode: VoteMode, action: VoteAction) {
  const refusal = modeRefusal(mode, action);
  if (refusal) throw new Conflict(refusal);
}

/**
 * What cards need to show each idea the way its challenge votes: the mode per
 * challenge, and the viewer's own stances and dots. The stance and dot queries
 * run only when some idea on the page has such votes at all.
 */
const modesQuery = preparedQuery((conn) =>
  conn.select({ id: challenges.id, voteMode: challenges.voteMode }).from(challenges).where(inList(challenges.id, "ids")).prepare(),
);

const stancesQuery = preparedQuery((conn) =>
  conn
    .select({ ideaId: stanceVotes.ideaId, stance: stanceVotes.stance })
    .from(stanceVotes)
    .where(and(eq(stanceVotes.userId, sql.placeholder("userId")), inList(stanceVotes.ideaId, "ideaIds")))
    .prepare(),
);

const dotsQuery = preparedQuery((conn) =>
  conn
    .select({ ideaId: dotAllocations.ideaId, dots: dotAllocations.dots })
    .from(dotAllocations)
    .where(and(eq(dotAllocations.userId, sql.placeholder("userId")), inList(dotAllocations.ideaId, "ideaIds")))
    .prepare(),
);

export async function viewerVoteState(
  conn: Db,
  viewerId: number,
  rows: { id: number; challengeId: number; agreeCount: number; disagreeCount: number; passCount: number; dotCount: number }[],
) {
  const challengeIds = [...new Set(rows.map((r) => r.challengeId))];
  const modes = new Map(
    challengeIds.length === 0 ? [] : (await modesQuery(conn).all({ ids: jsonList(challengeIds) })).map((c) => [c.id, c.voteMode] as const),
  );
  const withStances = rows.filter((r) => r.agreeCount + r.disagreeCount + r.passCount > 0).map((r) => r.id);
  const stances = new Map<number, Stance>(
    withStances.length === 0
      ? []
      : (await stancesQuery(conn)
          .all({ userId: viewerId, ideaIds: jsonList(withStances) }))
          .map((s) => [s.ideaId, s.stance]),
  );
  const withDots = rows.filter((r) => r.dotCount > 0).map((r) => r.id);
  const dots = new Map<number, number>(
    withDots.length === 0
      ? []
      : (await dotsQuery(conn)
          .all({ userId: viewerId, ideaIds: jsonList(withDots) }))
          .map((d) => [d.ideaId, d.dots]),
  );
  return {
    modeOf: (challengeId: number): VoteMode => modes.get(challengeId) ?? "support",
    stanceOf: (ideaId: number): Stance | null => stances.get(ideaId) ?? null,
    dotsOf: (ideaId: number): number => dots.get(ideaId) ?? 0,
  };
}
