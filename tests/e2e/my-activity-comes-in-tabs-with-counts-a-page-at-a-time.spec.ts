import { expect, test } from "@playwright/test";
import { participantFor, serverDatabase, signInQuickly } from "./fixtures";
import { liveJamOfItsOwn } from "./jam-of-its-own";

test("my activity is in tabs with counts, a page of 20 at a time, and not endless on a phone @phone", async ({ page }, testInfo) => {
  const { titles } = await liveJamOfItsOwn("support", 1);
  const role = participantFor(testInfo);
  const { person } = await serverDatabase();
  const { postComment } = await import("~/services/commands/comments.server");
  const { db } = await import("~db/client");
  const { ideas } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  const idea = (await db().select().from(ideas).where(eq(ideas.title, titles[0]!)).get())!;
  for (let i = 1; i <= 25; i++) await postComment(await person(role), { ideaId: idea.id, body: `Edge note ${i} on ${idea.title}`, clientKey: `edges-me-${idea.id}-${i}` });

  await signInQuickly(page, role);
  await page.goto("/me");
  const tabs = page.getByRole("navigation", { name: "My activity" });
  await expect(tabs.getByRole("link", { name: /^Ideas \d+$/ })).toHaveAttribute("aria-current", "page");
  const commentsTab = tabs.getByRole("link", { name: /^Comments \d+$/ });
  const total = Number((await commentsTab.innerText()).replace(/\D/g, ""));
  expect(total).toBeGreaterThanOrEqual(25);
  await expect(page.getByRole("region", { name: "My comments" })).toHaveCount(0);

  await commentsTab.click();
  await expect(page).toHaveURL(/\/me\?tab=comments$/);
  const comments = page.getByRole("region", { name: "My comments" });
  await expect(commentsTab).toHaveAttribute("aria-current", "page");
  await expect(comments.getByText(`Showing 1–20 of ${total.toLocaleString("en")} comments`)).toBeVisible();
  await expect(comments.getByRole("listitem")).toHaveCount(20);
  await expect(comments.getByText(`Edge note 25 on ${idea.title}`)).toBeVisible();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height, "a tab of 20 comments, not every list at once").toBeLessThan(testInfo.project.name === "phone" ? 5000 : 3500);

  await comments.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL(/\/me\?tab=comments&page=2$/);
  await expect(page.getByRole("region", { name: "My comments" }).getByText(/^Showing 21–/)).toBeVisible();

  await tabs.getByRole("link", { name: /^Sign-ins \d+$/ }).click();
  await expect(page.getByRole("heading", { name: "Where you are signed in" })).toBeVisible();
});
