import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ENDED_JAM, E2E_LIVE_JAM } from "./accounts";
import { signIn } from "./fixtures";

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary).toEqual([]);
}

test("sign-in and sign-up pages have no accessibility violations @phone", async ({ page }) => {
  await page.goto("/login");
  await expectNoViolations(page);
  await page.goto("/signup");
  await expectNoViolations(page);
});

test("participant pages have no accessibility violations @phone", async ({ page }) => {
  await signIn(page, "leader");
  for (const path of [
    "/jams",
    `/jams/${E2E_LIVE_JAM.slug}`,
    `/jams/${E2E_ENDED_JAM.slug}`,
    "/me",
    "/leaderboard",
    `/jams/${E2E_LIVE_JAM.slug}/leaderboard`,
  ]) {
    await page.goto(path);
    await expectNoViolations(page);
  }
  await page.getByRole("link", { name: /Your profile/ }).click();
  await expect(page.getByRole("heading", { name: "Badges" })).toBeVisible();
  await expectNoViolations(page);
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: /Meetings that matter/ }).click();
  await expectNoViolations(page);
  await page.getByRole("article").first().getByRole("heading").getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoViolations(page);
});

test("facilitator and admin pages have no accessibility violations", async ({ page, browser }) => {
  await signIn(page, "facilitator");
  await page.goto("/jams/new");
  await expectNoViolations(page);
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}/edit`);
  await expectNoViolations(page);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin");
  await admin.goto("/admin/people");
  await expectNoViolations(admin);
  await adminContext.close();
});
