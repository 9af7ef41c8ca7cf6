import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, SAME_ORIGIN, serverDatabase } from "./fixtures";

/**
 * People of this test's own, made with the services on the server's database: a person who
 * posted a named idea in a jam whose published theme a facilitator kept alive as an open
 * community, and who asked a question a colleague answered. Each run and project makes its own.
 */
async function learnerWithAnAnswer(word: string) {
  await serverDatabase();
  const { db } = await import("~db/client");
  const { departments, users, synthesisVersions, themes, themeIdeas } = await import("~db/schema");
  const { hashSync } = await import("@node-rs/argon2");
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { keepThemeAlive } = await import("~/services/commands/communities.server");
  const { askQuestionCommand, answerCommand } = await import("~/services/commands/questions.server");
  const passwordHash = hashSync(E2E_PASSWORD);
  const now = Date.now();
  const person = async (name: string, role: "participant" | "facilitator" = "participant") => {
    const department = await db().insert(departments).values({ name: `${name} team ${word}` }).returning().get();
    return await db()
      .insert(users)
      .values({ name, email: `${name.split(" ")[0]!.toLowerCase()}-${word}@e2e.test`, passwordHash, role, departmentId: department.id, emailVerifiedAt: now, createdAt: now })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get();
  };
  const facilitator = await person("Flo Host", "facilitator");
  const learner = await person("Lou Learner");
  const answerer = await person("Ana Answer");
  const jam = await createJam(
    facilitator,
    {
      title: `Mentoring jam ${word}`,
      slug: `mentoring-${word}`,
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "Mentoring", question: "How do we learn from each other?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const idea = await postIdea(learner, { challengeId: challenge!.id, title: `Reverse mentoring ${word}`, body: "Juniors teach seniors a tool a month.", clientKey: `lf-${word}` });
  const version = await db().insert(synthesisVersions).values({ jamId: jam.id, number: 1, kind: "curated", createdBy: facilitator.id, createdAt: now, publishedAt: now }).returning().get();
  const theme = await db()
    .insert(themes)
    .values({ versionId: version.id, label: `Mentoring ${word}`, keywords: JSON.stringify(["mentoring"]), representatives: JSON.stringify([idea.id]) })
    .returning()
    .get();
  await db().insert(themeIdeas).values({ versionId: version.id, ideaId: idea.id, themeId: theme.id }).run();
  const { community } = await keepThemeAlive(facilitator, { themeId: theme.id });
  const question = await askQuestionCommand(learner, { title: `How do I start reverse mentoring ${word}?`, body: "", clientKey: `lf-q-${word}` });
  await answerCommand(answerer, question.id, { body: "Pair each junior with one senior for six weeks, one tool each.", parentId: "", clientKey: `lf-a-${word}` });
  return { learner, answerer, community, questionId: question.id, questionTitle: `How do I start reverse mentoring ${word}?` };
}

async function signInAs(page: Page, email: string) {
  const response = await page.request.post("/login", { form: { email, password: E2E_PASSWORD, redirectTo: "/jams" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(response.status(), "sign-in redirects").toBe(302);
}

const wordFor = (testInfo: TestInfo) => `lf${Date.now().toString(36)}${testInfo.project.name === "phone" ? "p" : "d"}`;

test("a person accepts an answer, finds the answerer under “People you learned from” on My network, and joins a suggested community there @phone", async ({ page }, testInfo) => {
  const word = wordFor(testInfo);
  const { learner, answerer, community, questionId, questionTitle } = await learnerWithAnAnswer(word);
  await signInAs(page, learner.email);

  // Before: nobody learned from yet, and the community is suggested with why.
  await page.goto("/network/me");
  const learned = page.getByRole("region", { name: "People you learned from" });
  await expect(learned.getByText("Nobody yet")).toBeVisible();
  const toJoin = page.getByRole("region", { name: "Communities to join" });
  await expect(toJoin.getByRole("link", { name: community.title })).toBeVisible();
  await expect(toJoin.getByText(`You posted an idea on “Mentoring ${word}”`)).toBeVisible();

  // The person accepts the answer to their question.
  await page.goto(`/questions/${questionId}`);
  await page.getByRole("article", { name: `Answer by ${answerer.name}` }).getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByRole("article", { name: `Accepted answer by ${answerer.name}` })).toBeVisible();

  // The answerer is among the people they learned from, linked to the answer.
  await page.goto("/network/me");
  await expect(learned.getByRole("link", { name: answerer.name })).toBeVisible();
  await learned.getByRole("link", { name: `“${questionTitle}”` }).click();
  await expect(page).toHaveURL(new RegExp(`/questions/${questionId}#answer-\\d+$`));

  // Joining the suggested community from My network: it moves to “Your communities”.
  await page.goto("/network/me");
  await toJoin.getByRole("button", { name: `Join ${community.title}` }).click();
  const mine = page.getByRole("region", { name: "Your communities" });
  await expect(mine.getByRole("link", { name: community.title })).toBeVisible();
  await expect(mine.getByText("Member", { exact: true })).toBeVisible();
  await expect(toJoin.getByRole("link", { name: community.title })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  if (testInfo.project.name !== "phone") await expectNoAccessibilityViolations(page);
  // A form post the page does not know is a 400.
  const unknown = await page.request.post("/network/me", { form: { intent: "dismiss-everyone" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(unknown.status()).toBe(400);
});
