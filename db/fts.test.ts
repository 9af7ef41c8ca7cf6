import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { allWords, anyWord, eachWord, ftsAnyQuery, ftsQuery, ideaMatches, questionMatches } from "./fts";

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

describe("the engine-neutral entry", () => {
  const text = (q: ReturnType<typeof sql>) => new SQLiteSyncDialect().sqlToQuery(q);

  it("makes a query of words only, all or any", () => {
    expect(allWords('Meeting "free" OR title:x')).toEqual({ words: ["meeting", "free", "or", "title", "x"], any: false });
    expect(anyWord("A shared calendar for the team")).toEqual({ words: ["shared", "calendar", "team"], any: true });
    expect(allWords(" ?! ")).toBeNull();
    expect(eachWord(anyWord("shared calendar")!)).toEqual([{ words: ["shared"], any: false }, { words: ["calendar"], any: false }]);
  });

  it("binds the query as a value, and no operator or quote reaches it even from a query made by hand", () => {
    const forged = { words: ['x" OR "y', "ok", "*", "NEAR(a"], any: false };
    const { sql: statement, params } = text(ideaMatches(forged));
    expect(statement).not.toMatch(/ok|NEAR/);
    expect(params).toEqual(['"ok"*']);
    expect(text(questionMatches("Who knows 'Kafka'?", sql`q.id`)).params).toEqual(['"who"* "knows"* "kafka"*']);
  });

  it("matches nothing when nothing searchable is left", () => {
    expect(text(ideaMatches("?!")).sql).toBe("1 = 0");
    expect(text(questionMatches({ words: ['"'], any: true }, sql`q.id`)).sql).toBe("1 = 0");
  });
});
