/**
 * Flags: a participant tells the facilitators that an idea or comment needs a
 * look. One flag per person per target (a unique index); facilitators resolve
 * them from the command centre's queue (moderation.server.ts `resolveFlag`).
 */
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { comments, flags, ideas, users } from "~db/schema";
import { recordAudit } from "./audit.server";
import { Conflict, NotFound, validate } from "./errors";

import { readableText, shorten } from "~/domain/text";
import { findVisibleIdea } from "./lookups/visibility.server";

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

/** Open flags on one target: the jam's open-queue index range, then the target. */
export function openOn(target: { type: FlagTargetType; id: number; jamId: number }) {
  return and(
    eq(flags.jamId, target.jamId),
    isNull(flags.resolvedAt),
    eq(flags.targetType, target.type),
    eq(flags.targetId, target.id),
  );
}

/** What the viewer has already flagged on an idea page: the idea itself and which of its comments. */
export async function viewerFlags(conn: Db, viewer: SessionUser, ideaId: number, commentIds: number[]) {
  const rows = await conn
    .select({ type: flags.targetType, id: flags.targetId })
    .from(flags)
    .where(
      and(
        eq(flags.reporterId, viewer.id),
        or(
          and(eq(flags.targetType, "idea"), eq(flags.targetId, ideaId)),
          commentIds.length > 0 ? and(eq(flags.targetType, "comment"), inArray(flags.targetId, commentIds)) : undefined,
        ),
      ),
    )
    .all();
  return {
    idea: rows.some((r) => r.type === "idea"),
    comments: rows.filter((r) => r.type === "comment").map((r) => r.id),
  };
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

const QUEUE_FLAGS = 300;

/**
 * The jam's open flags, grouped by what they are about, oldest first (one
 * index range). Authors are not shown: an anonymous idea never names its author.
 */
export async function openFlagQueue(conn: Db, jamId: number): Promise<FlagQueueItem[]> {
  const open = await conn
    .select({
      id: flags.id,
      targetType: flags.targetType,
      targetId: flags.targetId,
      reason: flags.reason,
      createdAt: flags.createdAt,
      reporter: users.name,
    })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.reporterId))
    .where(and(eq(flags.jamId, jamId), isNull(flags.resolvedAt)))
    .orderBy(asc(flags.id))
    .limit(QUEUE_FLAGS)
    .all();
  if (open.length === 0) return [];
  const ideaIds = [...new Set(open.filter((f) => f.targetType === "idea").map((f) => f.targetId))];
  const commentIds = [...new Set(open.filter((f) => f.targetType === "comment").map((f) => f.targetId))];
  const commentRows =
    commentIds.length === 0
      ? []
      : await conn
          .select({ id: comments.id, body: comments.body, ideaId: comments.ideaId, hiddenAt: comments.hiddenAt })
          .from(comments)
          .where(inArray(comments.id, commentIds))
          .all();
  const commentsById = new Map(commentRows.map((c) => [c.id, c]));
  const allIdeaIds = [...new Set([...ideaIds, ...commentRows.map((c) => c.ideaId)])];
  const ideaRows =
    allIdeaIds.length === 0
      ? []
      : await conn
          .select({ id: ideas.id, title: ideas.title, body: ideas.body, hiddenAt: ideas.hiddenAt })
          .from(ideas)
          .where(inArray(ideas.id, allIdeaIds))
          .all();
  const ideasById = new Map(ideaRows.map((i) => [i.id, i]));
  const cut = (text: string) => shorten(text, 200);

  const items = new Map<string, FlagQueueItem>();
  for (const f of open) {
    const key = `${f.targetType}:${f.targetId}`;
    let item = items.get(key);
    if (!item) {
      if (f.targetType === "idea") {
        const idea = ideasById.get(f.targetId);
        if (!idea) continue;
        item = {
          flagId: f.id,
          targetType: "idea",
          targetId: idea.id,
          ideaId: idea.id,
          title: idea.title,
          excerpt: cut(idea.body),
          targetHidden: idea.hiddenAt !== null,
          firstAt: f.createdAt,
          reports: [],
        };
      } else {
        const comment = commentsById.get(f.targetId);
        const idea = comment ? ideasById.get(comment.ideaId) : undefined;
        if (!comment || !idea) continue;
        item = {
          flagId: f.id,
          targetType: "comment",
          targetId: comment.id,
          ideaId: idea.id,
          title: idea.title,
          excerpt: cut(comment.body),
          targetHidden: comment.hiddenAt !== null || idea.hiddenAt !== null,
          firstAt: f.createdAt,
          reports: [],
        };
      }
      items.set(key, item);
    }
    item.reports.push({ reporter: f.reporter, reason: f.reason, at: f.createdAt });
  }
  return [...items.values()];
}
