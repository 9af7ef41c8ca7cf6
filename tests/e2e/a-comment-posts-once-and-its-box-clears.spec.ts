import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { E2E_TYPING_JAM } from "./accounts";
import { signIn, uniqueTitle } from "./fixtures";

async function openIdea(page: Page, testInfo: TestInfo) {
  await signIn(page, testInfo.project.name === "phone" ? "phoneTypist" : "typist");
  await page.goto(`/jams/${E2E_TYPING_JAM.slug}`);
  await page.getByRole("link", { name: new RegExp(E2E_TYPING_JAM.challenge) }).click();
  await page.getByRole("link", { name: "Meetings with an agenda sent the day before" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Meetings with an agenda sent the day before" })).toBeVisible();
  await page.waitForFunction(() => document.readyState === "complete");
}

test("a posted comment appears once, highlighted, and its box starts empty, so a second click posts nothing @phone", async ({ page }, testInfo) => {
  await openIdea(page, testInfo);
  const text = uniqueTitle("We send ours two days ahead");
  const box = page.getByLabel("Add a comment");
  await box.fill(text);
  await page.getByRole("button", { name: "Post comment" }).click();
  const posted = page.getByRole("article", { name: /^Comment by/ }).filter({ hasText: text });
  await expect(posted).toHaveCount(1);
  await expect(posted).toHaveClass(/comment--new/);
  await expect(box).toHaveValue("");
  // The main form comes first in the discussion; its counter follows the emptied box.
  await expect(page.getByRole("region", { name: /^Discussion/ }).locator(".counter").first()).toHaveText("0 / 2,000");
  // A second click on the empty box asks for text; it does not post the comment again.
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Write a comment first." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("article", { name: /^Comment by/ }).filter({ hasText: text })).toHaveCount(1);
});

test("a double click on Post comment posts one comment", async ({ page }, testInfo) => {
  await openIdea(page, testInfo);
  const text = uniqueTitle("Agendas in the invite");
  await page.getByLabel("Add a comment").fill(text);
  await page.getByRole("button", { name: "Post comment" }).dblclick();
  await expect(page.getByRole("article", { name: /^Comment by/ }).filter({ hasText: text })).toHaveCount(1);
  await page.reload();
  await expect(page.getByRole("article", { name: /^Comment by/ }).filter({ hasText: text })).toHaveCount(1);
});

test("a refused comment keeps its message and its text when a live update reloads the page's data", async ({ page, browser }, testInfo) => {
  await openIdea(page, testInfo);
  const tooLong = "x".repeat(2_001);
  await page.getByLabel("Add a comment").fill(tooLong);
  await page.getByRole("button", { name: "Post comment" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: /2,000/ });
  await expect(refusal).toBeVisible();
  // Someone else comments on the same idea: the page hears it live and reloads its data.
  const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const colleague = await other.newPage();
  await signIn(colleague, "colleague");
  await colleague.goto(page.url());
  await colleague.getByLabel("Add a comment").fill(uniqueTitle("Live from elsewhere"));
  await colleague.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText(/Live from elsewhere/)).toBeVisible();
  await expect(refusal).toBeVisible();
  await expect(page.getByLabel("Add a comment")).toHaveValue(tooLong);
  await other.close();
});
