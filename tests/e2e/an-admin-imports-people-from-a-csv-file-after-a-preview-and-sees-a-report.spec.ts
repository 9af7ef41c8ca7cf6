import { expect, test } from "@playwright/test";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, signInQuickly, uniqueTitle } from "./fixtures";

/** A run's own names, so runs and projects never meet. */
function importFile() {
  const suffix = uniqueTitle("x").split(" ")[1]!;
  const team = `Imported Team ${suffix}`;
  const people = [
    { email: `ines.${suffix}@import.e2e.test`, name: `Ines Import ${suffix}` },
    { email: `omar.${suffix}@import.e2e.test`, name: `Omar, Import ${suffix}` },
  ];
  const good = ["email,name,department,role", ...people.map((p) => `${p.email},"${p.name}",${team},participant`)].join("\r\n");
  const bad = `${good}\r\nnot-an-address,Nobody,${team},chief\r\n`;
  return { team, people, good, bad };
}

test("an admin imports people from a CSV file: a bad row is shown by number, the fixed file previews, applies and is reported, and the new people are listed in their department", async ({
  page,
}) => {
  const { team, people, good, bad } = importFile();
  await signInQuickly(page, "admin");
  await page.goto("/admin/people");
  await page.getByRole("link", { name: "Import a CSV file" }).click();
  const section = page.locator("#import");
  await expect(section.getByRole("heading", { name: "Import people from a CSV file" })).toBeVisible();

  // A file with a bad row: the preview names the row and offers nothing to apply.
  await section.getByLabel("CSV file").setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${bad}`) });
  await section.getByRole("button", { name: "Preview the import" }).click();
  await expect(page).toHaveURL(/\/admin\/people\?import=[0-9a-f]{32}#import$/);
  await expect(section.getByRole("heading", { name: "Preview of the import" })).toBeVisible();
  await expect(section.getByText("One row has a problem.")).toBeVisible();
  const problems = section.getByRole("table", { name: "Rows with problems" });
  await expect(problems.getByRole("row").nth(1)).toContainText("4");
  await expect(problems).toContainText("“not-an-address” is not an e-mail address");
  await expect(section.getByRole("button", { name: /^Apply/ })).toHaveCount(0);

  // The text comes back to fix in place; the fixed file previews clean.
  const text = section.getByLabel("Or paste the CSV text");
  await expect(text).toHaveValue(/not-an-address/);
  await text.fill(good);
  await section.getByRole("button", { name: "Preview the import" }).click();
  await expect(section.getByText("From the pasted text.")).toBeVisible();
  await expect(section.getByText("rows have problems")).toHaveCount(0);
  const added = section.getByRole("table", { name: "New people" });
  for (const person of people) await expect(added).toContainText(person.name);
  await expect(section.getByRole("list").filter({ hasText: team })).toBeVisible();
  await expectNoAccessibilityViolations(page);

  await section.getByRole("button", { name: "Apply 3 changes" }).click();
  await expect(section.getByRole("heading", { name: "Import applied" })).toBeVisible();
  await expect(section.getByRole("status")).toHaveText(/Applied: 3 changes, each recorded in the audit log\./);
  await expect(section.getByRole("table", { name: "People added" })).toContainText(people[0]!.name);

  // The new people are on the People page, in their new department.
  for (const person of people) {
    await page.goto(`/admin/people?q=${encodeURIComponent(person.email)}`);
    const table = page.getByRole("table", { name: "People" });
    await expect(table).toContainText(person.name);
    await expect(page.getByRole("combobox", { name: `Team of ${person.name}` })).toHaveValue(/\d+/);
    await expect(page.getByRole("combobox", { name: `Team of ${person.name}` }).locator("option:checked")).toHaveText(team);
  }

  // The same file again changes nothing.
  await page.goto("/admin/people#import");
  await page.locator("#import").getByLabel("Or paste the CSV text").fill(good);
  await page.locator("#import").getByRole("button", { name: "Preview the import" }).click();
  await expect(page.locator("#import").getByText("Nothing to change: everyone in the file is already as it says.")).toBeVisible();
  await expect(page.locator("#import").getByRole("button", { name: /^Apply/ })).toHaveCount(0);
});

test("the import's preview fits a phone @phone", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "a phone's width only");
  const { bad } = importFile();
  await signInQuickly(page, "admin");
  await page.goto("/admin/people#import");
  await page.locator("#import").getByLabel("Or paste the CSV text").fill(bad);
  await page.locator("#import").getByRole("button", { name: "Preview the import" }).click();
  await expect(page.locator("#import").getByRole("heading", { name: "Preview of the import" })).toBeVisible();
  await expectNoSidewaysScroll(page);
});
