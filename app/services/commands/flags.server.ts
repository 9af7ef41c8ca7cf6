/**
 * Flags: a participant tells the facilitators that an idea or comment needs a
 * look. One flag per person per target (a unique index); facilitators resolve
 * them from the command centre's queue (commands/moderation.server.ts `resolveFlag`).
 */
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { comments, flags } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, NotFound, validate } from "~/services/errors";

import { readableText } from "~/domain/text";
import { findVisibleIdea } from "~/services/lookups/visibility.server";
import { openOn } from "~/services/lookups/flags.server";

export type FlagTargetType = "idea" | "comment";

export type FlagResolution = "hidden" | "dismissed" | "merged";

export const FlagInput = z.object({
  targetType: z.enum(["idea", "comment"], { error: "Choose what you are flagging." }),
  targetId: z.coerce.number().int().positive(),
  reason: readableText(
    z
      .string({ error: "Say what is wrong, so a facilitator can judge." })
      .trim()
      .min(3, "Say what is wrong, so a facilitator can judge.")
      .max(300, "Keep the reason under 300 characters."),
    { multiline: true },
  ),
});

/** The visible idea or comment a flag is about, with its jam and author. */
async function findTarget(conn: Db, viewer: SessionUser, type: FlagTargetType, id: number) {
  if (type === "idea") {
    const { idea, jam } = await findVisibleIdea(conn, viewer, id);
    return { jamId: jam.id, authorId: idea.authorId, ideaId: idea.id };
  }
  const comment = await conn
    .select({ ideaId: comments.ideaId, authorId: comments.authorId })
    .from(comments)
    .where(and(eq(comments.id, id), isNull(comments.hiddenAt)))
    .get();
  if (!comment) throw new NotFound("No such comment.");
  const { jam } = await findVisibleIdea(conn, viewer, comment.ideaId);
  return { jamId: jam.id, authorId: comment.authorId, ideaId: comment.ideaId };
}

/**
 * Flags a visible idea or comment with a reason. Flagging the same thing twice
 * changes nothing (`created: false`); one's own contributions cannot be flagged.
 */
export async function flagContent(actor: SessionUser, input: unknown, meta: { ip: string | null; now?: number }) {
  const data = validate(FlagInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const target = await findTarget(tx, actor, data.targetType, data.targetId);
    if (target.authorId === actor.id) throw new Conflict("You cannot flag your own contribution.");
    const row = await tx
      .insert(flags)
      .values({
        jamId: target.jamId,
        targetType: data.targetType,
        targetId: data.targetId,
        reporterId: actor.id,
        reason: data.reason,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: flags.id })
      .get();
    if (!row) return { id: null, created: false, ideaId: target.ideaId };
    await recordAudit(
      tx, {
        action: "flag_created",
        actorId: actor.id,
        subject: `${data.targetType}:${data.targetId}`,
        ip: meta.ip,
        at: now,
        detail: { flagId: row.id, reason: data.reason },
      },
    );
    await publish(tx, target.jamId, "moderation.changed", {});
    return { id: row.id, created: true, ideaId: target.ideaId };
  });
}

/**
 * Resolves every open flag on one target (inside the caller's transaction).
 * Returns how many were resolved.
 */
export async function resolveOpenFlags(
  tx: Db,
  target: { type: FlagTargetType; id: number; jamId: number },
  resolvedBy: number,
  resolution: FlagResolution,
  now: number,
): Promise<number> {
  return (await tx
    .update(flags)
    .set({ resolvedAt: now, resolvedBy, resolution })
    .where(openOn(target))
    .run()).changes;
}

export interface FlagQueueItem {
  /** The oldest open flag on the target: resolving it resolves them all. */
  flagId: number;
  targetType: FlagTargetType;
  targetId: number;
  ideaId: number;
  title: string;
  excerpt: string;
  targetHidden: boolean;
  firstAt: number;
  reports: { reporter: string; reason: string; at: number }[];
}
