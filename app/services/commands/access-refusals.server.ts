import type { OriginRefusal } from "~/auth/origin";
import { db } from "~db/client";
import { recordAudit } from "~/services/effects/audit.server";

/** A state change refused by the origin check (cross-site, or from nowhere it says) goes into the audit log. */
export async function recordOriginRefusal(path: string, ip: string | null, reason: OriginRefusal) {
  await recordAudit(db(), { action: "access_refused", subject: path.slice(0, 500), ip, at: Date.now(), detail: { reason } });
}
