import { expect, test } from "@playwright/test";
import { E2E_USERS, e2eOnPostgres } from "./accounts";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, extraServerPort, signIn, startServer } from "./fixtures";

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

test("an unexpected error is a designed 500 that shows no stack trace or error text", async ({ browser }, testInfo) => {
  // A server of the test's own whose database file is not a database: any page that reads it fails.
  // A SQLite file by nature; on PostgreSQL a database that does not answer stops the server at start.
  test.skip(e2eOnPostgres(), "a SQLite file that is not a database");
  mkdirSync("tests/.tmp", { recursive: true });
  const port = extraServerPort(testInfo, 1);
  const broken = `tests/.tmp/not-a-database-500-${port}.db`;
  writeFileSync(broken, "This file is not a SQLite database. ".repeat(20));
  const server = await startServer(port, { DATABASE_URL: broken }, { healthy: false });
  try {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
    await context.addCookies([{ name: "jamboree_session", value: "a".repeat(32), url: `http://127.0.0.1:${port}` }]);
    const page = await context.newPage();
    const answer = await page.goto("/jams");
    expect(answer?.status()).toBe(500);
    await expect(page.getByRole("heading", { level: 1, name: "Something went wrong" })).toBeVisible();
    await expect(page.getByText("The problem has been logged. Please try again in a moment.")).toBeVisible();
    const text = await page.locator("body").innerText();
    expect(text).not.toMatch(/not a database|SqliteError|\bat \S+:\d+:\d+|Error:/);
    await context.close();
  } finally {
    server.kill("SIGTERM");
    rmSync(broken, { force: true });
  }
});
