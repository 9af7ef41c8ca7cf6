import { expect, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { SAME_ORIGIN, serverDatabase, uniqueTitle } from "./fixtures";

/**
 * People and a jam of a data-rights test's own, made with the services on the server's database:
 * nobody else reads or writes them, so the test can look for their names everywhere.
 */

/** A person of the test's own, with the e2e password; the name is unmistakable (a unique word in it). */
export async function personOfItsOwn(first: string) {
  const { person } = await serverDatabase();
  const { db } = await import("~db/client");
  const { users } = await import("~db/schema");
  const { hashPassword } = await import("~/auth/password.server");
  const word = uniqueTitle("").trim().replace(/\W/g, "");
  const row = await db()
    .insert(users)
    .values({
      name: `${first} Q${word}`,
      email: `${first.toLowerCase()}.${word}@e2e.test`,
      passwordHash: await hashPassword(E2E_PASSWORD),
      role: "participant",
      departmentId: (await person("colleague")).departmentId,
      createdAt: Date.now(),
    })
    .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
    .get();
  return row;
}

/** A live jam of the test's own with one challenge; returns its slug and the challenge's id. */
export async function liveJam(prefix: string) {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const now = Date.now();
  const title = uniqueTitle(prefix);
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      isDraft: false,
      startsAt: now - 2 * 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "Better meetings", question: "What would make our meetings better?" }],
    },
    { ip: null },
  );
  return { id: jam.id, slug: jam.slug, challengeId: (await jamChallenges(jam.id))[0]!.id };
}

/** A form key from a title. */
export const keyOf = (t: string) => `dr-${t.replace(/\W+/g, "-")}`.slice(0, 60);

/**
 * A live jam in which `who` took part every way the pages show: an idea that others support and
 * discuss, a comment and a support on a colleague's idea, points, and ties in the people network
 * (computed for the jam and for all jams), with a synthesis run so its report lists their idea.
 */
export async function jamWithAPersonWhoTookPart(who: Awaited<ReturnType<typeof personOfItsOwn>>) {
  const { person } = await serverDatabase();
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { postComment } = await import("~/services/commands/comments.server");
  const { castVote } = await import("~/services/commands/votes.server");
  const { computeNetworkNow } = await import("~/services/jobs/network.server");
  const { startSynthesis } = await import("~/services/commands/synthesis.server");
  const jam = await liveJam("Data rights");
  const challenge = { id: jam.challengeId };
  const colleague = await person("colleague");
  const theirTitle = uniqueTitle("Walking meetings on Fridays");
  const theirs = await postIdea(who, { challengeId: challenge!.id, title: theirTitle, body: "Fresh air and shorter meetings.", clientKey: keyOf(theirTitle) });
  const otherTitles: string[] = [];
  let otherId = 0;
  for (const [i, t] of ["Agendas sent a day before", "No meetings before ten", "Standing meetings for updates"].entries()) {
    const ideaTitle = uniqueTitle(t);
    otherTitles.push(ideaTitle);
    const idea = await postIdea(colleague, { challengeId: challenge!.id, title: ideaTitle, body: `${t}: it keeps meetings short.`, clientKey: keyOf(ideaTitle) });
    if (i === 0) otherId = idea.id;
  }
  await castVote(colleague, { ideaId: theirs.id });
  await castVote(await person("networker"), { ideaId: theirs.id });
  await postComment(colleague, { ideaId: theirs.id, body: "We tried this in Sales and loved it.", clientKey: keyOf(`c1-${theirTitle}`) });
  const commentBody = uniqueTitle("Yes, and a shared agenda template");
  await postComment(who, { ideaId: otherId, body: commentBody, clientKey: keyOf(`c2-${theirTitle}`) });
  await castVote(who, { ideaId: otherId });
  await computeNetworkNow(jam.id);
  await computeNetworkNow(0);
  await startSynthesis(await person("facilitator"), jam.slug, { k: "2" }, { wait: true });
  return {
    slug: jam.slug,
    challengePath: `/jams/${jam.slug}/challenges/${challenge!.id}`,
    ideaPath: `/jams/${jam.slug}/ideas/${theirs.id}`,
    otherIdeaPath: `/jams/${jam.slug}/ideas/${otherId}`,
    theirTitle,
    commentBody,
  };
}

/** Signs a request context in as a person of the test's own (through the sign-in endpoint). */
export async function signInAs(request: APIRequestContext, email: string) {
  const response = await request.post("/login", { form: { email, password: E2E_PASSWORD, redirectTo: "/jams" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(response.status(), `sign-in of ${email}`).toBe(302);
}

/** A browser of that person's own, signed in. */
export async function browserOf(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
  const { baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
  await signInAs(page.request, email);
  return page;
}

export const FACILITATOR = E2E_USERS.facilitator;
