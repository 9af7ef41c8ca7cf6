import type { SessionUser } from "~/auth/session.server";
import { type RecomputeHandle, startWorker } from "~/services/jobs/network.server";
import { NETWORK_VIEWERS_ONLY, scopeOf } from "~/services/lookups/network.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { db } from "~db/client";

/**
 * Recomputes the network of a jam (slug) or of all jams (null) in a worker
 * thread and returns at once. Facilitators, leaders and admins only. A second
 * request while one runs returns the running one.
 */
export async function requestNetworkRecompute(actor: SessionUser, slugOrNull: string | null, now = Date.now()): Promise<RecomputeHandle> {
  requireCapability(actor, "seePeopleNetwork", NETWORK_VIEWERS_ONLY);
  const { scope } = await scopeOf(db(), actor, slugOrNull);
  return await startWorker(scope, now);
}
