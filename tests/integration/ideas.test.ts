import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { TRENDING_WINDOW_MS } from "~/domain/idea-sort";
import { LIMITS } from "~/domain/limits";
import { Conflict, Invalid, NotFound } from "~/services/errors";
import { postIdea } from "~/services/commands/ideas.server";
import { challengeForRoute as findVisibleChallenge, ideaForRoute as findVisibleIdea } from "~/services/lookups/ideas.server";
import { ideaDetail } from "~/services/pages/idea.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { castVote } from "~/services/commands/votes.server";
import { db } from "~db/client";
import { ideas } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function invalid(run: () => unknown): Promise<Invalid> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error("expected Invalid, nothing was thrown");
}

function ideaInput(challengeId: number, overrides: Record<string, unknown> = {}) {
  return {
    challengeId,
    title: "Quiet rooms on every floor",
    body: "Somewhere to think without headphones.",
    isAnonymous: false,
    clientKey: `key-${Math.random().toString(36).slice(2, 12)}`,
    ...overrides,
  };
}

describe("posting ideas", () => {
  it("an idea posted after the jam has ended is refused", async () => {
    const now = Date.now();
    const { challengeIds } = await makeJam({ startsAt: now - 2 * DAY, endsAt: now - DAY });
    const author = await makeUser();
    await expect(async () => await postIdea(author, ideaInput(challengeIds[0]!))).rejects.toThrow(Conflict);
    const count = (await db().select().from(ideas).where(eq(ideas.challengeId, challengeIds[0]!)).all()).length;
    expect(count).toBe(0);
  });

  it("an idea posted before the jam starts is refused", async () => {
    const now = Date.now();
    const { challengeIds } = await makeJam({ startsAt: now + DAY, endsAt: now + 2 * DAY });
    await expect(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!))).rejects.toThrow(Conflict);
  });

  it("a double submit with the same client key creates one idea", async () => {
    const { challengeIds } = await makeJam();
    const author = await makeUser();
    const input = ideaInput(challengeIds[0]!);
    const first = await postIdea(author, input);
    const second = await postIdea(author, input);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ id: first.id, created: false, points: 0, levelUps: [] });
    const rows = await db().select().from(ideas).where(eq(ideas.authorId, author.id)).all();
    expect(rows.map((r) => r.id)).toEqual([first.id]);
  });

  it("the same client key from two different people creates two ideas", async () => {
    const { challengeIds } = await makeJam();
    const input = ideaInput(challengeIds[0]!);
    const a = await postIdea(await makeUser(), input);
    const b = await postIdea(await makeUser(), input);
    expect(a.created && b.created).toBe(true);
    expect(a.id).not.toBe(b.id);
  });

  it("a title is required", async () => {
    const { challengeIds } = await makeJam();
    for (const title of ["", "   ", undefined]) {
      const error = await invalid(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { title })));
      expect(error.fieldErrors.title?.length).toBeGreaterThan(0);
    }
  });

  it("a title longer than 120 characters is invalid and 120 is fine", async () => {
    const { challengeIds } = await makeJam();
    const error = await invalid(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { title: "t".repeat(LIMITS.ideaTitle + 1) })));
    expect(error.fieldErrors.title?.[0]).toMatch(/120/);
    expect((await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { title: "t".repeat(LIMITS.ideaTitle) }))).created).toBe(true);
  });

  it("a body longer than 2000 characters is invalid and 2000 is fine", async () => {
    const { challengeIds } = await makeJam();
    const error = await invalid(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { body: "b".repeat(LIMITS.ideaBody + 1) })));
    expect(error.fieldErrors.body?.[0]).toMatch(/2,000/);
    expect(error.fieldErrors.title).toBeUndefined();
    expect((await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { body: "b".repeat(LIMITS.ideaBody) }))).created).toBe(true);
  });

  it("a missing or malformed client key is invalid", async () => {
    const { challengeIds } = await makeJam();
    for (const clientKey of [undefined, "short", "has spaces in it", "x".repeat(65)]) {
      const error = await invalid(async () => await postIdea(await makeUser(), ideaInput(challengeIds[0]!, { clientKey })));
      expect(error.fieldErrors.clientKey?.length).toBeGreaterThan(0);
    }
  });

  it("ideas in a draft jam are not found for a participant", async () => {
    const { challengeIds, facilitator } = await makeJam({ isDraft: true });
    const participant = await makeUser();
    await expect(async () => await postIdea(participant, ideaInput(challengeIds[0]!))).rejects.toThrow(NotFound);
    await expect(async () => await listChallengeIdeas(participant, { challengeId: challengeIds[0]! })).rejects.toThrow(NotFound);
    // Staff can see the draft's challenge page (there is nothing in it yet).
    expect((await listChallengeIdeas(facilitator, { challengeId: challengeIds[0]! })).ideas).toEqual([]);
  });

  it("an idea in a jam that became a draft is not found for a participant", async () => {
    const { challengeIds, jam, facilitator } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    await db().run(sql`UPDATE jams SET is_draft = TRUE WHERE id = ${jam.id}`);
    await expect(async () => await ideaDetail(await makeUser(), idea.id)).rejects.toThrow(NotFound);
    expect((await ideaDetail(facilitator, idea.id)).idea.id).toBe(idea.id);
  });

  it("a hidden idea is not found and not listed", async () => {
    const { challengeIds } = await makeJam();
    const idea = await makeIdea(await makeUser(), challengeIds[0]!);
    const other = await makeIdea(await makeUser(), challengeIds[0]!);
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, idea.id)).run();
    await expect(async () => await ideaDetail(await makeUser(), idea.id)).rejects.toThrow(NotFound);
    const listed = (await listChallengeIdeas(await makeUser(), { challengeId: challengeIds[0]! })).ideas.map((i) => i.id);
    expect(listed).toEqual([other.id]);
  });

  it("a challenge that does not exist is not found", async () => {
    await expect(async () => await listChallengeIdeas(await makeUser(), { challengeId: 999_999 })).rejects.toThrow(NotFound);
    await expect(async () => await postIdea(await makeUser(), ideaInput(999_999))).rejects.toThrow(NotFound);
  });
});

describe("listing a challenge's ideas", () => {
  const IDEAS = 45;
  let viewer: SessionUser;
  let challengeId: number;
  let otherChallengeId: number;
  let now: number;
  let bikeId: number;
  /** Per idea id: all-time votes and votes inside the trending window. */
  const expected = new Map<number, { votes: number; recent: number }>();

  beforeAll(async () => {
    now = Date.now();
    const jam = await makeJam({ startsAt: now - 3 * DAY, endsAt: now + DAY, challenges: 2 });
    challengeId = jam.challengeIds[0]!;
    otherChallengeId = jam.challengeIds[1]!;
    viewer = await makeUser();
    const authors = await mapInOrder(Array.from({ length: 5 }), async () => await makeUser());
    const voters = await mapInOrder(Array.from({ length: 8 }), async () => await makeUser());
    const old = now - 2 * DAY; // outside the 24-hour trending window
    for (let i = 0; i < IDEAS; i += 1) {
      const idea = await makeIdea(authors[i % authors.length]!, challengeId, {
        title: `Idea number ${i}`,
        body: i === 7 ? "Compost the coffee grounds from the kitchen." : `Plain body ${i}.`,
        now: old + i * 60_000,
      });
      // A spread of vote counts with many ties, some of them old, some recent.
      const total = (i * 5) % 9 % 8;
      const recent = i % 4 === 0 ? 0 : Math.min(total, 1 + ((i * 7) % 4));
      await forEachInOrder(voters.slice(0, total), async (v, n) => await castVote(v, { ideaId: idea.id }, { now: n < recent ? now - HOUR : old + HOUR }));
      expected.set(idea.id, { votes: total, recent });
    }
    const bike = await makeIdea(authors[0]!, challengeId, { title: "Bicycle parking by the door", body: "Covered racks at the entrance.", now: old });
    bikeId = bike.id;
    expected.set(bike.id, { votes: 0, recent: 0 });
    // Ideas in the other challenge never appear in this one's pages, even when they match a search.
    await makeIdea(authors[1]!, otherChallengeId, { title: "Bicycle repair day", body: "Compost bins too.", now: old });
  });

  async function allPages(sort: string, q?: string) {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listChallengeIdeas(viewer, { challengeId, sort, cursor, q }, now);
      expect(page.ideas.length).toBeLessThanOrEqual(LIMITS.pageSize);
      expect(page.isFirstPage).toBe(cursor === undefined);
      if (page.nextCursor) expect(page.ideas).toHaveLength(LIMITS.pageSize);
      seen.push(...page.ideas.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      expect(pages).toBeLessThan(20);
    } while (cursor);
    return { seen, pages };
  }

  it("newest lists every idea exactly once, newest first, across pages", async () => {
    const { seen, pages } = await allPages("newest");
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...expected.keys()].sort((a, b) => b - a));
  });

  it("top lists every idea exactly once, most votes first and newest first among ties", async () => {
    const { seen, pages } = await allPages("top");
    expect(pages).toBe(3);
    const order = [...expected.entries()].sort(([a, x], [b, y]) => y.votes - x.votes || b - a).map(([id]) => id);
    expect(seen).toEqual(order);
  });

  it("top pages carry the right vote counts", async () => {
    const page = await listChallengeIdeas(viewer, { challengeId, sort: "top" }, now);
    for (const card of page.ideas) expect(card.voteCount).toBe(expected.get(card.id)!.votes);
  });

  it("trending lists every idea with recent votes exactly once, most recent votes first", async () => {
    const { seen } = await allPages("trending");
    const order = [...expected.entries()]
      .filter(([, e]) => e.recent > 0)
      .sort(([a, x], [b, y]) => y.recent - x.recent || b - a)
      .map(([id]) => id);
    expect(order.length).toBeGreaterThan(LIMITS.pageSize); // so the test crosses a page boundary
    expect(seen).toEqual(order);
  });

  it("trending differs from top when old votes outweigh recent ones", async () => {
    const trending = (await listChallengeIdeas(viewer, { challengeId, sort: "trending" }, now)).ideas.map((i) => i.id);
    const top = (await listChallengeIdeas(viewer, { challengeId, sort: "top" }, now)).ideas.map((i) => i.id);
    expect(trending).not.toEqual(top);
  });

  it("trending stops counting votes once they leave the window", async () => {
    const later = now + TRENDING_WINDOW_MS + 1;
    expect((await listChallengeIdeas(viewer, { challengeId, sort: "trending" }, later)).ideas).toEqual([]);
  });

  it("an unknown sort falls back to newest and a junk cursor to the first page", async () => {
    const page = await listChallengeIdeas(viewer, { challengeId, sort: "bogus", cursor: "'; DROP TABLE ideas; --" }, now);
    expect(page.sort).toBe("newest");
    expect(page.isFirstPage).toBe(true);
    expect(page.ideas[0]!.id).toBe(Math.max(...expected.keys()));
  });

  it("search finds an idea by a word in its body", async () => {
    for (const sort of ["newest", "top"]) {
      const page = await listChallengeIdeas(viewer, { challengeId, sort, q: "compost" }, now);
      expect(page.ideas.map((i) => i.title)).toEqual(["Idea number 7"]);
    }
  });

  it("search finds an idea by a word in its title, also by a prefix and in another case", async () => {
    for (const q of ["bicycle", "BICYCLE", "bicyc", "bicycle parking", "parking"]) {
      const page = await listChallengeIdeas(viewer, { challengeId, q }, now);
      expect(page.ideas.map((i) => i.title)).toEqual(["Bicycle parking by the door"]);
    }
  });

  it("search finds a word from the first letters typed so far", async () => {
    // ftsQuery promises prefix matching ("every word must appear (as a prefix)"), which is
    // what a search-as-you-type box relies on. With the porter stemmer on the index, the typed
    // prefix is stemmed too ("parkin" -> "parkin", "bicy" -> "bici") and no longer a prefix of
    // the indexed stem ("park", "bicycl"), so these searches find nothing.
    for (const q of ["bicy", "parki", "parkin"]) {
      const page = await listChallengeIdeas(viewer, { challengeId, q }, now);
      expect(page.ideas.map((i) => i.title), q).toEqual(["Bicycle parking by the door"]);
    }
  });

  it("search needs every word to match", async () => {
    expect((await listChallengeIdeas(viewer, { challengeId, q: "bicycle compost" }, now)).ideas).toEqual([]);
  });

  it("search pages through many matches without repeats", async () => {
    const { seen } = await allPages("newest", "idea number");
    expect(seen).toHaveLength(IDEAS);
    expect(new Set(seen).size).toBe(IDEAS);
  });

  it("search works with the trending and top orders too", async () => {
    const trending = (await allPages("trending")).seen;
    expect((await allPages("trending", "idea number")).seen).toEqual(trending);
    expect((await allPages("trending", "bicycle")).seen).toEqual([]);
    expect((await allPages("top", "idea")).seen).toEqual((await allPages("top")).seen.filter((id) => id !== bikeId));
  });

  it("search input with full-text operators never throws", async () => {
    const inputs = [
      '"',
      '"unbalanced quote',
      "bicycle OR compost",
      "OR",
      "AND NOT",
      "bicy*",
      "*",
      "-bicycle",
      "- -",
      "NEAR(bicycle parking, 2)",
      "NEAR(",
      "title:bicycle",
      "{title body}: bicycle",
      "^bicycle",
      "bicycle + parking",
      "()",
      "' OR 1=1 --",
      "\u0000",
      "😀",
      "x".repeat(200),
      "a ".repeat(100),
    ];
    for (const q of inputs) {
      for (const sort of ["newest", "top", "trending"]) {
        await expect((async () => await listChallengeIdeas(viewer, { challengeId, sort, q }, now))(), `${sort} ${JSON.stringify(q)}`).resolves.not.toThrow();
      }
    }
    // The operators are taken as words: "bicycle OR compost" needs a literal "or" too.
    expect((await listChallengeIdeas(viewer, { challengeId, q: "-bicycle" }, now)).ideas.map((i) => i.title)).toEqual([
      "Bicycle parking by the door",
    ]);
    expect((await listChallengeIdeas(viewer, { challengeId, q: "NEAR(bicycle" }, now)).ideas).toEqual([]);
  });

  it("a search with nothing searchable in it finds nothing rather than everything", async () => {
    expect((await listChallengeIdeas(viewer, { challengeId, q: "?!*" }, now)).ideas).toEqual([]);
  });

  it("a blank search lists everything", async () => {
    expect((await listChallengeIdeas(viewer, { challengeId, q: "   " }, now)).ideas).toHaveLength(LIMITS.pageSize);
  });
});

describe("finding an idea or a challenge under a jam's address", () => {
  it("finds them under their own jam's slug and not under another jam's", async () => {
    const a = await makeJam();
    const b = await makeJam();
    const viewer = await makeUser();
    const idea = await makeIdea(await makeUser(), a.challengeIds[0]!);
    expect((await findVisibleIdea(viewer, idea.id, a.jam.slug)).idea.id).toBe(idea.id);
    await expect(async () => await findVisibleIdea(viewer, idea.id, b.jam.slug)).rejects.toThrow(NotFound);
    expect((await findVisibleChallenge(viewer, a.challengeIds[0]!, a.jam.slug)).challenge.id).toBe(a.challengeIds[0]);
    await expect(async () => await findVisibleChallenge(viewer, a.challengeIds[0]!, b.jam.slug)).rejects.toThrow(NotFound);
  });
});
