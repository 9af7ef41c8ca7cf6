/**
 * Launching a jam: the checklist page and the participant's-eye preview (the
 * commands that schedule (publish) a draft and take it back to draft are in
 * commands/launch.server.ts). Only
 * people who manage jams reach any of it; for anyone who may not see the jam
 * (a participant, while it is a draft) it does not exist.
 */
import type { SessionUser } from "~/auth/session.server";
import { backToDraftRefusal, launchProblems, LAUNCH_ITEMS, opensAt } from "~/domain/launch";
import { jamPhase } from "~/domain/phase";
import { db } from "~db/client";
import { NotFound } from "~/services/errors";
import { invitationSummary } from "~/services/lookups/invitations.server";
import { challengeSettings, ideaCount, jamCounts, jamGamification } from "~/services/lookups/jams.server";
import { findManagedJam } from "~/services/lookups/guards.server";

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
