import { expect, test } from "@playwright/test";
import { E2E_ENDED_JAM } from "./accounts";
import { ideaIdOf, participantFor, SAME_ORIGIN, signIn } from "./fixtures";

const IDEA = "Retrospectives every quarter";

test("in an ended jam nobody can post, vote or comment any more @phone", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  const pastJams = page.getByRole("region", { name: "Past jams" });
  await expect(pastJams.getByRole("link", { name: new RegExp(E2E_ENDED_JAM.title) })).toContainText("Ended");
  await pastJams.getByRole("link", { name: new RegExp(E2E_ENDED_JAM.title) }).click();

  await expect(page.getByRole("heading", { level: 1, name: E2E_ENDED_JAM.title })).toBeVisible();
  await expect(page.locator(".page-head .badge")).toHaveText("Ended");
  await expect(page.getByRole("timer")).toHaveCount(0);

  await page.getByRole("link", { name: /Looking back/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Looking back" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Share an idea" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Post idea" })).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "This jam has ended." })).toContainText(
    "Ideas can no longer be posted or voted on.",
  );
  const card = page.getByRole("article").filter({ hasText: IDEA });
  const vote = card.getByRole("button", { name: /This jam has ended/ });
  await expect(vote).toBeDisabled();
  await expect(vote).toHaveAccessibleName(/\b0 votes\. This jam has ended\./);

  await card.getByRole("link", { name: IDEA }).click();
  await expect(page.getByRole("heading", { level: 1, name: IDEA })).toBeVisible();
  await expect(page.getByRole("button", { name: /This jam has ended/ })).toBeDisabled();
  await expect(page.getByLabel("Add a comment")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Post comment" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Post reply" })).toHaveCount(0);
  await expect(page.getByText("The discussion is closed.")).toBeVisible();

  // Going around the disabled button does not help: the server refuses the vote and the comment.
  const ideaPath = new URL(page.url()).pathname;
  expect(ideaIdOf(page)).toBeGreaterThan(0);
  const vote2 = await page.request.post(ideaPath, { form: { intent: "vote", js: "1" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(vote2.status(), "a vote after the end is a conflict").toBe(409);
  const comment = await page.request.post(ideaPath, {
    form: { intent: "comment", body: "Too late?", clientKey: "e2e-late-comment-1", parentId: "" },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(comment.status(), "a comment after the end is a conflict").toBe(409);
  await page.reload();
  await expect(page.getByRole("button", { name: /This jam has ended/ })).toHaveAccessibleName(/\b0 votes\. This jam has ended\./);
  await expect(page.getByText("Too late?")).toHaveCount(0);
});
