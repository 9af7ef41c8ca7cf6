import { expect, test } from "@playwright/test";
import { E2E_ENDED_JAM, E2E_LIVE_JAM, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, signInQuickly } from "./fixtures";

// One page a test: each finishes in a few seconds, and a failure names its page.

for (const [name, path] of [
  ["the sign-in page", "/login"],
  ["the sign-up page", "/signup"],
] as const) {
  test(`${name} has no accessibility violations @phone`, async ({ page }) => {
    await page.goto(path);
    await expectNoAccessibilityViolations(page);
  });
}

for (const [name, path] of [
  ["the jams list", "/jams"],
  ["a live jam's home", `/jams/${E2E_LIVE_JAM.slug}`],
  ["an ended jam's home", `/jams/${E2E_ENDED_JAM.slug}`],
  ["my activity", "/me"],
  ["the overall leaderboard", "/leaderboard"],
  ["a jam's leaderboard", `/jams/${E2E_LIVE_JAM.slug}/leaderboard`],
] as const) {
  test(`${name} has no accessibility violations @phone`, async ({ page }) => {
    await signInQuickly(page, "leader");
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoAccessibilityViolations(page);
  });
}

test("a person's profile has no accessibility violations @phone", async ({ page }) => {
  await signInQuickly(page, "leader");
  await page.goto("/jams");
  await page.getByRole("link", { name: /Your profile/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_USERS.leader.name })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Badges" })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});

test("a challenge page and an idea page have no accessibility violations @phone", async ({ page }) => {
  await signInQuickly(page, "leader");
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: /Meetings that matter/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Meetings that matter/ })).toBeVisible();
  await expectNoAccessibilityViolations(page);
  await page.getByRole("article").first().getByRole("heading").getByRole("link").click();
  await expect(page).toHaveURL(/\/ideas\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});

for (const [name, path] of [
  ["the new jam form", "/jams/new"],
  ["a jam's edit form", `/jams/${E2E_LIVE_JAM.slug}/edit`],
] as const) {
  test(`${name} has no accessibility violations`, async ({ page }) => {
    await signInQuickly(page, "facilitator");
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoAccessibilityViolations(page);
  });
}

test("the people admin page has no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "admin");
  await page.goto("/admin/people");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});
