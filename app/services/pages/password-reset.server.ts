import type { ResetLinkState } from "~/services/commands/password-reset.server";
import { readResetLink } from "~/services/lookups/password-reset.server";
import { db } from "~db/client";

/** What a reset link is now, for its page (reading changes nothing). */
export async function resetLinkState(token: string | null, now = Date.now()): Promise<ResetLinkState> {
  return await readResetLink(db(), token, now);
}
