import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createRng, makeIdea as ideaText } from "../../seeds/idea-bank";
import { makeIdea, makeJam, makeUser } from "../factories";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { createAction } from "~/services/commands/actions.server";
import { communityOfBoxSlug } from "~/services/pages/jams.server";
import { ideasCsv, synthesisMarkdown, synthesisReport } from "~/services/pages/exports.server";
import { claim, enqueue, finish, pendingJob } from "~/coordination/jobs.server";
import { curate, publishVersion, splitTheme, startSynthesis } from "~/services/commands/synthesis.server";
import { latestRun } from "~/services/lookups/synthesis.server";
import { resumeStalledSyntheses, SYNTHESIS_JOB, SYNTHESIS_STALLED_MS } from "~/services/jobs/synthesis.server";
import { synthesisPage, synthesisRunStatus } from "~/services/pages/synthesis.server";
import { db, transaction } from "~db/client";
import { actionIdeas, ideas, synthesisRuns, synthesisVersions, themeIdeas, themes } from "~db/schema";
import { findInOrder, mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;

/** A jam whose ideas come from three clearly different demo topics. */
async function jamWithIdeas(perTopic = 25) {
  const facilitator = await makeUser({ role: "facilitator" });
  const now = Date.now();
  const { jam, challengeIds } = await makeJam({ facilitator, startsAt: now - 2 * HOUR, endsAt: now + HOUR });
  const rng = createRng(11);
  const topics = ["customer-onboarding", "pricing-billing", "sustainable-packaging"];
  const authors = await mapInOrder(Array.from({ length: 6 }), async () => await makeUser());
  for (const topic of topics) {
    for (let i = 0; i < perTopic; i++) {
      const text = ideaText(topic, rng);
      await makeIdea(authors[i % authors.length]!, challengeIds[0]!, { title: text.title, body: text.body });
    }
  }
  return { jam, facilitator, topics };
}

describe("synthesis in the product", () => {
  it("runs the engine in a worker thread and stores themes that match the topics", async () => {
    const { jam, facilitator } = await jamWithIdeas();
    const run = await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const finished = (await latestRun(db(), jam.id))!;
    expect(finished.id).toBe(run.id);
    expect(finished.status).toBe("done");
    expect(finished.progress).toBe(100);
    const page = await synthesisPage(facilitator, jam.slug);
    expect(page.version?.kind).toBe("generated");
    const labels = page.themes.filter((t) => !t.isOther).map((t) => `${t.label} ${t.keywords.join(" ")}`.toLowerCase());
    for (const word of ["onboard", "billing|invoice|pric", "packag"]) {
      expect(labels.some((l) => new RegExp(word).test(l)), `${word} in ${labels.join(" | ")}`).toBe(true);
    }
    // Each theme is named by what one of its people wrote (a representative idea's title), with a sentence from its ideas.
    const titles = new Set((await db().select({ title: ideas.title }).from(ideas).where(eq(ideas.jamId, jam.id)).all()).map((i) => i.title));
    for (const t of page.themes.filter((t) => !t.isOther)) {
      expect(titles.has(t.label.replace(/…$/, "")) || [...titles].some((title) => title.startsWith(t.label.replace(/…$/, ""))), t.label).toBe(true);
      expect(t.summary.length).toBeGreaterThan(0);
      expect(t.summary.length).toBeLessThanOrEqual(200);
    }
    // Each theme's timeline counts every one of its ideas, on whole days of the jam.
    for (const t of page.themes) {
      expect(t.timeline.reduce((sum, n) => sum + n, 0), t.label).toBe(t.size);
      expect(Object.keys(t.timeline).every((k) => /^\d+$/.test(k))).toBe(true);
    }
    // Every idea is on the map, in a theme or in Other.
    expect(page.map.length).toBe(75);
    expect(page.themes.reduce((n, t) => n + t.size, 0)).toBe(75);
  }, 60_000);

  it("writes a run's last progress before the run ends, so no progress write finds its claim gone", async () => {
    const { jam, facilitator } = await jamWithIdeas();
    const errors = vi.spyOn(console, "error");
    try {
      await startSynthesis(facilitator, jam.slug, {}, { wait: true });
      await new Promise((r) => setTimeout(r, 200));
      expect(errors.mock.calls.map((call) => String(call[0]))).not.toContain("synthesis progress not saved");
    } finally {
      errors.mockRestore();
    }
    expect((await latestRun(db(), jam.id))!.progress).toBe(100);
  }, 60_000);

  it("refuses a second run while one is running and refuses participants", async () => {
    const { jam, facilitator } = await jamWithIdeas(8);
    // Asked twice at once: exactly one runs and the other is refused. Which one is the engine's to
    // say (on SQLite the first in line; on PostgreSQL the first to commit).
    const both = await Promise.allSettled([
      startSynthesis(facilitator, jam.slug, {}, { wait: true }),
      startSynthesis(facilitator, jam.slug, {}, { wait: true }),
    ]);
    const refused = both.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(Conflict);
    await expect(startSynthesis(await makeUser(), jam.slug, {})).rejects.toBeInstanceOf(Forbidden);
  }, 60_000);

  it("an address holding a NUL character names no jam, on both engines", async () => {
    const { facilitator } = await makeJam();
    await expect(curate(facilitator, "x\u0000y", {}, { ip: null })).rejects.toBeInstanceOf(NotFound);
    expect(await communityOfBoxSlug(facilitator, "x\u0000")).toBeNull();
  });

  it("curation edits a copy, re-running keeps it, and participants see only the published version", async () => {
    const { jam, facilitator } = await jamWithIdeas(12);
    await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const generated = await synthesisPage(facilitator, jam.slug);
    const [first, second] = generated.themes.filter((t) => !t.isOther);
    const curatedId = await curate(facilitator, jam.slug, { intent: "rename", versionId: generated.version!.id, themeId: first!.id, label: "Welcome new customers" }, { ip: null });
    expect(curatedId).not.toBe(generated.version!.id);
    // Further edits go to the same curated copy.
    const again = await curate(facilitator, jam.slug, { intent: "merge", versionId: curatedId, themeId: (await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.find((t) => t.label !== "Welcome new customers" && !t.isOther)!.id, intoThemeId: (await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.find((t) => t.label === "Welcome new customers")!.id }, { ip: null });
    expect(again).toBe(curatedId);
    const curated = await synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(curated.themes.some((t) => t.label === "Welcome new customers")).toBe(true);
    expect(curated.themes.filter((t) => !t.isOther).length).toBe(generated.themes.filter((t) => !t.isOther).length - 1);
    expect(second).toBeDefined();

    // Nothing is published yet: a participant sees no themes.
    const participant = await makeUser();
    expect((await synthesisPage(participant, jam.slug)).version).toBeNull();

    // A re-run adds a new generated version and leaves the curated one untouched.
    await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const versions = await db().select().from(synthesisVersions).where(eq(synthesisVersions.jamId, jam.id)).all();
    expect(versions.map((v) => v.kind).sort()).toEqual(["curated", "generated", "generated"]);
    expect((await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.some((t) => t.label === "Welcome new customers")).toBe(true);

    await publishVersion(facilitator, jam.slug, { versionId: curatedId }, { ip: null });
    const seen = await synthesisPage(participant, jam.slug);
    expect(seen.version?.id).toBe(curatedId);
    expect(seen.themes.some((t) => t.label === "Welcome new customers")).toBe(true);
    // Participants cannot pick another version.
    expect((await synthesisPage(participant, jam.slug, { versionId: versions[0]!.id })).version?.id).toBe(curatedId);
  }, 90_000);

  it("moves and excludes ideas, and splits a theme by re-clustering it", async () => {
    const { jam, facilitator } = await jamWithIdeas(10);
    expect(await synthesisRunStatus(facilitator, jam.slug)).toBeNull();
    await startSynthesis(facilitator, jam.slug, { k: 2 }, { wait: true });
    // The progress bar polls this small status; only staff may.
    expect(await synthesisRunStatus(facilitator, jam.slug)).toEqual({ status: "done", progress: 100 });
    await expect(async () => await synthesisRunStatus(await makeUser(), jam.slug)).rejects.toThrow(NotFound);
    const page = await synthesisPage(facilitator, jam.slug);
    const big = page.themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size)[0]!;
    const other = page.themes.find((t) => t.id !== big.id && !t.isOther)!;
    // One of the theme's representatives, so the move must also take it off the theme's list.
    const member = page.map.find((p) => p.themeId === big.id && big.representatives.some((r) => r.id === p.ideaId))!;
    expect(member).toBeDefined();
    const curatedId = await curate(facilitator, jam.slug, { intent: "move", versionId: page.version!.id, ideaIds: [member.ideaId], toThemeId: other.id }, { ip: null });
    const moved = (await db().select().from(themeIdeas).where(eq(themeIdeas.versionId, curatedId)).all()).find((r) => r.ideaId === member.ideaId)!;
    const curated = await synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(curated.themes.find((t) => t.id === moved.themeId)!.label).toBe(other.label);
    // The moved idea no longer stands for the theme it left, whether or not it was one of its representatives.
    for (const t of curated.themes.filter((t) => t.id !== moved.themeId)) {
      expect(t.representatives.map((r) => r.id)).not.toContain(member.ideaId);
    }

    await curate(facilitator, jam.slug, { intent: "exclude", versionId: curatedId, ideaIds: String(member.ideaId) }, { ip: null });
    expect((await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).excluded.map((e) => e.id)).toContain(member.ideaId);

    // Many at once: every idea of one theme moves in one edit, or none does.
    const now = await synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    const [from, into] = now.themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size);
    const chosen = now.map.filter((p) => p.themeId === from!.id).map((p) => p.ideaId);
    expect(chosen.length).toBeGreaterThan(1);
    await expect(async () =>
      await curate(facilitator, jam.slug, { intent: "move", versionId: curatedId, ideaIds: [...chosen, 999_999], toThemeId: into!.id }, { ip: null }),
    ).rejects.toThrow(NotFound);
    expect((await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).map.filter((p) => p.themeId === from!.id)).toHaveLength(chosen.length);
    await expect(async () => await curate(facilitator, jam.slug, { intent: "exclude", versionId: curatedId, ideaIds: [] }, { ip: null })).rejects.toThrow(Invalid);
    await curate(facilitator, jam.slug, { intent: "move", versionId: curatedId, ideaIds: chosen.map(String), toThemeId: into!.id }, { ip: null });
    const after = await synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(after.map.filter((p) => chosen.includes(p.ideaId)).every((p) => p.themeId === into!.id)).toBe(true);
    expect(after.themes.find((t) => t.id === from!.id)).toBeUndefined(); // an emptied theme leaves the page

    const bigCopy = (await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size)[0]!;
    const before = (await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.filter((t) => !t.isOther).length;
    await splitTheme(facilitator, jam.slug, { versionId: curatedId, themeId: bigCopy.id, k: 2 }, { ip: null });
    // A top-level theme splits into sub-themes of itself: the top level keeps its count, the ideas sit one level down.
    const split = await synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(split.themes.filter((t) => !t.isOther).length).toBe(before);
    const parent = split.themes.find((t) => t.id === bigCopy.id)!;
    expect(parent.subThemes).toHaveLength(2);
    expect(parent.size).toBe(bigCopy.size);
    expect(parent.subThemes.reduce((n, t) => n + t.size, 0)).toBe(bigCopy.size);
    expect(split.map.filter((p) => p.themeId === bigCopy.id)).toHaveLength(0);
  }, 90_000);

  it("curates at both levels: splits into sub-themes, merges and splits top-level themes, promotes a sub-theme", async () => {
    const { jam, facilitator } = await jamWithIdeas(16);
    const leader = await makeUser({ role: "leader" });
    await startSynthesis(facilitator, jam.slug, { k: 3 }, { wait: true });
    const generated = await synthesisPage(facilitator, jam.slug);
    const named = async () => (await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).themes.filter((t) => !t.isOther);
    const idOfIn = async (versionId: number, label: string) =>
      (await synthesisPage(facilitator, jam.slug, { versionId })).themes.find((t) => t.label === label)!.id;
    const [a, b, c] = generated.themes.filter((t) => !t.isOther);
    expect(c).toBeDefined();
    const ip = { ip: null };

    // Split two top-level themes into sub-themes of their own (one with an idea excluded first: it
    // goes down with the others, so the theme above holds no idea and merges like any other).
    const excludedIdea = generated.map.find((p) => p.themeId === a!.id)!.ideaId;
    const curatedId = await curate(facilitator, jam.slug, { intent: "exclude", versionId: generated.version!.id, ideaIds: [excludedIdea] }, ip);
    await splitTheme(facilitator, jam.slug, { versionId: curatedId, themeId: await idOfIn(curatedId, a!.label), k: 2 }, ip);
    const idOf = async (label: string) => (await named()).find((t) => t.label === label)!.id;
    const groupA = await idOf(a!.label);
    expect(await db().select().from(themeIdeas).where(eq(themeIdeas.themeId, groupA)).all()).toEqual([]);
    expect((await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).excluded.map((e) => e.id)).toEqual([excludedIdea]);
    await splitTheme(facilitator, jam.slug, { versionId: curatedId, themeId: await idOf(b!.label), k: 2 }, ip);
    const groupB = await idOf(b!.label);
    expect((await named()).map((t) => t.subThemes.length).sort()).toEqual([0, 2, 2]);

    // Ideas sit in themes without sub-themes: a move into a top-level theme that has them is refused.
    const someIdea = (await findInOrder((await synthesisPage(facilitator, jam.slug, { versionId: curatedId })).map, async (p) => p.themeId === await idOf(c!.label)))!;
    await expect(async () => await curate(facilitator, jam.slug, { intent: "move", versionId: curatedId, ideaIds: [someIdea.ideaId], toThemeId: groupA }, ip)).rejects.toThrow(Invalid);

    // Two top-level themes with sub-themes merge: the sub-themes move across; sizes add up at both levels.
    const sizeA = (await named()).find((t) => t.id === groupA)!.size;
    const sizeB = (await named()).find((t) => t.id === groupB)!.size;
    await curate(facilitator, jam.slug, { intent: "merge", versionId: curatedId, themeId: groupB, intoThemeId: groupA }, ip);
    let merged = (await named()).find((t) => t.id === groupA)!;
    expect(merged.subThemes).toHaveLength(4);
    expect(merged.size).toBe(sizeA + sizeB);
    expect(merged.subThemes.reduce((n, t) => n + t.size, 0)).toBe(merged.size);
    expect(merged.timeline.reduce((n, v) => n + v, 0)).toBe(merged.size);
    expect((await named()).some((t) => t.id === groupB)).toBe(false);
    // A top-level theme with sub-themes does not merge into one without.
    await expect(async () => await curate(facilitator, jam.slug, { intent: "merge", versionId: curatedId, themeId: groupA, intoThemeId: await idOf(c!.label) }, ip)).rejects.toThrow(Invalid);

    // A sub-theme becomes a top-level theme; a top-level theme without sub-themes merges in as one.
    const promoted = merged.subThemes[0]!;
    await curate(facilitator, jam.slug, { intent: "promote", versionId: curatedId, themeId: promoted.id }, ip);
    expect((await named()).find((t) => t.id === promoted.id)?.parentId).toBeNull();
    expect((await named()).find((t) => t.id === groupA)!.subThemes).toHaveLength(3);
    await expect(async () => await curate(facilitator, jam.slug, { intent: "promote", versionId: curatedId, themeId: promoted.id }, ip)).rejects.toThrow(Invalid);
    await curate(facilitator, jam.slug, { intent: "merge", versionId: curatedId, themeId: promoted.id, intoThemeId: groupA }, ip);
    merged = (await named()).find((t) => t.id === groupA)!;
    expect(merged.subThemes.map((t) => t.id)).toContain(promoted.id);

    // An action on a top-level theme links the ideas of all its sub-themes.
    const action = await createAction(leader, { themeId: groupA, title: "Act on the whole area", ownerId: leader.id }, ip);
    expect(await db().select().from(actionIdeas).where(eq(actionIdeas.actionId, action.id)).all()).toHaveLength(merged.size);

    // The top-level theme splits into two top-level themes, each taking whole sub-themes.
    const before = (await named()).length;
    const subIds = merged.subThemes.map((t) => t.id).sort();
    await splitTheme(facilitator, jam.slug, { versionId: curatedId, themeId: groupA, k: 2 }, ip);
    const after = await named();
    expect(after.length).toBe(before + 1);
    expect(
      after
        .flatMap((t) => (t.subThemes.length > 0 ? t.subThemes.map((s) => s.id) : subIds.includes(t.id) ? [t.id] : []))
        .sort(),
    ).toEqual(subIds);
    expect(after.reduce((n, t) => n + t.size, 0)).toBe(generated.themes.filter((t) => !t.isOther).reduce((n, t) => n + t.size, 0) - 1);

    // The report and the CSV carry both levels.
    await publishVersion(facilitator, jam.slug, { versionId: curatedId }, ip);
    const report = await synthesisReport(await makeUser(), jam.slug);
    const withSubs = report.themes.find((t) => t.subThemes.length > 0)!;
    expect(synthesisMarkdown(report)).toContain("Sub-themes:");
    const csv = await ideasCsv(await makeUser(), jam.slug);
    const lines = [...csv.body].join("").trim().split("\n");
    expect(lines[0]).toContain("theme,sub_theme,author");
    const subLabel = withSubs.subThemes[0]!.label;
    expect(lines.some((l) => l.includes(subLabel))).toBe(true);
    // Every sub-theme of the version names an existing top-level theme of the same version.
    for (const t of await db().select().from(themes).where(eq(themes.versionId, curatedId)).all()) {
      if (t.parentId === null) continue;
      const parent = (await db().select().from(themes).where(eq(themes.id, t.parentId)).get())!;
      expect(parent.versionId).toBe(curatedId);
      expect(parent.parentId).toBeNull();
    }
  }, 90_000);
});

describe("a synthesis is a job", () => {
  it("a run whose process died (its claim ran out) is claimed again by one process and finishes; the first process can no longer write it", async () => {
    const { jam, facilitator } = await jamWithIdeas(4);
    const startedAt = Date.now() - SYNTHESIS_STALLED_MS - 60_000;
    // The run and its job as a process left them when it died: claimed, the claim run out.
    const { run, job } = await transaction(async (tx) => {
      const run = await tx
        .insert(synthesisRuns)
        .values({ jamId: jam.id, status: "running", progress: 30, seed: 2026, startedBy: facilitator.id, startedAt, heartbeatAt: startedAt })
        .returning()
        .get();
      await enqueue(tx, SYNTHESIS_JOB, String(run.id), { runId: run.id }, { now: startedAt });
      const [job] = await claim(tx, SYNTHESIS_JOB, "dead-process", startedAt, { claimMs: SYNTHESIS_STALLED_MS });
      return { run, job: job! };
    });
    // Another process looks: it takes the run over; a second look finds it taken.
    expect(await resumeStalledSyntheses()).toEqual([run.id]);
    expect(await resumeStalledSyntheses()).toEqual([]);
    await expect.poll(async () => (await latestRun(db(), jam.id))?.status, { timeout: 20_000 }).toBe("done");
    expect((await latestRun(db(), jam.id))?.versionId).toBeGreaterThan(0);
    expect(await pendingJob(db(), SYNTHESIS_JOB, String(run.id))).toBeUndefined();
    // The dead process, were it to come back, cannot finish the job it lost.
    expect(await transaction(async (tx) => await finish(tx, job, "dead-process", Date.now()))).toBe(false);
    expect(await db().select().from(synthesisVersions).where(eq(synthesisVersions.jamId, jam.id)).all()).toHaveLength(1);
  }, 30_000);

  it("asking for a synthesis stores its job, done once the run is", async () => {
    const { jam, facilitator } = await jamWithIdeas(4);
    const run = await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    expect((await latestRun(db(), jam.id))?.status).toBe("done");
    const rows = await db().all<{ attempts: number; doneAt: number | null }>(
      sql`SELECT attempts, done_at AS "doneAt" FROM jobs WHERE kind = ${SYNTHESIS_JOB} AND key = ${String(run.id)}`,
    );
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.attempts)).toBe(1);
    expect(rows[0]!.doneAt).not.toBeNull();
  }, 30_000);
});
