/**
 * In-app notifications: one row per person per piece of news, written inside the transaction of
 * the change it tells about. The same news (same dedupe key) reaches a person once; grouped news
 * ("5 people supported your idea") is one row per key, updated in place as more arrives. Kinds a
 * person switched off (`notification_opt_outs`) are not written at all.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { type NoticeKind } from "~/domain/notifications";
import { type Db } from "~db/client";
import { greatest } from "~db/dialect";
import { notificationOptOuts, notifications, users } from "~db/schema";
import { mapInOrder } from "~/domain/in-order";

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
