import { describe, expect, it } from "vitest";
import { diffAfter, diffBefore, diffStats, tokenize, wordDiff, DIFF_LIMITS } from "./diff";

describe("wordDiff", () => {
  it("shows an inserted word and keeps the rest as it was", () => {
    expect(wordDiff("Free fruit on Fridays", "Free fresh fruit on Fridays")).toEqual([
      { kind: "same", text: "Free " },
      { kind: "added", text: "fresh " },
      { kind: "same", text: "fruit on Fridays" },
    ]);
  });

  it("shows a deleted word", () => {
    const ops = wordDiff("Open the big office on Sundays", "Open the office on Sundays");
    expect(ops.filter((o) => o.kind === "removed").map((o) => o.text.trim())).toEqual(["big"]);
    expect(ops.some((o) => o.kind === "added")).toBe(false);
  });

  it("shows a replaced stretch as one removal then one insertion", () => {
    const ops = wordDiff("We should walk to work", "We should cycle or run to work");
    expect(ops).toEqual([
      { kind: "same", text: "We should " },
      { kind: "removed", text: "walk" },
      { kind: "added", text: "cycle or run" },
      { kind: "same", text: " to work" },
    ]);
  });

  it("gives both texts back exactly, line breaks included", () => {
    const before = "Line one\nLine two\n\nA third paragraph with words.";
    const after = "Line one changed\nLine two\n\nA third paragraph, with fewer words.\nAnd a fourth.";
    const ops = wordDiff(before, after);
    expect(diffBefore(ops)).toBe(before);
    expect(diffAfter(ops)).toBe(after);
  });

  it("keeps words of any script whole: accents, CJK and emoji", () => {
    const ops = wordDiff("Café für alle 🚲 自転車", "Café für Kinder 🚲 自転車 置き場");
    expect(ops).toEqual([
      { kind: "same", text: "Café für " },
      { kind: "removed", text: "alle" },
      { kind: "added", text: "Kinder" },
      { kind: "same", text: " 🚲 自転車" },
      { kind: "added", text: " 置き場" },
    ]);
    expect(diffAfter(ops)).toBe("Café für Kinder 🚲 自転車 置き場");
  });

  it("handles empty texts on either side", () => {
    expect(wordDiff("", "")).toEqual([]);
    expect(wordDiff("", "new text")).toEqual([{ kind: "added", text: "new text" }]);
    expect(wordDiff("old text", "")).toEqual([{ kind: "removed", text: "old text" }]);
    expect(wordDiff("same", "same")).toEqual([{ kind: "same", text: "same" }]);
  });

  it("counts words added and removed", () => {
    expect(diffStats(wordDiff("a b c", "a x y c"))).toEqual({ added: 2, removed: 1 });
  });

  it("finds the smallest script on scattered edits", () => {
    const before = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const words = before.split(" ");
    words[10] = "ten";
    words[150] = "one-fifty";
    words.splice(90, 1);
    const after = words.join(" ");
    const ops = wordDiff(before, after);
    expect(diffBefore(ops)).toBe(before);
    expect(diffAfter(ops)).toBe(after);
    expect(diffStats(ops)).toEqual({ added: 2, removed: 3 });
  });

  it("bounds a huge rewrite: two unrelated long texts take milliseconds and still read right", () => {
    const before = Array.from({ length: 30_000 }, (_, i) => `alpha${i}`).join(" ");
    const after = Array.from({ length: 30_000 }, (_, i) => `beta${i}`).join(" ");
    const started = performance.now();
    const ops = wordDiff(before, after);
    const took = performance.now() - started;
    expect(took).toBeLessThan(500);
    expect(diffBefore(ops)).toBe(before);
    expect(diffAfter(ops)).toBe(after);
  });

  it("bounds many scattered edits in a long text: past the edit bound the middle is one change", () => {
    const before = Array.from({ length: 6_000 }, (_, i) => (i % 2 === 0 ? `x${i}` : "same")).join(" ");
    const after = Array.from({ length: 6_000 }, (_, i) => (i % 2 === 0 ? `y${i}` : "same")).join(" ");
    const started = performance.now();
    const ops = wordDiff(before, after, { tokens: DIFF_LIMITS.tokens, edits: 200 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(ops.filter((o) => o.kind !== "same")).toHaveLength(2);
    expect(diffAfter(ops)).toBe(after);
  });
});

describe("tokenize", () => {
  it("cuts words and the spaces between them, losing nothing", () => {
    expect(tokenize("a  b\nc")).toEqual(["a", "  ", "b", "\n", "c"]);
    expect(tokenize("")).toEqual([]);
  });
});
