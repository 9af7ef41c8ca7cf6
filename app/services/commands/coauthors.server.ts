/**
 * Co-authors: the author of an idea invites colleagues to write it with them. An invitee
 * accepts or declines; an accepted co-author edits the idea, answers amendments, is named on
 * its card and shares its credit (decision 026): from the moment they accept, each support, a
 * "best" tag and a selection earn them what they earn the author, each once per act (the
 * ledger's one row per person, reason and source). Posting the idea stays the author's.
 * An anonymous idea has no co-authors: naming them would point at its author.
 */
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { coauthorAnswerNotice, coauthorInviteNotice, coauthorRemovedNotice } from "~/domain/notifications";
import { jamPhase, phaseAllows, phaseRefusal } from "~/domain/phase";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { ideaCoauthors, users, type Jam } from "~db/schema";
import { Conflict, Forbidden, Invalid, NotFound, validate } from "~/services/errors";
import { recomputeBadges } from "~/services/effects/gamification.server";
import { notify } from "~/services/effects/notifications.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { ideaForViewer } from "~/services/lookups/coauthors.server";

/** At most this many co-authors (invited or accepted) on one idea. */
export const MAX_COAUTHORS = 5;

const ideaId = z.coerce.number().int().positive();

const userId = z.coerce.number({ error: "Choose a colleague." }).int("Choose a colleague.").positive("Choose a colleague.");

export const InviteInput = z.object({ ideaId, userId });

export const AnswerInput = z.object({ ideaId, answer: z.enum(["accept", "decline"], { error: "Accept or decline." }) });

export const RemoveInput = z.object({ ideaId, userId });

interface Meta {
  now?: number;
}

const ideaLink = (jam: Pick<Jam, "slug">, id: number) => `/jams/${jam.slug}/ideas/${id}`;

/** An idea co-authors can join: visible, named, and in a jam that allows editing now. */
async function joinableIdea(tx: Db, actor: SessionUser, id: number, now: number) {
  const { idea, jam } = await ideaForViewer(tx, actor, id);
  if (idea.hiddenAt !== null) throw new Conflict("This idea is hidden by a moderator: its co-authors cannot change.");
  if (idea.isAnonymous) throw new Conflict("An anonymous idea cannot have co-authors: they would point at its author.");
  const phase = jamPhase(jam, now);
  if (!phaseAllows(phase, "edit")) throw new Conflict(phaseRefusal(phase));
  return { idea, jam };
}

/** The author invites a colleague (again, after a decline or a removal). Inviting someone already invited changes nothing. */
export async function inviteCoauthor(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(InviteInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await joinableIdea(tx, actor, data.ideaId, now);
    if (idea.authorId !== actor.id) throw new Forbidden("Only the idea's author invites co-authors.");
    if (data.userId === actor.id) throw new Invalid({ userId: ["You already write this idea."] });
    const invitee = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, data.userId), isNull(users.erasedAt), isNull(users.deactivatedAt)))
      .get();
    if (!invitee) throw new Invalid({ userId: ["Choose a colleague who can sign in."] });
    const onList = (await tx
      .select({ n: sql<number>`count(*)` })
      .from(ideaCoauthors)
      .where(and(eq(ideaCoauthors.ideaId, idea.id), inArray(ideaCoauthors.status, ["invited", "accepted"]), ne(ideaCoauthors.userId, invitee.id)))
      .get())!.n;
    if (onList >= MAX_COAUTHORS) throw new Conflict(`An idea can have at most ${MAX_COAUTHORS} co-authors.`);
    // New, or again after a decline or a removal; an open invitation or an accepted co-author is left as it is.
    const written = (await tx
      .insert(ideaCoauthors)
      .values({ ideaId: idea.id, userId: invitee.id, status: "invited", invitedById: actor.id, invitedAt: now })
      .onConflictDoUpdate({
        target: [ideaCoauthors.ideaId, ideaCoauthors.userId],
        set: { status: "invited", invitedById: actor.id, invitedAt: now, respondedAt: null },
        setWhere: inArray(ideaCoauthors.status, ["declined", "removed"]),
      })
      .run()).changes;
    if (written === 1) {
      await notify(
        tx,
        [
          {
            userId: invitee.id,
            kind: "coauthoring",
            body: coauthorInviteNotice(actor.name, idea.title),
            link: `${ideaLink(jam, idea.id)}#coauthors`,
            dedupeKey: `coauthor:invite:${idea.id}:${now}`,
            jamId: jam.id,
            ideaId: idea.id,
          },
        ],
        now,
      );
      await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    }
    return { ideaId: idea.id, userId: invitee.id, name: invitee.name, invited: written === 1 };
  });
}

/** The invitee accepts or declines. Answering twice changes nothing the second time. */
export async function answerInvitation(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(AnswerInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const row = await tx
      .select({ status: ideaCoauthors.status })
      .from(ideaCoauthors)
      .where(and(eq(ideaCoauthors.ideaId, data.ideaId), eq(ideaCoauthors.userId, actor.id)))
      .get();
    if (!row) throw new NotFound("No such invitation.");
    const status = data.answer === "accept" ? "accepted" : "declined";
    if (row.status === status) return { ideaId: data.ideaId, status, changed: false };
    if (row.status !== "invited") throw new Conflict("This invitation is no longer open.");
    const { idea, jam } = data.answer === "accept" ? await joinableIdea(tx, actor, data.ideaId, now) : await ideaForViewer(tx, actor, data.ideaId);
    const changed = (await tx
      .update(ideaCoauthors)
      .set({ status, respondedAt: now })
      .where(and(eq(ideaCoauthors.ideaId, idea.id), eq(ideaCoauthors.userId, actor.id), eq(ideaCoauthors.status, "invited")))
      .run()).changes;
    if (changed === 1) {
      await notify(
        tx,
        [
          {
            userId: idea.authorId,
            kind: "coauthoring",
            body: coauthorAnswerNotice(actor.name, idea.title, status === "accepted"),
            link: `${ideaLink(jam, idea.id)}#coauthors`,
            dedupeKey: `coauthor:answer:${idea.id}:${actor.id}:${now}`,
            jamId: jam.id,
            ideaId: idea.id,
          },
        ],
        now,
      );
      if (status === "accepted") await recomputeBadges(tx, [actor.id], now, ["ideasPosted", "supportsReceived"]);
      await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    }
    return { ideaId: idea.id, status, changed: changed === 1 };
  });
}

/**
 * The author takes a co-author (or an open invitation) off the idea, or a co-author leaves it.
 * Points they earned as a co-author stay theirs (the ledger is never rewritten); nothing more
 * is credited to them. Removing twice changes nothing.
 */
export async function removeCoauthor(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(RemoveInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { idea, jam } = await ideaForViewer(tx, actor, data.ideaId);
    const leaving = data.userId === actor.id;
    if (!leaving && idea.authorId !== actor.id) throw new Forbidden("Only the idea's author removes co-authors.");
    const removed = await tx
      .update(ideaCoauthors)
      .set({ status: "removed", respondedAt: now })
      .where(and(eq(ideaCoauthors.ideaId, idea.id), eq(ideaCoauthors.userId, data.userId), inArray(ideaCoauthors.status, ["invited", "accepted"])))
      .returning({ userId: ideaCoauthors.userId })
      .get();
    if (removed) {
      await recomputeBadges(tx, [removed.userId], now, ["ideasPosted", "supportsReceived"]);
      if (!leaving) {
        await notify(
          tx,
          [
            {
              userId: removed.userId,
              kind: "coauthoring",
              body: coauthorRemovedNotice(idea.title),
              link: ideaLink(jam, idea.id),
              dedupeKey: `coauthor:removed:${idea.id}:${removed.userId}:${now}`,
              jamId: jam.id,
              ideaId: idea.id,
            },
          ],
          now,
        );
      }
      await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    }
    return { ideaId: idea.id, userId: data.userId, removed: removed !== undefined };
  });
}
