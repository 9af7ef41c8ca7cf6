import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";

// A link to /login?redirectTo=… is how a phishing mail would borrow the sign-in page. Whatever it
// carries, signing in lands on this site: a tab the browser strips ("/\t/evil" became "//evil",
// another host), and characters a Location header cannot carry (once a 500 after the session
// was written), fall back to the jams page.
for (const [what, redirectTo] of [
  ["a tab that the browser strips", "/\t/evil.example/phish"],
  ["a protocol-relative address", "//evil.example/phish"],
  ["a line break", "/\r\nSet-Cookie: stolen=1"],
  ["a character outside Latin-1", "/jams/\u2603"],
] as const) {
  test(`signing in with redirectTo holding ${what} stays on this site`, async ({ page, baseURL }) => {
    await page.goto(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
    await page.getByLabel("Email").fill(E2E_USERS.participant.email);
    await page.getByLabel("Password").fill(E2E_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseURL}/jams`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });
}

test("a path on this site is where signing in leads", async ({ page, baseURL }) => {
  await page.goto(`/login?redirectTo=${encodeURIComponent("/me")}`);
  await page.getByLabel("Email").fill(E2E_USERS.participant.email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/me`);
});
