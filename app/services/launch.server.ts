/**
 * Launching a jam: the checklist page, the participant's-eye preview, and the
 * commands that schedule (publish) a draft and take it back to draft. Only
 * people who manage jams reach any of it; for anyone who may not see the jam
 * (a participant, while it is a draft) it does not exist.
 */
import { and, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { backToDraftRefusal, launchProblems, LAUNCH_ITEMS, opensAt, scheduleRefusals } from "~/domain/launch";
import { jamPhase } from "~/domain/phase";
import { publish } from "~/live/bus";
import { db, transaction, type Db } from "~db/client";
import { ideas, jams } from "~db/schema";
import { recordAudit } from "./audit.server";
import { Conflict, Invalid, NotFound, validate } from "./errors";
import { invitationSummary } from "./invitations.server";
import { queueInvitations } from "./jam-mail.server";
import { challengeSettings, jamCounts, jamGamification, type Meta } from "./jams.server";
import { findManagedJam, JAM_MANAGERS_ONLY, requireCapability } from "./lookups/guards.server";

async function ideaCount(conn: Db, jamId: number) {
  return (await conn.select({ n: count() }).from(ideas).where(eq(ideas.jamId, jamId)).get())?.n ?? 0;
}

/** Everything the launch checklist page shows. */
export async function jamLaunch(actor: SessionUser, slug: string, now = Date.now()) {
  const conn = db();
  const jam = await findManagedJam(conn, actor, slug);
  const list = await challengeSettings(conn, jam.id);
  const problems = launchProblems(jam, list, now);
  const phase = jamPhase(jam, now);
  return {
    jam: { id: jam.id, slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt, phase },
    challenges: list,
    gamification: jamGamification(jam),
    problems,
    ready: LAUNCH_ITEMS.every((item) => problems[item].length === 0),
    /** When it opens if scheduled now (its start, or now once that has passed). */
    opensAt: opensAt(jam, now),
    opensNow: jam.startsAt <= now,
    backToDraftRefusal: jam.isDraft ? null : backToDraftRefusal(jam, await ideaCount(conn, jam.id), now),
    invitations: await invitationSummary(conn, jam.id),
    now,
  };
}

/**
 * The jam as a participant will see it, for its facilitators: its home, or one
 * challenge (`challengeId`), in the phase participants would see (as if it were
 * scheduled). Read only: the preview page has no action.
 */
export async function jamPreview(actor: SessionUser, slug: string, challengeId: number | null, now = Date.now()) {
  const conn = db();
  const jam = await findManagedJam(conn, actor, slug);
  const { totals, ideasByChallenge } = await jamCounts(conn, jam.id);
  const list = (await challengeSettings(conn, jam.id)).map((c) => ({ ...c, ideaCount: ideasByChallenge.get(c.id) ?? 0 }));
  const challenge = challengeId === null ? null : list.find((c) => c.id === challengeId);
  if (challenge === undefined) throw new NotFound("No such challenge.");
  return {
    jam: {
      slug: jam.slug,
      title: jam.title,
      description: jam.description,
      startsAt: jam.startsAt,
      endsAt: jam.endsAt,
      isDraft: jam.isDraft,
      // What participants see: the phase it will have once scheduled (opening now if its start has passed).
      phase: jamPhase({ ...jam, isDraft: false }, now),
    },
    challenges: list,
    challenge,
    stats: totals,
    now,
  };
}

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
