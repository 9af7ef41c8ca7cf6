import { expect, test } from "@playwright/test";
import { startServer, stopServer } from "./fixtures";
import { mailTestSetup } from "./mail-server";
import { startSmtpPeer } from "./smtp-peer";

/**
 * "Forgot your password?" end to end: the mail leaves through SMTP (a real SMTP server on
 * localhost, which parses it), its link opens in Chromium and sets a new password, which then
 * signs in; the old one no longer does, and the link works once. An address without an account
 * gets the same page and no mail.
 */
test("a password reset mail arrives at the SMTP server and its link sets a new password", async ({ browser }, testInfo) => {
  const setup = await mailTestSetup(testInfo, "reset");
  const { people, password } = await setup.people("Remy");
  const remy = people[0]!;
  const peer = await startSmtpPeer(setup.smtpPort);
  const server = await startServer(setup.appPort, setup.settings(peer.url));
  const context = await browser.newContext({ baseURL: setup.base });
  try {
    const page = await context.newPage();
    // Someone asks for an address that has no account: the same answer, and no mail.
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill("nobody@mail.test");
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    await expect(page.getByText("If nobody@mail.test belongs to an account, we have sent it a link")).toBeVisible();

    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel("Email").fill(remy.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect(page.getByText(`If ${remy.email} belongs to an account, we have sent it a link`)).toBeVisible();

    const mail = await peer.waitFor(remy.email, /^Reset your Jamboree password$/);
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}\.jamboree@mail\.test>$/);
    expect(mail.text).toContain("The link works once, for 30 minutes.");
    expect(mail.html).toContain("Choose a new password");
    expect(mail.header("List-Unsubscribe")).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/mail\/unsubscribe\?t=/);
    expect(mail.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(peer.received.filter((m) => m.to === "nobody@mail.test")).toEqual([]);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/reset-password\?t=[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    expect(link, "a reset link in the plain-text part").toBeTruthy();

    await page.goto(link!);
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    // The rules of sign-up hold: a common password is refused and the link still works.
    await page.getByLabel("New password", { exact: true }).fill("password123!");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("That is one of the most common passwords")).toBeVisible();
    await page.getByLabel("New password", { exact: true }).fill("tangerine-lighthouse-47");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await expect(page.getByText("Your new password is set")).toBeVisible();

    // The old password no longer signs in; the new one does.
    await page.getByLabel("Email").fill(remy.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
    await page.getByLabel("Password").fill("tangerine-lighthouse-47");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/jams$/);

    // The link worked once.
    await page.goto(link!);
    await expect(page.getByRole("heading", { name: "This link was used" })).toBeVisible();
  } finally {
    await context.close();
    await stopServer(server);
    await peer.close();
    await setup.cleanUp();
  }
});
