import { describe, expect, it } from "vitest";
import { ENDED_JAM, createRng, makeIdea } from "../../seeds/idea-bank";
import { nmi } from "./metrics";
import { porterStem } from "./stem";
import { buildThemes, OTHER_ID, type ThemeDoc } from "./themes";
import { tokenize } from "./tokenize";

const TOPICS = ENDED_JAM.challenges.flatMap((c) => c.topics);

function ideas(perTopic: number, topics: readonly string[], seed: number): { docs: ThemeDoc<number>[]; topic: number[] } {
  const rng = createRng(seed);
  const docs: ThemeDoc<number>[] = [];
  const topic: number[] = [];
  for (let i = 0; i < perTopic * topics.length; i++) {
    const t = i % topics.length;
    const idea = makeIdea(topics[t]!, rng);
    docs.push({ id: i, text: `${idea.title}\n${idea.body}`, votes: Math.floor(rng() * 20) });
    topic.push(t);
  }
  return { docs, topic };
}

describe("buildThemes on the demo's ended jam (600 ideas, 10 topics)", () => {
  const { docs, topic } = ideas(60, TOPICS, 2026);
  const result = buildThemes(docs, { seed: 1 });

  it("recovers the topics (NMI > 0.8) choosing k itself", () => {
    expect(result.kChosenBy).toBe("stability");
    expect(nmi(topic, result.assignments)).toBeGreaterThan(0.8);
    expect(result.themes.filter((t) => t.id !== OTHER_ID).length).toBeGreaterThanOrEqual(8);
    expect(result.themes.filter((t) => t.id !== OTHER_ID).length).toBeLessThanOrEqual(13);
  });

  // Each topic's defining words (from its slug and the idea bank's vocabulary for it).
  const KEY_WORDS: Record<string, string[]> = {
    "customer-onboarding": ["onboarding"],
    "self-service-help": ["help", "help centre", "self-service", "articles"],
    "mobile-app": ["app", "mobile", "app store"],
    accessibility: ["accessibility", "captions", "screen reader"],
    "support-response-times": ["support", "response", "first response", "tickets", "queue", "agents"],
    "product-feedback": ["feedback", "feature request", "product managers"],
    "partner-experience": ["partners", "resellers", "deal registration"],
    "pricing-billing": ["billing", "pricing", "price", "invoice"],
    "customer-privacy": ["privacy", "personal data", "consent"],
    "sustainable-packaging": ["packaging", "plastic", "recycle"],
  };

  it("labels each topic's theme with the topic's key words", () => {
    const stems = (text: string) => tokenize(text).map(porterStem).join(" ");
    const found: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (let t = 0; t < TOPICS.length; t++) {
      // The theme holding most of this topic's ideas.
      const counts = new Map<number, number>();
      topic.forEach((tt, i) => tt === t && counts.set(result.assignments[i]!, (counts.get(result.assignments[i]!) ?? 0) + 1));
      const themeId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const label = result.themes.find((th) => th.id === themeId)!.label;
      const parts = label.split(", ").map(stems);
      const hit = KEY_WORDS[TOPICS[t]!]!.find((w) => parts.some((p) => ` ${p} `.includes(` ${stems(w)} `)));
      found[TOPICS[t]!] = hit ? `${label} (has "${hit}")` : label;
      expected[TOPICS[t]!] = hit ? found[TOPICS[t]!]! : `a label with one of: ${KEY_WORDS[TOPICS[t]!]!.join(", ")}`;
    }
    expect(found).toEqual(expected);
    // The words the issue names appear as such.
    const labels = result.themes.map((th) => th.label).join(" | ");
    for (const word of ["onboarding", "billing", "privacy", "packaging"]) expect(labels).toContain(word);
  });

  it("describes every theme: keywords, representatives among its members, coordinates", () => {
    expect(result.coords2d).toHaveLength(docs.length);
    expect(result.coords2d.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
    for (const theme of result.themes) {
      expect(theme.size).toBe(theme.members.length);
      expect(theme.representatives.length).toBeGreaterThan(0);
      expect(theme.representatives.every((r) => theme.members.includes(r))).toBe(true);
      expect(theme.representativeIds).toEqual(theme.representatives.map((r) => docs[r]!.id));
      if (theme.id !== OTHER_ID) expect(theme.keywords.length).toBeGreaterThan(3);
    }
    const assigned = result.themes.reduce((s, t) => s + t.size, 0);
    expect(assigned).toBe(docs.length);
  });

  it("splits one theme by running again on its members", () => {
    const theme = result.themes[0]!;
    const subset = theme.members.map((i) => docs[i]!);
    const split = buildThemes(subset, { k: 2, seed: 1, noOther: true });
    expect(split.themes).toHaveLength(2);
    expect(split.themes.reduce((s, t) => s + t.size, 0)).toBe(subset.length);
    expect(split.otherIds).toEqual([]);
  });
});

describe("buildThemes", () => {
  it("is deterministic for a given seed", () => {
    const { docs } = ideas(12, TOPICS.slice(0, 5), 7);
    const a = buildThemes(docs, { seed: 42 });
    const b = buildThemes(docs, { seed: 42 });
    expect(b).toEqual(a);
    expect(buildThemes(docs, { seed: 42, k: 4 })).toEqual(buildThemes(docs, { seed: 42, k: 4 }));
  });

  it("puts a clearly off-topic text in Other", () => {
    const { docs } = ideas(10, ["pricing-billing", "customer-privacy", "sustainable-packaging"], 11);
    const offTopic = { id: 999, text: "Vegan lasagne recipes for the Friday cafeteria menu\nBring back the pasta bar." };
    const result = buildThemes([...docs, offTopic], { seed: 3 });
    expect(result.assignments[docs.length]).toBe(OTHER_ID);
    expect(result.otherIds).toContain(999);
    const other = result.themes.find((t) => t.id === OTHER_ID)!;
    expect(other.label).toBe("Other");
    expect(result.themes[result.themes.length - 1]).toBe(other);
    // The three topics stay clean themes.
    expect(nmi(docs.map((_, i) => i % 3), result.assignments.slice(0, docs.length))).toBeGreaterThan(0.8);
  });

  it("honours a requested k", () => {
    const { docs } = ideas(20, TOPICS.slice(0, 6), 5);
    const result = buildThemes(docs, { k: 3, seed: 1 });
    expect(result.kChosenBy).toBe("given");
    expect(result.k).toBe(3);
    expect(result.themes.filter((t) => t.id !== OTHER_ID)).toHaveLength(3);
  });

  it("handles empty and tiny inputs", () => {
    expect(buildThemes([])).toMatchObject({ themes: [], assignments: [], otherIds: [], coords2d: [] });
    const one = buildThemes([{ id: "a", text: "Refunds within a day" }]);
    expect(one.assignments).toEqual([0]);
    expect(one.themes[0]!.memberIds).toEqual(["a"]);
    const blank = buildThemes([{ id: 1, text: "" }, { id: 2, text: "the of and" }]);
    expect(blank.assignments).toEqual([OTHER_ID, OTHER_ID]);
  });

  it("reports progress up to 100", () => {
    const seen: number[] = [];
    buildThemes(ideas(5, TOPICS.slice(0, 4), 1).docs, { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen.every((p, i) => i === 0 || p >= seen[i - 1]!)).toBe(true);
  });
});

/** Many small topics inside a few broad ones, as in a jam about many things: each text names its topic's own words and its area's. */
function nested(areas: number, topicsPerArea: number, perTopic: number, seed: number) {
  const rng = createRng(seed);
  const word = (prefix: string, i: number, j: number) => `${prefix}${String.fromCharCode(97 + i)}${String.fromCharCode(97 + j)}word`;
  const docs: ThemeDoc<number>[] = [];
  const fine: number[] = [];
  const broad: number[] = [];
  for (let a = 0; a < areas; a++) {
    for (let t = 0; t < topicsPerArea; t++) {
      const own = Array.from({ length: 6 }, (_, w) => word(`t${a}x${t}`, w, a));
      const area = Array.from({ length: 4 }, (_, w) => word(`area${a}`, w, t % 2));
      for (let d = 0; d < perTopic; d++) {
        const pick = (list: string[]) => list[Math.floor(rng() * list.length)]!;
        docs.push({ id: docs.length, text: [pick(own), pick(own), pick(own), pick(area)].join(" ") });
        fine.push(a * topicsPerArea + t);
        broad.push(a);
      }
    }
  }
  return { docs, fine, broad };
}

describe("buildThemes in two levels", () => {
  it("keeps many small topics at the finest level and groups them into a top level of 5 to 25", () => {
    const { docs, fine } = nested(4, 10, 30, 3);
    const result = buildThemes(docs, { seed: 1 });
    const finest = result.themes.filter((t) => t.id !== OTHER_ID);
    expect(finest.length).toBeGreaterThanOrEqual(20);
    expect(finest.length).toBeLessThanOrEqual(80);
    expect(nmi(fine, result.assignments)).toBeGreaterThan(0.85);
    expect(result.parents.length).toBeGreaterThanOrEqual(5);
    expect(result.parents.length).toBeLessThanOrEqual(25);
    // The candidates' scores say how the counts were chosen.
    expect(result.stability.length).toBeGreaterThan(10);
    expect(result.split).toMatchObject({ topK: expect.any(Number), fineK: result.k });
  });

  it("gives every finest theme a top-level theme that is the union of its sub-themes", () => {
    const { docs } = ideas(60, TOPICS, 2026);
    const result = buildThemes(docs, { seed: 1, k: 18 });
    // 18 clusters; a theme below the minimum size dissolves into the others.
    const finest = result.themes.filter((t) => t.id !== OTHER_ID).length;
    expect(finest).toBeGreaterThanOrEqual(12);
    expect(finest).toBeLessThanOrEqual(18);
    expect(result.parents.length).toBeGreaterThanOrEqual(5);
    expect(result.parents.length).toBeLessThan(18);
    const parentIds = new Set(result.parents.map((p) => p.id));
    for (const theme of result.themes) {
      if (theme.id === OTHER_ID) expect(theme.parentId).toBeNull();
      else expect(parentIds.has(theme.parentId!)).toBe(true);
    }
    for (const parent of result.parents) {
      const children = result.themes.filter((t) => t.parentId === parent.id);
      expect(children.map((c) => c.id)).toEqual(parent.children);
      expect(parent.members.slice().sort((a, b) => a - b)).toEqual(children.flatMap((c) => c.members).sort((a, b) => a - b));
      expect(parent.representatives.every((r) => parent.members.includes(r))).toBe(true);
      expect(parent.id).toBeGreaterThanOrEqual(result.themes.filter((t) => t.id !== OTHER_ID).length);
    }
    // Ideas on one topic share a top-level theme far more than chance would have them.
    expect(result.parents.some((p) => p.children.length >= 2)).toBe(true);
  });

  it("gives one flat level when asked", () => {
    const { docs } = ideas(30, TOPICS.slice(0, 6), 9);
    const result = buildThemes(docs, { seed: 1, levels: 1 });
    expect(result.parents).toEqual([]);
    expect(result.themes.every((t) => t.parentId === null)).toBe(true);
  });

  it("makes each theme its own top-level theme when there are no more than the top level holds", () => {
    const { docs } = ideas(40, TOPICS.slice(0, 6), 4);
    const result = buildThemes(docs, { seed: 1 });
    const finest = result.themes.filter((t) => t.id !== OTHER_ID);
    expect(result.parents).toHaveLength(finest.length);
    expect(result.parents.every((p) => p.children.length === 1)).toBe(true);
  });
});
