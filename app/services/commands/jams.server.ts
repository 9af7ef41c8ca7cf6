import { count, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { jamPhase, phaseAllows, type JamPhase } from "~/domain/phase";
import { PointRules } from "~/domain/points";
import {
  DEFAULT_DOTS,
  dotSettingsChangeRefusal,
  dotSettingsRefusal,
  modeChangeRefusal,
  VOTE_MODES,
} from "~/domain/vote-modes";
import { publish } from "~/live/bus";
import { transaction, type Db } from "~db/client";
import { challenges, ideas, jams, type Jam } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Invalid, NotFound, validate } from "~/services/errors";
import { readableText } from "~/domain/text";
import { JAM_MANAGERS_ONLY, requireCapability } from "~/services/lookups/guards.server";
import { forEachInOrder } from "~/domain/in-order";
import { votesInMode } from "~/services/lookups/jams.server";

/** A challenge's question may wait while its jam is a draft; a published jam needs one for each. */
const challengeInput = (strict: boolean) => z.object({
  id: z.coerce.number().int().positive().optional(),
  title: readableText(
    z
      .string()
      .trim()
      .min(1, "Give the challenge a title.")
      .max(LIMITS.challengeTitle, `Keep the title under ${LIMITS.challengeTitle} characters.`)
  ),
  question: readableText(
    z
      .string()
      .trim()
      .min(strict ? 1 : 0, "Write the question this challenge asks.")
      .max(LIMITS.challengeQuestion, `Keep the question under ${LIMITS.challengeQuestion} characters.`),
    { multiline: true },
  ),
  /** How people vote on this challenge's ideas; support when left out. */
  voteMode: z.enum(VOTE_MODES, { error: "Choose how people vote." }).optional(),
  /** Dot settings (dots mode); left out, they keep their stored (or default) values. */
  dotBudget: z.number({ error: "Give a whole number of dots." }).int("Give a whole number of dots.").optional(),
  dotMaxPerIdea: z.number({ error: "Give a whole number of dots." }).int("Give a whole number of dots.").optional(),
}).superRefine((c, ctx) => {
  if (c.voteMode !== "dots") return;
  const refusal = dotSettingsRefusal(c.dotBudget ?? DEFAULT_DOTS.budget, c.dotMaxPerIdea ?? DEFAULT_DOTS.maxPerIdea);
  if (refusal) ctx.addIssue({ code: "custom", path: [refusal.field], message: refusal.message });
});

export const GamificationInput = PointRules.extend({
  leaderboardsHidden: z.boolean(),
});

/**
 * A jam as the form sends it. A draft may be saved unfinished (no challenge yet, a
 * challenge without its question): the launch checklist lists what is missing. A
 * published jam (`strict`) needs them all.
 */
const jamInputSchema = (strict: boolean) => z
  .object({
    title: readableText(
      z
        .string({ error: "Give the jam a title." })
        .trim()
        .min(1, "Give the jam a title.")
        .max(LIMITS.jamTitle, `Keep the title under ${LIMITS.jamTitle} characters.`)
    ),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .max(60, "Keep the address under 60 characters.")
      .regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, "Use lower-case letters, digits and single hyphens, like working-smarter.")
      .optional()
      .default(""),
    description: readableText(
      z
        .string()
        .trim()
        .max(LIMITS.jamDescription, `Keep the description under ${LIMITS.jamDescription} characters.`),
      { multiline: true },
    )
      .optional()
      .default(""),
    startsAt: z.number({ error: "Choose when the jam starts." }).int("Choose when the jam starts."),
    endsAt: z.number({ error: "Choose when the jam ends." }).int("Choose when the jam ends."),
    /**
     * Only when creating: a new jam is a draft unless this is false (seeds and imports
     * that make a jam already published). Drafts are published by `scheduleJam`.
     */
    isDraft: z.boolean().optional().default(true),
    challenges: z
      .array(challengeInput(strict))
      .min(strict ? 1 : 0, "Add at least one challenge.")
      .max(LIMITS.maxChallenges, `A jam has at most ${LIMITS.maxChallenges} challenges.`),
    /** Point rules and leaderboard visibility; left out, they stay as they are. */
    points: GamificationInput.optional(),
  })
  .refine((j) => j.endsAt > j.startsAt, { path: ["endsAt"], message: "The jam must end after it starts." });

export const JamInput = jamInputSchema(true);

export const DraftJamInput = jamInputSchema(false);

export type JamInputData = z.output<typeof JamInput>;

/** Validates a jam's input, strictly when the jam is (or will be) published. */
function validateJam(input: unknown, published: boolean): JamInputData {
  return validate(published ? JamInput : DraftJamInput, input);
}

export function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}

export interface Meta {
  ip: string | null;
  now?: number;
}

function editableFields(data: JamInputData) {
  const { title, description, startsAt, endsAt } = data;
  return { title, description, startsAt, endsAt };
}

function pointFields(points: JamInputData["points"]) {
  if (!points) return {};
  const { leaderboardsHidden, ...rules } = points;
  return { pointRules: JSON.stringify(rules), leaderboardsHidden };
}

async function assertSlugFree(tx: Db, slug: string, exceptJamId?: number) {
  const other = await tx.select({ id: jams.id }).from(jams).where(eq(jams.slug, slug)).get();
  if (other && other.id !== exceptJamId) {
    throw new Invalid({ slug: [`Another jam already uses the address “${slug}”. Choose another.`] });
  }
}

/**
 * Creates a jam, as a draft unless the input says `isDraft: false`: only
 * facilitators and leaders see it until it is scheduled from its launch checklist.
 */
export async function createJam(actor: SessionUser, input: unknown, meta: Meta): Promise<Jam> {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const publishedAtOnce = typeof input === "object" && input !== null && (input as { isDraft?: unknown }).isDraft === false;
  const data = validateJam(input, publishedAtOnce);
  const now = meta.now ?? Date.now();
  const slug = data.slug || slugify(data.title);
  if (!slug) throw new Invalid({ slug: ["Choose an address for the jam, like working-smarter."] });
  return await transaction(async (tx) => {
    await assertSlugFree(tx, slug);
    const jam = await tx
      .insert(jams)
      .values({
        ...editableFields(data),
        ...pointFields(data.points),
        isDraft: data.isDraft,
        slug,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    await forEachInOrder(data.challenges, async (c, position) => {
      await tx.insert(challenges).values({ jamId: jam.id, title: c.title, question: c.question, position, createdAt: now, ...voteSettings(c) }).run();
    });
    await recordAudit(tx, { action: "jam_created", actorId: actor.id, subject: `jam:${jam.id}`, ip: meta.ip, at: now, detail: { isDraft: jam.isDraft } });
    return jam;
  });
}

/**
 * Edits a jam, its challenges and (when given) its point rules, in one save.
 * Challenges are edited in place or added; one that already holds ideas cannot be
 * removed. An ended jam's schedule is fixed. Whether the jam is a draft does not
 * change here: that is `scheduleJam` and `unscheduleJam`.
 */
export async function updateJam(actor: SessionUser, jamId: number, input: unknown, meta: Meta): Promise<Jam> {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const jam = await tx.select().from(jams).where(eq(jams.id, jamId)).get();
    if (!jam) throw new NotFound("No such jam.");
    const data = validateJam(input, !jam.isDraft);
    const slug = data.slug || jam.slug;
    await assertSlugFree(tx, slug, jam.id);
    const scheduleChanged = jam.startsAt !== data.startsAt || jam.endsAt !== data.endsAt;
    if (scheduleChanged && !phaseAllows(jamPhase(jam, now), "editSchedule")) {
      throw new Invalid({ endsAt: ["This jam has ended; its schedule can no longer change."] });
    }
    const existing = await tx.select().from(challenges).where(eq(challenges.jamId, jam.id)).all();
    const keptIds = new Set(data.challenges.flatMap((c) => (c.id ? [c.id] : [])));
    for (const c of data.challenges) {
      if (c.id && !existing.some((e) => e.id === c.id)) throw new Invalid({ challenges: ["A challenge does not belong to this jam."] });
    }
    await assertVoteSettingsMayChange(tx, data.challenges, existing);
    const removed = existing.filter((e) => !keptIds.has(e.id));
    if (removed.length > 0) {
      const used = await tx
        .select({ n: count() })
        .from(ideas)
        .where(inArray(ideas.challengeId, removed.map((r) => r.id)))
        .get();
      if ((used?.n ?? 0) > 0) throw new Invalid({ challenges: ["A challenge that already has ideas cannot be removed."] });
      await tx.delete(challenges).where(inArray(challenges.id, removed.map((r) => r.id))).run();
    }
    await forEachInOrder(data.challenges, async (c, position) => {
      if (c.id) {
        await tx.update(challenges).set({ title: c.title, question: c.question, position, ...voteSettings(c) }).where(eq(challenges.id, c.id)).run();
      } else {
        await tx.insert(challenges).values({ jamId: jam.id, title: c.title, question: c.question, position, createdAt: now, ...voteSettings(c) }).run();
      }
    });
    const updated = await tx
      .update(jams)
      .set({ ...editableFields(data), ...pointFields(data.points), slug, updatedAt: now })
      .where(eq(jams.id, jam.id))
      .returning()
      .get();
    await recordAudit(tx, { action: "jam_updated", actorId: actor.id, subject: `jam:${jam.id}`, ip: meta.ip, at: now });
    if (data.points && (updated.pointRules !== jam.pointRules || updated.leaderboardsHidden !== jam.leaderboardsHidden)) {
      await recordAudit(tx, { action: "jam_gamification_changed", actorId: actor.id, subject: `jam:${jam.id}`, ip: meta.ip, at: now, detail: data.points });
    }
    await publish(tx, jam.id, "jam.changed", { startsAt: updated.startsAt, endsAt: updated.endsAt });
    return updated;
  });
}

/** The voting columns a challenge row gets from its input (left out: kept, or the defaults). */
function voteSettings(c: JamInputData["challenges"][number]) {
  return {
    ...(c.voteMode ? { voteMode: c.voteMode } : {}),
    ...(c.voteMode === "dots" && c.dotBudget !== undefined ? { dotBudget: c.dotBudget } : {}),
    ...(c.voteMode === "dots" && c.dotMaxPerIdea !== undefined ? { dotMaxPerIdea: c.dotMaxPerIdea } : {}),
  };
}

/**
 * Once people voted one way, a challenge keeps its mode, and its dot settings
 * may only grow (nobody ends up over budget). Errors name the challenge's place.
 */
async function assertVoteSettingsMayChange(tx: Db, input: JamInputData["challenges"], existing: (typeof challenges.$inferSelect)[]) {
  const errors: Record<string, string[]> = {};
  await forEachInOrder(input, async (c, position) => {
    const before = existing.find((e) => e.id === c.id);
    if (!before) return;
    const mode = c.voteMode ?? before.voteMode;
    if (mode !== before.voteMode) {
      const refusal = modeChangeRefusal(before.voteMode, mode, await votesInMode(tx, before.id, before.voteMode));
      if (refusal) errors[`challenges.${position}.voteMode`] = [refusal];
    }
    if (mode === "dots" && before.voteMode === "dots") {
      const to = { budget: c.dotBudget ?? before.dotBudget, maxPerIdea: c.dotMaxPerIdea ?? before.dotMaxPerIdea };
      const from = { budget: before.dotBudget, maxPerIdea: before.dotMaxPerIdea };
      if (to.budget !== from.budget || to.maxPerIdea !== from.maxPerIdea) {
        const refusal = dotSettingsRefusal(to.budget, to.maxPerIdea) ?? dotSettingsChangeRefusal(from, to, await votesInMode(tx, before.id, "dots"));
        if (refusal) errors[`challenges.${position}.${refusal.field}`] = [refusal.message];
      }
    }
  });
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
}

export interface JamSummary {
  id: number;
  slug: string;
  title: string;
  description: string;
  startsAt: number;
  endsAt: number;
  phase: JamPhase;
  ideaCount: number;
  challengeCount: number;
}

export interface JamTotals {
  /** Visible ideas. */
  ideas: number;
  /** People who posted them (anonymous authors included, never named). */
  contributors: number;
  /** Visible comments on those ideas. */
  comments: number;
  /** Support votes on those ideas. */
  votes: number;
}

export interface JamCounts {
  totals: JamTotals;
  /** Visible ideas per challenge id (a challenge without any is absent). */
  ideasByChallenge: Map<number, number>;
}

/** Facilitators change a jam's point rules and leaderboard visibility (audited). */
export async function updateJamGamification(actor: SessionUser, jamId: number, input: unknown, meta: Meta) {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const { leaderboardsHidden, ...rules } = validate(GamificationInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const updated = await tx
      .update(jams)
      .set({ pointRules: JSON.stringify(rules), leaderboardsHidden, updatedAt: now })
      .where(eq(jams.id, jamId))
      .returning()
      .get();
    if (!updated) throw new NotFound("No such jam.");
    await recordAudit(
      tx, { action: "jam_gamification_changed", actorId: actor.id, subject: `jam:${jamId}`, ip: meta.ip, at: now, detail: { ...rules, leaderboardsHidden } },
    );
    return updated;
  });
}
