import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueTitle } from "./fixtures";

// A zone away from UTC, so the form's local-time conversion is exercised for real.
test.use({ timezoneId: "Europe/Berlin" });

/** `datetime-local` text for a moment `hoursFromNow` away, in the browser's own zone. */
function localInput(page: Page, hoursFromNow: number) {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3_600_000);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, hoursFromNow);
}

/** The jam form switches its times to the browser's zone once hydrated; fill the dates after that. */
async function waitForJamForm(page: Page) {
  await expect(page.locator('input[name="tzOffset"]')).not.toHaveValue("0");
}

test("facilitator creates a live jam with two challenges, finds it on the jams page and renames it", async ({ page }) => {
  await signIn(page, "facilitator");
  await page.getByRole("link", { name: "New jam" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create a jam" })).toBeVisible();
  await waitForJamForm(page);

  const title = uniqueTitle("Greener offices");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Description").fill("How can our offices use less energy?");
  // Started half an hour ago, ends in three days, both in Berlin time: read as UTC it would not be live yet.
  await page.getByLabel("Starts").fill(await localInput(page, -0.5));
  await page.getByLabel("Ends").fill(await localInput(page, 72));

  const rows = page.getByTestId("challenge-row");
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Challenge 1 title").fill("Heating and cooling");
  await page.getByLabel("Challenge 1 question").fill("Where do we waste heat in winter?");
  await page.getByLabel("Challenge 2 title").fill("Commuting");
  await page.getByLabel("Challenge 2 question").fill("What would make you leave the car at home?");
  await page.getByRole("button", { name: "Create jam" }).click();

  // A new jam is a draft: its launch checklist has nothing left to fix, and its start has passed, so it opens now.
  await expect(page.getByRole("heading", { level: 1, name: "Launch checklist" })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[2]!;
  expect(slug).toMatch(/^greener-offices-[a-z0-9-]+$/);
  await page.getByRole("link", { name: "Schedule…" }).click();
  await expect(page.getByText("Opens now", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Open it now" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Live" })).toBeVisible();
  await page.getByRole("link", { name: "Open the jam page" }).click();

  // The jam page: live now (the times were read in the browser's zone), with both challenges.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".page-head .badge")).toHaveText("Live");
  await expect(page.locator(".page-head").getByRole("timer")).toHaveText(/^2d 23h \d+m$/);
  const challenges = page.getByRole("region", { name: "Challenges" });
  await expect(challenges.getByRole("link", { name: /Heating and cooling/ })).toContainText("Where do we waste heat in winter?");
  await expect(challenges.getByRole("link", { name: /Commuting/ })).toContainText("What would make you leave the car at home?");
  await expect(challenges.getByRole("link")).toHaveCount(2);

  await page.getByRole("link", { name: "Jams", exact: true }).first().click();
  await expect(page).toHaveURL(/\/jams$/);
  const liveNow = page.getByRole("region", { name: "Live now" });
  await expect(liveNow.getByRole("link", { name: new RegExp(title) })).toContainText("2 challenges");

  // Renaming keeps the address and the challenges.
  await liveNow.getByRole("link", { name: new RegExp(title) }).click();
  await page.getByRole("link", { name: "Edit jam" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit jam" })).toBeVisible();
  await waitForJamForm(page);
  await expect(page.getByLabel("Challenge 1 title")).toHaveValue("Heating and cooling");
  const renamed = `${title} (renamed)`;
  await page.getByLabel("Title", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/jams/${slug}$`));
  await expect(page.getByRole("region", { name: "Challenges" }).getByRole("link")).toHaveCount(2);
  await page.goto("/jams");
  await expect(page.getByRole("link", { name: new RegExp(renamed.replace(/[()]/g, "\\$&")) })).toBeVisible();
});
