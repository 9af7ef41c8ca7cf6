import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, SAME_ORIGIN, serverDatabase } from "./fixtures";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

/**
 * People of this test's own, made with the services on the server's database: four colleagues
 * whose named ideas on a word of this run's own drew support from other departments (the first
 * most), and a person who asks about it. Each run and each project makes its own, so nothing is
 * shared with another test or a retry.
 */
async function colleaguesWhoKnow(word: string) {
  await serverDatabase();
  const { db } = await import("~db/client");
  const { departments, users } = await import("~db/schema");
  const { hashSync } = await import("@node-rs/argon2");
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { castVote } = await import("~/services/commands/votes.server");
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
  const facilitator = await person("Fay Host", "facilitator");
  const jam = await createJam(
    facilitator,
    {
      title: `Kitchen jam ${word}`,
      slug: `kitchen-${word}`,
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "The office kitchen", question: "What would make the kitchen better?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const experts = await mapInOrder(["Ada Baker", "Bo Crust", "Cy Dough", "Dev Levain"], async (n) => await person(n));
  await forEachInOrder(experts, async (expert, i) => {
    const idea = await postIdea(expert, {
      challengeId: challenge!.id,
      title: `${word} on Fridays, by ${expert.name}`,
      body: `We share ${word} once a week.`,
      clientKey: `bread-${word}-${i}`,
    });
    // From other departments: 3, 2, 1 and none, so the line is Ada, Bo, Cy, then Dev.
    for (let s = 0; s < 3 - i; s++) await castVote(await person(`Fan${i}x${s} Supporter`), { ideaId: idea.id });
  });
  const asker = await person("Ari Asker");
  return { experts, asker };
}

/** Signs in without the form (the form has its own tests): the session lands in the page's cookies. */
async function signInAs(page: Page, email: string) {
  const response = await page.request.post("/login", {
    form: { email, password: E2E_PASSWORD, redirectTo: "/jams" },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(response.status(), "sign-in redirects").toBe(302);
}

async function elsewhere(browser: Browser, testInfo: TestInfo, email: string) {
  const { baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}

/**
 * The test's word: its own per run and project, so no other question or idea shares it. The
 * questions say nothing else that routes (only words every question has), so where they go
 * depends on this test's ideas alone, whatever else the database holds.
 */
const wordFor = (testInfo: TestInfo) => `rye${Date.now().toString(36)}${testInfo.project.name === "phone" ? "p" : "d"}`;

test("a question asked from “who knows about …?” goes to the go-to people, and one passing it on asks the next in line @phone", async ({
  page,
  browser,
}, testInfo) => {
  const word = wordFor(testInfo);
  const { experts, asker } = await colleaguesWhoKnow(word);
  const [ada, bo, cy, dev] = experts as [(typeof experts)[number], (typeof experts)[number], (typeof experts)[number], (typeof experts)[number]];

  // The asker looks for who knows about it, and asks from there.
  await signInAs(page, asker.email);
  await page.goto(`/people/search?q=${word}`);
  await expect(page.getByRole("main").getByRole("link", { name: ada.name })).toBeVisible();
  await expect(page.getByText("Nobody has asked about this yet")).toBeVisible();
  await page.getByRole("link", { name: "Ask the people who know" }).click();
  const title = page.getByLabel("Your question");
  await expect(title).toHaveValue(word);
  // Too short: refused, and what was typed stays.
  await title.fill("Why?");
  await page.getByLabel("Details (optional)").fill("Please help.");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByText("Write your question in a line (at least 8 characters).")).toBeVisible();
  await expect(page.getByLabel("Details (optional)")).toHaveValue("Please help.");
  await title.fill(`Who knows ${word} best?`);
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByText("Asked. 3 people who know about it have been told.")).toBeVisible();
  const askedLine = page.locator("p").filter({ hasText: /^Asked: / });
  await expect(askedLine).toHaveText(`Asked: ${ada.name}, ${bo.name}, ${cy.name}`);
  const questionUrl = new URL(page.url()).pathname;
  await expectNoSidewaysScroll(page);

  // The first person asked hears about it in their bell and passes it on.
  const first = await elsewhere(browser, testInfo, ada.email);
  await first.goto("/notifications");
  await first.getByRole("link", { name: new RegExp(`Ari Asker asks you: “Who knows ${word} best`) }).click();
  await expect(first).toHaveURL(new RegExp(`${questionUrl}$`));
  // Who else was asked is the asker's business only.
  await expect(first.locator("p").filter({ hasText: /^Asked: / })).toHaveCount(0);
  await first.getByRole("button", { name: "Pass it on to someone else" }).click();
  await expect(first.getByText("Passed on: the next person who knows about it has been asked.")).toBeVisible();
  await expect(first.getByText("You passed this question on.")).toBeVisible();
  await first.context().close();

  // The next in line finds it under "Asked to me"; the asker sees who is asked now.
  const next = await elsewhere(browser, testInfo, dev.email);
  await next.goto("/questions?tab=asked");
  await expect(next.getByRole("link", { name: `Who knows ${word} best?` })).toBeVisible();
  await next.context().close();
  await page.reload();
  await expect(askedLine).toHaveText(`Asked: ${bo.name}, ${cy.name}, ${dev.name}`);
});

test("a go-to person answers, the asker accepts the answer and sees its points, and the next person finds it @phone", async ({ page, browser }, testInfo) => {
  const word = wordFor(testInfo);
  const { experts, asker } = await colleaguesWhoKnow(word);
  const ada = experts[0]!;
  const { askQuestionCommand } = await import("~/services/commands/questions.server");
  const { id } = await askQuestionCommand(asker, { title: `Where do I start with ${word}?`, body: "", clientKey: `ask-${word}` });

  // The go-to person answers from the question in their list.
  const expert = await elsewhere(browser, testInfo, ada.email);
  await expert.goto("/questions?tab=asked");
  await expert.getByRole("link", { name: `Where do I start with ${word}?` }).click();
  await expect(expert.getByText("You were asked because your ideas on this drew support.")).toBeVisible();
  await expert.getByLabel("Your answer").fill("A stone oven at 250 degrees, steam for the first ten minutes.");
  await expert.getByRole("button", { name: "Post answer" }).click();
  await expect(expert.getByRole("article", { name: `Answer by ${ada.name}` })).toContainText("A stone oven");
  await expectNoSidewaysScroll(expert);

  // The asker accepts it: once, with its points shown.
  await signInAs(page, asker.email);
  await page.goto(`/questions/${id}`);
  await page.getByRole("article", { name: `Answer by ${ada.name}` }).getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByText("Answer accepted: its author earns 20 points.")).toBeVisible();
  await expect(page.getByRole("article", { name: `Accepted answer by ${ada.name}` })).toContainText(`Accepted answer · +25 points to ${ada.name}`);
  await expect(page.getByRole("button", { name: "Accept this answer" })).toHaveCount(0);
  await expectNoSidewaysScroll(page);

  // The one who answered hears about it, with the points.
  await expert.goto("/notifications");
  await expect(expert.getByText(new RegExp(`Ari Asker accepted your answer to “Where do I start with ${word}\\?”: \\+20 points`))).toBeVisible();
  await expert.context().close();

  // The next person finds it by the words of the accepted answer.
  await page.goto(`/questions?tab=answered&q=${word}+stone`);
  await expect(page.getByRole("link", { name: `Where do I start with ${word}?` })).toBeVisible();
  if (testInfo.project.name !== "phone") {
    await page.goto(`/questions/${id}`);
    await expectNoAccessibilityViolations(page);
  }
});
