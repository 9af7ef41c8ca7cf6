/**
 * "Build on this": anyone who can see an idea (but does not write it) proposes a change to it:
 * a new title and description with a note. The author or a co-author accepts it into the idea
 * (the next version, credited to the proposer, who earns `amendment_accepted` points once) or
 * leaves it standing; an amendment that was not accepted can become an idea of its own, linked
 * to the idea it was built on ("built on …" on both).
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { amendmentAcceptedNotice, amendmentProposedNotice, amendmentStandingNotice } from "~/domain/notifications";
import { readableText } from "~/domain/text";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { challenges, ideaAmendments, type Idea, type IdeaAmendment, type Jam } from "~db/schema";
import { acceptedCoauthorIds, ideaForViewer, writesIdea } from "~/services/lookups/coauthors.server";
import { Conflict, Forbidden, Invalid, NotFound, validate } from "~/services/errors";
import { award } from "~/services/effects/gamification.server";
import { clientKey, insertIdeaIn, PostIdeaInput } from "~/services/commands/ideas.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";
import { notify } from "~/services/effects/notifications.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { writeIdeaVersion } from "~/services/commands/revisions.server";

const id = z.coerce.number().int().positive();

export const ProposeInput = z.object({
  ideaId: id,
  title: PostIdeaInput.shape.title,
  body: PostIdeaInput.shape.body,
  note: readableText(
    z
      .string()
      .trim()
      .max(LIMITS.comment, `Keep the note to ${LIMITS.comment.toLocaleString("en")} characters or fewer.`),
    { multiline: true },
  )
    .optional()
    .default(""),
  baseVersion: z.coerce.number().int().positive(),
  clientKey,
});

export const DecideInput = z.object({ amendmentId: id, baseVersion: z.coerce.number().int().positive().optional() });

export const PostAsIdeaInput = z.object({ amendmentId: id, clientKey });

interface Meta {
  now?: number;
}

const ideaLink = (jam: Pick<Jam, "slug">, ideaId: number) => `/jams/${jam.slug}/ideas/${ideaId}`;

/** Proposes a change to someone else's idea while the jam allows posting. The same client key proposes once. */
export async function proposeAmendment(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(ProposeInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "edit", now);
  return await transaction(async (tx) => {
    const { idea, jam } = await ideaForViewer(tx, actor, data.ideaId);
    if (idea.hiddenAt !== null) throw new NotFound("No such idea.");
    if (await writesIdea(tx, idea, actor.id)) throw new Conflict("You write this idea: edit it instead of proposing a change.");
    assertPhaseAllows(jam, "edit", now);
    if (data.title === idea.title && data.body === idea.body) {
      throw new Invalid({ body: ["Change the title or the description first: this is the idea as it stands."] });
    }
    const inserted = await tx
      .insert(ideaAmendments)
      .values({
        ideaId: idea.id,
        proposerId: actor.id,
        title: data.title,
        body: data.body,
        note: data.note,
        baseVersion: data.baseVersion,
        clientKey: data.clientKey,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [ideaAmendments.proposerId, ideaAmendments.clientKey] })
      .returning({ id: ideaAmendments.id })
      .get();
    if (!inserted) {
      const existing = await tx
        .select({ id: ideaAmendments.id })
        .from(ideaAmendments)
        .where(and(eq(ideaAmendments.proposerId, actor.id), eq(ideaAmendments.clientKey, data.clientKey)))
        .get();
      if (!existing) throw new Conflict("Your proposal could not be saved; please try again.");
      return { amendmentId: existing.id, ideaId: idea.id, created: false };
    }
    // The idea's writers hear of it; an anonymous idea's author privately (the notice names the proposer, not them).
    const writers = [idea.authorId, ...await acceptedCoauthorIds(tx, idea.id)];
    await notify(
      tx,
      writers.map((userId) => ({
        userId,
        kind: "coauthoring" as const,
        body: amendmentProposedNotice(actor.name, idea.title),
        link: `${ideaLink(jam, idea.id)}#amendment-${inserted.id}`,
        dedupeKey: `amendment:proposed:${inserted.id}`,
        jamId: jam.id,
        ideaId: idea.id,
      })),
      now,
    );
    await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    return { amendmentId: inserted.id, ideaId: idea.id, created: true };
  });
}

/** The amendment and its idea, for one of the idea's writers to decide on. */
async function amendmentForWriter(tx: Db, actor: SessionUser, amendmentId: number) {
  const amendment = await tx.select().from(ideaAmendments).where(eq(ideaAmendments.id, amendmentId)).get();
  if (!amendment) throw new NotFound("No such proposal.");
  const { idea, jam } = await ideaForViewer(tx, actor, amendment.ideaId);
  if (!await writesIdea(tx, idea, actor.id)) throw new Forbidden("Only the idea's author and co-authors decide on proposed changes.");
  if (idea.hiddenAt !== null) throw new Conflict("A moderator hid this idea: it cannot change.");
  return { amendment, idea, jam };
}

/**
 * Accepts a proposed change into the idea: it becomes the next version, credited to its
 * proposer, who earns `amendment_accepted` once. Accepting twice (a double click, two tabs)
 * changes nothing the second time. Refused when the idea changed since the page showed it
 * (`baseVersion`): the writer should look at the change against the current text again.
 */
export async function acceptAmendment(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(DecideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { amendment, idea, jam } = await amendmentForWriter(tx, actor, data.amendmentId);
    if (amendment.status === "accepted") return { amendmentId: amendment.id, ideaId: idea.id, version: amendment.acceptedVersion, changed: false, points: 0 };
    if (amendment.status === "posted") throw new Conflict("Its proposer already posted this change as an idea of its own.");
    assertPhaseAllows(jam, "edit", now);
    if (data.baseVersion !== undefined && data.baseVersion !== idea.version) {
      throw new Conflict("The idea changed since you opened this page: look at the proposed change against its current text again.");
    }
    const version = await writeAmendmentVersion(tx, actor, idea, amendment, now);
    const decided = (await tx
      .update(ideaAmendments)
      .set({ status: "accepted", decidedById: actor.id, decidedAt: now, acceptedVersion: version })
      .where(and(eq(ideaAmendments.id, amendment.id), inArray(ideaAmendments.status, ["open", "standing"])))
      .run()).changes;
    if (decided !== 1) throw new Conflict("This proposal was decided on meanwhile.");
    const points = await award(tx, {
      earnerId: amendment.proposerId,
      actorId: actor.id,
      jam,
      reason: "amendment_accepted",
      source: `amendment:${amendment.id}`,
      subject: `idea:${idea.id}`,
      anonymous: false,
      now,
    });
    await notify(
      tx,
      [
        {
          userId: amendment.proposerId,
          kind: "coauthoring",
          body: amendmentAcceptedNotice(idea.title),
          link: `${ideaLink(jam, idea.id)}/history`,
          dedupeKey: `amendment:accepted:${amendment.id}`,
          jamId: jam.id,
          ideaId: idea.id,
        },
      ],
      now,
    );
    if (points > 0) await publish(tx, jam.id, "points.changed", {});
    return { amendmentId: amendment.id, ideaId: idea.id, version, changed: true, points };
  });
}

async function writeAmendmentVersion(tx: Db, actor: SessionUser, idea: Idea, amendment: IdeaAmendment, now: number) {
  return await writeIdeaVersion(
    tx,
    idea,
    { title: amendment.title, body: amendment.body, kind: "amendment", editorId: amendment.proposerId, acceptedById: actor.id, amendmentId: amendment.id },
    now,
  );
}

/** The author or a co-author leaves a proposed change standing: its proposer may then post it as an idea of its own. */
export async function leaveAmendmentStanding(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(DecideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { amendment, idea, jam } = await amendmentForWriter(tx, actor, data.amendmentId);
    const changed = (await tx
      .update(ideaAmendments)
      .set({ status: "standing", decidedById: actor.id, decidedAt: now })
      .where(and(eq(ideaAmendments.id, amendment.id), eq(ideaAmendments.status, "open")))
      .run()).changes;
    if (changed === 1) {
      await notify(
        tx,
        [
          {
            userId: amendment.proposerId,
            kind: "coauthoring",
            body: amendmentStandingNotice(idea.title),
            link: `${ideaLink(jam, idea.id)}#amendment-${amendment.id}`,
            dedupeKey: `amendment:standing:${amendment.id}`,
            jamId: jam.id,
            ideaId: idea.id,
          },
        ],
        now,
      );
      await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    } else if (amendment.status !== "standing") {
      throw new Conflict("This proposal was decided on already.");
    }
    return { amendmentId: amendment.id, ideaId: idea.id, changed: changed === 1 };
  });
}

/**
 * The proposer posts a change that was not accepted as an idea of its own in the same
 * challenge, linked to the idea it was built on. Posting twice returns the same idea.
 */
export async function postAmendmentAsIdea(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(PostAsIdeaInput, input);
  const now = meta.now ?? Date.now();
  await checkRateLimit(actor.id, "idea", now);
  return await transaction(async (tx) => {
    const amendment = await tx.select().from(ideaAmendments).where(eq(ideaAmendments.id, data.amendmentId)).get();
    if (!amendment || amendment.proposerId !== actor.id) throw new NotFound("No such proposal of yours.");
    const { idea, jam } = await ideaForViewer(tx, actor, amendment.ideaId);
    if (amendment.status === "posted" && amendment.postedIdeaId !== null) {
      return { ideaId: amendment.postedIdeaId, jamSlug: jam.slug, created: false };
    }
    if (amendment.status === "accepted") throw new Conflict("This change was accepted into the idea already.");
    if (idea.hiddenAt !== null) throw new Conflict("A moderator hid the idea this builds on.");
    assertPhaseAllows(jam, "postIdea", now);
    const challenge = (await tx.select({ id: challenges.id }).from(challenges).where(eq(challenges.id, idea.challengeId)).get())!;
    const posted = await insertIdeaIn(
      tx,
      actor,
      { challenge, jam, title: amendment.title, body: amendment.body, isAnonymous: false, clientKey: data.clientKey, builtOnId: idea.id },
      now,
    );
    const changed = (await tx
      .update(ideaAmendments)
      .set({ status: "posted", postedIdeaId: posted.id })
      .where(and(eq(ideaAmendments.id, amendment.id), inArray(ideaAmendments.status, ["open", "standing"])))
      .run()).changes;
    if (changed !== 1) throw new Conflict("This proposal was decided on meanwhile.");
    await publish(tx, jam.id, "idea.changed", { ideaId: idea.id, challengeId: idea.challengeId });
    return { ideaId: posted.id, jamSlug: jam.slug, created: posted.created, points: posted.points };
  });
}
