import { expect, test } from "@playwright/test";
import { signOut, uniqueTitle } from "./fixtures";

test("a newcomer signs up with a team, signs in, signs out, is kept out, and signs back in @phone", async ({ page, context }) => {
  const name = uniqueTitle("Nia Newcomer");
  const email = `${name.split(" ").at(-1)}@newcomers.e2e.test`;
  const password = "tulip-sofa-windy-42";

  await page.goto("/login");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create your account" })).toBeVisible();
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  const team = page.getByLabel("Team / department");
  await expect(team.locator("option:checked")).toHaveText("Choose your team");
  await expect(team.getByRole("option")).toContainText(["Choose your team", "Engineering", "Operations", "Sales"]);
  await team.selectOption({ label: "Operations" });
  await page.getByRole("button", { name: "Create account" }).click();

  // The answer is the same whether or not the email had an account: the newcomer signs in next.
  await expect(page.getByRole("heading", { level: 1, name: "Now sign in" })).toBeVisible();
  const neutral = await page.getByRole("status").textContent();
  expect(neutral).toContain(email);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/\/jams$/);
  await expect(page.getByRole("heading", { level: 1, name: "Jams" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(name);
  await expect(page.getByRole("link", { name: "New jam" })).toHaveCount(0); // a newcomer is a participant
  const signedInCookies = await context.cookies();

  await signOut(page);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  await page.goto("/jams");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fjams$/);

  // The old session cookie no longer works either: signing out ended the session on the server.
  await context.addCookies(signedInCookies);
  await page.goto("/jams/e2e-live");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fjams%2Fe2e-live$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);

  // The right password goes back to where the person was headed.
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams\/e2e-live$/);
  await expect(page.getByRole("banner")).toContainText(name);
});

test("signing up with an email that already has an account answers exactly as for a new one, and changes nothing", async ({ page }) => {
  const email = `${uniqueTitle("taken").split(" ").at(-1)}@newcomers.e2e.test`;
  const signUp = async (name: string, password: string) => {
    await page.goto("/signup");
    await page.getByLabel("Full name").fill(name);
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByLabel("Team / department").selectOption({ label: "Sales" });
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Now sign in" })).toBeVisible();
    return page.locator("main").innerText();
  };
  const first = await signUp("Tamsin First", "lantern-quiet-river");
  const second = await signUp("Someone Else", "other-tulip-sofa");
  expect(second).toBe(first);
  // The first owner's password still signs in; the second one's does not.
  await page.getByLabel("Password").fill("other-tulip-sofa");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await page.getByLabel("Password").fill("lantern-quiet-river");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
  await expect(page.getByRole("banner")).toContainText("Tamsin First");
});
