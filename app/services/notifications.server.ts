/**
 * In-app notifications: one row per person per piece of news, written inside the transaction of
 * the change it tells about. The same news (same dedupe key) reaches a person once; grouped news
 * ("5 people supported your idea") is one row per key, updated in place as more arrives. Kinds a
 * person switched off (`notification_opt_outs`) are not written at all.
 */
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type Placeholder } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { NOTICE_SETTINGS, SWITCHABLE_KINDS, type NoticeKind } from "~/domain/notifications";
import { can, type Role } from "~/domain/permissions";
import { db, preparedQueries, transaction, type Db } from "~db/client";
import { greatest } from "~db/dialect";
import { ideas, jams, notificationOptOuts, notifications, users } from "~db/schema";
import { validate } from "./errors";
import { visibleJamsCondition } from "./lookups/visibility.server";
import { readableJamSql, readableNoticeLinkSql } from "./community-access.server";
import { mapInOrder } from "~/domain/in-order";

export const NOTIFICATIONS_PAGE = 20;

export interface Notice {
  userId: number;
  kind: NoticeKind;
  body: string;
  link: string | null;
  /** What the news is about, e.g. `action:12:approved`; the same key reaches a person once. */
  dedupeKey: string;
  /** The jam the news is about (hidden while it is a draft from people who cannot open drafts). */
  jamId: number | null;
  /** The idea the news is about (hidden while that idea is hidden, except from its author and moderators). */
  ideaId?: number | null;
}

/** Of these people, those who switched `kind` off, and erased accounts (told nothing, ever). */
async function optedOut(tx: Db, userIds: number[], kind: NoticeKind): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const out = new Set<number>();
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += 500) {
    // The few erased accounts sit in a partial index: this reads only them.
    for (const row of await tx
      .select({ id: users.id })
      .from(users)
      .where(and(isNotNull(users.erasedAt), inArray(users.id, unique.slice(i, i + 500))))
      .all()) {
      out.add(row.id);
    }
  }
  if (kind === "hidden") return out;
  for (let i = 0; i < unique.length; i += 500) {
    for (const row of await tx
      .select({ userId: notificationOptOuts.userId })
      .from(notificationOptOuts)
      .where(and(eq(notificationOptOuts.kind, kind), inArray(notificationOptOuts.userId, unique.slice(i, i + 500))))
      .all()) {
      out.add(row.userId);
    }
  }
  return out;
}

/**
 * Writes notifications inside the caller's transaction (`INSERT … ON CONFLICT DO NOTHING`) and
 * returns the people who were actually notified now. People who switched the notice's kind off
 * get nothing.
 */
export async function notify(tx: Db, notices: Notice[], now: number): Promise<number[]> {
  const reached: number[] = [];
  const byKind = new Map<NoticeKind, Notice[]>();
  for (const n of notices) {
    const same = byKind.get(n.kind);
    if (same) same.push(n);
    else byKind.set(n.kind, [n]);
  }
  for (const [kind, group] of byKind) {
    const off = await optedOut(tx, group.map((n) => n.userId), kind);
    for (const n of group) {
      if (off.has(n.userId)) continue;
      const written = await tx
        .insert(notifications)
        .values({ userId: n.userId, kind, body: n.body, link: n.link, dedupeKey: n.dedupeKey, jamId: n.jamId, ideaId: n.ideaId ?? null, createdAt: now })
        .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
        .run();
      if (written.changes > 0) reached.push(n.userId);
    }
  }
  return reached;
}

export interface GroupedNotice extends Omit<Notice, "body" | "link"> {
  /**
   * The count it stands for now: a number (the idea's supporters in all), or "add": one more
   * while the person has not read it, else it starts again at 1 (new comments since they looked).
   */
  count: number | "add";
  /** Its words and link for a count. */
  render: (count: number) => { body: string; link: string | null };
}

/**
 * Writes or updates one grouped notification per (person, key) inside the caller's transaction:
 * an upsert on the dedupe key that sets the count, moves it to the top (its time) and marks it
 * unread again. The caller's transaction is IMMEDIATE (it holds the write lock from its start),
 * so concurrent votes or comments are applied one after another and no count is lost.
 * Returns the people reached with the count each now reads (none for a kind they switched off).
 */
export async function notifyGrouped(tx: Db, notices: GroupedNotice[], now: number): Promise<{ userId: number; count: number }[]> {
  const reached: { userId: number; count: number }[] = [];
  const kinds = new Set(notices.map((n) => n.kind));
  const off = new Map(await mapInOrder([...kinds], async (kind) => [kind, await optedOut(tx, notices.filter((n) => n.kind === kind).map((n) => n.userId), kind)]));
  for (const n of notices) {
    if (off.get(n.kind)?.has(n.userId)) continue;
    const guess = n.count === "add" ? 1 : n.count;
    const first = n.render(guess);
    const row = await tx
      .insert(notifications)
      .values({
        userId: n.userId,
        kind: n.kind,
        body: first.body,
        link: first.link,
        dedupeKey: n.dedupeKey,
        jamId: n.jamId,
        ideaId: n.ideaId ?? null,
        count: guess,
        createdAt: now,
      })
      .onConflictDoUpdate({
        target: [notifications.userId, notifications.dedupeKey],
        set: {
          count:
            n.count === "add"
              ? sql`CASE WHEN ${notifications.readAt} IS NULL THEN ${notifications.count} + 1 ELSE 1 END`
              : sql`excluded.count`,
          body: sql`excluded.body`,
          link: sql`excluded.link`,
          // Seeds and tests may write with past times out of order: the newest news gives the time.
          createdAt: greatest(notifications.createdAt, sql`excluded.created_at`),
          readAt: null,
        },
      })
      .returning({ id: notifications.id, count: notifications.count })
      .get();
    if (row.count !== guess) {
      // "add" found an unread one: it now stands for more news than the one just arrived.
      const words = n.render(row.count);
      await tx.update(notifications).set({ body: words.body, link: words.link }).where(eq(notifications.id, row.id)).run();
    }
    reached.push({ userId: n.userId, count: row.count });
  }
  return reached;
}

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

const Ids = z.array(z.coerce.number().int().positive()).max(500);

/**
 * Marks the viewer's own notifications read: some by id, or all of them.
 * Someone else's ids are ignored. Returns how many changed.
 */
export async function markRead(viewer: SessionUser, ids: (number | string)[] | "all", meta: { now?: number } = {}): Promise<number> {
  const now = meta.now ?? Date.now();
  const which = ids === "all" ? null : validate(Ids, ids);
  if (which && which.length === 0) return 0;
  return await transaction(async (tx) => {
    const result = await tx
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

const box = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
export const NotificationSettingsInput = z.object(Object.fromEntries(SWITCHABLE_KINDS.map((k) => [k, box])) as Record<(typeof SWITCHABLE_KINDS)[number], typeof box>);

/**
 * Saves which kinds the viewer wants: a form of checkboxes, one per kind (an unticked box is
 * absent from the form, so it means off). Returns the kinds now off.
 */
export async function saveNotificationSettings(viewer: Pick<SessionUser, "id">, input: unknown, meta: { now?: number } = {}) {
  const data = validate(NotificationSettingsInput, input);
  const now = meta.now ?? Date.now();
  const off = SWITCHABLE_KINDS.filter((k) => !data[k]);
  return await transaction(async (tx) => {
    await tx.delete(notificationOptOuts).where(eq(notificationOptOuts.userId, viewer.id)).run();
    if (off.length > 0) await tx.insert(notificationOptOuts).values(off.map((kind) => ({ userId: viewer.id, kind, createdAt: now }))).run();
    return { off };
  });
}
