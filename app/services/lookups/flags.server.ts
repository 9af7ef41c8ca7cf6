import { and, eq, isNull, or, inArray, asc } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { shorten } from "~/domain/text";
import type { FlagTargetType, FlagQueueItem } from "~/services/commands/flags.server";
import type { Db } from "~db/client";
import { flags, users, comments, ideas } from "~db/schema";

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
