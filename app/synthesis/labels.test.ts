import { describe, expect, it } from "vitest";
import { classTfidf, pickTerms } from "./labels";
import { buildTfidf } from "./tfidf";

describe("class-based term weights", () => {
  // Theme = texts 0-2; "refund" is in all three and nowhere else, "invoice" in two of
  // them and in one other text, "team" in one of them and in two others.
  const texts = ["refund invoice team", "refund invoice", "refund", "invoice team", "team lunch", "lunch"];
  const tf = buildTfidf(texts, { bigrams: false, stem: false, minDf: 1, maxDfRatio: 1 });
  const w = classTfidf(tf.matrix, tf.vocab, [0, 1, 2]);
  const weight = (t: string) => w.get(tf.vocab.index.get(t)!)!;

  it("is P(t | theme) * in-theme count / (df + 1)", () => {
    expect(weight("refund")).toBeCloseTo((3 / 3) * (3 / 4), 12);
    expect(weight("invoice")).toBeCloseTo((2 / 3) * (2 / 4), 12);
    expect(weight("team")).toBeCloseTo((1 / 3) * (1 / 4), 12);
    expect(w.has(tf.vocab.index.get("lunch")!)).toBe(false);
  });

  it("labels a theme with its best words, best first", () => {
    const terms = pickTerms(w, tf.vocab, { labelPhrases: 2 });
    expect(terms.keywords).toEqual(["refund", "invoice", "team"]);
    expect(terms.label).toBe("refund, invoice");
  });
});

describe("phrases in labels", () => {
  it("a strong bigram replaces its words and shows as people wrote it", () => {
    const texts = [
      "Better help centre articles",
      "Search in the help centre",
      "Translate help centre pages",
      "Help Centre videos",
      "Billing emails",
      "Clearer billing",
    ];
    const tf = buildTfidf(texts, { minDf: 1, maxDfRatio: 1 });
    const terms = pickTerms(classTfidf(tf.matrix, tf.vocab, [0, 1, 2, 3]), tf.vocab);
    expect(terms.keywords[0]).toBe("help centre");
    expect(terms.keywords).not.toContain("help");
    expect(terms.keywords).not.toContain("centre");
    expect(terms.label.startsWith("help centre")).toBe(true);
  });

  it("a weak bigram does not hide a strong word", () => {
    const texts = ["privacy notice", "privacy settings", "privacy dashboard", "short privacy note", "other thing"];
    const tf = buildTfidf(texts, { minDf: 1, maxDfRatio: 1 });
    const terms = pickTerms(classTfidf(tf.matrix, tf.vocab, [0, 1, 2, 3]), tf.vocab);
    expect(terms.keywords[0]).toBe("privacy");
  });
});
