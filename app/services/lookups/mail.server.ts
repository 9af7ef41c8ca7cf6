import type { ActionStatus } from "~/domain/actions";
import { derivedKey } from "~/auth/secret.server";
import { sql } from "drizzle-orm";
import { createHmac } from "crypto";
import { type ChoosableMailKind, type MailDelivery, CHOOSABLE_MAIL_KINDS, deliveryFor } from "~/domain/mail";
import { smtpUrl, mailFrom, publicUrl } from "~/mail/config.server";
import { type MailContext, actionStatusMail, privateNewsMail } from "~/mail/messages";
import { chosenDeliveries, queueMail, type QueueResult } from "~/mail/outbox.server";

import type { Db } from "~db/client";
import type { JamRow } from "~/services/jobs/jam-mail.server";

export async function deliveriesOf(conn: Db, userId: number): Promise<Record<ChoosableMailKind, MailDelivery>> {
  const chosen = await chosenDeliveries(conn, userId);
  return Object.fromEntries(CHOOSABLE_MAIL_KINDS.map((k) => [k, deliveryFor(k, chosen[k])])) as Record<ChoosableMailKind, MailDelivery>;
}

/** Where mail goes, as an admin may see it: the SMTP server's host and port, never its user or password. */
export function mailTransportSummary() {
  const url = smtpUrl();
  let smtp: string | null = null;
  if (url) {
    try {
      const parsed = new URL(url);
      smtp = `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}`;
    } catch {
      smtp = "(SMTP_URL is not a valid address)";
    }
  }
  return { smtp, from: mailFrom(), publicUrl: publicUrl() };
}

export function mailContext(): MailContext {
  return { baseUrl: publicUrl() };
}

/**
 * An opaque key: the outbox keeps keys, and this one must not say which action it is about. A
 * keyed hash (the app's secret), so nobody can work it out from the action, status and person.
 */
export async function privateKey(conn: Db, ...parts: (string | number)[]): Promise<string> {
  return `private:${createHmac("sha256", await derivedKey(conn, "mail-private-key")).update(parts.join(":")).digest("base64url").slice(0, 32)}`;
}

/**
 * A follow-up action was created or changed status: each author of a linked (visible) idea
 * hears about it once per status, inside the caller's transaction, except the person who made
 * the change. Named ideas are listed; an author whose only linked ideas are anonymous gets a
 * message that names neither idea, action nor jam (`privateNewsMail`), under an opaque key, so
 * the outbox does not tie them to the idea. Nothing for an action of a draft jam.
 */
export async function mailActionStatus(
  tx: Db,
  input: {
    actorId: number;
    action: { id: number; title: string; status: ActionStatus; description: string; declineReason: string | null; dueDate: number | null; ownerId: number };
    jamId: number;
    linked: { title: string; authorId: number; isAnonymous: boolean }[];
  },
  now: number,
): Promise<number> {
  const jam = await jamRow(tx, input.jamId);
  if (!jam || jam.isDraft) return 0;
  const named = new Map<number, { title: string }[]>();
  const anonymousOnly = new Set<number>();
  for (const idea of input.linked) {
    if (idea.authorId === input.actorId) continue;
    if (idea.isAnonymous) anonymousOnly.add(idea.authorId);
    else named.set(idea.authorId, [...(named.get(idea.authorId) ?? []), { title: idea.title }]);
  }
  for (const id of named.keys()) anonymousOnly.delete(id);
  if (named.size === 0 && anonymousOnly.size === 0) return 0;
  const owner = await tx.get<{ name: string; erased: number | null }>(sql`SELECT name, erased_at AS erased FROM users WHERE id = ${input.action.ownerId}`);
  const names = await namesOf(tx, [...named.keys(), ...anonymousOnly]);
  const context = mailContext();
  const { action } = input;
  let queued = 0;
  for (const [userId, yourIdeas] of named) {
    const mail = actionStatusMail(
      { action: { ...action, ownerName: owner && owner.erased === null ? owner.name : null }, jam: { title: jam.title }, yourIdeas, recipient: { name: names.get(userId) ?? "" } },
      context,
    );
    queued += delivered(await queueMail(tx, { userId, kind: "action_status", ...mail, dedupeKey: `action:${action.id}:${action.status}:${userId}`, jamId: jam.id }, now));
  }
  for (const userId of anonymousOnly) {
    const mail = privateNewsMail({ recipient: { name: names.get(userId) ?? "" } }, context);
    // No jam on the row either: the outbox lists messages by jam.
    queued += delivered(await queueMail(tx, { userId, kind: "action_status", ...mail, dedupeKey: await privateKey(tx, "action", action.id, action.status, userId) }, now));
  }
  return queued;
}

export async function jamRow(conn: Db, jamId: number): Promise<JamRow | undefined> {
  return await conn.get<JamRow>(
    sql`SELECT id, slug, title, description, starts_at AS startsAt, ends_at AS endsAt, is_draft AS isDraft FROM jams WHERE id = ${jamId}`,
  );
}

/** 1 when the message will reach the person (now or in their digest), else 0. */
export function delivered(result: QueueResult): number {
  return result.outcome === "queued" || result.outcome === "digest" ? 1 : 0;
}

export async function namesOf(conn: Db, userIds: number[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    for (const r of await conn.all<{ id: number; name: string }>(sql`SELECT id, name FROM users WHERE id IN (${sql.join(chunk, sql`, `)})`)) names.set(r.id, r.name);
  }
  return names;
}
