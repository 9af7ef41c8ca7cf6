/**
 * Text a person writes must read as what it says: NUL and other control characters,
 * text-direction overrides (a title that displays one thing and says another) and text made only
 * of invisible characters are refused with a clear message, and nothing is written. Searches
 * take `%` and `_` as the characters they are.
 */
import { describe, expect, it } from "vitest";
import { listPeople } from "~/services/pages/people-admin.server";
import { postComment } from "~/services/commands/comments.server";
import { Invalid } from "~/services/errors";
import { postIdea } from "~/services/commands/ideas.server";
import { createJam } from "~/services/commands/jams.server";
import { setRateLimitsEnabled } from "~/services/effects/rate-limiter.server";
import { db } from "~db/client";
import { comments, ideas, jams } from "~db/schema";
import { makeIdea, makeJam, makeUser } from "../factories";

setRateLimitsEnabled(false);

async function refusal(call: () => unknown): Promise<Record<string, string[]>> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return (error as Invalid).fieldErrors;
  }
  throw new Error("was accepted");
}

describe("titles and bodies that hide what they say", async () => {
  const { challengeIds } = await makeJam();
  const author = await makeUser();
  let key = 0;
  const idea = async (title: string, body = "Why it matters.") =>
    await postIdea(author, { challengeId: challengeIds[0], title, body, clientKey: `hidden-text-${++key}` });

  it("refuses an idea titled with NUL, a direction override or only zero-width characters, and stores nothing", async () => {
    const before = (await db().select().from(ideas).all()).length;
    expect((await refusal(async () => await idea("Quiet\u0000floor"))).title?.[0]).toMatch(/control characters/);
    expect((await refusal(async () => await idea("Invoice \u202Efdp.exe"))).title?.[0]).toMatch(/text-direction/);
    expect((await refusal(async () => await idea("\u2067Pay here\u2069"))).title?.[0]).toMatch(/text-direction/);
    expect((await refusal(async () => await idea("\u200B\u200C\u200D\uFEFF"))).title?.[0]).toMatch(/invisible/);
    expect((await refusal(async () => await idea("Plants", "Body with NUL \u0000"))).body?.[0]).toMatch(/control characters/);
    expect((await db().select().from(ideas).all()).length).toBe(before);
    // Ordinary text in any script, with line breaks in the body, is fine.
    expect((await idea("מדיניות\u200F חדשה — 会議を減らす", "Line one\nLine two")).id).toBeGreaterThan(0);
  });

  it("refuses a comment made only of invisible characters, and a jam titled with an override", async () => {
    const target = await makeIdea(await makeUser(), challengeIds[0]!);
    expect((await refusal(async () => await postComment(author, { ideaId: target.id, body: "\u2060\u200B", clientKey: "hidden-text-comment" }))).body?.[0]).toMatch(/invisible/);
    expect((await db().select().from(comments).all()).filter((c) => c.ideaId === target.id)).toEqual([]);
    const facilitator = await makeUser({ role: "facilitator" });
    const jamsBefore = (await db().select().from(jams).all()).length;
    const now = Date.now();
    const fields = await refusal(async () =>
      await createJam(
        facilitator,
        { title: "Town hall \u202Edrawkcab", startsAt: now, endsAt: now + 3_600_000, challenges: [{ title: "One", question: "What?" }] },
        { ip: null },
      ),
    );
    expect(fields.title?.[0]).toMatch(/text-direction/);
    expect((await db().select().from(jams).all()).length).toBe(jamsBefore);
  });
});

describe("searches take % and _ as themselves", () => {
  it("the admin people search finds a name with % or _ and nothing else", async () => {
    const admin = await makeUser({ role: "admin" });
    const percent = await makeUser({ name: "Pat 100% Remote" });
    const underscore = await makeUser({ name: "Sam_Ops" });
    await makeUser({ name: "Sam Tops" });
    await makeUser({ name: "Pat 1000 Remote" });
    const names = async (q: string) => (await listPeople(admin, { q })).people.map((p) => p.name);
    expect(await names("100%")).toEqual([percent.name]);
    expect(await names("m_o")).toEqual([underscore.name]);
    expect(await names("%")).toEqual([percent.name]);
  });
});
