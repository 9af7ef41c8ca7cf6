/**
 * Digests: the items people chose to get daily or weekly (app/mail/outbox.server.ts queues them
 * with the moment they fall due) become one message per person and moment. Collecting runs in
 * one IMMEDIATE transaction that links each item to its message, so whichever process runs it,
 * and however often, each item goes out once. Items of a kind the person has since switched off,
 * or of a person who left, are dropped.
 */
import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { addressMayReceive, composeMail, escapeHtml, MAIL_KIND_LABELS, type DigestDelivery } from "~/domain/mail";
import { db, transaction, type Db } from "~db/client";
import { mailDigestItems, users } from "~db/schema";
import { currentDelivery, insertOutboxRow } from "./outbox.server";
import { filterInOrder } from "~/domain/in-order";

/** Items collected per transaction (the rest wait for the next round, moments later). */
const BATCH = 2_000;

type Item = typeof mailDigestItems.$inferSelect;

/** Collects every digest due at `now`; returns how many digest messages it queued. */
export async function collectDigests(now: number = Date.now()): Promise<number> {
  // Looking is a read; the write lock only when something is due.
  const due = await db().get(sql`SELECT 1 AS due FROM mail_digest_items WHERE due_at <= ${now} AND outbox_id IS NULL AND dropped_at IS NULL LIMIT 1`);
  if (due === undefined) return 0;
  let queued = 0;
  for (;;) {
    const { messages, items } = await transaction(async (tx) => await collectBatch(tx, now));
    queued += messages;
    if (items < BATCH) return queued;
  }
}

async function collectBatch(tx: Db, now: number): Promise<{ messages: number; items: number }> {
  const due = await tx
    .select()
    .from(mailDigestItems)
    .where(and(lte(mailDigestItems.dueAt, now), isNull(mailDigestItems.outboxId), isNull(mailDigestItems.droppedAt)))
    .orderBy(asc(mailDigestItems.dueAt), asc(mailDigestItems.userId), asc(mailDigestItems.id))
    .limit(BATCH)
    .all();
  const groups = new Map<string, Item[]>();
  for (const item of due) {
    const key = `${item.userId}:${item.delivery}:${item.dueAt}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  let messages = 0;
  for (const group of groups.values()) {
    const first = group[0]!;
    const person = await tx
      .select({ email: users.email, passwordHash: users.passwordHash, emailVerifiedAt: users.emailVerifiedAt, deactivatedAt: users.deactivatedAt, erasedAt: users.erasedAt })
      .from(users)
      .where(eq(users.id, first.userId))
      .get();
    const active = person && person.deactivatedAt === null && person.erasedAt === null;
    const keep = active ? await filterInOrder(group, async (i) => addressMayReceive(i.kind, person) && await currentDelivery(tx, i.userId, i.kind) !== "never") : [];
    const dropped = group.filter((i) => !keep.includes(i)).map((i) => i.id);
    if (dropped.length > 0) await tx.update(mailDigestItems).set({ droppedAt: now }).where(inArray(mailDigestItems.id, dropped)).run();
    if (keep.length === 0 || !person) continue;
    const delivery = first.delivery as DigestDelivery;
    const { subject, text, html } = digestMessage(delivery, keep);
    const row = await insertOutboxRow(
      tx,
      {
        userId: first.userId,
        toAddress: person.email,
        kind: delivery === "daily" ? "daily_digest" : "weekly_digest",
        subject,
        text,
        html,
        dedupeKey: `digest:${delivery}:${first.dueAt}:${keep[0]!.id}`,
        jamId: null,
      },
      now,
    );
    if (!row) continue;
    await tx.update(mailDigestItems).set({ outboxId: row.id }).where(inArray(mailDigestItems.id, keep.map((i) => i.id))).run();
    messages += 1;
  }
  return { messages, items: due.length };
}

/** One message of several items: each under its subject, in the order they were queued. */
export function digestMessage(delivery: DigestDelivery, items: Pick<Item, "kind" | "subject" | "textBody" | "htmlBody">[]) {
  const what = items.length === 1 ? "1 update" : `${items.length} updates`;
  const subject = `Your ${delivery} Jamboree digest: ${what}`;
  const intro = composeMail({
    paragraphs: [`Here is what happened since your last ${delivery === "daily" ? "daily" : "weekly"} digest.`],
  });
  const text = [
    `Here is what happened since your last ${delivery} digest.`,
    ...items.map((i) => `\n${i.subject}\n${"=".repeat(Math.min(60, Math.max(3, i.subject.length)))}\n(${MAIL_KIND_LABELS[i.kind]})\n\n${i.textBody.trim()}`),
  ].join("\n");
  const html = [
    intro.html,
    ...items.map(
      (i) =>
        `<div style="max-width:560px;margin:16px auto 0;background:#ffffff;border-radius:12px;padding:20px 28px;">` +
        `<p style="margin:0 0 4px;font-size:12px;color:#555;text-transform:uppercase;letter-spacing:.04em;">${escapeHtml(MAIL_KIND_LABELS[i.kind])}</p>` +
        `<h2 style="margin:0 0 12px;font-size:18px;">${escapeHtml(i.subject)}</h2>` +
        // Every part is one card (composeMail's, or a jam e-mail's): inside the digest's card, its own goes.
        (i.htmlBody ?? composeMail({ paragraphs: i.textBody.trim().split(/\n{2,}/) }).html).replace(/^<div[^>]*>|<\/div>$/g, "") +
        `</div>`,
    ),
  ].join("\n");
  return { subject, text, html };
}
