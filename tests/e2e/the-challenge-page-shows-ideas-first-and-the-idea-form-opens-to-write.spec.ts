import { expect, test } from "@playwright/test";
import { participantFor, signInQuickly, uniqueTitle } from "./fixtures";
import { liveJamOfItsOwn } from "./jam-of-its-own";

test("the challenge page opens on its ideas with a one-line idea form that opens to write, and posting works @phone", async ({ page }, testInfo) => {
  const { challengeUrl, titles } = await liveJamOfItsOwn("support", 3);
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(challengeUrl);
  const form = page.getByRole("form", { name: "Share an idea" });
  const title = form.getByLabel("Title");
  await expect(title).toBeVisible();
  // Folded: only the title field, so the ideas are in the first screen.
  await expect(form.getByLabel("Describe your idea")).toBeHidden();
  await expect(form.getByRole("button", { name: "Post idea" })).toBeHidden();
  expect((await form.boundingBox())!.height).toBeLessThan(120);
  const newest = page.getByRole("article").filter({ hasText: titles[2]! });
  await expect(newest).toBeInViewport();

  // Going to write opens it; posting works.
  await title.click();
  await expect(form.getByLabel("Describe your idea")).toBeVisible();
  const mine = uniqueTitle("Label the meeting rooms");
  await title.fill(mine);
  await form.getByLabel("Describe your idea").fill("Nobody can find room 4B.");
  await form.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: mine })).toBeVisible();
});

test("without JavaScript the idea form is simply shown in full", async ({ browser }, testInfo) => {
  const { challengeUrl } = await liveJamOfItsOwn("support", 1);
  const { baseURL, viewport } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(challengeUrl);
  await expect(page.getByLabel("Describe your idea")).toBeVisible();
  await expect(page.getByRole("button", { name: "Post idea" })).toBeVisible();
  await context.close();
});
