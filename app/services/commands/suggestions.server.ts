import { eq, and } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { validate, NotFound } from "~/services/errors";
import { transaction } from "~db/client";
import { DISMISSAL_KINDS, communities, users, networkDismissals, type DismissalKind } from "~db/schema";

// ---------------------------------------------------------------- "not interested"

const DismissInput = z.object({
  kind: z.enum(DISMISSAL_KINDS, { error: "Choose what to dismiss." }),
  targetId: z.coerce.number({ error: "Choose what to dismiss." }).int().positive().max(2 ** 31 - 1),
});

/**
 * "Not interested" in a suggested community or person: kept for the viewer alone (the row is
 * always the actor's own; nothing in the input names whose it is). A community must be one the
 * viewer may see as running (a members-only one shows its name to all), a person someone who is
 * still there; otherwise not found. Repeating it changes nothing.
 */
export async function dismissSuggestion(actor: SessionUser, input: unknown, meta: { now?: number } = {}) {
  const data = validate(DismissInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    if (data.kind === "community") {
      const c = await tx.select({ status: communities.status }).from(communities).where(eq(communities.id, data.targetId)).get();
      if (!c || c.status !== "active") throw new NotFound("No such community.");
    } else {
      const p = await tx.select({ erasedAt: users.erasedAt }).from(users).where(eq(users.id, data.targetId)).get();
      if (!p || p.erasedAt !== null || data.targetId === actor.id) throw new NotFound("No such person.");
    }
    const created = (await tx
      .insert(networkDismissals)
      .values({ userId: actor.id, kind: data.kind, targetId: data.targetId, createdAt: now })
      .onConflictDoNothing()
      .run()).changes;
    return { created: created > 0 };
  });
}

/** Brings back every suggestion of one kind the viewer dismissed. */
export async function restoreDismissed(actor: SessionUser, input: unknown) {
  const { kind } = validate(z.object({ kind: DismissInput.shape.kind }), input);
  return await transaction(async (tx) => {
    const removed = (await tx
      .delete(networkDismissals)
      .where(and(eq(networkDismissals.userId, actor.id), eq(networkDismissals.kind, kind as DismissalKind)))
      .run()).changes;
    return { restored: removed };
  });
}
