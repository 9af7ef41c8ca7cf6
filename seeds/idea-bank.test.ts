import { describe, it, expect } from "vitest";
import {
  createRng,
  pick,
  makeIdea,
  makeComment,
  makeReply,
  DEPARTMENTS,
  FIRST_NAMES,
  LAST_NAMES,
  LIVE_CHALLENGES,
  LIVE_JAM_DESCRIPTION,
  ENDED_JAM,
  UPCOMING_JAM,
  TOPICS,
  type IdeaText,
} from "./idea-bank";

const LIVE_TOPICS = LIVE_CHALLENGES.flatMap((c) => [...c.topics]);
const ENDED_TOPICS = ENDED_JAM.challenges.flatMap((c) => [...c.topics]);

function ideas(topic: string, count: number, seed: number): IdeaText[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => makeIdea(topic, rng));
}

/** Sentence ends: . ! or ? followed by whitespace or the end of the text. */
function sentenceCount(body: string): number {
  return (body.match(/[.!?](?=\s|$)/g) ?? []).length;
}

const LEFTOVER_PLACEHOLDER = /[{}[\]]/;
const AMERICAN_SPELLING = /organiz|prioritiz|recogniz|personaliz|analyz|\bcenter|\bcolor|behavior|\bprogram\b|\bcatalog\b/i;

describe("createRng / pick", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = createRng(2026);
    const b = createRng(2026);
    const c = createRng(2027);
    const seqA = Array.from({ length: 50 }, () => a());
    const seqB = Array.from({ length: 50 }, () => b());
    const seqC = Array.from({ length: 50 }, () => c());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it("returns numbers in [0, 1) that are reasonably spread", () => {
    const rng = createRng(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = rng();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });

  it("pick returns list items, reaches every item and throws on an empty list", () => {
    const rng = createRng(1);
    const items = ["a", "b", "c", "d"] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const x = pick(rng, items);
      expect(items).toContain(x);
      seen.add(x);
    }
    expect(seen.size).toBe(items.length);
    expect(() => pick(rng, [])).toThrow();
  });
});

describe("people and jams", () => {
  it("has exactly 6 distinct departments", () => {
    expect(DEPARTMENTS).toHaveLength(6);
    expect(new Set(DEPARTMENTS).size).toBe(6);
  });

  it("has at least 40 distinct first and last names", () => {
    expect(new Set(FIRST_NAMES).size).toBe(FIRST_NAMES.length);
    expect(new Set(LAST_NAMES).size).toBe(LAST_NAMES.length);
    expect(FIRST_NAMES.length).toBeGreaterThanOrEqual(40);
    expect(LAST_NAMES.length).toBeGreaterThanOrEqual(40);
  });

  it("the live jam has exactly three challenges with 2-3 topics each", () => {
    expect(LIVE_CHALLENGES).toHaveLength(3);
    for (const c of LIVE_CHALLENGES) {
      expect(c.title.trim()).not.toBe("");
      expect(c.question.trim().endsWith("?")).toBe(true);
      expect(c.topics.length).toBeGreaterThanOrEqual(2);
      expect(c.topics.length).toBeLessThanOrEqual(3);
    }
    expect(LIVE_JAM_DESCRIPTION.length).toBeGreaterThan(50);
  });

  it("the ended jam has 2-3 challenges and about ten topics", () => {
    expect(ENDED_JAM.title.trim()).not.toBe("");
    expect(ENDED_JAM.description.length).toBeGreaterThan(50);
    expect(ENDED_JAM.challenges.length).toBeGreaterThanOrEqual(2);
    expect(ENDED_JAM.challenges.length).toBeLessThanOrEqual(3);
    expect(ENDED_TOPICS.length).toBeGreaterThanOrEqual(8);
    expect(ENDED_TOPICS.length).toBeLessThanOrEqual(12);
    for (const c of ENDED_JAM.challenges) expect(c.question.trim().endsWith("?")).toBe(true);
  });

  it("the upcoming jam has a description and exactly two challenges", () => {
    expect(UPCOMING_JAM.title.trim()).not.toBe("");
    expect(UPCOMING_JAM.description.length).toBeGreaterThan(50);
    expect(UPCOMING_JAM.challenges).toHaveLength(2);
    const titles = [UPCOMING_JAM.title, ENDED_JAM.title];
    expect(new Set(titles).size).toBe(2);
  });

  it("every challenge topic exists in TOPICS, each topic is used exactly once, and makeIdea works for it", () => {
    const used = [...LIVE_TOPICS, ...ENDED_TOPICS];
    expect(new Set(used).size).toBe(used.length);
    expect(new Set(TOPICS).size).toBe(TOPICS.length);
    expect([...used].sort()).toEqual([...TOPICS].sort());
    const rng = createRng(3);
    for (const topic of used) {
      expect(TOPICS).toContain(topic);
      const idea = makeIdea(topic, rng);
      expect(idea.topic).toBe(topic);
      expect(idea.title.length).toBeGreaterThan(0);
    }
  });
});

describe("makeIdea", () => {
  it("is deterministic: the same seed gives the same sequence of ideas", () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return TOPICS.flatMap((t) => [makeIdea(t, rng), makeIdea(t, rng)]);
    };
    expect(run(99)).toEqual(run(99));
    expect(run(99)).not.toEqual(run(100));
  });

  it("throws on an unknown topic, including object prototype keys", () => {
    const rng = createRng(1);
    expect(() => makeIdea("no-such-topic", rng)).toThrow(/unknown topic/);
    expect(() => makeIdea("", rng)).toThrow();
    expect(() => makeIdea("constructor", rng)).toThrow();
    expect(() => makeIdea("toString", rng)).toThrow();
  });

  it("respects length limits and shape over 2,000 ideas per topic", () => {
    let withParagraphs = 0;
    let total = 0;
    const counts = new Set<number>();
    for (const [i, topic] of TOPICS.entries()) {
      for (const idea of ideas(topic, 2000, 1000 + i)) {
        total++;
        expect(idea.topic).toBe(topic);
        expect(idea.title.length).toBeGreaterThan(0);
        expect(idea.title.length).toBeLessThanOrEqual(120);
        expect(idea.title).toBe(idea.title.trim());
        expect(idea.title).not.toMatch(/\n/);
        expect(idea.title.endsWith("…")).toBe(false); // never had to be truncated
        expect(idea.title.endsWith(".")).toBe(false);
        expect(idea.title[0]).toBe(idea.title[0]!.toUpperCase());
        expect(idea.body.length).toBeGreaterThan(0);
        expect(idea.body.length).toBeLessThanOrEqual(2000);
        expect(idea.body).toBe(idea.body.trim());
        expect(idea.title).not.toMatch(LEFTOVER_PLACEHOLDER);
        expect(idea.body).not.toMatch(LEFTOVER_PLACEHOLDER);
        expect(idea.body).not.toMatch(/ {2}|\n{3}/);
        const sentences = sentenceCount(idea.body);
        expect(sentences).toBeGreaterThanOrEqual(2);
        expect(sentences).toBeLessThanOrEqual(5);
        counts.add(sentences);
        if (idea.body.includes("\n\n")) withParagraphs++;
      }
    }
    // Bodies vary: every length from 2 to 5 sentences occurs, and some (not all) have a paragraph break.
    expect([...counts].sort()).toEqual([2, 3, 4, 5]);
    expect(withParagraphs / total).toBeGreaterThan(0.1);
    expect(withParagraphs / total).toBeLessThan(0.5);
  });

  it("gives at least 80% distinct titles and 90% distinct bodies out of 200 ideas for every topic", () => {
    for (const topic of TOPICS) {
      const sample = ideas(topic, 200, 42);
      const titles = new Set(sample.map((x) => x.title));
      const bodies = new Set(sample.map((x) => x.body));
      expect(titles.size, `distinct titles for ${topic}`).toBeGreaterThanOrEqual(160);
      expect(bodies.size, `distinct bodies for ${topic}`).toBeGreaterThanOrEqual(180);
    }
  });

  it("reads as consistent British English with correct a/an", () => {
    for (const topic of TOPICS) {
      for (const idea of ideas(topic, 300, 5)) {
        const text = `${idea.title}\n${idea.body}`;
        expect(text).not.toMatch(AMERICAN_SPELLING);
        expect(text).not.toMatch(/\b[Aa] (?!one|once|uni|use|usu|eu)[aeiouAEIOU]/);
        expect(text).not.toMatch(/lorem|ipsum/i);
      }
    }
  });

  it("keeps ended-jam topics separable by a simple TF-IDF nearest-centroid classifier", () => {
    const stop = new Set(
      "a an and are as at be but by can could do for from has have i if in into is it it's its just let's more most my no not of on or our so than that the their them then there these they this to up us was we we'd we're what when where which who why will with would you your".split(
        " ",
      ),
    );
    const tokens = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9'\- ]+/g, " ")
        .split(/\s+/)
        .filter((w) => w.length > 2 && !stop.has(w));
    const docs = ENDED_TOPICS.flatMap((topic, i) => [
      ...ideas(topic, 40, 500 + i).map((x) => ({ topic, words: tokens(`${x.title} ${x.body}`), train: true })),
      ...ideas(topic, 25, 900 + i).map((x) => ({ topic, words: tokens(`${x.title} ${x.body}`), train: false })),
    ]);
    const df = new Map<string, number>();
    for (const d of docs) for (const w of new Set(d.words)) df.set(w, (df.get(w) ?? 0) + 1);
    const vector = (words: string[]) => {
      const v = new Map<string, number>();
      for (const w of words) v.set(w, (v.get(w) ?? 0) + 1);
      let norm = 0;
      for (const [w, tf] of v) {
        const x = tf * Math.log(docs.length / (df.get(w) ?? 1));
        v.set(w, x);
        norm += x * x;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [w, x] of v) v.set(w, x / norm);
      return v;
    };
    const centroids = new Map<string, Map<string, number>>();
    for (const d of docs.filter((x) => x.train)) {
      const c = centroids.get(d.topic) ?? new Map<string, number>();
      for (const [w, x] of vector(d.words)) c.set(w, (c.get(w) ?? 0) + x);
      centroids.set(d.topic, c);
    }
    const tests = docs.filter((x) => !x.train);
    let correct = 0;
    for (const d of tests) {
      const v = vector(d.words);
      let best = "";
      let bestScore = -Infinity;
      for (const [topic, c] of centroids) {
        let score = 0;
        for (const [w, x] of v) score += x * (c.get(w) ?? 0);
        if (score > bestScore) {
          bestScore = score;
          best = topic;
        }
      }
      if (best === d.topic) correct++;
    }
    expect(correct / tests.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe("makeComment / makeReply", () => {
  it("are deterministic, non-empty, trimmed and fully filled", () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return TOPICS.flatMap((t) => [makeComment(rng, t), makeComment(rng), makeReply(rng)]);
    };
    const a = run(11);
    expect(a).toEqual(run(11));
    expect(a).not.toEqual(run(12));
    for (const text of a) {
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(2000);
      expect(text).toBe(text.trim());
      expect(text).not.toMatch(LEFTOVER_PLACEHOLDER);
    }
  });

  it("comments are sometimes topic-aware", () => {
    const generic = new Set<string>();
    const rng = createRng(8);
    for (let i = 0; i < 3000; i++) generic.add(makeComment(rng));
    for (const topic of TOPICS) {
      const topical = Array.from({ length: 60 }, () => makeComment(rng, topic));
      const specific = topical.filter((c) => !generic.has(c));
      expect(specific.length, `topic-aware comments for ${topic}`).toBeGreaterThan(10);
      expect(specific.length).toBeLessThan(topical.length); // but not always
    }
  });

  it("falls back to generic comments for an unknown topic", () => {
    const rng = createRng(4);
    expect(() => makeComment(rng, "no-such-topic")).not.toThrow();
  });

  it("replies are short and varied", () => {
    const rng = createRng(6);
    const replies = Array.from({ length: 200 }, () => makeReply(rng));
    expect(new Set(replies).size).toBeGreaterThanOrEqual(15);
    for (const r of replies) expect(r.length).toBeLessThanOrEqual(200);
  });
});
