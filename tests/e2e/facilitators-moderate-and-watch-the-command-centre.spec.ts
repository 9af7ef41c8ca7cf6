import { expect, test, type Page } from "@playwright/test";
import { E2E_MODERATION_IDEAS, E2E_MODERATION_JAM } from "./accounts";
import { expectNoAccessibilityViolations, signIn, signInElsewhere } from "./fixtures";

const jamHome = `/jams/${E2E_MODERATION_JAM.slug}`;

async function openIdea(page: Page, title: string) {
  await page.goto(jamHome);
  await page.getByRole("link", { name: title }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The live stream connects after hydration.
  await page.waitForFunction(() => document.readyState === "complete");
}

test("a flagged idea reaches the command centre live, is hidden with a reason its author sees, and is restored", async ({
  page,
  browser,
}, testInfo) => {
  // The facilitator watches the command centre, reached from the jam's home page.
  await signIn(page, "facilitator");
  await page.goto(jamHome);
  await page.getByRole("link", { name: "Command centre" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Command centre" })).toBeVisible();
  await expect(page.getByText("No open flags")).toBeVisible();
  await expect(page.getByRole("img", { name: /Ideas and comments per minute/ })).toBeVisible();
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(300);
  await expectNoAccessibilityViolations(page);

  // A participant flags the idea, with a reason.
  const flagger = await signInElsewhere(browser, testInfo, "flagger");
  await openIdea(flagger, E2E_MODERATION_IDEAS.flagged);
  await flagger.getByText("Flag this idea").click();
  await flagger.getByLabel("What is wrong?").fill("It names a colleague who did not agree to it.");
  await flagger.getByRole("button", { name: "Send flag" }).click();
  await expect(flagger.getByText("You flagged this idea. A facilitator will review it.")).toBeVisible();
  await flagger.reload();
  await expect(flagger.getByText("You flagged this idea. A facilitator will review it.")).toBeVisible();
  await flagger.context().close();

  // The queue shows it without a reload; the facilitator hides it with a reason.
  const queue = page.getByRole("region", { name: /Flag queue/ });
  const item = queue.getByRole("listitem").filter({ hasText: E2E_MODERATION_IDEAS.flagged }).first();
  await expect(item).toBeVisible({ timeout: 10_000 });
  await expect(item).toContainText("It names a colleague who did not agree to it.");
  await expect(item).toContainText("Finn Flagger");
  await item.getByLabel("Reason shown to the author, if you hide it").fill("Please leave colleagues' names out of ideas.");
  await item.getByRole("button", { name: "Hide idea" }).click();
  await expect(page.getByText("No open flags")).toBeVisible();

  // The author sees why, on My activity and on the idea's page; others no longer find it.
  const author = await signInElsewhere(browser, testInfo, "moderatedAuthor");
  await author.goto("/me");
  // (The merge test may have hidden this author's duplicate too.)
  await expect(author.getByRole("status").filter({ hasText: /A moderator hid (one|\d+) of your contributions/ })).toBeVisible();
  const mine = author.getByRole("listitem").filter({ hasText: E2E_MODERATION_IDEAS.flagged });
  await expect(mine).toContainText("Hidden by a moderator");
  await expect(mine).toContainText("Please leave colleagues' names out of ideas.");
  await mine.getByRole("link", { name: E2E_MODERATION_IDEAS.flagged }).click();
  await expect(author.getByText("Hidden by a moderator:")).toBeVisible();
  await expect(author.getByText("Please leave colleagues' names out of ideas.")).toBeVisible();
  await expect(author.getByRole("button", { name: "Restore idea" })).toHaveCount(0);
  const hiddenUrl = author.url();

  const someoneElse = await signInElsewhere(browser, testInfo, "duplicateVoter");
  const notFound = await someoneElse.goto(hiddenUrl);
  expect(notFound?.status()).toBe(404);
  await someoneElse.context().close();

  // The facilitator restores it from its page.
  await page.goto(hiddenUrl);
  await expect(page.getByText("Please leave colleagues' names out of ideas.")).toBeVisible();
  await page.getByRole("button", { name: "Restore idea" }).click();
  await expect(page.getByText("Hidden by a moderator:")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Moderate" })).toBeVisible();

  await author.goto("/me");
  await expect(author.getByRole("listitem").filter({ hasText: E2E_MODERATION_IDEAS.flagged })).not.toContainText("Hidden by a moderator");
  await author.context().close();
});

test("a facilitator merges a duplicate after seeing both titles, and the kept idea shows the combined votes", async ({ page }) => {
  await signIn(page, "facilitator");
  await openIdea(page, E2E_MODERATION_IDEAS.kept);
  await expect(page.getByRole("button", { name: /1 vote\b/ })).toBeVisible();
  await openIdea(page, E2E_MODERATION_IDEAS.duplicate);
  await expect(page.getByRole("button", { name: /2 votes/ })).toBeVisible();

  const panel = page.getByRole("region", { name: "Moderate" });
  await panel.getByText("Merge into another idea…").click();
  await expectNoAccessibilityViolations(page);
  // Typing part of the kept idea's title finds it among the jam's ideas.
  const words = E2E_MODERATION_IDEAS.kept.split(" ").slice(1, 3).join(" ").toLowerCase();
  await panel.getByLabel("Keep this idea").fill(words);
  const match = panel.getByRole("list", { name: "Matching ideas" }).getByRole("button", { name: new RegExp(E2E_MODERATION_IDEAS.kept) });
  await match.click();
  await expect(panel.getByRole("status").filter({ hasText: E2E_MODERATION_IDEAS.kept })).toBeVisible();
  await panel.getByRole("button", { name: "Review merge" }).click();
  const confirm = panel.getByRole("heading", {
    name: `Merge “${E2E_MODERATION_IDEAS.duplicate}” into “${E2E_MODERATION_IDEAS.kept}”?`,
  });
  await expect(confirm).toBeVisible();
  await expect(confirm).toBeFocused();
  await panel.getByRole("button", { name: "Confirm merge" }).click();

  // The duplicate is hidden and points to the kept idea.
  await expect(page.getByText(`Merged into “${E2E_MODERATION_IDEAS.kept}”`)).toBeVisible();
  await page.getByRole("link", { name: E2E_MODERATION_IDEAS.kept }).click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_MODERATION_IDEAS.kept })).toBeVisible();
  // Finn supported both and keeps one vote; Dana's vote moved: two in all.
  await expect(page.getByRole("button", { name: /2 votes/ })).toBeVisible();

  await page.goto(jamHome);
  await expect(page.getByRole("link", { name: E2E_MODERATION_IDEAS.duplicate })).toHaveCount(0);
});
