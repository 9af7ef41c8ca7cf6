import type { CheckLinkState } from "~/services/commands/email-check.server";
import { readCheckLink } from "~/services/lookups/email-check.server";
import { db } from "~db/client";

/** What a check link is now, for its page (reading changes nothing). */
export async function checkLinkState(token: string | null, now = Date.now()): Promise<CheckLinkState> {
  return await readCheckLink(db(), token, now);
}
