/**
 * Who may do what: the one role check every service uses, on the capability table in
 * app/domain/permissions.ts. A refusal is 403 with what the person reads (the default when none is
 * given: "You are not allowed to do that."). Object-level checks (may this person see this jam?)
 * are in ./visibility.server.ts; a lookup that needs both is here.
 */
import type { SessionUser } from "~/auth/session.server";
import { can, type Capability } from "~/domain/permissions";
import type { Db } from "~db/client";
import type { Jam } from "~db/schema";
import { Forbidden } from "~/services/errors";
import { findVisibleJam } from "~/services/lookups/visibility.server";

/** Throws Forbidden (403) unless the actor's role has the capability. */
export function requireCapability(actor: Pick<SessionUser, "role">, capability: Capability, refusal?: string): void {
  if (!can(actor.role, capability)) throw new Forbidden(refusal);
}

export const JAM_MANAGERS_ONLY = "Only facilitators can create and edit jams.";

/** The jam, for someone who manages jams and may see it: not found first (a participant never learns a draft exists), then forbidden. */
export async function findManagedJam(conn: Db, actor: SessionUser, slug: string): Promise<Jam> {
  const jam = await findVisibleJam(conn, actor, slug);
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  return jam;
}
