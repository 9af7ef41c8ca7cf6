/**
 * Erased accounts (app/services/commands/erasure.server.ts): the e-mail address an erasure leaves is under
 * `.invalid` (RFC 2606: never delivered) with a random part, so nobody can sign up with it first
 * and make the erasure collide. Pure.
 */
export const ERASED_EMAIL_DOMAIN = "erased.invalid";

/** The placeholder for an erased account; `random` is 16 lower-case hex digits. */
export function erasedEmailFor(userId: number, random: string): string {
  return `erased-${userId}-${random}@${ERASED_EMAIL_DOMAIN}`;
}

/** Whether an address is one an erasure left (shown as "Erased", never as an address). */
export function isErasedEmail(email: string): boolean {
  return /^erased-\d+-[0-9a-f]{16}@erased\.invalid$/.test(email);
}
