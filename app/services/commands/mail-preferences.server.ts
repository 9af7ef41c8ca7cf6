/**
 * What mail a person gets: per kind, immediately, a daily or weekly digest, or nothing (the form on
 * /notifications/settings), and the one-click unsubscribe of a link in a message
 * (/mail/unsubscribe), which needs no session: its signed token names the person and what to stop.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import {
  CHOOSABLE_MAIL_KINDS,
  DEFAULT_MAIL_DELIVERY,
  kindsStoppedBy,
  MAIL_DELIVERIES,
  unsubscribeScopeLabel,
  type ChoosableMailKind,
  type MailDelivery,
  type UnsubscribeScope,
} from "~/domain/mail";
import { cancelQueued } from "~/mail/outbox.server";
import { readUnsubscribeToken } from "~/mail/unsubscribe.server";
import { db, transaction } from "~db/client";
import { mailPreferences, users } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { validate } from "~/services/errors";
import { deliveriesOf } from "~/services/lookups/mail.server";

const Delivery = z.enum(MAIL_DELIVERIES, { error: "Choose how to get these e-mails from the list." });

/** A kind the form does not name (a page opened before that kind existed) keeps its current choice. */
const MaybeDelivery = Delivery.optional();

export const MailSettingsInput = z.object(
  Object.fromEntries(CHOOSABLE_MAIL_KINDS.map((k) => [`mail_${k}`, MaybeDelivery])) as Record<`mail_${ChoosableMailKind}`, typeof MaybeDelivery>,
);

/**
 * Saves how the viewer gets each kind (a form with one choice per kind, `mail_<kind>`). A kind
 * switched to "nothing" also cancels what of it was queued and not sent yet. Audited when
 * something changed.
 */
export async function saveMailSettings(viewer: Pick<SessionUser, "id">, input: unknown, meta: { ip?: string | null; now?: number } = {}) {
  const data = validate(MailSettingsInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const before = await deliveriesOf(tx, viewer.id);
    const changed: Partial<Record<ChoosableMailKind, MailDelivery>> = {};
    for (const kind of CHOOSABLE_MAIL_KINDS) {
      const delivery = data[`mail_${kind}`] ?? before[kind];
      if (before[kind] !== delivery) changed[kind] = delivery;
      // Only choices that differ from the default are kept: a kind left at its default follows it.
      if (delivery === DEFAULT_MAIL_DELIVERY[kind]) {
        await tx.delete(mailPreferences).where(and(eq(mailPreferences.userId, viewer.id), eq(mailPreferences.kind, kind))).run();
      } else {
        await tx.insert(mailPreferences)
          .values({ userId: viewer.id, kind, delivery, updatedAt: now })
          .onConflictDoUpdate({ target: [mailPreferences.userId, mailPreferences.kind], set: { delivery, updatedAt: now } })
          .run();
      }
    }
    const stopped = (Object.keys(changed) as ChoosableMailKind[]).filter((k) => changed[k] === "never");
    await cancelQueued(tx, viewer.id, stopped, "The person switched these e-mails off.", now);
    if (Object.keys(changed).length > 0) {
      await recordAudit(tx, { action: "mail_preferences_changed", actorId: viewer.id, ip: meta.ip ?? null, at: now, detail: { changed } });
    }
    return { changed };
  });
}

/**
 * Unsubscribes by a message's link: the kinds the token's scope names are set to "nothing" for its
 * person (what is queued of them is cancelled). Null for a forged, altered or malformed token.
 * Repeating it changes nothing more.
 */
export async function unsubscribe(token: string | null, meta: { ip?: string | null; now?: number } = {}): Promise<{ scope: UnsubscribeScope; what: string; stopped: ChoosableMailKind[] } | null> {
  const read = await readUnsubscribeToken(db(), token);
  if (!read) return null;
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const person = await tx.select({ id: users.id }).from(users).where(eq(users.id, read.userId)).get();
    if (!person) return { scope: read.scope, what: unsubscribeScopeLabel(read.scope), stopped: [] };
    const current = await deliveriesOf(tx, person.id);
    const stopped = kindsStoppedBy(read.scope, current).filter((k) => current[k] !== "never");
    for (const kind of stopped) {
      await tx.insert(mailPreferences)
        .values({ userId: person.id, kind, delivery: "never", updatedAt: now })
        .onConflictDoUpdate({ target: [mailPreferences.userId, mailPreferences.kind], set: { delivery: "never", updatedAt: now } })
        .run();
    }
    await cancelQueued(tx, person.id, stopped, "The person unsubscribed from these e-mails.", now);
    if (stopped.length > 0) {
      await recordAudit(tx, { action: "mail_unsubscribed", actorId: person.id, ip: meta.ip ?? null, at: now, detail: { scope: read.scope, stopped } });
    }
    return { scope: read.scope, what: unsubscribeScopeLabel(read.scope), stopped };
  });
}
