import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, serverDatabase } from "./fixtures";

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
  const { createJam, jamChallenges } = await import("~/services/jams.server");
  const { postIdea } = await import("~/services/ideas.server");
  const { castVote } = await import("~/services/votes.server");
  const passwordHash = hashSync(E2E_PASSWORD);
  const now = Date.now();
  const person = (name: string, role: "participant" | "facilitator" = "participant") => {
    const department = db().insert(departments).values({ name: `${name} team ${word}` }).returning().get();
    return db()
      .insert(users)
      .values({ name, email: `${name.split(" ")[0]!.toLowerCase()}-${word}@e2e.test`, passwordHash, role, departmentId: department.id, emailVerifiedAt: now, createdAt: now })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get();
  };
  const facilitator = person("Fay Host", "facilitator");
  const jam = createJam(
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
  const [challenge] = jamChallenges(jam.id);
  const experts = ["Ada Baker", "Bo Crust", "Cy Dough", "Dev Levain"].map((n) => person(n));
  experts.forEach((expert, i) => {
    const idea = postIdea(expert, {
      challengeId: challenge!.id,
      title: `${word} on Fridays, by ${expert.name}`,
      body: `We share ${word} once a week.`,
      clientKey: `bread-${word}-${i}`,
    });
    for (let s = 0; s < 4 - i; s++) castVote(person(`Fan${i}x${s} Supporter`), { ideaId: idea.id });
  });
  const asker = person("Ari Asker");
  return { experts, asker };
}

async function signInAs(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
}

async function elsewhere(browser: Browser, testInfo: TestInfo, email: string) {
  const { baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}

test("a question goes to the people who know; one passes it on, the next answers, and the asker accepts the answer and sees its points @phone", async ({
  page,
  browser,
}, testInfo) => {
  const word = `rye${Date.now().toString(36)}${testInfo.project.name === "phone" ? "p" : "d"}`;
  const { experts, asker } = await colleaguesWhoKnow(word);
  const [ada, bo, cy, dev] = experts as [(typeof experts)[number], (typeof experts)[number], (typeof experts)[number], (typeof experts)[number]];

  // The asker looks for who knows about it, and asks from there.
  await signInAs(page, asker.email);
  await page.goto(`/people/search?q=${word}`);
  await expect(page.getByRole("main").getByRole("link", { name: ada.name })).toBeVisible();
  await expect(page.getByRole("heading", { name: `Questions about “${word}”` })).toBeVisible();
  await expect(page.getByText("Nobody has asked about this yet")).toBeVisible();
  await page.getByRole("link", { name: "Ask the people who know" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ask the people who know" })).toBeVisible();
  const title = page.getByLabel("Your question");
  await expect(title).toHaveValue(word);
  // Too short: refused, and what was typed stays.
  await title.fill("Why?");
  await page.getByLabel("Details (optional)").fill("It never rises.");
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByText("Write your question in a line (at least 8 characters).")).toBeVisible();
  await expect(page.getByLabel("Details (optional)")).toHaveValue("It never rises.");
  await title.fill(`What flour works best for ${word}?`);
  await page.getByRole("button", { name: "Ask" }).click();
  await expect(page.getByText("Asked. 3 people who know about it have been told.")).toBeVisible();
  const askedLine = page.locator("p").filter({ hasText: /^Asked: / });
  await expect(askedLine).toHaveText(`Asked: ${ada.name}, ${bo.name}, ${cy.name}`);
  const questionUrl = new URL(page.url()).pathname;
  await expectNoSidewaysScroll(page);

  // The first person asked hears about it in their bell and passes it on.
  const first = await elsewhere(browser, testInfo, ada.email);
  await first.goto("/notifications");
  await first.getByRole("link", { name: new RegExp(`Ari Asker asks you: “What flour works best for ${word}`) }).click();
  await expect(first).toHaveURL(new RegExp(`${questionUrl}$`));
  await expect(first.locator("p").filter({ hasText: /^Asked: / })).toHaveCount(0);
  await first.getByRole("button", { name: "Pass it on to someone else" }).click();
  await expect(first.getByText("Passed on: the next person who knows about it has been asked.")).toBeVisible();
  await expect(first.getByText("You passed this question on.")).toBeVisible();
  await first.context().close();

  // The next in line finds it under "Asked to me", and answers.
  const next = await elsewhere(browser, testInfo, dev.email);
  await next.goto("/questions?tab=asked");
  await next.getByRole("link", { name: `What flour works best for ${word}?` }).click();
  await expect(next.getByText("You were asked because your ideas on this drew support.")).toBeVisible();
  await next.getByLabel("Your answer").fill("Keep it in the fridge and feed it twice a week.");
  await next.getByRole("button", { name: "Post answer" }).click();
  await expect(next.getByRole("article", { name: `Answer by ${dev.name}` })).toContainText("Keep it in the fridge");
  await expectNoSidewaysScroll(next);

  // The asker sees who is asked now, and accepts the answer.
  await page.reload();
  await expect(askedLine).toHaveText(`Asked: ${bo.name}, ${cy.name}, ${dev.name}`);
  const answer = page.getByRole("article", { name: `Answer by ${dev.name}` });
  await answer.getByRole("button", { name: "Accept this answer" }).click();
  await expect(page.getByText("Answer accepted: its author earns 20 points.")).toBeVisible();
  const accepted = page.getByRole("article", { name: `Accepted answer by ${dev.name}` });
  await expect(accepted).toContainText(`Accepted answer · +25 points to ${dev.name}`);
  await expect(page.getByRole("button", { name: "Accept this answer" })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await expectNoAccessibilityViolations(page);

  // The one who answered hears about it, with the points.
  await next.goto("/notifications");
  await expect(next.getByText(new RegExp(`Ari Asker accepted your answer to “What flour works best for ${word}\\?”: \\+20 points`))).toBeVisible();
  await next.goto(questionUrl);
  await expect(next.getByRole("article", { name: `Accepted answer by ${dev.name}` })).toContainText("Accepted answer · +25 points to you");
  await next.context().close();

  // The next person finds it, by the words of the accepted answer.
  await page.goto("/questions?tab=answered&q=fridge");
  await expect(page.getByRole("link", { name: `What flour works best for ${word}?` })).toBeVisible();
});
