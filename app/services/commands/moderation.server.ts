/**
 * Moderation by facilitators: hide and restore, merge duplicates, pin, tag,
 * and resolve flags. Moderation hides, it never deletes: the row stays with its
 * reason (shown to its author), and the points it earned are reversed by
 * compensating ledger entries (given back on restore). Every action writes an
 * audit row in its own transaction and publishes a live event after commit.
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import { db, transaction, type Db } from "~db/client";
import { challenges, comments, flags, ideas, jams, users } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, NotFound, validate } from "~/services/errors";
import { resolveOpenFlags, type FlagTargetType } from "~/services/commands/flags.server";
import { openOn } from "~/services/lookups/flags.server";
import { award, recomputeBadges, restoreSubject, reverseSubject } from "~/services/effects/gamification.server";
import { acceptedCoauthorIds } from "~/services/lookups/coauthors.server";
import { tellMerged, tellModerated, tellPinned, tellTagged } from "~/services/effects/news.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { MODERATORS_ONLY } from "~/services/lookups/moderation.server";

/** The reason a person's ideas and comments are hidden with when they ask for them to go with their account. */
export const ERASED_AT_AUTHORS_REQUEST = "erased at the author's request";

export const HideReason = z
  .string({ error: "Say why, so the author understands." })
  .trim()
  .min(3, "Say why, so the author understands.")
  .max(300, "Keep the reason under 300 characters.");

export const HideInput = z.object({
  id: z.coerce.number().int().positive(),
  reason: HideReason,
});

const IdInput = z.object({ id: z.coerce.number().int().positive() });

export const TAGS = ["emerging", "best"] as const;

export type IdeaTag = (typeof TAGS)[number];

export const TagInput = z.object({
  id: z.coerce.number().int().positive(),
  tag: z.preprocess((v) => (v === "" || v === "none" || v === null ? null : v), z.enum(TAGS, { error: "Choose a tag." }).nullable()),
});

/** An idea number typed by hand may come as "42", "#42" or a pasted idea address. */
const ideaNumber = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    const text = v.trim();
    if (text === "") return undefined;
    return (text.match(/\/ideas\/(\d+)/) ?? text.match(/^#?(\d+)$/))?.[1] ?? text;
  },
  z.coerce
    .number({ error: "Choose the idea to keep." })
    .int("Choose the idea to keep.")
    .positive("Choose the idea to keep."),
);

export const MergeInput = z.object({
  id: z.coerce.number().int().positive(),
  intoId: ideaNumber,
});

export const ResolveFlagInput = z
  .object({
    flagId: z.coerce.number().int().positive(),
    resolution: z.enum(["hide", "dismiss"], { error: "Choose hide or dismiss." }),
    reason: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.resolution !== "hide") return;
    const parsed = HideReason.safeParse(v.reason);
    if (!parsed.success) ctx.addIssue({ code: "custom", path: ["reason"], message: parsed.error.issues[0]!.message });
  });

interface Meta {
  ip: string | null;
  now?: number;
}

// ---------------------------------------------------------------- hide / restore

/** Hides one visible idea in the caller's transaction (erasure hides a person's ideas through here too). */
export async function hideIdeaIn(tx: Db, actor: Pick<SessionUser, "id">, id: number, reason: string, meta: Meta, now: number) {
  const hidden = await tx
    .update(ideas)
    .set({ hiddenAt: now, hiddenReason: reason, hideCount: sql`${ideas.hideCount} + 1` })
    .where(and(eq(ideas.id, id), isNull(ideas.hiddenAt)))
    .returning({ authorId: ideas.authorId, hideCount: ideas.hideCount, jamId: ideas.jamId, challengeId: ideas.challengeId })
    .get();
  if (!hidden) throw new NotFound("No such visible idea.");
  await reverseSubject(tx, `idea:${id}`, hidden.hideCount, now);
  await recomputeBadges(tx, [hidden.authorId], now);
  const flagsResolved = await resolveOpenFlags(tx, { type: "idea", id, jamId: hidden.jamId }, actor.id, "hidden", now);
  await tellModerated(tx, actor, { what: "idea", id, change: "hidden", reason }, now);
  await recordAudit(
    tx, {
      action: "idea_hidden",
      actorId: actor.id,
      subject: `idea:${id}`,
      ip: meta.ip,
      at: now,
      detail: flagsResolved > 0 ? { reason, flagsResolved } : { reason },
    },
  );
  await publish(tx, hidden.jamId, "idea.changed", { ideaId: id, challengeId: hidden.challengeId });
  await publish(tx, hidden.jamId, "points.changed", {});
  if (flagsResolved > 0) await publish(tx, hidden.jamId, "moderation.changed", {});
  return { id, hidden: true, jamId: hidden.jamId };
}

export async function hideIdea(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id, reason } = validate(HideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { jamId: _jamId, ...result } = await hideIdeaIn(tx, actor, id, reason, meta, now);
    return result;
  });
}

/** Shows a hidden idea again and gives its points back. A merged duplicate stays merged. */
export async function restoreIdea(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id } = validate(IdInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const merged = await tx.select({ into: ideas.mergedIntoId, authorId: ideas.authorId, hiddenReason: ideas.hiddenReason }).from(ideas).where(eq(ideas.id, id)).get();
    if (merged) await refuseRestoringErased(tx, merged);
    if (merged?.into) {
      throw new Conflict("A merged idea cannot be restored: its votes and comments now belong to the idea it was merged into.");
    }
    const restored = await tx
      .update(ideas)
      .set({ hiddenAt: null, hiddenReason: null })
      .where(and(eq(ideas.id, id), isNotNull(ideas.hiddenAt)))
      .returning({ authorId: ideas.authorId, hideCount: ideas.hideCount, jamId: ideas.jamId, challengeId: ideas.challengeId })
      .get();
    if (!restored) throw new NotFound("No such hidden idea.");
    await restoreSubject(tx, `idea:${id}`, restored.hideCount, now);
    await recomputeBadges(tx, [restored.authorId], now);
    await tellModerated(tx, actor, { what: "idea", id, change: "restored" }, now);
    await recordAudit(tx, { action: "idea_restored", actorId: actor.id, subject: `idea:${id}`, ip: meta.ip, at: now });
    await publish(tx, restored.jamId, "idea.changed", { ideaId: id, challengeId: restored.challengeId });
    await publish(tx, restored.jamId, "points.changed", {});
    return { id, hidden: false };
  });
}

/** What its author asked to remove when their account was erased stays hidden: nobody restores it. */
async function refuseRestoringErased(tx: Db, row: { authorId: number; hiddenReason: string | null }) {
  if (row.hiddenReason !== ERASED_AT_AUTHORS_REQUEST) return;
  const author = await tx.select({ erasedAt: users.erasedAt }).from(users).where(eq(users.id, row.authorId)).get();
  if (author?.erasedAt != null) {
    throw new Conflict("Its author asked for what they wrote to be removed when their account was erased: it stays hidden.");
  }
}

async function ideaOfComment(tx: Db, ideaId: number) {
  return (await tx.select({ jamId: ideas.jamId, challengeId: ideas.challengeId }).from(ideas).where(eq(ideas.id, ideaId)).get())!;
}

/** Hides one visible comment in the caller's transaction (erasure hides a person's comments through here too). */
export async function hideCommentIn(tx: Db, actor: Pick<SessionUser, "id">, id: number, reason: string, meta: Meta, now: number) {
  const hidden = await tx
    .update(comments)
    .set({ hiddenAt: now, hiddenReason: reason, hideCount: sql`${comments.hideCount} + 1` })
    .where(and(eq(comments.id, id), isNull(comments.hiddenAt)))
    .returning({ authorId: comments.authorId, hideCount: comments.hideCount, ideaId: comments.ideaId, parentId: comments.parentId })
    .get();
  if (!hidden) throw new NotFound("No such visible comment.");
  await tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} - 1` }).where(eq(ideas.id, hidden.ideaId)).run();
  await reverseSubject(tx, `comment:${id}`, hidden.hideCount, now);
  const parentAuthor = hidden.parentId
    ? (await tx.select({ a: comments.authorId }).from(comments).where(eq(comments.id, hidden.parentId)).get())?.a
    : undefined;
  await recomputeBadges(tx, parentAuthor ? [hidden.authorId, parentAuthor] : [hidden.authorId], now);
  const idea = await ideaOfComment(tx, hidden.ideaId);
  const flagsResolved = await resolveOpenFlags(tx, { type: "comment", id, jamId: idea.jamId }, actor.id, "hidden", now);
  await tellModerated(tx, actor, { what: "comment", id, change: "hidden", reason }, now);
  await recordAudit(
    tx, {
      action: "comment_hidden",
      actorId: actor.id,
      subject: `comment:${id}`,
      ip: meta.ip,
      at: now,
      detail: flagsResolved > 0 ? { reason, flagsResolved } : { reason },
    },
  );
  await publish(tx, idea.jamId, "idea.changed", { ideaId: hidden.ideaId, challengeId: idea.challengeId });
  await publish(tx, idea.jamId, "points.changed", {});
  if (flagsResolved > 0) await publish(tx, idea.jamId, "moderation.changed", {});
  return { id, hidden: true, ideaId: hidden.ideaId };
}

export async function hideComment(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id, reason } = validate(HideInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { ideaId: _ideaId, ...result } = await hideCommentIn(tx, actor, id, reason, meta, now);
    return result;
  });
}

export async function restoreComment(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id } = validate(IdInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const row = await tx.select({ authorId: comments.authorId, hiddenReason: comments.hiddenReason }).from(comments).where(eq(comments.id, id)).get();
    if (row) await refuseRestoringErased(tx, row);
    const restored = await tx
      .update(comments)
      .set({ hiddenAt: null, hiddenReason: null })
      .where(and(eq(comments.id, id), isNotNull(comments.hiddenAt)))
      .returning({ authorId: comments.authorId, hideCount: comments.hideCount, ideaId: comments.ideaId, parentId: comments.parentId })
      .get();
    if (!restored) throw new NotFound("No such hidden comment.");
    await tx.update(ideas).set({ commentCount: sql`${ideas.commentCount} + 1` }).where(eq(ideas.id, restored.ideaId)).run();
    await restoreSubject(tx, `comment:${id}`, restored.hideCount, now);
    const parentAuthor = restored.parentId
      ? (await tx.select({ a: comments.authorId }).from(comments).where(eq(comments.id, restored.parentId)).get())?.a
      : undefined;
    await recomputeBadges(tx, parentAuthor ? [restored.authorId, parentAuthor] : [restored.authorId], now);
    await tellModerated(tx, actor, { what: "comment", id, change: "restored" }, now);
    await recordAudit(tx, { action: "comment_restored", actorId: actor.id, subject: `comment:${id}`, ip: meta.ip, at: now });
    const idea = await ideaOfComment(tx, restored.ideaId);
    await publish(tx, idea.jamId, "idea.changed", { ideaId: restored.ideaId, challengeId: idea.challengeId });
    await publish(tx, idea.jamId, "points.changed", {});
    return { id, hidden: false };
  });
}

// ---------------------------------------------------------------- pin / tag

async function visibleIdeaWithJam(tx: Db, id: number) {
  const row = await tx
    .select({ idea: ideas, jam: jams })
    .from(ideas)
    .innerJoin(jams, eq(jams.id, ideas.jamId))
    .where(eq(ideas.id, id))
    .get();
  if (!row || row.idea.hiddenAt !== null) throw new NotFound("No such visible idea.");
  return row;
}

/** Pins (or unpins) a visible idea: pinned ideas show first on their challenge's page. */
export async function setPinned(actor: SessionUser, input: unknown, pinned: boolean, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id } = validate(IdInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { idea } = await visibleIdeaWithJam(tx, id);
    const changed = (await tx
      .update(ideas)
      .set({ pinnedAt: pinned ? now : null })
      .where(and(eq(ideas.id, id), pinned ? isNull(ideas.pinnedAt) : isNotNull(ideas.pinnedAt)))
      .run()).changes;
    if (changed === 1) {
      if (pinned) await tellPinned(tx, actor, id, now);
      await recordAudit(tx, { action: pinned ? "idea_pinned" : "idea_unpinned", actorId: actor.id, subject: `idea:${id}`, ip: meta.ip, at: now });
      await publish(tx, idea.jamId, "idea.changed", { ideaId: id, challengeId: idea.challengeId });
    }
    return { id, pinned, changed: changed === 1 };
  });
}

export const pinIdea = async (actor: SessionUser, input: unknown, meta: Meta) => await setPinned(actor, input, true, meta);

export const unpinIdea = async (actor: SessionUser, input: unknown, meta: Meta) => await setPinned(actor, input, false, meta);

/**
 * Tags a visible idea "emerging" or "best", or clears its tag. Tagging "best"
 * earns the author `idea_tagged_best` points once per idea while the jam is
 * live (taking the tag off again keeps them, as a withdrawn vote does).
 */
export async function tagIdea(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const { id, tag } = validate(TagInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { idea, jam } = await visibleIdeaWithJam(tx, id);
    if (idea.tag === tag) return { id, tag, changed: false, points: 0 };
    await tx.update(ideas).set({ tag }).where(eq(ideas.id, id)).run();
    let points = 0;
    if (tag === "best") {
      // The author and each accepted co-author, each once (decision 026).
      for (const earnerId of [idea.authorId, ...(idea.isAnonymous ? [] : await acceptedCoauthorIds(tx, idea.id))]) {
        points += await award(tx, {
          earnerId,
          actorId: actor.id,
          jam,
          reason: "idea_tagged_best",
          source: `idea:${id}`,
          subject: `idea:${id}`,
          anonymous: idea.isAnonymous,
          now,
        });
      }
    }
    if (tag !== null) await tellTagged(tx, actor, id, tag, now);
    await recordAudit(tx, { action: "idea_tagged", actorId: actor.id, subject: `idea:${id}`, ip: meta.ip, at: now, detail: { tag, from: idea.tag } });
    await publish(tx, jam.id, "idea.changed", { ideaId: id, challengeId: idea.challengeId });
    if (points > 0) await publish(tx, jam.id, "points.changed", {});
    return { id, tag, changed: true, points };
  });
}

// ---------------------------------------------------------------- merge

async function mergePair(tx: Db, input: z.output<typeof MergeInput>) {
  const duplicate = await tx.select().from(ideas).where(eq(ideas.id, input.id)).get();
  if (!duplicate || duplicate.hiddenAt !== null) throw new NotFound("No such visible idea.");
  if (input.intoId === duplicate.id) throw new Invalid({ intoId: ["Choose another idea: an idea cannot be merged into itself."] });
  const kept = await tx
    .select({ idea: ideas, challengeTitle: challenges.title })
    .from(ideas)
    .innerJoin(challenges, eq(challenges.id, ideas.challengeId))
    .where(eq(ideas.id, input.intoId))
    .get();
  if (!kept || kept.idea.jamId !== duplicate.jamId || kept.idea.hiddenAt !== null) {
    throw new Invalid({ intoId: ["Choose a visible idea of the same jam."] });
  }
  return { duplicate, kept: kept.idea, keptChallengeTitle: kept.challengeTitle };
}

/** What a merge would do, for the facilitator to confirm: both ideas by title and their counts. */
export async function mergePreview(actor: SessionUser, input: unknown) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const data = validate(MergeInput, input);
  const { duplicate, kept, keptChallengeTitle } = await mergePair(db(), data);
  const view = (i: typeof duplicate) => ({ id: i.id, title: i.title, voteCount: i.voteCount, commentCount: i.commentCount });
  return {
    duplicate: view(duplicate),
    kept: { ...view(kept), challengeTitle: keptChallengeTitle },
    sameChallenge: duplicate.challengeId === kept.challengeId,
  };
}

/** Copies `table`'s rows of the duplicate to the kept idea (at most one per person, never its author), then drops the duplicate's. */
async function moveVotes(tx: Db, table: "votes" | "stance_votes" | "dot_allocations", from: number, to: { id: number; challengeId: number; authorId: number }) {
  const columns = {
    votes: { list: sql`user_id, idea_id, challenge_id, created_at`, values: sql`user_id, ${to.id}, ${to.challengeId}, created_at` },
    stance_votes: {
      list: sql`user_id, idea_id, challenge_id, stance, created_at, updated_at`,
      values: sql`user_id, ${to.id}, ${to.challengeId}, stance, created_at, updated_at`,
    },
    dot_allocations: {
      list: sql`user_id, idea_id, challenge_id, dots, updated_at`,
      values: sql`user_id, ${to.id}, ${to.challengeId}, dots, updated_at`,
    },
  }[table];
  const name = sql.raw(`"${table}"`);
  const before = (await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${name} WHERE idea_id = ${from}`))?.n ?? 0;
  // The WHERE keeps SQLite's parser from reading ON CONFLICT as part of a join.
  const moved = (await tx.run(
    sql`INSERT INTO ${name} (${columns.list})
        SELECT ${columns.values} FROM ${name} WHERE idea_id = ${from} AND user_id <> ${to.authorId}
        ON CONFLICT DO NOTHING`,
  )).changes;
  await tx.run(sql`DELETE FROM ${name} WHERE idea_id = ${from}`);
  return { moved, dropped: before - moved };
}

async function dropVotes(tx: Db, table: "stance_votes" | "dot_allocations", from: number) {
  return (await tx.run(sql`DELETE FROM ${sql.raw(`"${table}"`)} WHERE idea_id = ${from}`)).changes;
}

/** Sets every cached count of these ideas to what their rows say. */
async function recountIdeas(tx: Db, ids: number[]) {
  await tx.run(sql`UPDATE ideas SET
      vote_count = (SELECT count(*) FROM votes v WHERE v.idea_id = ideas.id),
      comment_count = (SELECT count(*) FROM comments c WHERE c.idea_id = ideas.id AND c.hidden_at IS NULL),
      agree_count = (SELECT count(*) FROM stance_votes s WHERE s.idea_id = ideas.id AND s.stance = 'agree'),
      disagree_count = (SELECT count(*) FROM stance_votes s WHERE s.idea_id = ideas.id AND s.stance = 'disagree'),
      pass_count = (SELECT count(*) FROM stance_votes s WHERE s.idea_id = ideas.id AND s.stance = 'pass'),
      dot_count = (SELECT coalesce(sum(d.dots), 0) FROM dot_allocations d WHERE d.idea_id = ideas.id)
    WHERE id IN ${ids}`);
}

/**
 * Merges a duplicate into another visible idea of the same jam, in one transaction:
 *
 * - support votes move to the kept idea, at most one per person (a person who
 *   supported both keeps one); votes by the kept idea's author are dropped, as
 *   nobody votes on their own idea;
 * - stance votes and dots move the same way when both ideas are in the same
 *   challenge (the same voting rules); across challenges they are dropped, and
 *   the dots go back to their owners' budgets;
 * - comments (with their replies) move to the kept idea;
 * - cached counts are recomputed for both ideas;
 * - the duplicate is hidden with "Merged into …" and remembers the kept idea;
 *   its points are reversed like a hide. Support points for the moved votes
 *   are not awarded again to the kept idea's author.
 *
 * A merged idea cannot be restored (restoreIdea refuses).
 */
export async function mergeIdeas(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const data = validate(MergeInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { duplicate, kept } = await mergePair(tx, data);
    const to = { id: kept.id, challengeId: kept.challengeId, authorId: kept.authorId };
    const sameChallenge = duplicate.challengeId === kept.challengeId;
    const supportVotes = await moveVotes(tx, "votes", duplicate.id, to);
    const stances = sameChallenge ? await moveVotes(tx, "stance_votes", duplicate.id, to) : { moved: 0, dropped: await dropVotes(tx, "stance_votes", duplicate.id) };
    const dots = sameChallenge ? await moveVotes(tx, "dot_allocations", duplicate.id, to) : { moved: 0, dropped: await dropVotes(tx, "dot_allocations", duplicate.id) };
    const commentsMoved = (await tx.update(comments).set({ ideaId: kept.id }).where(eq(comments.ideaId, duplicate.id)).run()).changes;
    await recountIdeas(tx, [duplicate.id, kept.id]);

    const reason = `Merged into “${kept.title}”`;
    const hidden = await tx
      .update(ideas)
      .set({ mergedIntoId: kept.id, hiddenAt: now, hiddenReason: reason, hideCount: sql`${ideas.hideCount} + 1`, pinnedAt: null })
      .where(and(eq(ideas.id, duplicate.id), isNull(ideas.hiddenAt)))
      .returning({ hideCount: ideas.hideCount })
      .get();
    if (!hidden) throw new NotFound("No such visible idea.");
    await reverseSubject(tx, `idea:${duplicate.id}`, hidden.hideCount, now);
    await recomputeBadges(tx, [duplicate.authorId, kept.authorId], now);
    const flagsResolved = await resolveOpenFlags(tx, { type: "idea", id: duplicate.id, jamId: duplicate.jamId }, actor.id, "merged", now);
    await tellMerged(tx, actor, duplicate, kept, now);
    const detail = {
      intoId: kept.id,
      votesMoved: supportVotes.moved,
      votesDropped: supportVotes.dropped,
      stanceVotesMoved: stances.moved,
      stanceVotesDropped: stances.dropped,
      dotAllocationsMoved: dots.moved,
      dotAllocationsDropped: dots.dropped,
      commentsMoved,
      flagsResolved,
    };
    await recordAudit(tx, { action: "idea_merged", actorId: actor.id, subject: `idea:${duplicate.id}`, ip: meta.ip, at: now, detail });
    const counts = (await tx
      .select({ voteCount: ideas.voteCount, dotCount: ideas.dotCount })
      .from(ideas)
      .where(eq(ideas.id, kept.id))
      .get())!;
    await publish(tx, duplicate.jamId, "idea.changed", { ideaId: duplicate.id, challengeId: duplicate.challengeId });
    await publish(tx, duplicate.jamId, "idea.changed", { ideaId: kept.id, challengeId: kept.challengeId });
    await publish(tx, duplicate.jamId, "vote.changed", { ideaId: kept.id, voteCount: counts.voteCount, dotCount: counts.dotCount });
    await publish(tx, duplicate.jamId, "points.changed", {});
    if (flagsResolved > 0) await publish(tx, duplicate.jamId, "moderation.changed", {});
    return { id: duplicate.id, ...detail };
  });
}

// ---------------------------------------------------------------- flags

/**
 * Resolves a flag from the queue, with every other open flag on the same
 * target: by hiding the target (with a reason for its author) or by
 * dismissing them. Resolving twice is refused.
 */
export async function resolveFlag(actor: SessionUser, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", MODERATORS_ONLY);
  const data = validate(ResolveFlagInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const flag = await tx.select().from(flags).where(eq(flags.id, data.flagId)).get();
    if (!flag) throw new NotFound("No such flag.");
    if (flag.resolvedAt !== null) throw new Conflict("This flag has already been resolved.");
    const target = { type: flag.targetType as FlagTargetType, id: flag.targetId, jamId: flag.jamId };
    let resolved = 0;
    if (data.resolution === "hide") {
      const reason = data.reason!.trim();
      const stillVisible =
        target.type === "idea"
          ? await tx.select({ id: ideas.id }).from(ideas).where(and(eq(ideas.id, target.id), isNull(ideas.hiddenAt))).get()
          : await tx.select({ id: comments.id }).from(comments).where(and(eq(comments.id, target.id), isNull(comments.hiddenAt))).get();
      if (stillVisible) {
        // Hiding resolves the target's open flags as "hidden".
        const before = await countOpen(tx, target);
        if (target.type === "idea") await hideIdeaIn(tx, actor, target.id, reason, meta, now);
        else await hideCommentIn(tx, actor, target.id, reason, meta, now);
        resolved = before;
      } else {
        resolved = await resolveOpenFlags(tx, target, actor.id, "hidden", now);
      }
    } else {
      resolved = await resolveOpenFlags(tx, target, actor.id, "dismissed", now);
    }
    await recordAudit(
      tx, {
        action: "flag_resolved",
        actorId: actor.id,
        subject: `${target.type}:${target.id}`,
        ip: meta.ip,
        at: now,
        detail: { flagId: flag.id, resolution: data.resolution === "hide" ? "hidden" : "dismissed", flagsResolved: resolved },
      },
    );
    await publish(tx, flag.jamId, "moderation.changed", {});
    return { flagId: flag.id, resolution: data.resolution, flagsResolved: resolved };
  });
}

async function countOpen(tx: Db, target: { type: FlagTargetType; id: number; jamId: number }) {
  return (await tx.select({ n: sql<number>`count(*)` }).from(flags).where(openOn(target)).get())?.n ?? 0;
}
