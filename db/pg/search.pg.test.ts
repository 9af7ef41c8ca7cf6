/**
 * Full-text search gives the same answers on both engines: the same small corpus of ideas written
 * to SQLite (FTS5) and to PostgreSQL (tsvector), then what people type, hostile input included,
 * must find the same ideas, and "similar ideas" must list them in the same order.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../client";
import { allWords, anyWord, ideaMatches, rankedIdeas } from "../fts";
import * as lite from "../schema";
import * as pgs from "./schema";
import { ideaMatchesPg, rankedIdeasPg, tsAnyQuery, tsPrefixQuery } from "./search";
import { freshPgDatabase } from "../../tests/support/pg-test";
import type { PgDb } from "./client";

const NOW = 1_780_000_000_000;

const CORPUS: [title: string, body: string][] = [
  ["Meeting-free Fridays", "No meetings on Friday afternoons so people can focus."],
  ["Café in the lobby", "A small café with fair-trade coffee."],
  ["Cafe loyalty card", "Coffee stamps for every tenth cup."],
  ["Übung macht den Meister", "Weekly practice sessions for new tools."],
  ["日本語 support in the intranet", "Translate the intranet into 日本語."],
  ["Shared calendar for the team", "One calendar where the whole team sees holidays and deadlines."],
  ["Team lunch", "A monthly team lunch, team by team."],
  ["Calendar sync with phones", ""],
  ["e-mail digest instead of notifications", "Send one e-mail a day."],
  ['Quotes "and" operators: AND OR NOT NEAR', "title:x (a|b) & !c * 'single' \\back"],
  ["Bicycle parking", "More bicycle racks near the entrance; bicycles get stolen."],
  ["2026 roadmap", "Plans for 2026 and beyond, version 1.5."],
  ["Naïve questions welcome", "Ask anything — no question is too naive."],
  ["Emoji corner 🙂", "Reactions with 🙂 and 🎉 in comments."],
];

let pgDb: PgDb;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ pgDb, close } = await freshPgDatabase());
  const user = { id: 1, email: "a@example.com", name: "A", passwordHash: "", createdAt: NOW };
  const jam = { id: 1, slug: "j", title: "J", startsAt: NOW, endsAt: NOW + 1, createdBy: 1, createdAt: NOW, updatedAt: NOW };
  const challenge = { id: 1, jamId: 1, title: "C", question: "Q?", createdAt: NOW };
  const ideaRows = CORPUS.map(([title, body], i) => ({
    id: i + 1,
    challengeId: 1,
    jamId: 1,
    authorId: 1,
    title,
    body,
    clientKey: `k${i}`,
    createdAt: NOW + i,
  }));
  // The same rows, through the same JavaScript shapes, into both engines.
  await db().insert(lite.users).values(user).run();
  await db().insert(lite.jams).values(jam).run();
  await db().insert(lite.challenges).values(challenge).run();
  await db().insert(lite.ideas).values(ideaRows).run();
  await pgDb.insert(pgs.users).values(user);
  await pgDb.insert(pgs.jams).values(jam);
  await pgDb.insert(pgs.challenges).values(challenge);
  await pgDb.insert(pgs.ideas).values(ideaRows);
});

afterAll(async () => {
  await close();
});

async function liteMatches(typed: string): Promise<number[] | null> {
  const q = allWords(typed);
  if (!q) return null;
  return (await db()
    .all<{ id: number }>(sql`SELECT id FROM ideas WHERE ${ideaMatches(q)} ORDER BY id`))
    .map((r) => r.id);
}

async function pgMatches(typed: string): Promise<number[] | null> {
  const q = tsPrefixQuery(typed);
  if (!q) return null;
  const { rows } = await pgDb.execute<{ id: number }>(sql`SELECT id FROM ideas WHERE ${ideaMatchesPg(q)} ORDER BY id`);
  return rows.map((r) => r.id);
}

async function liteSimilar(typed: string): Promise<number[] | null> {
  const q = anyWord(typed);
  if (!q) return null;
  return (await db()
    .all<{ id: number }>(sql`SELECT i.id FROM ${rankedIdeas(q)} m JOIN ideas i ON i.id = m.id ORDER BY m.score, i.id`))
    .map((r) => r.id);
}

async function pgSimilar(typed: string): Promise<number[] | null> {
  const q = tsAnyQuery(typed);
  if (!q) return null;
  const { rows } = await pgDb.execute<{ id: number }>(
    sql`SELECT i.id FROM ${rankedIdeasPg(q)} m JOIN ideas i ON i.id = m.id ORDER BY m.score, i.id`,
  );
  return rows.map((r) => r.id);
}

const TYPED = [
  "meet",
  "Meeting free",
  "friday focus",
  "café",
  "cafe",
  "CAFÉ coffee",
  "übung",
  "ubung",
  "日本",
  "日本語 intranet",
  "e-mail",
  "mail",
  "bicy",
  "2026",
  "1.5",
  "team cal",
  "naive",
  "naïve",
  "t",
  "nothing-like-this",
];

const HOSTILE = [
  "",
  "   ",
  '"and"',
  '"',
  "'",
  "''",
  "\\",
  "title:x",
  "(a|b)",
  "a | b",
  "!c",
  "*",
  "&|!:*()",
  "'single'",
  "' OR 1=1 --",
  "x' & 'y",
  "Robert'); DROP TABLE ideas;--",
  "NEAR(a b)",
  "AND OR NOT",
  "<->",
  "a <-> b",
  "🙂",
  "🙂 emoji",
  "\u0000",
  "café\u0301",
  "x".repeat(5000),
  "a ".repeat(200),
];

describe("search finds the same ideas on SQLite and PostgreSQL", () => {
  it.each(TYPED)("typed %j", async (typed) => {
    const expected = await liteMatches(typed);
    expect(await pgMatches(typed)).toEqual(expected);
  });

  it("finds what it should (the corpus is not trivially empty)", async () => {
    expect(await pgMatches("cafe")).toEqual([2, 3]);
    expect(await pgMatches("ubung")).toEqual([4]);
    expect(await pgMatches("日本")).toEqual([5]);
    expect(await pgMatches("mail")).toEqual([9]);
    expect(await pgMatches("team cal")).toEqual([6]);
  });

  it.each(HOSTILE)("hostile input %j is only words, never syntax", async (typed) => {
    const expected = await liteMatches(typed);
    expect(await pgMatches(typed)).toEqual(expected);
    expect(await pgSimilar(typed)).toEqual(await liteSimilar(typed));
  });

  it("the ideas table is still there", async () => {
    const { rows } = await pgDb.execute<{ n: string }>(sql`SELECT count(*) AS n FROM ideas`);
    expect(Number(rows[0]!.n)).toBe(CORPUS.length);
  });
});

describe("similar ideas come in the same order on both engines", () => {
  it.each([
    "A shared calendar for the team",
    "team",
    "calendar",
    "bicycle racks",
    "coffee café",
    "meetings on fridays",
    "one e-mail digest a day",
  ])("typed %j", async (typed) => {
    const expected = await liteSimilar(typed);
    expect(expected?.length ?? 0).toBeGreaterThan(0);
    expect(await pgSimilar(typed)).toEqual(expected);
  });
});

describe("the search column follows the row", () => {
  it("an edited idea is found by its new words and no longer by its old ones", async () => {
    await pgDb.execute(sql`UPDATE ideas SET title = 'Quiet rooms' WHERE id = 11`);
    await db().run(sql`UPDATE ideas SET title = 'Quiet rooms' WHERE id = 11`);
    expect(await pgMatches("quiet")).toEqual([11]);
    expect(await pgMatches("quiet")).toEqual(await liteMatches("quiet"));
    expect(await pgMatches("parking")).toEqual([]);
    expect(await liteMatches("parking")).toEqual([]);
  });
});
