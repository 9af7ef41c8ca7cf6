import { expect, test } from "@playwright/test";
import { E2E_COLLEAGUE_IDEA_TITLE, E2E_LIVE_JAM } from "./accounts";
import { participantFor, signIn, uniqueTitle } from "./fixtures";

test("participant posts an idea, votes on a colleague's, comments and finds it by search @phone", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  await page.getByRole("link", { name: new RegExp(E2E_LIVE_JAM.title) }).click();
  await page.getByRole("link", { name: /Meetings that matter/ }).click();

  const title = uniqueTitle("Walking one-to-ones");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill("Take one-to-ones outside when the weather allows.");
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  await page.getByRole("link", { name: "Meetings that matter" }).click();
  const colleagueIdea = page.getByRole("article").filter({ hasText: E2E_COLLEAGUE_IDEA_TITLE });
  // A retry on the same database may find the vote from the first attempt: take it back first.
  const withdraw = colleagueIdea.getByRole("button", { name: /Withdraw your vote/ });
  if (await withdraw.isVisible()) {
    await withdraw.click();
    await expect(withdraw).toHaveCount(0);
  }
  const vote = colleagueIdea.getByRole("button", { name: /Vote for this idea/ });
  await vote.click();
  await expect(colleagueIdea.getByRole("button", { name: /Withdraw your vote/ })).toHaveAttribute("aria-pressed", "true");

  await colleagueIdea.getByRole("link", { name: E2E_COLLEAGUE_IDEA_TITLE }).click();
  const comment = uniqueTitle("We tried this in Sales");
  await page.getByLabel("Add a comment").fill(comment);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText(comment)).toBeVisible();

  await page.getByRole("link", { name: "Meetings that matter" }).click();
  await page.getByLabel("Search ideas in this challenge").fill(title.split(" ").at(-1)!);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByRole("link", { name: E2E_COLLEAGUE_IDEA_TITLE })).toHaveCount(0);
});
