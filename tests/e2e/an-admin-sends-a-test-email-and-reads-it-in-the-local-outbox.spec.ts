import { expect, test } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { SAME_ORIGIN, signIn, signInQuickly } from "./fixtures";

/**
 * Without SMTP_URL (the e2e server has none), mail is delivered to the local outbox an admin
 * reads at /admin/mail: the test e-mail an admin sends themself shows there with its headers, its
 * plain-text part and its HTML in a sandboxed frame. Nobody else may open the outbox.
 */
test("an admin sends a test e-mail and reads it in the local outbox", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/people");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Mail" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mail" })).toBeVisible();
  await expect(page.getByText("Nowhere yet: this is the local outbox.")).toBeVisible();
  await page.getByRole("button", { name: "Send me a test e-mail" }).click();
  await expect(page.getByText(`Queued for ${E2E_USERS.admin.email}.`)).toBeVisible();
  await page.getByRole("link", { name: "Follow it in the outbox" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test e-mail from Jamboree" })).toBeVisible();

  // The sender works in the background: within moments the message is delivered here.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Kept in the local outbox")).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  const headers = page.locator(".mail-headers");
  await expect(headers.getByText(/^<[0-9a-f]{32}\.jamboree@[a-z0-9.-]+>$/)).toBeVisible();
  await expect(headers.getByText("List-Unsubscribe=One-Click")).toBeVisible();
  await expect(headers.getByText(/^<http:\/\/localhost:\d+\/mail\/unsubscribe\?t=\d+\.all\./)).toBeVisible();
  await expect(page.locator(".mail-text")).toContainText("This is a test e-mail from Jamboree.");
  // The HTML part in a frame that may do nothing: no scripts, no forms, no access to the page.
  const frame = page.locator("iframe.mail-html");
  await expect(frame).toHaveAttribute("sandbox", "");
  await expect(page.frameLocator("iframe.mail-html").getByText("This is a test e-mail from Jamboree.")).toBeVisible();
});

test("a participant cannot open the outbox, a message in it, or send a test e-mail", async ({ page }) => {
  await signInQuickly(page, "participant");
  const list = await page.goto("/admin/mail");
  expect(list?.status()).toBe(403);
  await expect(page.getByRole("table")).toHaveCount(0);
  const one = await page.goto("/admin/mail/1");
  expect([403, 404]).toContain(one?.status());
  await expect(page.locator(".mail-text")).toHaveCount(0);
  const post = await page.request.post("/admin/mail", { form: { intent: "test" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(post.status()).toBe(403);
});
