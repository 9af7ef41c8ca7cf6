import { storableText } from "~db/dialect";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { LIMITS } from "~/domain/limits";
import { can } from "~/domain/permissions";
import { jamPhase, phaseAllows, type JamPhase } from "~/domain/phase";
import { jamPointRules, PointRules } from "~/domain/points";
import {
  DEFAULT_DOTS,
  dotSettingsChangeRefusal,
  dotSettingsRefusal,
  modeChangeRefusal,
  voteModeLockReason,
  VOTE_MODES,
  type VoteMode,
} from "~/domain/vote-modes";
import { liveBus, publish } from "~/live/bus";
import { db, preparedQueries, preparedQuery, transaction, type Db } from "~db/client";
import { challenges, dotAllocations, ideas, jams, stanceVotes, votes, type Jam } from "~db/schema";
import { recordAudit } from "./audit.server";
import { Invalid, NotFound, validate } from "./errors";
import { boxOwner, canReadCommunity } from "./community-access.server";
import { contributorOf } from "./ideas.server";
import { readableText } from "~/domain/text";
import { ideaCards } from "./lookups/idea-cards.server";
import { JAM_MANAGERS_ONLY, requireCapability } from "./lookups/guards.server";
import { findVisibleJam, jamVisibleTo } from "./lookups/visibility.server";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

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

/** The new-jam page's guard (its loader calls this): facilitators and admins. */
export function assertCanManageJams(actor: SessionUser) {
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
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

/** How many votes a challenge holds in one mode. */
async function votesInMode(tx: Db, challengeId: number, mode: VoteMode): Promise<number> {
  const table = mode === "support" ? votes : mode === "stance" ? stanceVotes : dotAllocations;
  return (await tx.select({ n: count() }).from(table).where(eq(table.challengeId, challengeId)).get())?.n ?? 0;
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

/** The community page a box jam's slug stands for (its idea pages' crumbs link there), if the viewer may read it. */
export async function communityOfBoxSlug(viewer: SessionUser, slug: string): Promise<string | null> {
  const conn = db();
  if (!storableText(slug)) return null;
  const jam = await conn.select().from(jams).where(eq(jams.slug, slug)).get();
  if (!jam || jam.kind !== "community") return null;
  const owner = await boxOwner(conn, jam.id);
  return owner && await canReadCommunity(conn, viewer, owner) ? owner.slug : null;
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

/** Live jams (soonest end first), upcoming (soonest start first) and past (latest first). */
export async function listJams(viewer: SessionUser, now = Date.now()) {
  const conn = db();
  const rows = await conn
    .select({
      id: jams.id,
      slug: jams.slug,
      title: jams.title,
      description: jams.description,
      startsAt: jams.startsAt,
      endsAt: jams.endsAt,
      isDraft: jams.isDraft,
      kind: jams.kind,
      challengeCount: sql<number>`(SELECT count(*) FROM "challenges" c WHERE c."jam_id" = "jams"."id")`,
    })
    .from(jams)
    .orderBy(asc(jams.startsAt), asc(jams.id))
    .all();
  const all: JamSummary[] = await mapInOrder(rows
    // A community's always-open idea box is not a jam to list.
    .filter((j) => j.kind === "jam" && jamVisibleTo(viewer, j)), async ({ isDraft, kind: _kind, ...j }) => ({ ...j, ideaCount: (await jamCounts(conn, j.id)).totals.ideas, phase: jamPhase({ ...j, isDraft }, now) }));
  return {
    live: all.filter((j) => j.phase === "live").sort((a, b) => a.endsAt - b.endsAt),
    upcoming: all.filter((j) => j.phase === "scheduled" || j.phase === "draft"),
    past: all.filter((j) => j.phase === "ended").sort((a, b) => b.endsAt - a.endsAt),
    canCreate: can(viewer.role, "manageJams"),
  };
}

const challengesOfJam = preparedQuery((conn) =>
  conn
    .select({ id: challenges.id, title: challenges.title, question: challenges.question })
    .from(challenges)
    .where(eq(challenges.jamId, sql.placeholder("jamId")))
    .orderBy(asc(challenges.position), asc(challenges.id))
    .prepare(),
);

/** A jam's challenges in order (id, title, question). */
export async function jamChallenges(jamId: number) {
  return await challengesOf(db(), jamId);
}

export async function challengesOf(conn: Db, jamId: number) {
  return await challengesOfJam(conn).all({ jamId });
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

/** While a jam's events flow, its counts are recomputed at most this often. */
export const JAM_COUNTS_MIN_REUSE_MS = 1_000;
/** Counts are never older than this, events or not. */
export const JAM_COUNTS_MAX_AGE_MS = 60_000;
const countsByJam = new Map<number, { at: number; eventId: number; counts: JamCounts }>();

/**
 * The jam's visible ideas (in all and per challenge), their authors, comments and
 * votes, for the jam home and the jams list: two passes over the jam's visible
 * ideas, using the comment and vote counts kept on each idea. At 46,000 ideas that
 * takes tens of milliseconds, so the result is reused until the jam publishes a live
 * event (every write that changes these counts does, after it commits), and while
 * events flow it is recomputed at most once a second: the most visited page of a
 * jam costs the same whatever the jam's size, and a page refreshed a second after
 * a change shows it.
 */
export async function jamCounts(conn: Db, jamId: number): Promise<JamCounts> {
  const at = Date.now();
  const eventId = await liveBus.lastEventId(conn, jamId);
  const cached = countsByJam.get(jamId);
  if (cached) {
    const age = at - cached.at;
    if (age < JAM_COUNTS_MIN_REUSE_MS || (cached.eventId === eventId && age < JAM_COUNTS_MAX_AGE_MS)) return cached.counts;
  }
  const visible = and(eq(ideas.jamId, jamId), sql`${ideas.hiddenAt} IS NULL`);
  const perChallenge = await conn
    .select({
      challengeId: ideas.challengeId,
      ideas: count(),
      comments: sql<number>`coalesce(sum(${ideas.commentCount}), 0)`,
      votes: sql<number>`coalesce(sum(${ideas.voteCount}), 0)`,
    })
    .from(ideas)
    .where(visible)
    .groupBy(ideas.challengeId)
    .all();
  const contributors =
    (await conn
      .select({ n: sql<number>`count(DISTINCT ${contributorOf('"ideas"')})` })
      .from(ideas)
      .where(visible)
      .get())?.n ?? 0;
  const sum = (key: "ideas" | "comments" | "votes") => perChallenge.reduce((n, row) => n + row[key], 0);
  const counts = {
    totals: { ideas: sum("ideas"), contributors, comments: sum("comments"), votes: sum("votes") },
    ideasByChallenge: new Map(perChallenge.map((row) => [row.challengeId, row.ideas])),
  };
  countsByJam.set(jamId, { at, eventId, counts });
  return counts;
}

/** The jam's five newest, or five most supported, visible ideas. */
const homeIdeas = preparedQueries((conn, order: "newest" | "top") =>
  conn
    .select()
    .from(ideas)
    .where(and(eq(ideas.jamId, sql.placeholder("jamId")), sql`${ideas.hiddenAt} IS NULL`))
    .orderBy(...(order === "newest" ? [desc(ideas.id)] : [desc(ideas.voteCount), desc(ideas.id)]))
    .limit(5)
    .prepare(),
);

/** Everything the jam's home page shows: challenges, counts, newest and top ideas. */
export async function jamHome(viewer: SessionUser, slug: string, now = Date.now()) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  const { totals, ideasByChallenge } = await jamCounts(conn, jam.id);
  const newest = await ideaCards(conn, viewer, await homeIdeas(conn, "newest").all({ jamId: jam.id }));
  const top = await ideaCards(conn, viewer, await homeIdeas(conn, "top").all({ jamId: jam.id }));
  return {
    // What the page shows of the jam (its row also holds point rules, its author and timestamps: not sent).
    jam: {
      id: jam.id,
      slug: jam.slug,
      title: jam.title,
      description: jam.description,
      startsAt: jam.startsAt,
      endsAt: jam.endsAt,
      phase: jamPhase(jam, now),
    },
    challenges: (await challengesOf(conn, jam.id)).map((c) => ({ ...c, ideaCount: ideasByChallenge.get(c.id) ?? 0 })),
    stats: totals,
    newest,
    top,
    canManage: can(viewer.role, "manageJams"),
  };
}

/**
 * The jam and its challenges, as the edit form needs them: with each challenge,
 * why its voting mode can no longer change (null while it can) and how many dots
 * were placed (its dot settings may then only grow).
 */
/** A jam's challenges in order, with what the form and the launch checklist show of each. */
export async function challengeSettings(conn: Db, jamId: number) {
  return await conn
    .select({
      id: challenges.id,
      title: challenges.title,
      question: challenges.question,
      voteMode: challenges.voteMode,
      dotBudget: challenges.dotBudget,
      dotMaxPerIdea: challenges.dotMaxPerIdea,
    })
    .from(challenges)
    .where(eq(challenges.jamId, jamId))
    .orderBy(asc(challenges.position), asc(challenges.id))
    .all();
}

export async function jamForEdit(actor: SessionUser, slug: string) {
  const conn = db();
  requireCapability(actor, "manageJams", JAM_MANAGERS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const list = await mapInOrder((await challengeSettings(conn, jam.id)), async (c) => {
    const cast = await votesInMode(conn, c.id, c.voteMode);
    return { ...c, voteModeLock: voteModeLockReason(c.voteMode, cast), dotsPlaced: c.voteMode === "dots" ? cast : 0 };
  });
  return { jam: { ...jam, phase: jamPhase(jam, Date.now()) }, challenges: list, gamification: jamGamification(jam) };
}

/** The jam's point rules as the settings form shows them, and whether leaderboards are hidden. */
export function jamGamification(jam: Jam) {
  return { rules: jamPointRules(jam.pointRules), leaderboardsHidden: jam.leaderboardsHidden };
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
