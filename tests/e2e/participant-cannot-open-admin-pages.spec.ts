import { expect, test } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { openMenu, participantFor, signIn } from "./fixtures";

test("a participant is refused the people admin page and cannot create jams @phone", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  await expect(page.getByRole("link", { name: "New jam" })).toHaveCount(0);
  await openMenu(page);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jams" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toHaveCount(0);

  const people = await page.goto("/admin/people");
  expect([403, 404]).toContain(people?.status());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/do not have access|could not find/);
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByText(E2E_USERS.admin.email)).toHaveCount(0);

  const settings = await page.goto("/admin/settings");
  expect([403, 404]).toContain(settings?.status());
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/do not have access|could not find/);
  await expect(page.getByRole("heading", { name: "Password sign-in" })).toHaveCount(0);

  const newJam = await page.goto("/jams/new");
  expect(newJam?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create jam" })).toHaveCount(0);
});

test("an admin finds a person by name and changes their role", async ({ page }) => {
  const target = E2E_USERS.roleChangeTarget;
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
  const table = page.getByRole("table", { name: "People" });
  await expect(table).toBeVisible();

  await page.getByLabel("Search people by name or email").fill(target.name.split(" ")[1]!);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=Rolechange/);
  await expect(table.getByRole("row")).toHaveCount(2); // the header row and Robin
  await expect(table).toContainText(target.email);

  const role = page.getByLabel(`Role of ${target.name}`);
  // A retry finds the role already changed: pick whichever is not the current one.
  const next = (await role.inputValue()) === "leader" ? "facilitator" : "leader";
  await role.selectOption(next);
  await page.getByRole("button", { name: `Save ${target.name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Changes saved.");

  await page.goto(`/admin/people?q=${encodeURIComponent(target.email)}`);
  await expect(page.getByLabel(`Role of ${target.name}`)).toHaveValue(next);
});
