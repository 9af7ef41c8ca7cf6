import { expect, test } from "@playwright/test";
import { E2E_ENDED_JAM, E2E_SYNTHESIS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, expectSmallLegendMarkers, signInQuickly } from "./fixtures";

test("an ended jam's home leads with its published themes and the actions taken @phone", async ({ page }) => {
  await signInQuickly(page, "leader");
  await page.goto(`/jams/${E2E_ENDED_JAM.slug}`);
  const results = page.getByRole("region", { name: "What this jam found" });
  await expect(results).toBeVisible();
  await expect(results.getByRole("listitem").filter({ hasText: E2E_SYNTHESIS.theme })).toBeVisible();
  await expect(results.getByRole("heading", { name: "Follow-up actions" })).toBeVisible();
  // The results come before the challenges and the ideas.
  const resultsTop = (await results.boundingBox())!.y;
  const challengesTop = (await page.getByRole("heading", { level: 2, name: "Challenges" }).boundingBox())!.y;
  expect(resultsTop).toBeLessThan(challengesTop);
  await results.getByRole("link", { name: "Read the synthesis" }).click();
  await expect(page).toHaveURL(new RegExp(`/jams/${E2E_ENDED_JAM.slug}/synthesis$`));
  await expectNoSidewaysScroll(page);
});

test("the synthesis reads as a report: a summary, reach against everyone who took part, a labelled timeline and a legend of small markers @phone", async ({
  page,
}) => {
  await signInQuickly(page, "leader");
  await page.goto(`/jams/${E2E_ENDED_JAM.slug}/synthesis`);
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText(/\d+ (person|people) from \d+ departments? took part in \d+ ideas?/);
  await expect(summary.getByRole("link", { name: E2E_SYNTHESIS.theme }).first()).toBeVisible();

  const theme = page.getByRole("article").filter({ has: page.getByRole("heading", { level: 3, name: new RegExp(E2E_SYNTHESIS.theme) }) });
  await expect(theme).toContainText(/\d+ of \d+ (person|people) who posted or discussed ideas \(\d+%\)/);
  await expect(theme.getByRole("img", { name: new RegExp(`${E2E_SYNTHESIS.theme}: Ideas per day over \\d+ days?`) })).toBeVisible();
  await expect(theme).toContainText("Day 1");
  // Acting on a theme is the leader's main button on it.
  const create = theme.getByRole("link", { name: `Create an action from the theme “${E2E_SYNTHESIS.theme}”` });
  await expect(create).toBeVisible();
  await expect(create).not.toHaveClass(/btn--secondary/);

  // The map's legend markers stay marker-sized, whatever the column's width.
  await expectSmallLegendMarkers(page);
  await expectNoSidewaysScroll(page);
  await expectNoAccessibilityViolations(page);
});
