import { expect, test } from "@playwright/test";
import { DEMO } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, participantFor, signInQuickly } from "./fixtures";

const learning = `/jams/${DEMO.endedJam.slug}/learning`;
const statValue = async (page: import("@playwright/test").Page, label: string) => {
  const stat = page.locator(".stat").filter({ has: page.locator(".stat__label", { hasText: label }) });
  return (await stat.locator(".stat__value").innerText()).trim();
};
const asNumber = (text: string) => Number(text.replace(/,/g, ""));

test("a facilitator goes from the command centre to what the ended demo jam left behind", async ({ page }) => {
  await signInQuickly(page, "facilitator");
  await page.goto(`/jams/${DEMO.endedJam.slug}/command`);
  await page.getByRole("link", { name: "What it left behind" }).click();
  await expect(page).toHaveURL(new RegExp(`${learning}$`));
  await expect(page.getByRole("heading", { level: 1, name: "What the jam left behind" })).toBeVisible();

  // The demo's ended jam was the company's first: people of different departments met there.
  const formed = asNumber(await statValue(page, "New ties the jam formed"));
  const keptUp = asNumber(await statValue(page, "Kept up after the jam"));
  expect(formed).toBeGreaterThan(0);
  expect(keptUp).toBeLessThanOrEqual(formed);
  // It ended less than 90 days ago: the lasting figure is not a premature zero.
  await expect(page.locator(".stat").filter({ hasText: "Still in touch 90 days on" })).toContainText("Not yet");

  // Pairs of departments, most new ties first.
  const rows = page.getByRole("region", { name: "New ties by pair of departments" }).locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const counts = (await rows.locator(".learning-pairs__count span").allInnerTexts()).map(asNumber);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(formed);

  // What followed from its themes: the demo company held a jelly on one of them.
  await expect(page.getByRole("heading", { level: 2, name: "What followed from its themes" })).toBeVisible();
  expect(asNumber(await statValue(page, "on its themes"))).toBeGreaterThanOrEqual(1);
  await expectNoAccessibilityViolations(page);
});

test("what a jam left behind fits a phone @phone", async ({ page }) => {
  await signInQuickly(page, "facilitator");
  await page.goto(learning);
  await expect(page.getByRole("heading", { level: 1, name: "What the jam left behind" })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test("a participant cannot read who met whom", async ({ page }, testInfo) => {
  await signInQuickly(page, participantFor(testInfo));
  const response = await page.goto(learning);
  expect(response?.status()).toBe(403);
  await expect(page.getByText("Only facilitators, leaders and admins can see what a jam left behind.")).toBeVisible();
  await expect(page.locator(".stat")).toHaveCount(0);
});

test("anyone reads their own year across departments on My network", async ({ page }) => {
  await signInQuickly(page, "networker");
  await page.goto("/network/me");
  const year = page.getByRole("region", { name: "Your year across departments" });
  await expect(year.getByRole("heading", { level: 2 })).toBeVisible();
  // The networker met someone of another department in the live jam (tests/e2e/prepare-db.ts).
  const rows = year.locator(".year-departments li");
  await expect(rows.first()).toBeVisible();
  const total = asNumber(await statValue(page, "New colleague"));
  const perDepartment = (await rows.locator("span.small").allInnerTexts()).map((t) => asNumber(t.split(" ")[0]!));
  expect(total).toBeGreaterThan(0);
  expect(perDepartment.reduce((a, b) => a + b, 0)).toBe(total);
});
