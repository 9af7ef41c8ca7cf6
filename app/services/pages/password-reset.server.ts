import { ResetLinkState, readResetLink } from "~/services/commands/password-reset.server";
import { db } from "~db/client";

/** What a reset link is now, for its page (reading changes nothing). */
export async function resetLinkState(token: string | null, now = Date.now()): Promise<ResetLinkState> {
  return await readResetLink(db(), token, now);
}

export const RESET_LINK_REFUSALS = {
  invalid: "This reset link is not valid: it may have been cut short or changed. Ask for a new one.",
  used: "This reset link has already been used (or a newer one was). Ask for a new one if you need it.",
  expired: "This reset link has expired: links work for 30 minutes. Ask for a new one.",
} as const;
