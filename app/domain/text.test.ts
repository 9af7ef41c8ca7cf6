import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readableText, shorten, textRefusal } from "./text";

describe("textRefusal", () => {
  it("accepts ordinary text in any script, with the marks right-to-left writing uses", () => {
    for (const ok of ["Quiet floor on Fridays", "Café für alle", "מדיניות\u200F חדשה", "会議を減らす", "100% remote, 50_50 split", "👍 Plants"]) {
      expect(textRefusal(ok), ok).toBeNull();
    }
    expect(textRefusal("")).toBeNull();
  });

  it("refuses NUL and other control characters; line breaks only in one-line text", () => {
    expect(textRefusal("Quiet\u0000floor")).toMatch(/control characters/);
    expect(textRefusal("Bell\u0007")).toMatch(/control characters/);
    expect(textRefusal("Two\nlines")).toMatch(/control characters/);
    expect(textRefusal("Two\nlines\tand a tab", { multiline: true })).toBeNull();
    expect(textRefusal("NUL\u0000 in a body", { multiline: true })).toMatch(/control characters/);
  });

  it("refuses text-direction overrides and isolates (a title that reads differently from what it says)", () => {
    for (const c of ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      expect(textRefusal(`Pay ${c}txt.exe`), `U+${c.codePointAt(0)!.toString(16)}`).toMatch(/text-direction/);
    }
  });

  it("refuses text made only of invisible characters", () => {
    for (const invisible of ["\u200B", "\u200B\u200C\u200D", "\u2060\uFEFF", " \u200B ", "\u3164", "\u2800"]) {
      expect(textRefusal(invisible), JSON.stringify(invisible)).toMatch(/invisible/);
    }
    expect(textRefusal("a\u200Bb")).toBeNull();
  });

  it("as a zod string, gives the refusal as the field's message", () => {
    const title = readableText(z.string().trim().min(1, "Give it a title."));
    expect(title.safeParse("Plants").success).toBe(true);
    const refused = title.safeParse("\u200B");
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toMatch(/invisible/);
  });
});

describe("shorten", () => {
  it("keeps short text whole and marks what it leaves out", () => {
    expect(shorten("Fewer meetings.", 40)).toBe("Fewer meetings.");
    const cut = shorten("We want your ideas for cutting the busywork that gets in the way of good work: fewer meetings", 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).toBe("We want your ideas for cutting the busywork that gets in…");
  });

  it("ends at a sentence when one ends near the limit, else at a whole word, never inside one", () => {
    expect(shorten("Walk more at lunch. Take the stairs when you can, every day", 26)).toBe("Walk more at lunch. …");
    expect(shorten("Walk more at lunch. Take the stairs when you can, every day", 40)).toBe("Walk more at lunch. Take the stairs…");
    expect(shorten("One two three four five six seven eight nine ten", 22)).toBe("One two three four…");
    // One long word: cut inside it rather than show nothing.
    expect(shorten("Supercalifragilisticexpialidocious", 10)).toBe("Supercali…");
  });
});
