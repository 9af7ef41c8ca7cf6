import { describe, expect, it } from "vitest";
import { ftsAnyQuery, ftsQuery } from "./fts";

describe("ftsQuery", () => {
  it("quotes each word as a prefix term", () => {
    expect(ftsQuery("Meeting free Fridays")).toBe('"meeting"* "free"* "fridays"*');
  });
  it("drops FTS operators and punctuation", () => {
    expect(ftsQuery('title:"x" OR NEAR(a b) -c*')).toBe('"title"* "x"* "or"* "near"* "a"* "b"* "c"*');
  });
  it("keeps letters from any script and digits", () => {
    expect(ftsQuery("Café 2026 übung")).toBe('"café"* "2026"* "übung"*');
  });
  it("returns null when nothing is searchable", () => {
    expect(ftsQuery("  ?!  ")).toBeNull();
  });
});

describe("ftsAnyQuery", () => {
  it("joins meaningful words with OR", () => {
    expect(ftsAnyQuery("A shared calendar for the team")).toBe('"shared"* OR "calendar"* OR "team"*');
  });
  it("returns null when only short or common words are left", () => {
    expect(ftsAnyQuery("to be or not")).toBeNull();
  });
});
