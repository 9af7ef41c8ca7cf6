import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { signIn, signInElsewhere } from "./fixtures";

test("an admin deactivates a person: their open browser is signed out at its next page, and signing in is refused with a clear message", async ({
  page,
  browser,
}, testInfo) => {
  const person = E2E_USERS.deactivated;
  const theirs = await signInElsewhere(browser, testInfo, "deactivated");
  await theirs.goto("/me");
  await expect(theirs.getByRole("heading", { level: 1, name: "My activity" })).toBeVisible();

  await signIn(page, "admin");
  await page.goto(`/admin/people?q=${encodeURIComponent(person.email)}`);
  const table = page.getByRole("table", { name: "People" });
  await expect(table).toContainText(person.email);
  await page.getByRole("button", { name: `Deactivate ${person.name}` }).click();
  await expect(page.getByRole("status")).toHaveText(
    `${person.name} is deactivated: signed out everywhere and unable to sign in. What they wrote stays.`,
  );
  await expect(table.getByText("Deactivated", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: `Reactivate ${person.name}` })).toBeVisible();

  // The person's browser, still open on their page: the very next page load lands on sign-in.
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/login\?redirectTo=%2Fme$/);
  await expect(theirs.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  // The right password (from a browser that signed in before) is refused, and says why.
  await theirs.getByLabel("Email").fill(person.email);
  await theirs.getByLabel("Password").fill(E2E_PASSWORD);
  await theirs.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs.getByRole("alert")).toHaveText("This account has been deactivated. Ask an admin if you need it again.");
  await expect(theirs).toHaveURL(/\/login/);
  await theirs.goto("/jams");
  await expect(theirs).toHaveURL(/\/login\?redirectTo=%2Fjams$/);
  await theirs.context().close();
});
