import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/auth/session.server";
import { SORTS } from "~/domain/idea-sort";
import { ideaDetail } from "~/services/pages/idea.server";
import { listChallengeIdeas } from "~/services/pages/challenge.server";
import { ideaCards } from "~/services/lookups/idea-cards.server";
import { jamHome, listJams } from "~/services/pages/jams.server";
import { castVote } from "~/services/commands/votes.server";
import { postComment } from "~/services/commands/comments.server";
import { db } from "~db/client";
import { ideas } from "~db/schema";
import { makeDepartment, makeIdea, makeJam, makeUser } from "../factories";

/**
 * Every place a key could carry who wrote something. An anonymous idea's data
 * must hold none of them for anyone but its author.
 */
const AUTHOR_KEYS = new Set(["author", "authorId", "author_id", "email", "passwordHash", "password_hash", "userId", "user_id"]);

/** Paths in `value` whose key names an author, e.g. `ideas[0].author`. */
function authorPaths(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => authorPaths(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(AUTHOR_KEYS.has(k) && v !== null && v !== undefined ? [`${path}.${k}`] : []),
      ...authorPaths(v, `${path}.${k}`),
    ]);
  }
  return [];
}

describe("an anonymous idea", () => {
  let author: SessionUser;
  let viewer: SessionUser;
  let slug: string;
  let challengeId: number;
  let anonymousId: number;
  const NAME = "Zebediah Quillfeather";
  const EMAIL = "zebediah.quillfeather@secret.example.test";
  const DEPARTMENT = "Department of Unmistakable Names";

  beforeAll(async () => {
    const { jam, challengeIds } = await makeJam();
    slug = jam.slug;
    challengeId = challengeIds[0]!;
    author = await makeUser({ name: NAME, email: EMAIL, departmentId: (await makeDepartment(DEPARTMENT)).id });
    viewer = await makeUser();
    anonymousId = (await makeIdea(author, challengeId, {
      isAnonymous: true,
      title: "Say the quiet part out loud",
      body: "Our planning process rewards sandbagging.",
    })).id;
    // Votes from others, so the idea also shows up under "trending" and "top".
    await castVote(viewer, { ideaId: anonymousId });
    await castVote(await makeUser(), { ideaId: anonymousId });
    // A comment by someone else on it.
    await postComment(await makeUser(), { ideaId: anonymousId, body: "Agreed, and brave to say.", clientKey: "comment-key-1" });
  });

  function expectNoTraceOfAuthor(data: unknown) {
    const json = JSON.stringify(data);
    expect(json).toContain("Say the quiet part out loud"); // the idea itself is in there
    expect(json).not.toContain(NAME);
    expect(json).not.toContain("Zebediah");
    expect(json).not.toContain("Quillfeather");
    expect(json).not.toContain(EMAIL);
    expect(json).not.toContain("zebediah.quillfeather");
    expect(json).not.toContain(DEPARTMENT);
    expect(json).not.toMatch(/"author"\s*:\s*\{/);
    expect(json).not.toMatch(new RegExp(`"(authorId|author_id|userId|user_id)"\\s*:\\s*${author.id}\\b`));
    expect(authorPaths(data)).toEqual([]);
  }

  it("its card holds no author id, name or email", async () => {
    const row = (await db().select().from(ideas).where(eq(ideas.id, anonymousId)).get())!;
    const [card] = await ideaCards(db(), viewer, [row]);
    expect(card!.isAnonymous).toBe(true);
    expect(card!.author).toBeNull();
    expect(card!.isMine).toBe(false);
    expectNoTraceOfAuthor(card);
  });

  it("a challenge page holds no author id, name or email, in any order and in search results", async () => {
    for (const sort of SORTS) {
      const page = await listChallengeIdeas(viewer, { challengeId, sort });
      expect(page.ideas.map((i) => i.id)).toEqual([anonymousId]);
      expectNoTraceOfAuthor(page);
    }
    const found = await listChallengeIdeas(viewer, { challengeId, q: "sandbagging" });
    expect(found.ideas.map((i) => i.id)).toEqual([anonymousId]);
    expectNoTraceOfAuthor(found);
  });

  it("its own page holds no author id, name or email", async () => {
    const detail = await ideaDetail(viewer, anonymousId);
    expect(detail.idea.author).toBeNull();
    expect(detail.comments).toHaveLength(1);
    expectNoTraceOfAuthor({ ...detail, comments: detail.comments.map(({ author: _commenter, ...c }) => c) });
    expect(JSON.stringify(detail)).not.toContain(NAME);
    expect(JSON.stringify(detail)).not.toContain(EMAIL);
  });

  it("the jam's home page holds no author id, name or email", async () => {
    const home = await jamHome(viewer, slug);
    expect(home.newest.map((i) => i.id)).toContain(anonymousId);
    expect(home.top.map((i) => i.id)).toContain(anonymousId);
    expectNoTraceOfAuthor(home);
  });

  it("the list of jams holds no author id, name or email", async () => {
    const json = JSON.stringify(await listJams(viewer));
    expect(json).not.toContain(NAME);
    expect(json).not.toContain(EMAIL);
  });

  it("a facilitator or admin sees no author either", async () => {
    for (const role of ["facilitator", "admin", "leader"] as const) {
      const staff = await makeUser({ role });
      const detail = await ideaDetail(staff, anonymousId);
      expect(detail.idea.author).toBeNull();
      expect(JSON.stringify(detail.idea)).not.toContain(NAME);
      expectNoTraceOfAuthor(await listChallengeIdeas(staff, { challengeId }));
    }
  });

  it("its author still sees it as theirs, and as anonymous", async () => {
    const detail = await ideaDetail(author, anonymousId);
    expect(detail.idea.isMine).toBe(true);
    expect(detail.idea.isAnonymous).toBe(true);
    expect(detail.idea.author).toBeNull();
    expect(detail.canVote).toBe(false);
  });

  it("a named idea by the same person does carry their name (the check above can fail)", async () => {
    const named = await makeIdea(author, challengeId, { title: "A signed idea" });
    const detail = await ideaDetail(viewer, named.id);
    expect(detail.idea.author).toMatchObject({ id: author.id, name: NAME });
    expect(JSON.stringify(detail)).toContain(NAME);
    await db().update(ideas).set({ hiddenAt: Date.now() }).where(eq(ideas.id, named.id)).run();
  });
});
