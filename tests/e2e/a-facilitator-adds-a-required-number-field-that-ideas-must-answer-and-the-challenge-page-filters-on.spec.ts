import { expect, test, type Page } from "@playwright/test";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, participantFor, serverDatabase, signInElsewhere, signInQuickly, uniqueTitle } from "./fixtures";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";

/** A live jam of the test's own with one challenge and no template yet (made with the services on the server's database). */
async function challengeOfItsOwn() {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const now = Date.now();
  const title = uniqueTitle("Meetings");
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "Fewer meetings", question: "How could we spend less time in meetings?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  return { url: `/jams/${jam.slug}/challenges/${challenge!.id}`, challengeId: challenge!.id, person };
}

async function openForm(page: Page) {
  await page.waitForFunction(() => document.readyState === "complete");
  const form = page.locator("form.idea-form");
  await form.getByLabel("Title").click();
  return form;
}

test("a facilitator adds a required number field; an idea without it is refused keeping what was typed, with it the card shows the answer and the page filters on it @phone", async ({
  page,
  browser,
}, testInfo) => {
  const { url } = await challengeOfItsOwn();

  // The facilitator adds the field from the challenge page.
  await signInQuickly(page, "facilitator");
  await page.goto(url);
  await page.getByRole("link", { name: "Idea template" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Idea template" })).toBeVisible();
  await expect(page.getByText("No fields yet")).toBeVisible();
  const add = page.locator("#add-field");
  await add.getByLabel("Label").fill("Hours saved a week");
  await add.getByLabel("Kind of answer").selectOption("number");
  await add.getByLabel("Lowest value (optional)").fill("0");
  await add.getByLabel("Unit (optional)").fill("hours");
  await add.getByLabel("Required").check();
  await add.getByRole("button", { name: "Add field" }).click();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /Hours saved a week/ }) });
  await expect(card).toContainText("Required");
  await expect(card).toContainText("A number at least 0 hours.");
  await expectNoSidewaysScroll(page);

  // A participant's idea without it is refused, and everything typed is still there.
  const participant = await signInElsewhere(browser, testInfo, participantFor(testInfo));
  await participant.goto(url);
  let form = await openForm(participant);
  const title = uniqueTitle("Walking one-to-ones");
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Describe your idea").fill("Take one-to-ones outside, on foot.");
  await form.getByRole("button", { name: "Post idea" }).click();
  await expect(form.getByText("“Hours saved a week” is required.")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue(title);
  await expect(form.getByLabel("Describe your idea")).toHaveValue("Take one-to-ones outside, on foot.");
  await expect(form.getByLabel(/Hours saved a week/)).toHaveAttribute("aria-invalid", "true");
  // Not a number: a clear message, the text kept as typed.
  await form.getByLabel(/Hours saved a week/).fill("two");
  await form.getByRole("button", { name: "Post idea" }).click();
  await expect(form.getByText("“Hours saved a week” must be a number, like 1200 or 3.5.")).toBeVisible();
  await expect(form.getByLabel(/Hours saved a week/)).toHaveValue("two");
  await expect(form.getByLabel("Title")).toHaveValue(title);
  await expectNoSidewaysScroll(participant);

  // With it, the idea posts and shows the answer on its page and its card.
  await form.getByLabel(/Hours saved a week/).fill("3");
  await form.getByRole("button", { name: "Post idea" }).click();
  await expect(participant.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(participant.locator(".idea-answers")).toContainText("Hours saved a week");
  await expect(participant.locator(".idea-answers")).toContainText("3 hours");
  await participant.goto(url);
  const ideaCard = participant.getByRole("article", { name: title });
  await expect(ideaCard).toContainText("Hours saved a week: 3 hours");

  // The challenge page filters on it: in the address, with an empty state and a way back.
  await participant.waitForFunction(() => document.readyState === "complete");
  await participant.getByText("Filter by answers").click();
  const filters = participant.locator(".template-filters");
  await filters.getByLabel("At least").fill("2");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(participant).toHaveURL(/_min=2/);
  // Only the filters in use are in the address.
  await expect(participant).not.toHaveURL(/_max=/);
  await expect(participant.getByRole("article", { name: title })).toBeVisible();
  await filters.getByLabel("At least").fill("5");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(participant).toHaveURL(/_min=5/);
  await expect(participant.getByRole("heading", { name: "No ideas match" })).toBeVisible();
  await participant.goBack();
  await expect(participant).toHaveURL(/_min=2/);
  await expect(participant.getByRole("article", { name: title })).toBeVisible();
  await participant.goForward();
  await participant.getByRole("link", { name: "Clear the filters" }).click();
  await expect(participant).not.toHaveURL(/_min=/);
  await expect(participant.getByRole("article", { name: title })).toBeVisible();
  await participant.context().close();
});

test("without JavaScript, a refused idea keeps its title, description and every field @phone", async ({ browser }, testInfo) => {
  const { url, challengeId, person } = await challengeOfItsOwn();
  const { addTemplateField } = await import("~/services/commands/templates.server");
  const facilitator = await person("facilitator");
  await addTemplateField(facilitator, { challengeId, label: "Hours saved", kind: "number", required: "on", unit: "hours" });
  await addTemplateField(facilitator, { challengeId, label: "Who it is for", kind: "choice", options: "One team\nEveryone" });
  await addTemplateField(facilitator, { challengeId, label: "Tried it already", kind: "yes_no" });
  await addTemplateField(facilitator, { challengeId, label: "Read more", kind: "link" });

  const { viewport } = testInfo.project.use;
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS[participantFor(testInfo)].email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
  await page.goto(url);
  const form = page.locator("form.idea-form");
  await form.getByLabel("Title").fill("Walking one-to-ones");
  await form.getByLabel("Describe your idea").fill("Outside, on foot.");
  await form.getByLabel(/Who it is for/).selectOption("Everyone");
  await form.getByRole("radio", { name: "Yes" }).check();
  await form.getByLabel(/Read more/).fill("javascript:alert(1)");
  await form.getByRole("button", { name: "Post idea" }).click();
  await expect(form.getByText("“Hours saved” is required.")).toBeVisible();
  await expect(form.getByText("“Read more” must be a web address starting with https:// or http://.")).toBeVisible();
  await expect(form.getByLabel("Title")).toHaveValue("Walking one-to-ones");
  await expect(form.getByLabel("Describe your idea")).toHaveValue("Outside, on foot.");
  await expect(form.getByLabel(/Who it is for/)).toHaveValue("Everyone");
  await expect(form.getByRole("radio", { name: "Yes" })).toBeChecked();
  await expect(form.getByLabel(/Read more/)).toHaveValue("javascript:alert(1)");
  await context.close();
});

test("the template editor and a challenge with a template pass axe", async ({ page }) => {
  const { url, challengeId, person } = await challengeOfItsOwn();
  const { addTemplateField } = await import("~/services/commands/templates.server");
  await addTemplateField(await person("facilitator"), { challengeId, label: "Who it is for", kind: "choice", options: "One team\nEveryone", required: "on" });
  await addTemplateField(await person("facilitator"), { challengeId, label: "Tried it already", kind: "yes_no" });
  await signInQuickly(page, "facilitator");
  await page.goto(`${url}/template`);
  await expect(page.getByRole("heading", { level: 1, name: "Idea template" })).toBeVisible();
  await expectNoAccessibilityViolations(page);
  await page.goto(url);
  await page.waitForFunction(() => document.readyState === "complete");
  await page.locator("form.idea-form").getByLabel("Title").click();
  await page.getByText("Filter by answers").click();
  await expectNoAccessibilityViolations(page);
});
