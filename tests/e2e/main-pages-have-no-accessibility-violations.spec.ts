import { expect, test } from "@playwright/test";
import { E2E_ENDED_JAM, E2E_LIVE_JAM, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, serverDatabase, signInQuickly } from "./fixtures";

// One page a test: each finishes in a few seconds, and a failure names its page.

for (const [name, path] of [
  ["the sign-in page", "/login"],
  ["the sign-up page", "/signup"],
  ["the forgot-password page", "/forgot-password"],
] as const) {
  test(`${name} has no accessibility violations @phone`, async ({ page }) => {
    await page.goto(path);
    await expectNoAccessibilityViolations(page);
  });
}

for (const [name, path, role] of [
  ["the jams list", "/jams", "leader"],
  ["a live jam's home", `/jams/${E2E_LIVE_JAM.slug}`, "leader"],
  ["an ended jam's home", `/jams/${E2E_ENDED_JAM.slug}`, "leader"],
  ["my activity", "/me", "leader"],
  ["your data on my activity", "/me?tab=data", "leader"],
  ["erasing your account", "/me/erase", "leader"],
  ["the overall leaderboard", "/leaderboard", "leader"],
  ["the jellies list", "/jellies", "leader"],
  ["the jelly proposal form", "/jellies/new", "leader"],
  ["a jam's leaderboard", `/jams/${E2E_LIVE_JAM.slug}/leaderboard`, "leader"],
  ["the new jam form", "/jams/new", "facilitator"],
  ["a jam's edit form", `/jams/${E2E_LIVE_JAM.slug}/edit`, "facilitator"],
  ["a jam's launch checklist", `/jams/${E2E_LIVE_JAM.slug}/launch`, "facilitator"],
  ["a jam's preview", `/jams/${E2E_LIVE_JAM.slug}/preview`, "facilitator"],
  ["the people admin page", "/admin/people", "admin"],
  ["the admin settings page", "/admin/settings", "admin"],
  ["the mail admin page", "/admin/mail", "admin"],
] as const) {
  // Participant pages are checked on the phone too; the staff forms on the desktop.
  test(`${name} has no accessibility violations${role === "leader" ? " @phone" : ""}`, async ({ page }) => {
    await signInQuickly(page, role);
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoAccessibilityViolations(page);
  });
}

// The colleague's idea in the live jam gets comments and votes from other tests: their list has news in it.
for (const [name, path] of [
  ["the notifications page", "/notifications"],
  ["the notification settings", "/notifications/settings"],
] as const) {
  test(`${name} has no accessibility violations @phone`, async ({ page }) => {
    await signInQuickly(page, "colleague");
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


test("a message in the mail outbox has no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "admin");
  await page.goto("/admin/mail");
  await page.getByRole("button", { name: "Send me a test e-mail" }).click();
  await page.getByRole("link", { name: "Follow it in the outbox" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test e-mail from Jamboree" })).toBeVisible();
  await expect(page.frameLocator("iframe.mail-html").getByText("This is a test e-mail from Jamboree.")).toBeVisible();
  // The message's own HTML sits in a frame that may run no script: axe checks the page around it.
  await expectNoAccessibilityViolations(page, { skipFrames: ["iframe.mail-html"] });
});

test("an admin's page to erase an account has no accessibility violations", async ({ page }) => {
  const { person } = await serverDatabase();
  await signInQuickly(page, "admin");
  await page.goto(`/admin/people/${(await person("roleChangeTarget")).id}/erase`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});
