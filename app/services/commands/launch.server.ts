import { eq, and, gt } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { scheduleRefusals, opensAt, backToDraftRefusal } from "~/domain/launch";
import { publish } from "~/live/bus";
import type { Meta } from "~/services/commands/jams.server";
import { recordAudit } from "~/services/effects/audit.server";
import { validate, NotFound, Conflict, Invalid } from "~/services/errors";
import { queueInvitations } from "~/services/jobs/jam-mail.server";
import { requireCapability, JAM_MANAGERS_ONLY } from "~/services/lookups/guards.server";
import { challengeSettings, ideaCount } from "~/services/lookups/jams.server";
import { transaction } from "~db/client";
import { jams } from "~db/schema";

const ScheduleInput = z.object({
  /** The start the facilitator confirmed; a schedule that changed since is not published blind. */
  confirmedStartsAt: z.coerce.number().int().optional(),
});

/**
 * Publishes a draft: refused, with every reason, while its checklist needs
 * attention. A start that has passed becomes now (it opens at once). Audited;
 * open pages of the jam hear about it.
 */
export async function scheduleJam(actor: SessionUser, jamId: number, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const { confirmedStartsAt } = validate(ScheduleInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const jam = await tx.select().from(jams).where(eq(jams.id, jamId)).get();
    if (!jam) throw new NotFound("No such jam.");
    if (!jam.isDraft) throw new Conflict("This jam is already scheduled.");
    if (confirmedStartsAt !== undefined && confirmedStartsAt !== jam.startsAt) {
      throw new Conflict("The jam’s start changed since you confirmed. Check when it opens and schedule it again.");
    }
    const refusals = scheduleRefusals(jam, await challengeSettings(tx, jam.id), now);
    if (refusals.length > 0) throw new Invalid({ checklist: refusals }, "This jam cannot be scheduled yet. Fix what the checklist lists first.");
    const startsAt = opensAt(jam, now);
    const updated = await tx
      .update(jams)
      .set({ isDraft: false, startsAt, updatedAt: now })
      .where(and(eq(jams.id, jam.id), eq(jams.isDraft, true)))
      .returning()
      .get();
    if (!updated) throw new Conflict("This jam is already scheduled.");
    await recordAudit(
      tx, {
        action: "jam_scheduled",
        actorId: actor.id,
        subject: `jam:${jam.id}`,
        ip: meta.ip,
        at: now,
        detail: { startsAt, endsAt: jam.endsAt, opensNow: startsAt === now },
      },
    );
    // Invitations saved while it was a draft go now (a large list goes on in the background).
    await queueInvitations(tx, jam.id, now);
    await publish(tx, jam.id, "jam.changed", { startsAt: updated.startsAt, endsAt: updated.endsAt });
    return updated;
  });
}

/**
 * Takes a scheduled jam back to draft, only before it starts (and while nobody
 * has posted in it): after that it stays published. Audited.
 */
export async function unscheduleJam(actor: SessionUser, jamId: number, meta: Meta) {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const jam = await tx.select().from(jams).where(eq(jams.id, jamId)).get();
    if (!jam) throw new NotFound("No such jam.");
    const refusal = backToDraftRefusal(jam, await ideaCount(tx, jam.id), now);
    if (refusal) throw new Conflict(refusal);
    const updated = await tx
      .update(jams)
      .set({ isDraft: true, updatedAt: now })
      .where(and(eq(jams.id, jam.id), eq(jams.isDraft, false), gt(jams.startsAt, now)))
      .returning()
      .get();
    if (!updated) throw new Conflict("This jam has started, so it stays open to everyone.");
    await recordAudit(tx, { action: "jam_unscheduled", actorId: actor.id, subject: `jam:${jam.id}`, ip: meta.ip, at: now });
    await publish(tx, jam.id, "jam.changed", { startsAt: updated.startsAt, endsAt: updated.endsAt });
    return updated;
  });
}
