import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * A stylesheet whose braces do not balance puts every rule after the gap inside the block left
 * open (a whole feature's styles once ended up inside a phone-only media query after a merge).
 */
describe("app.css", () => {
  it("closes every block it opens, and never closes one it did not open", () => {
    const css = readFileSync(new URL("./app.css", import.meta.url), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
    let depth = 0;
    const topLevelInsideBlock: number[] = [];
    css.split("\n").forEach((line, index) => {
      // A selector at the start of a line (no indent) while a block is open: a brace went missing before it.
      if (depth > 0 && /^[.#a-z:[*@]/i.test(line) && !/^@media|^@supports|^@container/.test(line)) topLevelInsideBlock.push(index + 1);
      for (const ch of line) {
        if (ch === "{") depth++;
        if (ch === "}") depth--;
        expect(depth, `line ${index + 1}`).toBeGreaterThanOrEqual(0);
      }
    });
    expect(depth).toBe(0);
    expect(topLevelInsideBlock).toEqual([]);
  });
});
