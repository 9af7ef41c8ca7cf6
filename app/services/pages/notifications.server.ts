import { type Placeholder, and, eq, or, isNull, sql, lt, desc } from "drizzle-orm";
import { mailSettings } from "~/services/pages/mail-preferences.server";
import { mayBeAskedSetting } from "~/services/pages/questions.server";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { NOTICE_SETTINGS } from "~/domain/notifications";
import { can } from "~/domain/permissions";
import { readableJamSql, readableNoticeLinkSql } from "~/services/lookups/community-access.server";
import { visibleJamsCondition } from "~/services/lookups/visibility.server";
import { preparedQueries, db, type Db } from "~db/client";
import { type Role, notifications, ideas, jams, notificationOptOuts } from "~db/schema";

export const NOTIFICATIONS_PAGE = 20;

/**
 * The viewer's notifications they may read: none about a jam that is (again) a draft, unless they
 * may open drafts; none about an idea that is hidden, unless it is theirs or they moderate. A
 * condition on a query of notifications left-joined to jams and ideas.
 */
function readable(viewer: { id: number | Placeholder; role: Role }) {
  return and(
    eq(notifications.userId, viewer.id),
    visibleJamsCondition(viewer, { orNoJam: true }),
    can(viewer.role, "manageJams") ? undefined : or(isNull(ideas.id), isNull(ideas.hiddenAt), eq(ideas.authorId, viewer.id)),
    // None about a members-only community's ideas once the person is not (or no longer) a member.
    or(isNull(notifications.jamId), readableJamSql(notifications.jamId as never, viewer.id)),
    // None about a members-only community's questions and jellies either.
    readableNoticeLinkSql(sql`${notifications.link}`, viewer.id),
  );
}

/** How many of the viewer's notifications are unread (the header bell). */
const unreadQuery = preparedQueries((conn, role: Role) =>
  conn
    .select({ n: sql<number>`count(*)` })
    .from(notifications)
    .leftJoin(jams, eq(jams.id, notifications.jamId))
    .leftJoin(ideas, eq(ideas.id, notifications.ideaId))
    .where(and(readable({ id: sql.placeholder("userId"), role }), isNull(notifications.readAt)))
    .prepare(),
);

/** The viewer's unread notifications (the header's badge: the root loader calls this). */
export async function unreadCount(viewer: Pick<SessionUser, "id" | "role">): Promise<number> {
  return await countUnread(db(), viewer);
}

export async function countUnread(conn: Db, viewer: Pick<SessionUser, "id" | "role">): Promise<number> {
  return (await unreadQuery(conn, viewer.role).get({ userId: viewer.id }))?.n ?? 0;
}

/** A page cursor: the time and id of the last notification shown ("1718000000000.42"). */
const Cursor = z
  .string()
  .regex(/^\d{1,15}\.\d{1,12}$/)
  .transform((s) => {
    const [at, id] = s.split(".").map(Number) as [number, number];
    return { at, id };
  })
  .optional()
  .catch(undefined);

/** The viewer's notifications, newest news first (grouped ones move up when updated), a page at a time. */
export async function listNotifications(viewer: SessionUser, cursor?: string | null) {
  const before = Cursor.parse(cursor ?? undefined);
  const conn = db();
  const rows = await conn
    .select({
      id: notifications.id,
      kind: notifications.kind,
      body: notifications.body,
      link: notifications.link,
      count: notifications.count,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(jams, eq(jams.id, notifications.jamId))
    .leftJoin(ideas, eq(ideas.id, notifications.ideaId))
    .where(
      and(
        readable(viewer),
        before
          ? or(lt(notifications.createdAt, before.at), and(eq(notifications.createdAt, before.at), lt(notifications.id, before.id)))
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE + 1)
    .all();
  const page = rows.slice(0, NOTIFICATIONS_PAGE);
  const last = page.at(-1);
  return {
    notifications: page.map(({ readAt, ...n }) => ({ ...n, isRead: readAt !== null })),
    nextCursor: rows.length > NOTIFICATIONS_PAGE && last ? `${last.createdAt}.${last.id}` : null,
    unread: await countUnread(conn, viewer),
  };
}

// ---------------------------------------------------------------------------
// What a person wants to be told

/** The settings form: every switchable kind with whether it is on for the viewer. */
export async function notificationSettings(viewer: Pick<SessionUser, "id">) {
  const off = new Set(
    (await db()
      .select({ kind: notificationOptOuts.kind })
      .from(notificationOptOuts)
      .where(eq(notificationOptOuts.userId, viewer.id))
      .all())
      .map((r) => r.kind),
  );
  return NOTICE_SETTINGS.map((s) => ({ ...s, on: !off.has(s.kind) }));
}

/** Everything /notifications/settings shows, in one call: notices, e-mail kinds and whether one may be asked questions. */
export async function notificationSettingsPage(viewer: SessionUser) {
  return { settings: await notificationSettings(viewer), mail: await mailSettings(viewer), mayBeAsked: await mayBeAskedSetting(viewer) };
}
