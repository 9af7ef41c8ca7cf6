/**
 * In-app notifications: one row per person per piece of news. The same news
 * (same dedupe key) is written once per person, however often it is sent.
 */
import { and, count, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { can } from "~/domain/permissions";
import { db, transaction, type Db } from "~db/client";
import { jams, notifications } from "~db/schema";
import { validate } from "./errors";

export const NOTIFICATIONS_PAGE = 20;

export interface Notice {
  userId: number;
  body: string;
  link: string | null;
  /** What the news is about, e.g. `action:12:approved`; the same key reaches a person once. */
  dedupeKey: string;
  /** The jam the news is about (hidden while it is a draft from people who cannot open drafts). */
  jamId: number | null;
}

/**
 * Writes notifications inside the caller's transaction (`INSERT … ON CONFLICT
 * DO NOTHING`) and returns the people who were actually notified now.
 */
export function notify(tx: Db, notices: Notice[], now: number): number[] {
  const reached: number[] = [];
  for (const n of notices) {
    const written = tx
      .insert(notifications)
      .values({ userId: n.userId, body: n.body, link: n.link, dedupeKey: n.dedupeKey, jamId: n.jamId, createdAt: now })
      .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
      .run();
    if (written.changes > 0) reached.push(n.userId);
  }
  return reached;
}

/**
 * The viewer's notifications they may read: none about a jam that is (again) a draft, unless they
 * may open drafts. A condition on a query of notifications left-joined to jams.
 */
function readable(viewer: Pick<SessionUser, "id" | "role">) {
  return and(eq(notifications.userId, viewer.id), can(viewer.role, "seeDraftJams") ? undefined : or(isNull(jams.id), eq(jams.isDraft, false)));
}

/** How many of the viewer's notifications are unread (the header bell). */
export function unreadCount(viewer: Pick<SessionUser, "id" | "role">): number {
  return (
    db()
      .select({ n: count() })
      .from(notifications)
      .leftJoin(jams, eq(jams.id, notifications.jamId))
      .where(and(readable(viewer), isNull(notifications.readAt)))
      .get()?.n ?? 0
  );
}

const Cursor = z.coerce.number().int().positive().optional().catch(undefined);

/** The viewer's notifications, newest first, a page at a time (cursor: the last id seen). */
export function listNotifications(viewer: SessionUser, cursor?: string | number | null) {
  const before = Cursor.parse(cursor ?? undefined);
  const rows = db()
    .select({
      id: notifications.id,
      body: notifications.body,
      link: notifications.link,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(jams, eq(jams.id, notifications.jamId))
    .where(and(readable(viewer), before ? lt(notifications.id, before) : undefined))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE + 1)
    .all();
  const page = rows.slice(0, NOTIFICATIONS_PAGE);
  return {
    notifications: page.map((n) => ({ ...n, isRead: n.readAt !== null })),
    nextCursor: rows.length > NOTIFICATIONS_PAGE ? String(page.at(-1)!.id) : null,
    unread: unreadCount(viewer),
  };
}

const Ids = z.array(z.coerce.number().int().positive()).max(500);

/**
 * Marks the viewer's own notifications read: some by id, or all of them.
 * Someone else's ids are ignored. Returns how many changed.
 */
export function markRead(viewer: SessionUser, ids: (number | string)[] | "all", meta: { now?: number } = {}): number {
  const now = meta.now ?? Date.now();
  const which = ids === "all" ? null : validate(Ids, ids);
  if (which && which.length === 0) return 0;
  return transaction((tx) => {
    const result = tx
      .update(notifications)
      .set({ readAt: now })
      .where(
        and(
          eq(notifications.userId, viewer.id),
          isNull(notifications.readAt),
          which ? inArray(notifications.id, which) : undefined,
        ),
      )
      .run();
    return result.changes;
  });
}
