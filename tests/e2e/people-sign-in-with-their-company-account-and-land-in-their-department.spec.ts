import { expect, test, type Browser, type Page } from "@playwright/test";
import type { ChildProcess } from "node:child_process";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { COMPANY_CLIENT, signInAtProvider, startCompanyProvider, type CompanyProvider } from "./company-provider";
import { expectNoAccessibilityViolations, extraServerPort, queryE2eDatabase, startServer } from "./fixtures";

/**
 * Signing in with a company account, against oidc-provider on localhost as the company's identity
 * provider (the test starts it) and a server of the test's own whose OIDC_* settings point at it.
 * The server shares the e2e database; every account here is made for this run.
 */
test.describe.configure({ mode: "serial" });

let provider: CompanyProvider;
let server: ChildProcess;
let app: string;
const run = Date.now().toString(36);
const maya = { login: `maya-${run}`, name: "Maya Lind", email: `maya.lind.${run}@corp.example`, department: `Customer Success ${run}` };

test.beforeAll(async ({}, testInfo) => {
  const appPort = extraServerPort(testInfo, 0);
  app = `http://127.0.0.1:${appPort}`;
  provider = await startCompanyProvider(extraServerPort(testInfo, 1), app);
  provider.accounts.set(maya.login, { name: maya.name, email: maya.email, department: maya.department });
  server = await startServer(appPort, { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: COMPANY_CLIENT.id, OIDC_CLIENT_SECRET: COMPANY_CLIENT.secret });
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await provider?.close();
});

/** One row from the e2e database (the server's), read without writing. */
async function query<T>(sql: string, ...params: unknown[]): Promise<T> {
  return (await queryE2eDatabase<T>(sql, ...params))!;
}

async function startCompanySignIn(page: Page) {
  await page.goto(`${app}/login`);
  await page.getByRole("button", { name: "Sign in with your company account" }).click();
}

async function freshPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

test("a person signs in through the company's provider and lands signed in, in the department it names", async ({ page, browser }) => {
  await startCompanySignIn(page);
  await signInAtProvider(page, provider.issuer, maya.login);
  await expect(page).toHaveURL(`${app}/jams`);
  const me = page.getByRole("link", { name: maya.name });
  await expect(me).toBeVisible();
  await me.click();
  await expect(page.getByRole("heading", { level: 1, name: maya.name })).toBeVisible();
  await expect(page.getByText(`${maya.department} · this is you`)).toBeVisible();
  const profile = page.url();

  // Their second sign-in (another browser: the provider asks again) is the same account, not a second one.
  const again = await freshPage(browser);
  await startCompanySignIn(again);
  await signInAtProvider(again, provider.issuer, maya.login);
  await expect(again).toHaveURL(`${app}/jams`);
  await again.getByRole("link", { name: maya.name }).click();
  await expect(again).toHaveURL(profile);
  await again.context().close();
  expect((await query<{ n: number }>("SELECT CAST(count(*) AS INTEGER) AS n FROM users WHERE email = ?", maya.email)).n).toBe(1);
  const row = await query<{ password_hash: string; email_verified_at: number | null }>("SELECT password_hash, email_verified_at FROM users WHERE email = ?", maya.email);
  expect(row.password_hash).toBe("");
  expect(row.email_verified_at).not.toBeNull();
});

test("the sign-in page offers the company account beside passwords, and has no accessibility violations", async ({ page }) => {
  await page.goto(`${app}/login`);
  await expect(page.getByRole("button", { name: "Sign in with your company account" })).toBeVisible();
  await expect(page.getByText("or with a password")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
  await expectNoAccessibilityViolations(page);
});

/**
 * Goes through the provider as `login` and returns where it sent the browser back (code and state)
 * with the attempt cookie the sign-in set. Unless `keep`, the browser drops its attempt cookie
 * first, so the app refuses the answer without redeeming the code: the code stays good for a replay.
 */
async function providerAnswer(page: Page, login: string, keep: boolean) {
  let callback = "";
  page.on("request", (request) => {
    if (request.url().startsWith(`${app}/auth/oidc/callback`)) callback = request.url();
  });
  await startCompanySignIn(page);
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/`));
  const cookie = (await page.context().cookies(app)).find((c) => c.name === "jamboree_sign_on");
  expect(cookie, "the attempt cookie").toMatchObject({ httpOnly: true, sameSite: "Lax" });
  if (!keep) await page.context().clearCookies({ name: "jamboree_sign_on" });
  await signInAtProvider(page, provider.issuer, login);
  await expect.poll(() => callback).not.toBe("");
  return { callback: new URL(callback), cookie: cookie! };
}

test("an answer that belongs to another sign-in (its state) is refused", async ({ page, browser }) => {
  // Someone gets a genuine answer for their own account (its code unused) ...
  const attacker = await freshPage(browser);
  const { callback } = await providerAnswer(attacker, maya.login, false);
  await expect(attacker).toHaveURL(`${app}/login?signOnError=no_attempt`);
  await attacker.context().close();
  // ... and has a person who has started signing in open it.
  await startCompanySignIn(page);
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/`));
  await page.goto(callback.href);
  await expect(page).toHaveURL(`${app}/login?signOnError=state_mismatch`);
  await expect(page.getByRole("alert")).toContainText("did not belong to the sign-in started here");
  await expect(page.getByRole("link", { name: maya.name })).toHaveCount(0);
  // That used the person's attempt up: opening the address again finds none.
  await page.goto(callback.href);
  await expect(page).toHaveURL(`${app}/login?signOnError=no_attempt`);
});

test("a replayed callback is refused, even with the attempt cookie copied to another browser", async ({ page, browser }) => {
  const { callback, cookie } = await providerAnswer(page, maya.login, true);
  await expect(page).toHaveURL(`${app}/jams`);

  const attacker = await freshPage(browser);
  await attacker.context().addCookies([cookie]);
  await attacker.goto(callback.href);
  await expect(attacker).toHaveURL(`${app}/login?signOnError=no_attempt`);
  await expect(attacker.getByRole("alert")).toContainText("already used");
  await expect(attacker.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await attacker.context().close();
});

test("a company account whose e-mail belongs to a password account does not get into it, and no second account is made", async ({ page }) => {
  const target = E2E_USERS.companyConnector;
  provider.accounts.set(`lookalike-${run}`, { name: "Someone Else", email: target.email, department: "Anywhere" });
  await startCompanySignIn(page);
  await signInAtProvider(page, provider.issuer, `lookalike-${run}`);
  await expect(page).toHaveURL(`${app}/login?signOnError=email_taken`);
  await expect(page.getByRole("alert")).toContainText("never joined by e-mail alone");
  await expect(page.getByRole("link", { name: target.name })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Someone Else" })).toHaveCount(0);
  expect((await query<{ n: number }>("SELECT CAST(count(*) AS INTEGER) AS n FROM users WHERE email = ?", target.email)).n).toBe(1);
  expect((await query<{ n: number }>("SELECT CAST(count(*) AS INTEGER) AS n FROM users WHERE name = 'Someone Else'")).n).toBe(0);
});

test("that person connects their company account while signed in with their password, then signs in with it", async ({ page, browser }) => {
  const person = E2E_USERS.companyConnector;
  provider.accounts.set(`cora-${run}`, { name: person.name, email: person.email });
  await page.goto(`${app}/login`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${app}/jams`);
  await page.goto(`${app}/me?tab=sessions`);
  await page.getByRole("button", { name: "Connect your company account" }).click();
  await signInAtProvider(page, provider.issuer, `cora-${run}`);
  await expect(page).toHaveURL(`${app}/me?tab=sessions&connected=1`);
  await expect(page.getByText("Connected: you can now sign in with your company account.")).toBeVisible();
  await expect(page.getByText(/Signs in through 127\.0\.0\.1/)).toBeVisible();

  const later = await freshPage(browser);
  await startCompanySignIn(later);
  await signInAtProvider(later, provider.issuer, `cora-${run}`);
  await expect(later).toHaveURL(`${app}/jams`);
  await expect(later.getByRole("link", { name: person.name })).toBeVisible();
  await later.context().close();
});
