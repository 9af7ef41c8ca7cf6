/**
 * "Forgot your password?": a one-time link by e-mail that sets a new password.
 *
 * - Asking says the same whatever the address: whether it has an account, a password, or is
 *   deactivated, the page answers alike and the mail (if any) is sent later by the outbox, so
 *   neither the words nor the time taken tell a stranger who has an account.
 * - Asks are limited per typed address and per network address (app/domain/rate-limits.ts), always.
 * - A password account gets a link (`/reset-password?t=…`): 256 random bits, only its SHA-256 kept,
 *   for 30 minutes, once; using one link spends every other link of the account. An account that
 *   signs in only through the company's sign-on (no password) gets a mail saying so instead.
 *   Deactivated and erased accounts get nothing.
 * - Setting the new password follows the sign-up rules (app/domain/password-rules.ts), ends every
 *   session of the account, counts as checking the address (the link came to it), clears the
 *   account's failed sign-ins, and is audited.
 */
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { isCommonPassword } from "~/auth/common-passwords.server";
import { hashPassword } from "~/auth/password.server";
import { LIMITS } from "~/domain/limits";
import { composeMail } from "~/domain/mail";
import { passwordWeakness } from "~/domain/password-rules";
import { mailThrottledMessage, PASSWORD_RESET_LIMITS } from "~/domain/rate-limits";
import { absoluteUrl } from "~/mail/config.server";
import { queueMail } from "~/mail/outbox.server";
import { db, transaction } from "~db/client";
import { passwordResetTokens, sessions, users } from "~db/schema";
import type { RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { Invalid, validate } from "~/services/errors";
import { countAttempt, forgetAttempts } from "~/services/effects/rate-limiter.server";
import { RESET_LINK_REFUSALS, tokenId, readResetLink } from "~/services/lookups/password-reset.server";

export const RESET_LINK_MS = 30 * 60_000;

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@company.com." }));

export const ResetRequestInput = z.object({ email });

/** A new random token (sent) and its hash (stored). */
export function newLinkToken(): { token: string; id: string } {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = encodeBase64urlNoPadding(bytes);
  return { token, id: tokenId(token) };
}

/**
 * Someone asks for a reset link for an address. Returns nothing they may see: the page says the
 * same in every case. Throws TooManyRequests when the address or the network asked too often.
 */
export async function requestPasswordReset(input: unknown, meta: RequestMeta): Promise<void> {
  const data = validate(ResetRequestInput, input);
  const now = meta.now ?? Date.now();
  await countAttempt(
    [
      { key: `password-reset:address:${data.email}`, limits: PASSWORD_RESET_LIMITS.address, message: (s) => mailThrottledMessage("reset-address", s) },
      ...(meta.ip
        ? [{ key: `password-reset:network:${meta.ip}`, limits: PASSWORD_RESET_LIMITS.network, message: (s: number) => mailThrottledMessage("reset-network", s) }]
        : []),
    ],
    now,
  );
  await transaction(async (tx) => {
    const person = await tx.select().from(users).where(eq(users.email, data.email)).get();
    let sent: "link" | "sign_on" | "none" = "none";
    if (person && person.deactivatedAt === null && person.erasedAt === null) {
      if (person.passwordHash === "") {
        const { text, html } = composeMail({
          greeting: `Hello ${person.name},`,
          paragraphs: [
            `Someone (we hope you) asked to reset the password of your Jamboree account, ${person.email}.`,
            "Your account has no password: you sign in with your company's sign-on, and your company looks after that password.",
          ],
          action: { label: "Sign in to Jamboree", url: absoluteUrl("/login") },
          after: ["If you did not ask, you can ignore this e-mail: nothing has changed."],
        });
        await queueMail(tx, { userId: person.id, kind: "password_reset", subject: "Your Jamboree account signs in with your company sign-on", text, html, dedupeKey: `password_reset:sign_on:${now}:${newLinkToken().id.slice(0, 16)}` }, now);
        sent = "sign_on";
      } else {
        const { token, id } = newLinkToken();
        await tx.insert(passwordResetTokens).values({ id, userId: person.id, createdAt: now, expiresAt: now + RESET_LINK_MS }).run();
        const link = absoluteUrl(`/reset-password?t=${token}`);
        const { text, html } = composeMail({
          greeting: `Hello ${person.name},`,
          paragraphs: [`Someone (we hope you) asked to reset the password of your Jamboree account, ${person.email}.`, "The link works once, for 30 minutes."],
          action: { label: "Choose a new password", url: link },
          after: ["If you did not ask, you can ignore this e-mail: your password stays as it is."],
        });
        await queueMail(tx, { userId: person.id, kind: "password_reset", subject: "Reset your Jamboree password", text, html, dedupeKey: `password_reset:${id}` }, now);
        sent = "link";
      }
    }
    await recordAudit(tx, { action: "password_reset_requested", actorId: person?.id ?? null, subject: data.email, ip: meta.ip, at: now, detail: { sent } });
  });
}

export type ResetLinkState = { state: "ok"; email: string; name: string } | { state: "expired" | "used" | "invalid" };

export const CompleteResetInput = z.object({
  t: z.string().max(100).optional().default(""),
  password: z
    .string({ error: "Choose a password." })
    .min(LIMITS.password.min, `Use at least ${LIMITS.password.min} characters.`)
    .max(LIMITS.password.max, `Use at most ${LIMITS.password.max} characters.`),
});

/**
 * Sets the new password through a reset link, once. Refused with the link's state (expired, used,
 * not valid) as the form's message, or the password's weakness as the field's. Every session of
 * the account ends; the person signs in with the new password.
 */
export async function completePasswordReset(input: unknown, meta: RequestMeta): Promise<{ email: string; sessionsEnded: number }> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const now = meta.now ?? Date.now();
  const link = await readResetLink(db(), typeof raw.t === "string" ? raw.t : null, now);
  if (link.state !== "ok") throw new Invalid({ form: [RESET_LINK_REFUSALS[link.state]] }, RESET_LINK_REFUSALS[link.state]);
  const data = validate(CompleteResetInput, input);
  const weakness = passwordWeakness(data.password, { email: link.email, name: link.name }, isCommonPassword);
  if (weakness) throw new Invalid({ password: [weakness] });
  const passwordHash = await hashPassword(data.password);
  const id = tokenId(data.t);
  const done = await transaction(async (tx) => {
    // Spent here, once: a second use (a double click, another tab) finds it used.
    const spent = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.id, id), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
      .returning({ userId: passwordResetTokens.userId })
      .get();
    if (!spent) return null;
    const person = await tx.select().from(users).where(eq(users.id, spent.userId)).get();
    if (!person || person.deactivatedAt !== null || person.erasedAt !== null) return null;
    await tx.update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, person.id), isNull(passwordResetTokens.usedAt), ne(passwordResetTokens.id, id)))
      .run();
    await tx.update(users).set({ passwordHash, emailVerifiedAt: person.emailVerifiedAt ?? now }).where(eq(users.id, person.id)).run();
    const sessionsEnded = (await tx.delete(sessions).where(eq(sessions.userId, person.id)).run()).changes;
    await recordAudit(tx, { action: "password_reset", actorId: person.id, subject: person.email, ip: meta.ip, at: now, detail: { sessionsEnded } });
    return { email: person.email, sessionsEnded };
  });
  if (!done) throw new Invalid({ form: [RESET_LINK_REFUSALS.used] }, RESET_LINK_REFUSALS.used);
  // Failed sign-ins by others no longer stand between the owner and the account.
  await forgetAttempts(`sign-in:account:${done.email}`, now);
  return done;
}
