import { expect, test, type Page } from "@playwright/test";
import { E2E_LIVE_JAM } from "./accounts";
import { participantFor, SAME_ORIGIN, signIn, uniqueTitle } from "./fixtures";

async function openChallenge(page: Page, challenge: string) {
  await page.getByRole("link", { name: new RegExp(E2E_LIVE_JAM.title) }).click();
  await page.getByRole("link", { name: new RegExp(challenge) }).click();
  await expect(page.getByRole("heading", { level: 1, name: challenge })).toBeVisible();
}

test("an idea without a title gets an error on Title and keeps the description @phone", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  await openChallenge(page, "Tools that help");
  const challengeUrl = page.url();

  const body = `A shared snippets library, so nobody writes the same query twice. ${uniqueTitle("ref")}`;
  // The form opens when one goes to write in it.
  await page.getByLabel("Title").click();
  await page.getByLabel("Describe your idea").fill(body);
  await page.getByRole("button", { name: "Post idea" }).click();

  const title = page.getByLabel("Title");
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(title).toHaveAccessibleDescription(/Give your idea a title\./);
  await expect(page.getByText("Give your idea a title.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields." })).toBeVisible();
  await expect(page.getByLabel("Describe your idea")).toHaveValue(body);
  await expect(page.getByLabel("Describe your idea")).not.toHaveAttribute("aria-invalid", "true");
  expect(page.url()).toBe(challengeUrl);
  await expect(page.getByRole("link", { name: body.slice(0, 30) })).toHaveCount(0);
});

test("a 3,000-character description gets an error and keeps the title and all 3,000 characters", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  await openChallenge(page, "Tools that help");

  const title = uniqueTitle("Too long to read");
  const body = "All the details. ".repeat(200).slice(0, 3000);
  expect(body).toHaveLength(3000);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(body);
  await expect(page.getByText("3,000 / 2,000")).toBeVisible();
  await page.getByRole("button", { name: "Post idea" }).click();

  const description = page.getByLabel("Describe your idea");
  await expect(description).toHaveAttribute("aria-invalid", "true");
  await expect(description).toHaveAccessibleDescription(/Keep the description to 2,000 characters or fewer\./);
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Title")).not.toHaveAttribute("aria-invalid", "true");
  expect(await description.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(3000);
  await expect(description).toHaveValue(body);
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
});

test("sign-up with a bad email shows an error on the email and keeps the name and email, not the password", async ({ page }) => {
  await page.goto("/signup");
  const name = uniqueTitle("Sam Typo");
  const password = `secret-${uniqueTitle("pw").replace(" ", "-")}`;
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Team / department").selectOption({ label: "Sales" });
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/signup"));
  await page.getByRole("button", { name: "Create account" }).click();

  // The server sends back what was typed, except the password.
  const response = await answer;
  expect(response.status()).toBe(400);
  const sentBack = await response.text();
  expect(sentBack).toContain(name);
  expect(sentBack).toContain("not-an-email");
  expect(sentBack).not.toContain(password);

  const email = page.getByLabel("Work email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/Enter a valid email address/);
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByLabel("Full name")).toHaveValue(name);
  await expect(email).toHaveValue("not-an-email");
  await expect(page.getByLabel("Team / department").locator("option:checked")).toHaveText("Sales");
});

test("without JavaScript, a rejected sign-up page is rendered with the name and email filled in and no password", async ({ request }) => {
  const name = uniqueTitle("Nora NoScript");
  const password = `secret-${uniqueTitle("pw").replace(" ", "-")}`;
  const response = await request.post("/signup", {
    form: { name, email: "not-an-email", password, departmentId: "" },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(400);
  const html = await response.text();
  expect(html).toMatch(new RegExp(`<input[^>]*name="name"[^>]*value="${name}"`));
  expect(html).toMatch(/<input[^>]*name="email"[^>]*value="not-an-email"/);
  expect(html).toContain("Enter a valid email address");
  expect(html).not.toContain(password);
});
