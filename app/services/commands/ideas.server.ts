import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { publish } from "~/live/bus";
import { preparedQuery, transaction, type Db } from "~db/client";
import { ideas, type Jam } from "~db/schema";
import { Conflict } from "~/services/errors";
import { notifyFollowers } from "~/services/effects/follows.server";
import { award, awardFirstOfDay, recomputeBadges, type LevelUp } from "~/services/effects/gamification.server";
import { checkRateLimit } from "~/services/effects/rate-limiter.server";
import { readableText } from "~/domain/text";
import { recordAttachmentsIn, withPreparedFiles, type PreparedUpload } from "~/services/commands/attachments.server";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { validateWithAnswers, writeAnswers } from "~/services/commands/templates.server";
import { fieldsForPost } from "~/services/lookups/templates.server";
import { assertPhaseAllows } from "~/services/lookups/ideas.server";

export const clientKey = z
  .string({ error: "The form expired; reload the page and try again." })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "The form expired; reload the page and try again.");

export const PostIdeaInput = z.object({
  challengeId: z.coerce.number().int().positive(),
  title: readableText(
    z
      .string({ error: "Give your idea a title." })
      .trim()
      .min(1, "Give your idea a title.")
      .max(LIMITS.ideaTitle, `Keep the title to ${LIMITS.ideaTitle} characters or fewer.`)
  ),
  body: readableText(
    z
      .string()
      .trim()
      .max(LIMITS.ideaBody, `Keep the description to ${LIMITS.ideaBody.toLocaleString("en")} characters or fewer.`),
    { multiline: true },
  )
    .optional()
    .default(""),
  isAnonymous: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
  clientKey,
});

/** A double submit (same author and client key) inserts nothing and returns no row. */
const insertIdea = preparedQuery((conn) =>
  conn
    .insert(ideas)
    .values({
      challengeId: sql.placeholder("challengeId"),
      jamId: sql.placeholder("jamId"),
      authorId: sql.placeholder("authorId"),
      isAnonymous: sql.placeholder("isAnonymous"),
      title: sql.placeholder("title"),
      body: sql.placeholder("body"),
      clientKey: sql.placeholder("clientKey"),
      builtOnId: sql.placeholder("builtOnId"),
      createdAt: sql.placeholder("createdAt"),
    })
    .onConflictDoNothing({ target: [ideas.authorId, ideas.clientKey] })
    .returning({ id: ideas.id })
    .prepare(),
);

/**
 * Posts an idea while the jam is live. The same client key posts once: a double submit returns the
 * first idea (and records none of the files again, nor the answers). Files prepared from the form
 * (commands/attachments.server.ts) are recorded with it in the same transaction, or not at all, and so are
 * its answers to the challenge's idea template (commands/templates.server.ts).
 */
export async function postIdea(actor: SessionUser, input: unknown, meta: { now?: number; attachments?: PreparedUpload[] } = {}) {
  const prepared = meta.attachments ?? [];
  return await withPreparedFiles(prepared, async () => {
    // The idea template's answers are checked with the idea's own fields, in one refusal
    // (a read that joins the caller's transaction when there is one).
    const { data, answers, fields } = await transaction(async (tx) => {
      const fields = await fieldsForPost(tx, actor, (input as { challengeId?: unknown } | null)?.challengeId);
      return { ...validateWithAnswers(PostIdeaInput, input, fields), fields };
    }, { snapshot: true });
    const now = meta.now ?? Date.now();
    await checkRateLimit(actor.id, "idea", now);
    return await transaction(async (tx) => {
      const { challenge, jam } = await findVisibleChallenge(tx, actor, data.challengeId);
      assertPhaseAllows(jam, "postIdea", now);
      const posted = await insertIdeaIn(tx, actor, { challenge, jam, ...data, builtOnId: null }, now);
      if (posted.created) {
        await writeAnswers(tx, posted.id, fields, answers);
        await recordAttachmentsIn(tx, actor, { id: posted.id, jamId: jam.id }, prepared, now);
      }
      return posted;
    });
  });
}

/**
 * Writes a new idea in the caller's transaction, with its points, badges and followers' news
 * (postIdea, and an amendment posted as an idea of its own). The caller checked who may post
 * where and when. The same (author, client key) writes once: a repeat returns the first idea.
 */
export async function insertIdeaIn(
  tx: Db,
  actor: SessionUser,
  data: { challenge: { id: number }; jam: Jam; title: string; body: string; isAnonymous: boolean; clientKey: string; builtOnId: number | null },
  now: number,
) {
  const { challenge, jam } = data;
  const inserted = await insertIdea(tx).get({
    challengeId: challenge.id,
    jamId: jam.id,
    authorId: actor.id,
    isAnonymous: data.isAnonymous,
    title: data.title,
    body: data.body,
    clientKey: data.clientKey,
    builtOnId: data.builtOnId,
    createdAt: now,
  });
  if (inserted) {
    const earned = { actorId: actor.id, jam, subject: `idea:${inserted.id}`, anonymous: data.isAnonymous, now };
    const points =
      await award(tx, { ...earned, earnerId: actor.id, reason: "idea_posted", source: `idea:${inserted.id}` }) +
      await awardFirstOfDay(tx, earned);
    const levelUps = await recomputeBadges(tx, [actor.id], now, ["ideasPosted", "earlyIdeas", "marathonJams"]);
    // People following the author (or a matching theme of this jam) hear about it; never for an anonymous idea.
    await notifyFollowers(
      tx,
      { id: inserted.id, jamId: jam.id, jamSlug: jam.slug, authorId: actor.id, authorName: actor.name, title: data.title, body: data.body, isAnonymous: data.isAnonymous },
      now,
    );
    await publish(tx, jam.id, "idea.created", { ideaId: inserted.id, challengeId: challenge.id });
    if (points > 0) await publish(tx, jam.id, "points.changed", {});
    return { id: inserted.id, created: true, jamSlug: jam.slug, points, levelUps };
  }
  const existing = await tx
    .select({ id: ideas.id })
    .from(ideas)
    .where(and(eq(ideas.authorId, actor.id), eq(ideas.clientKey, data.clientKey)))
    .get();
  if (!existing) throw new Conflict("Your idea could not be saved; please try again.");
  return { id: existing.id, created: false, jamSlug: jam.slug, points: 0, levelUps: [] as LevelUp[] };
}
