import { expect, test } from "@playwright/test";
import { E2E_LIVE_JAM, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, signIn, signInElsewhere, signInQuickly, uniqueTitle } from "./fixtures";

test("participant follows a colleague from their profile and hears about the colleague's next idea", async ({ page, browser }, testInfo) => {
  await signIn(page, "follower");
  // The colleague's profile, reached from their idea in the live jam.
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: /Meetings that matter/ }).click();
  await page.getByRole("main").getByRole("link", { name: E2E_USERS.colleague.name }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_USERS.colleague.name })).toBeVisible();
  const followButton = page.getByRole("button", { name: `Follow ${E2E_USERS.colleague.name}` });
  const following = page.getByRole("button", { name: `Following ${E2E_USERS.colleague.name}` });
  // A retry may find the follow already there.
  if (await followButton.isVisible()) {
    // The button shows "Following" as soon as it is pressed; reload only once the server has answered.
    const saved = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith("/follows") && r.request().method() === "POST");
    await followButton.click();
    await expect(following).toHaveAttribute("aria-pressed", "true");
    expect((await saved).status()).toBeLessThan(400);
  }
  await page.reload();
  await expect(following).toBeVisible();

  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  const title = uniqueTitle("Quiet hours on Fridays");
  await colleague.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await colleague.getByRole("link", { name: /Tools that help/ }).click();
  await colleague.getByLabel("Title").fill(title);
  await colleague.getByLabel("Describe your idea").fill("No meetings after noon on Fridays.");
  await colleague.getByRole("button", { name: "Post idea" }).click();
  await expect(colleague.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await colleague.context().close();

  await page.goto("/jams");
  await expect(page.getByRole("link", { name: /Notifications, \d+ unread/ })).toBeVisible();
  await page.getByRole("link", { name: /Notifications/ }).click();
  const notice = page.getByText(`${E2E_USERS.colleague.name} posted a new idea: ${title}`);
  await expect(notice).toBeVisible();
  await page.getByRole("link", { name: new RegExp(`posted a new idea: ${title}`) }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("my network lists the people I work with, downloads as CSV, and has no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "networker");
  await page.goto("/network/me");
  await expect(page.getByRole("main").getByRole("link", { name: E2E_USERS.follower.name }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Download my network (CSV)" })).toHaveAttribute("href", "/network/me.csv");
  const csv = await page.request.get("/network/me.csv");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain(E2E_USERS.follower.name);
  await expectNoAccessibilityViolations(page);
  // The organisation's network is for staff: a participant is refused.
  expect((await page.request.get("/network")).status()).toBe(403);
});

test("the expert search has no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "networker");
  // "lend" (as in Lend-a-colleague days): the demo company seeded into the same database talks a lot about
  // colleagues and departments, and its busier people would fill the top ten for those words.
  await page.goto("/people/search?q=lend");
  await expect(page.getByRole("main").getByRole("link", { name: "Nat Networker" })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});

test("following a theme of a published synthesis, and that page, have no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "networker");
  await page.goto("/jams/e2e-ended/synthesis");
  // The first theme: followed by this test, or already by an earlier run of it on this database.
  const firstTheme = page.getByRole("button", { name: /^Follow(ing)? the theme/ }).first();
  await expect(firstTheme).toBeVisible();
  if ((await firstTheme.getAttribute("aria-pressed")) !== "true") await firstTheme.click();
  await expect(firstTheme).toHaveAttribute("aria-pressed", "true");
  await expectNoAccessibilityViolations(page);
});
