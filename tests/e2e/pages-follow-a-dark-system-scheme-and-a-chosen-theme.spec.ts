import { expect, test, type Page } from "@playwright/test";
import { DEMO, E2E_LIVE_JAM } from "./accounts";
import { expectNoAccessibilityViolations, openMenu, signInQuickly } from "./fixtures";

/** The page's background, as a relative luminance from 0 (black) to 1 (white). */
async function backgroundLuminance(page: Page) {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g)!.map(Number).map((v) => v / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  });
}

test.describe("with the system set to dark", () => {
  test.use({ colorScheme: "dark" });

  for (const [name, path] of [
    ["the jams list", "/jams"],
    ["a live jam's home", `/jams/${E2E_LIVE_JAM.slug}`],
    ["a jam's leaderboard", `/jams/${E2E_LIVE_JAM.slug}/leaderboard`],
    ["the demo's synthesis", `/jams/${DEMO.endedJam.slug}/synthesis`],
    ["my activity", "/me"],
    ["the command centre", `/jams/${E2E_LIVE_JAM.slug}/command`],
    ["a jam's launch checklist", `/jams/${E2E_LIVE_JAM.slug}/launch`],
    ["a jam's preview", `/jams/${E2E_LIVE_JAM.slug}/preview`],
  ] as const) {
    test(`${name} is dark, and axe finds nothing in the dark scheme @phone`, async ({ page }) => {
      await signInQuickly(page, "facilitator");
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await backgroundLuminance(page)).toBeLessThan(0.05);
      await expectNoAccessibilityViolations(page);
    });
  }

  test("the sign-in page is dark too, before anyone signs in", async ({ page }) => {
    await page.goto("/login");
    expect(await backgroundLuminance(page)).toBeLessThan(0.05);
    await expectNoAccessibilityViolations(page);
  });

  test("a person who chooses the light theme keeps it across pages and visits, and can switch back @phone", async ({ page }) => {
    await signInQuickly(page, "participant");
    await page.goto("/jams");
    expect(await backgroundLuminance(page)).toBeLessThan(0.05);
    await openMenu(page);
    await page.getByRole("button", { name: "Use the light theme" }).filter({ visible: true }).click();
    await expect.poll(() => backgroundLuminance(page)).toBeGreaterThan(0.8);
    // Drawn light from the first byte on the next page (no flash of dark): the server knows the choice.
    await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
    await expectNoAccessibilityViolations(page);
    await openMenu(page);
    await page.getByRole("button", { name: "Use the dark theme" }).filter({ visible: true }).click();
    await expect.poll(() => backgroundLuminance(page)).toBeLessThan(0.05);
  });
});

test("with the system set to light, pages are light and the switch offers dark", async ({ page }) => {
  await signInQuickly(page, "participant");
  await page.goto("/jams");
  expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
  await expect(page.getByRole("button", { name: "Use the dark theme" }).filter({ visible: true })).toBeVisible();
});
