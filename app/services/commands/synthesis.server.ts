/**
 * Synthesis in the product: runs the theme engine off the request path (a
 * worker thread), stores each result as a version of themes, lets facilitators
 * curate a copy (never overwritten by a re-run), and publishes one version.
 *
 * A run is a job (app/coordination/jobs.server.ts): asking for a synthesis stores the run and
 * its job in one transaction; the process that claims the job runs it (the asking process tries
 * at once), renewing its claim with each heartbeat. A run whose process died is claimed again
 * once the claim runs out, by whichever process looks first, and runs afresh.
 */
import { and, asc, eq, inArray, max } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { publish } from "~/live/bus";
import type { SynthesisOutput } from "~/synthesis/pipeline";
import { enqueue } from "~/coordination/jobs.server";
import { db, transaction, type Db } from "~db/client";
import {
  challenges,
  ideas,
  synthesisRuns,
  synthesisVersions,
  themeIdeas,
  themes,
} from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, NotFound, validate } from "~/services/errors";

import { tellThemesPublished } from "~/services/effects/news.server";
import { mailResultsPublished } from "~/services/jobs/jam-mail.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";
import { SYNTHESIS_JOB, runSynthesisJobs, runInWorker } from "~/services/jobs/synthesis.server";
import { ideasUnder } from "~/services/lookups/synthesis.server";

const CURATORS_ONLY = "Only facilitators can run and curate the synthesis.";

export const StartInput = z.object({
  challengeId: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().positive().optional()),
  k: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce.number({ error: "Enter a number of themes from 2 to 250." }).int().min(2, "At least 2 themes.").max(250, "At most 250 themes.").optional(),
  ),
});

/**
 * Starts a synthesis of a jam (or one challenge). Returns at once with the run;
 * the work happens in a worker thread and the page follows its progress.
 * `wait` lets tests and scripts await the result.
 */
export async function startSynthesis(actor: SessionUser, slug: string, input: unknown, meta: { now?: number; wait?: boolean } = {}) {
  const conn = db();
  requireCapability(actor, "manageJams", CURATORS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const data = validate(StartInput, input);
  const now = meta.now ?? Date.now();
  if (data.challengeId) {
    const c = await db().select().from(challenges).where(and(eq(challenges.id, data.challengeId), eq(challenges.jamId, jam.id))).get();
    if (!c) throw new Invalid({ challengeId: ["Choose a challenge of this jam."] });
  }
  const { run, jobId } = await transaction(async (tx) => {
    const active = await tx
      .select({ id: synthesisRuns.id })
      .from(synthesisRuns)
      .where(and(eq(synthesisRuns.jamId, jam.id), inArray(synthesisRuns.status, ["queued", "running"])))
      .get();
    if (active) throw new Conflict("A synthesis of this jam is already running.");
    const run = await tx
      .insert(synthesisRuns)
      .values({
        jamId: jam.id,
        challengeId: data.challengeId ?? null,
        status: "running",
        progress: 0,
        requestedK: data.k ?? null,
        seed: 2026,
        startedBy: actor.id,
        startedAt: now,
      })
      .returning()
      .get();
    const job = await enqueue(tx, SYNTHESIS_JOB, String(run.id), { runId: run.id } satisfies SynthesisJob, { now, runAfter: now });
    return { run, jobId: job.id };
  });
  // This process takes the job at once (through the table, like any process would).
  const work: Promise<number[]> = runSynthesisJobs(Math.max(now, Date.now()), { id: jobId, wait: true });
  if (meta.wait) await work;
  else work.catch((error: unknown) => console.error("synthesis could not start", error));
  return run;
}

export interface SynthesisJob {
  runId: number;
}

export async function nextVersionNumber(tx: Db, jamId: number) {
  return ((await tx.select({ n: max(synthesisVersions.number) }).from(synthesisVersions).where(eq(synthesisVersions.jamId, jamId)).get())?.n ?? 0) + 1;
}

/** Copy-on-write: curation edits a curated copy, so a generated version stays as the engine made it. */
async function curatedVersionFor(tx: Db, actor: SessionUser, versionId: number): Promise<number> {
  const version = await tx.select().from(synthesisVersions).where(eq(synthesisVersions.id, versionId)).get();
  if (!version) throw new NotFound("No such synthesis version.");
  if (version.kind === "curated" && version.publishedAt === null) return version.id;
  const copy = await tx
    .insert(synthesisVersions)
    .values({
      jamId: version.jamId,
      challengeId: version.challengeId,
      number: await nextVersionNumber(tx, version.jamId),
      kind: "curated",
      basedOnId: version.id,
      opinions: version.opinions,
      createdBy: actor.id,
      createdAt: Date.now(),
    })
    .returning()
    .get();
  const oldThemes = await tx.select().from(themes).where(eq(themes.versionId, version.id)).orderBy(asc(themes.position)).all();
  const idMap = new Map<number, number>();
  for (const t of oldThemes) {
    const { id, versionId: _v, parentId: _p, ...rest } = t;
    idMap.set(id, (await tx.insert(themes).values({ ...rest, versionId: copy.id }).returning({ id: themes.id }).get()).id);
  }
  for (const t of oldThemes) {
    if (t.parentId !== null) await tx.update(themes).set({ parentId: idMap.get(t.parentId)! }).where(eq(themes.id, idMap.get(t.id)!)).run();
  }
  for (const ti of await tx.select().from(themeIdeas).where(eq(themeIdeas.versionId, version.id)).all()) {
    await tx.insert(themeIdeas).values({ ...ti, versionId: copy.id, themeId: idMap.get(ti.themeId)! }).run();
  }
  return copy.id;
}

async function themeIn(tx: Db, versionId: number, themeId: number) {
  const theme = await tx.select().from(themes).where(and(eq(themes.id, themeId), eq(themes.versionId, versionId))).get();
  if (!theme) throw new NotFound("No such theme in this version.");
  return theme;
}

/** Maps a theme of the original version to its copy in the curated version (same position). */
async function mapTheme(tx: Db, fromVersionId: number, toVersionId: number, themeId: number) {
  if (fromVersionId === toVersionId) return await themeIn(tx, toVersionId, themeId);
  const original = await themeIn(tx, fromVersionId, themeId);
  const copy = await tx
    .select()
    .from(themes)
    .where(and(eq(themes.versionId, toVersionId), eq(themes.position, original.position)))
    .get();
  if (!copy) throw new NotFound("No such theme in this version.");
  return copy;
}

/** The ideas a curator ticked (one or many, each once). */
const ChosenIdeas = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.coerce.number().int().positive())
    .min(1, "Choose at least one idea.")
    .max(5_000, "Choose at most 5,000 ideas at once.")
    .transform((ids) => [...new Set(ids)]),
);

export const CurationInput = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("rename"),
    versionId: z.coerce.number().int().positive(),
    themeId: z.coerce.number().int().positive(),
    label: z.string().trim().min(1, "Give the theme a name.").max(80, "Keep the name under 80 characters."),
  }),
  z.object({
    intent: z.literal("merge"),
    versionId: z.coerce.number().int().positive(),
    themeId: z.coerce.number().int().positive(),
    intoThemeId: z.coerce.number({ error: "Choose the theme to merge into." }).int().positive("Choose the theme to merge into."),
  }),
  z.object({
    intent: z.literal("move"),
    versionId: z.coerce.number().int().positive(),
    ideaIds: ChosenIdeas,
    toThemeId: z.coerce.number({ error: "Choose the theme to move them to." }).int().positive("Choose the theme to move them to."),
  }),
  z.object({
    intent: z.literal("exclude"),
    versionId: z.coerce.number().int().positive(),
    ideaIds: ChosenIdeas,
  }),
  z.object({
    intent: z.literal("promote"),
    versionId: z.coerce.number().int().positive(),
    themeId: z.coerce.number().int().positive(),
  }),
]);

/** A version's themes that hold sub-themes. */
async function hasSubThemes(tx: Db, themeId: number) {
  return await tx.select({ id: themes.id }).from(themes).where(eq(themes.parentId, themeId)).limit(1).get() !== undefined;
}

/** A top-level theme left with no sub-theme holds nothing (ideas sit in sub-themes): it goes. */
async function dropIfEmptyGroup(tx: Db, themeId: number | null) {
  if (themeId === null || await hasSubThemes(tx, themeId)) return;
  const holds = await tx.select({ id: themeIdeas.ideaId }).from(themeIdeas).where(eq(themeIdeas.themeId, themeId)).limit(1).get();
  if (!holds) await tx.delete(themes).where(eq(themes.id, themeId)).run();
}

async function combineInto(tx: Db, into: typeof themes.$inferSelect, from: typeof themes.$inferSelect) {
  const reps = [...(JSON.parse(into.representatives) as number[]), ...(JSON.parse(from.representatives) as number[])].slice(0, 8);
  const keywords = [...new Set([...(JSON.parse(into.keywords) as string[]), ...(JSON.parse(from.keywords) as string[])])].slice(0, 10);
  await tx.update(themes).set({ representatives: JSON.stringify(reps), keywords: JSON.stringify(keywords) }).where(eq(themes.id, into.id)).run();
}

/**
 * One curation edit, applied to a curated copy; returns the curated version's id. Rename any theme;
 * merge two themes (ideas into a theme without sub-themes, sub-themes into a theme with them, or a
 * theme into a top-level theme with sub-themes as one more of them); promote a sub-theme to the top
 * level; move or exclude ideas (they sit in themes without sub-themes). A top-level theme left with
 * no sub-theme and no idea goes.
 */
export async function curate(actor: SessionUser, slug: string, input: unknown, meta: { ip: string | null }) {
  const conn = db();
  requireCapability(actor, "manageJams", CURATORS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const data = validate(CurationInput, input);
  return await transaction(async (tx) => {
    const source = await tx.select().from(synthesisVersions).where(eq(synthesisVersions.id, data.versionId)).get();
    if (!source || source.jamId !== jam.id) throw new NotFound("No such synthesis version.");
    const versionId = await curatedVersionFor(tx, actor, source.id);
    if (data.intent === "rename") {
      const theme = await mapTheme(tx, source.id, versionId, data.themeId);
      await tx.update(themes).set({ label: data.label }).where(eq(themes.id, theme.id)).run();
    } else if (data.intent === "merge") {
      if (data.themeId === data.intoThemeId) throw new Invalid({ intoThemeId: ["Choose a different theme."] });
      const from = await mapTheme(tx, source.id, versionId, data.themeId);
      const into = await mapTheme(tx, source.id, versionId, data.intoThemeId);
      if (from.isOther || into.isOther) throw new Invalid({ intoThemeId: ["Other is not a theme: move ideas out of it instead."] });
      const fromGroup = await hasSubThemes(tx, from.id);
      const intoGroup = await hasSubThemes(tx, into.id);
      if (fromGroup && !intoGroup) {
        throw new Invalid({ intoThemeId: ["A theme with sub-themes merges into another theme with sub-themes."] });
      }
      if (fromGroup) {
        // Two top-level themes become one: the sub-themes move across.
        await tx.update(themes).set({ parentId: into.id }).where(eq(themes.parentId, from.id)).run();
        await combineInto(tx, into, from);
        await tx.delete(themes).where(eq(themes.id, from.id)).run();
      } else if (intoGroup) {
        if (from.parentId === into.id) throw new Invalid({ intoThemeId: ["It is already one of that theme's sub-themes."] });
        // A theme merged into a top-level theme with sub-themes becomes one of them.
        await tx.update(themes).set({ parentId: into.id }).where(eq(themes.id, from.id)).run();
        await dropIfEmptyGroup(tx, from.parentId);
      } else {
        await tx.update(themeIdeas).set({ themeId: into.id }).where(eq(themeIdeas.themeId, from.id)).run();
        await combineInto(tx, into, from);
        await tx.delete(themes).where(eq(themes.id, from.id)).run();
        await dropIfEmptyGroup(tx, from.parentId);
      }
    } else if (data.intent === "promote") {
      const theme = await mapTheme(tx, source.id, versionId, data.themeId);
      if (theme.parentId === null) throw new Invalid({ themeId: ["This theme is already a top-level theme."] });
      await tx.update(themes).set({ parentId: null }).where(eq(themes.id, theme.id)).run();
      await dropIfEmptyGroup(tx, theme.parentId);
    } else {
      // Every chosen idea, or none: one that is not in this synthesis refuses the whole edit.
      const rows = await tx
        .select()
        .from(themeIdeas)
        .where(and(eq(themeIdeas.versionId, versionId), inArray(themeIdeas.ideaId, data.ideaIds)))
        .all();
      if (rows.length !== data.ideaIds.length) throw new NotFound("That idea is not in this synthesis.");
      const to = data.intent === "move" ? await mapTheme(tx, source.id, versionId, data.toThemeId) : null;
      if (to && await hasSubThemes(tx, to.id)) throw new Invalid({ toThemeId: ["That theme's ideas sit in its sub-themes: choose one of them."] });
      // Moved or excluded, an idea no longer speaks for the theme it leaves.
      const leaving = new Set(data.ideaIds);
      for (const themeId of new Set(rows.map((r) => r.themeId))) {
        const left = await tx.select({ representatives: themes.representatives }).from(themes).where(eq(themes.id, themeId)).get();
        if (!left) continue;
        const kept = (JSON.parse(left.representatives) as number[]).filter((id) => !leaving.has(id));
        await tx.update(themes).set({ representatives: JSON.stringify(kept) }).where(eq(themes.id, themeId)).run();
      }
      const chosen = and(eq(themeIdeas.versionId, versionId), inArray(themeIdeas.ideaId, data.ideaIds));
      if (to) await tx.update(themeIdeas).set({ themeId: to.id, excluded: false }).where(chosen).run();
      else await tx.update(themeIdeas).set({ excluded: true }).where(chosen).run();
    }
    await recordAudit(tx, { action: "synthesis_curated", actorId: actor.id, subject: `synthesis_version:${versionId}`, ip: meta.ip, at: Date.now(), detail: data });
    return versionId;
  });
}

/**
 * Splits one theme by re-clustering its ideas with the engine (a theme is small, so this runs in
 * the request's worker thread and waits). A theme without sub-themes splits into sub-themes: of
 * itself when it is top-level, beside it when it is one already. A top-level theme with sub-themes
 * splits into that many top-level themes, each taking the sub-themes whose ideas fell mostly in it.
 */
export async function splitTheme(actor: SessionUser, slug: string, input: unknown, meta: { ip: string | null }) {
  const conn = db();
  requireCapability(actor, "manageJams", CURATORS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const data = validate(
    z.object({ versionId: z.coerce.number().int().positive(), themeId: z.coerce.number().int().positive(), k: z.coerce.number().int().min(2).max(8).catch(2) }),
    input,
  );
  const source = await db().select().from(synthesisVersions).where(eq(synthesisVersions.id, data.versionId)).get();
  if (!source || source.jamId !== jam.id) throw new NotFound("No such synthesis version.");
  const members = await db()
    .select({ ideaId: themeIdeas.ideaId, themeId: themeIdeas.themeId })
    .from(themeIdeas)
    .where(and(ideasUnder(data.themeId), eq(themeIdeas.versionId, source.id), eq(themeIdeas.excluded, false)))
    .all();
  if (members.length < 4) throw new Invalid({ themeId: ["A theme needs at least 4 ideas to split."] });
  const subThemes = [...new Set(members.map((m) => m.themeId).filter((id) => id !== data.themeId))];
  if (subThemes.length === 1) throw new Invalid({ themeId: ["It has one sub-theme: split that one instead."] });
  const rows = await db()
    .select({ id: ideas.id, title: ideas.title, body: ideas.body, votes: ideas.voteCount, createdAt: ideas.createdAt })
    .from(ideas)
    .where(inArray(ideas.id, members.map((m) => m.ideaId)))
    .all();
  const output = await runInWorker(
    {
      ideas: rows.map((r) => ({ id: r.id, text: `${r.title}\n${r.body}`, votes: r.votes, createdAt: r.createdAt })),
      k: subThemes.length > 0 ? Math.min(data.k, subThemes.length) : data.k,
      seed: 7,
      stance: null,
      noOther: true,
      levels: 1,
    },
    () => {},
  );
  return await transaction(async (tx) => {
    const versionId = await curatedVersionFor(tx, actor, source.id);
    const theme = await mapTheme(tx, source.id, versionId, data.themeId);
    if (theme.isOther) throw new Invalid({ themeId: ["Other is not a theme: move ideas out of it instead."] });
    let last = (await tx.select({ p: max(themes.position) }).from(themes).where(eq(themes.versionId, versionId)).get())?.p ?? 0;
    const insert = async (part: SynthesisOutput["themes"][number], parentId: number | null) =>
      (await tx
        .insert(themes)
        .values({
          versionId,
          label: part.title,
          summary: part.summary,
          keywords: JSON.stringify(part.keywords),
          representatives: JSON.stringify(part.representativeIds),
          isOther: false,
          position: ++last,
          parentId,
        })
        .returning({ id: themes.id })
        .get()).id;
    const moveIdeas = async (ideaIds: number[], themeId: number) => {
      if (ideaIds.length > 0) await tx.update(themeIdeas).set({ themeId }).where(and(eq(themeIdeas.versionId, versionId), inArray(themeIdeas.ideaId, ideaIds))).run();
    };
    const children = await tx.select().from(themes).where(eq(themes.parentId, theme.id)).orderBy(asc(themes.position)).all();
    if (children.length > 0) {
      // Each sub-theme goes with the part that holds most of its ideas; the first part keeps this theme.
      const partOf = new Map<number, number>();
      output.themes.forEach((part, i) => part.ideaIds.forEach((id) => partOf.set(id, i)));
      const byPart = new Map<number, typeof children>();
      for (const child of children) {
        // The sub-theme as it is in the version the ideas were read from (a copy keeps positions).
        const copyOf =
          versionId === source.id
            ? child.id
            : (await tx.select({ id: themes.id }).from(themes).where(and(eq(themes.versionId, source.id), eq(themes.position, child.position))).get())?.id;
        const votes = new Map<number, number>();
        for (const m of members) if (m.themeId === copyOf) votes.set(partOf.get(m.ideaId) ?? 0, (votes.get(partOf.get(m.ideaId) ?? 0) ?? 0) + 1);
        const part = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
        byPart.set(part, [...(byPart.get(part) ?? []), child]);
      }
      const parts = [...byPart.entries()].sort((a, b) => a[0] - b[0]);
      await forEachInOrder(parts, async ([partIndex, group], i) => {
        if (i === 0) return; // stays under this theme
        const parentId = group.length > 1 ? await insert(output.themes[partIndex]!, null) : null;
        for (const child of group) await tx.update(themes).set({ parentId }).where(eq(themes.id, child.id)).run();
      });
      if (parts[0]![1].length === 1) {
        // One sub-theme left here: it takes this theme's place at the top level.
        await tx.update(themes).set({ parentId: null }).where(eq(themes.id, parts[0]![1][0]!.id)).run();
        await tx.delete(themes).where(eq(themes.id, theme.id)).run();
      }
    } else if (theme.parentId === null) {
      // A top-level theme's ideas become its sub-themes; ideas excluded from it go with the first
      // (still excluded), since a theme with sub-themes holds no idea itself.
      const parts = await mapInOrder(output.themes, async (part) => {
        const id = await insert(part, theme.id);
        await moveIdeas(part.ideaIds, id);
        return id;
      });
      await tx.update(themeIdeas).set({ themeId: parts[0]! }).where(eq(themeIdeas.themeId, theme.id)).run();
    } else {
      await forEachInOrder(output.themes, async (part, i) => {
        if (i === 0) {
          await tx.update(themes)
            .set({ label: part.title, summary: part.summary, keywords: JSON.stringify(part.keywords), representatives: JSON.stringify(part.representativeIds) })
            .where(eq(themes.id, theme.id))
            .run();
          return;
        }
        await moveIdeas(part.ideaIds, await insert(part, theme.parentId));
      });
    }
    await recordAudit(tx, { action: "synthesis_curated", actorId: actor.id, subject: `synthesis_version:${versionId}`, ip: meta.ip, at: Date.now(), detail: { intent: "split", themeId: data.themeId } });
    return versionId;
  });
}

/** Publishes a version: participants then see its themes (one published version per jam). */
export async function publishVersion(actor: SessionUser, slug: string, input: unknown, meta: { ip: string | null; now?: number }) {
  const conn = db();
  requireCapability(actor, "manageJams", CURATORS_ONLY);
  const jam = await findVisibleJam(conn, actor, slug);
  const { versionId } = validate(z.object({ versionId: z.coerce.number().int().positive() }), input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const version = await tx.select().from(synthesisVersions).where(eq(synthesisVersions.id, versionId)).get();
    if (!version || version.jamId !== jam.id) throw new NotFound("No such synthesis version.");
    await tx.update(synthesisVersions).set({ publishedAt: null }).where(eq(synthesisVersions.jamId, jam.id)).run();
    await tx.update(synthesisVersions).set({ publishedAt: now }).where(eq(synthesisVersions.id, version.id)).run();
    // Its contributors hear which theme their ideas joined (not again when it was already the published one).
    // and the people who took part get the results by e-mail (once per jam).
    if (version.publishedAt === null) {
      await tellThemesPublished(tx, jam, version.id, now);
      await mailResultsPublished(tx, jam.id, version.id, now);
    }
    await recordAudit(tx, { action: "synthesis_published", actorId: actor.id, subject: `synthesis_version:${version.id}`, ip: meta.ip, at: now });
    await publish(tx, jam.id, "jam.changed", { synthesisPublished: version.id });
    return version.id;
  });
}
