import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRng, makeIdea as ideaText } from "../../seeds/idea-bank";
import { makeIdea, makeJam, makeUser } from "../factories";
import { Conflict, Forbidden, Invalid, NotFound } from "~/services/errors";
import { curate, latestRun, publishVersion, splitTheme, startSynthesis } from "~/services/synthesis.server";
import { synthesisPage, synthesisRunStatus } from "~/services/synthesis-view.server";
import { db } from "~db/client";
import { ideas, synthesisVersions, themeIdeas } from "~db/schema";

const HOUR = 3_600_000;

/** A jam whose ideas come from three clearly different demo topics. */
function jamWithIdeas(perTopic = 25) {
  const facilitator = makeUser({ role: "facilitator" });
  const now = Date.now();
  const { jam, challengeIds } = makeJam({ facilitator, startsAt: now - 2 * HOUR, endsAt: now + HOUR });
  const rng = createRng(11);
  const topics = ["customer-onboarding", "pricing-billing", "sustainable-packaging"];
  const authors = Array.from({ length: 6 }, () => makeUser());
  for (const topic of topics) {
    for (let i = 0; i < perTopic; i++) {
      const text = ideaText(topic, rng);
      makeIdea(authors[i % authors.length]!, challengeIds[0]!, { title: text.title, body: text.body });
    }
  }
  return { jam, facilitator, topics };
}

describe("synthesis in the product", () => {
  it("runs the engine in a worker thread and stores themes that match the topics", async () => {
    const { jam, facilitator } = jamWithIdeas();
    const run = await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const finished = latestRun(jam.id)!;
    expect(finished.id).toBe(run.id);
    expect(finished.status).toBe("done");
    expect(finished.progress).toBe(100);
    const page = synthesisPage(facilitator, jam.slug);
    expect(page.version?.kind).toBe("generated");
    const labels = page.themes.filter((t) => !t.isOther).map((t) => `${t.label} ${t.keywords.join(" ")}`.toLowerCase());
    for (const word of ["onboard", "billing|invoice|pric", "packag"]) {
      expect(labels.some((l) => new RegExp(word).test(l)), `${word} in ${labels.join(" | ")}`).toBe(true);
    }
    // Each theme is named by what one of its people wrote (a representative idea's title), with a sentence from its ideas.
    const titles = new Set(db().select({ title: ideas.title }).from(ideas).where(eq(ideas.jamId, jam.id)).all().map((i) => i.title));
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

  it("refuses a second run while one is running and refuses participants", async () => {
    const { jam, facilitator } = jamWithIdeas(8);
    const first = startSynthesis(facilitator, jam.slug, {}, { wait: true });
    await expect(startSynthesis(facilitator, jam.slug, {})).rejects.toBeInstanceOf(Conflict);
    await first;
    await expect(startSynthesis(makeUser(), jam.slug, {})).rejects.toBeInstanceOf(Forbidden);
  }, 60_000);

  it("curation edits a copy, re-running keeps it, and participants see only the published version", async () => {
    const { jam, facilitator } = jamWithIdeas(12);
    await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const generated = synthesisPage(facilitator, jam.slug);
    const [first, second] = generated.themes.filter((t) => !t.isOther);
    const curatedId = curate(facilitator, jam.slug, { intent: "rename", versionId: generated.version!.id, themeId: first!.id, label: "Welcome new customers" }, { ip: null });
    expect(curatedId).not.toBe(generated.version!.id);
    // Further edits go to the same curated copy.
    const again = curate(facilitator, jam.slug, { intent: "merge", versionId: curatedId, themeId: synthesisPage(facilitator, jam.slug, { versionId: curatedId }).themes.find((t) => t.label !== "Welcome new customers" && !t.isOther)!.id, intoThemeId: synthesisPage(facilitator, jam.slug, { versionId: curatedId }).themes.find((t) => t.label === "Welcome new customers")!.id }, { ip: null });
    expect(again).toBe(curatedId);
    const curated = synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(curated.themes.some((t) => t.label === "Welcome new customers")).toBe(true);
    expect(curated.themes.filter((t) => !t.isOther).length).toBe(generated.themes.filter((t) => !t.isOther).length - 1);
    expect(second).toBeDefined();

    // Nothing is published yet: a participant sees no themes.
    const participant = makeUser();
    expect(synthesisPage(participant, jam.slug).version).toBeNull();

    // A re-run adds a new generated version and leaves the curated one untouched.
    await startSynthesis(facilitator, jam.slug, {}, { wait: true });
    const versions = db().select().from(synthesisVersions).where(eq(synthesisVersions.jamId, jam.id)).all();
    expect(versions.map((v) => v.kind).sort()).toEqual(["curated", "generated", "generated"]);
    expect(synthesisPage(facilitator, jam.slug, { versionId: curatedId }).themes.some((t) => t.label === "Welcome new customers")).toBe(true);

    publishVersion(facilitator, jam.slug, { versionId: curatedId }, { ip: null });
    const seen = synthesisPage(participant, jam.slug);
    expect(seen.version?.id).toBe(curatedId);
    expect(seen.themes.some((t) => t.label === "Welcome new customers")).toBe(true);
    // Participants cannot pick another version.
    expect(synthesisPage(participant, jam.slug, { versionId: versions[0]!.id }).version?.id).toBe(curatedId);
  }, 90_000);

  it("moves and excludes ideas, and splits a theme by re-clustering it", async () => {
    const { jam, facilitator } = jamWithIdeas(10);
    expect(synthesisRunStatus(facilitator, jam.slug)).toBeNull();
    await startSynthesis(facilitator, jam.slug, { k: 2 }, { wait: true });
    // The progress bar polls this small status; only staff may.
    expect(synthesisRunStatus(facilitator, jam.slug)).toEqual({ status: "done", progress: 100 });
    expect(() => synthesisRunStatus(makeUser(), jam.slug)).toThrow(NotFound);
    const page = synthesisPage(facilitator, jam.slug);
    const big = page.themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size)[0]!;
    const other = page.themes.find((t) => t.id !== big.id && !t.isOther)!;
    // One of the theme's representatives, so the move must also take it off the theme's list.
    const member = page.map.find((p) => p.themeId === big.id && big.representatives.some((r) => r.id === p.ideaId))!;
    expect(member).toBeDefined();
    const curatedId = curate(facilitator, jam.slug, { intent: "move", versionId: page.version!.id, ideaIds: [member.ideaId], toThemeId: other.id }, { ip: null });
    const moved = db().select().from(themeIdeas).where(eq(themeIdeas.versionId, curatedId)).all().find((r) => r.ideaId === member.ideaId)!;
    const curated = synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(curated.themes.find((t) => t.id === moved.themeId)!.label).toBe(other.label);
    // The moved idea no longer stands for the theme it left, whether or not it was one of its representatives.
    for (const t of curated.themes.filter((t) => t.id !== moved.themeId)) {
      expect(t.representatives.map((r) => r.id)).not.toContain(member.ideaId);
    }

    curate(facilitator, jam.slug, { intent: "exclude", versionId: curatedId, ideaIds: String(member.ideaId) }, { ip: null });
    expect(synthesisPage(facilitator, jam.slug, { versionId: curatedId }).excluded.map((e) => e.id)).toContain(member.ideaId);

    // Many at once: every idea of one theme moves in one edit, or none does.
    const now = synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    const [from, into] = now.themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size);
    const chosen = now.map.filter((p) => p.themeId === from!.id).map((p) => p.ideaId);
    expect(chosen.length).toBeGreaterThan(1);
    expect(() =>
      curate(facilitator, jam.slug, { intent: "move", versionId: curatedId, ideaIds: [...chosen, 999_999], toThemeId: into!.id }, { ip: null }),
    ).toThrow(NotFound);
    expect(synthesisPage(facilitator, jam.slug, { versionId: curatedId }).map.filter((p) => p.themeId === from!.id)).toHaveLength(chosen.length);
    expect(() => curate(facilitator, jam.slug, { intent: "exclude", versionId: curatedId, ideaIds: [] }, { ip: null })).toThrow(Invalid);
    curate(facilitator, jam.slug, { intent: "move", versionId: curatedId, ideaIds: chosen.map(String), toThemeId: into!.id }, { ip: null });
    const after = synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(after.map.filter((p) => chosen.includes(p.ideaId)).every((p) => p.themeId === into!.id)).toBe(true);
    expect(after.themes.find((t) => t.id === from!.id)).toBeUndefined(); // an emptied theme leaves the page

    const bigCopy = synthesisPage(facilitator, jam.slug, { versionId: curatedId }).themes.filter((t) => !t.isOther).sort((a, b) => b.size - a.size)[0]!;
    const before = synthesisPage(facilitator, jam.slug, { versionId: curatedId }).themes.filter((t) => !t.isOther).length;
    await splitTheme(facilitator, jam.slug, { versionId: curatedId, themeId: bigCopy.id, k: 2 }, { ip: null });
    // A top-level theme splits into sub-themes of itself: the top level keeps its count, the ideas sit one level down.
    const split = synthesisPage(facilitator, jam.slug, { versionId: curatedId });
    expect(split.themes.filter((t) => !t.isOther).length).toBe(before);
    const parent = split.themes.find((t) => t.id === bigCopy.id)!;
    expect(parent.subThemes).toHaveLength(2);
    expect(parent.size).toBe(bigCopy.size);
    expect(parent.subThemes.reduce((n, t) => n + t.size, 0)).toBe(bigCopy.size);
    expect(split.map.filter((p) => p.themeId === bigCopy.id)).toHaveLength(0);
  }, 90_000);
});
