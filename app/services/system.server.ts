import { sql } from "drizzle-orm";
import { db } from "~db/client";
import { recordAudit } from "./audit.server";

/** Throws unless the database answers. */
export function healthCheck() {
  db().get(sql`SELECT 1`);
}

/** A cross-site state change refused by the origin check goes into the audit log. */
export function recordCrossSiteRefusal(path: string, ip: string | null) {
  recordAudit({ action: "access_refused", subject: path.slice(0, 500), ip, at: Date.now(), detail: { reason: "cross-site" } });
}
