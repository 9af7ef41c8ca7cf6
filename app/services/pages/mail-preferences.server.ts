import { eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { addressMayReceive, CHOOSABLE_MAIL_KINDS, MAIL_KIND_LABELS, MAIL_KIND_HINTS, DEFAULT_MAIL_DELIVERY, unsubscribeScopeLabel } from "~/domain/mail";
import { smtpUrl } from "~/mail/config.server";
import { readUnsubscribeToken } from "~/mail/unsubscribe.server";
import { deliveriesOf } from "~/services/lookups/mail.server";
import { db } from "~db/client";
import { users } from "~db/schema";

/** The mail part of the settings page: each kind with how it comes now, and whether the address may get jam mail yet. */
export async function mailSettings(viewer: Pick<SessionUser, "id">) {
  const conn = db();
  const current = await deliveriesOf(conn, viewer.id);
  const person = await conn
    .select({ email: users.email, passwordHash: users.passwordHash, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, viewer.id))
    .get();
  return {
    email: person?.email ?? "",
    addressChecked: person ? addressMayReceive("invitation", person) : false,
    /** Without SMTP_URL nothing leaves: messages wait in the local outbox for an admin. */
    mailLeaves: smtpUrl() !== null,
    kinds: CHOOSABLE_MAIL_KINDS.map((kind) => ({
      kind,
      label: MAIL_KIND_LABELS[kind],
      hint: MAIL_KIND_HINTS[kind],
      delivery: current[kind],
      isDefault: current[kind] === DEFAULT_MAIL_DELIVERY[kind],
    })),
  };
}

/** What an unsubscribe link would stop, for the page it opens (GET changes nothing); null for a link that is not genuine. */
export async function unsubscribePreview(token: string | null) {
  const read = await readUnsubscribeToken(db(), token);
  if (!read) return null;
  return { scope: read.scope, what: unsubscribeScopeLabel(read.scope) };
}
