import { and, eq, isNull, inArray } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { SWITCHABLE_KINDS } from "~/domain/notifications";
import { validate } from "~/services/errors";
import { transaction } from "~db/client";
import { notifications, notificationOptOuts } from "~db/schema";

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
