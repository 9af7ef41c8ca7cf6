import { expect, test } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, signIn } from "./fixtures";

test("an unknown address is a designed 404 inside the normal layout, with the signed-in header @phone", async ({ page }) => {
  await signIn(page, "participant");
  const answer = await page.goto("/this-does-not-exist");
  expect(answer?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We could not find that page" })).toBeVisible();
  await expect(page.getByText(/No route matches/)).toHaveCount(0);
  // The person is still signed in: the header is theirs, not the signed-out one.
  await expect(page.getByText(E2E_USERS.participant.name, { exact: true })).toBeAttached();
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "My activity" }).last()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectNoAccessibilityViolations(page);
  await page.getByRole("link", { name: "Back to jams" }).click();
  await expect(page).toHaveURL(/\/jams$/);
});

test("signed out, an unknown address offers sign-in", async ({ page }) => {
  const answer = await page.goto("/no/such/page");
  expect(answer?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We could not find that page" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toBeVisible();
});
