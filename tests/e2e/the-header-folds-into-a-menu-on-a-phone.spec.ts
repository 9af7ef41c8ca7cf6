import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, signIn } from "./fixtures";

test("on a phone the header is one row; Menu opens the links, Escape and a navigation close it @phone", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "the menu folds only on a narrow window");
  await signIn(page, "admin");
  const header = page.getByRole("banner");
  const height = (await header.boundingBox())!.height;
  expect(height, "one row, not three").toBeLessThanOrEqual(72);
  await expectNoSidewaysScroll(page);
  // The bell and the points stay in reach; the links wait behind Menu.
  await expect(header.getByRole("link", { name: /^Notifications/ })).toBeVisible();
  await expect(header.getByRole("link", { name: "Leaderboard" })).toBeHidden();
  const menu = header.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const link of ["Jams", "Leaderboard", "Actions", "My activity", "People"]) await expect(nav.getByRole("link", { name: link })).toBeVisible();
  // The person's own name leads to their profile.
  await expect(header.getByRole("link", { name: E2E_USERS.admin.name })).toBeVisible();
  await expectNoAccessibilityViolations(page);
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  // Opened again, a link leads on and the menu closes behind it.
  await menu.click();
  await nav.getByRole("link", { name: "Leaderboard" }).click();
  await expect(page).toHaveURL(/\/leaderboard$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
});

test("on a wide screen every link is in the header and the person's name leads to their profile", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "wide window only");
  await signIn(page, "participant");
  const header = page.getByRole("banner");
  await expect(header.getByRole("button", { name: "Menu" })).toBeHidden();
  for (const link of ["Jams", "Leaderboard", "Actions", "My activity"]) await expect(header.getByRole("link", { name: link })).toBeVisible();
  await header.getByRole("link", { name: E2E_USERS.participant.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_USERS.participant.name })).toBeVisible();
});

test("without JavaScript, a phone's header shows its links (there is no menu to open) @phone", async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "the menu folds only on a narrow window");
  const { baseURL, viewport } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS.participant.email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await context.close();
});
