import { hashSync } from "@node-rs/argon2";
import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import type { ChildProcess } from "node:child_process";
import { departments, signOnIdentities, users } from "~db/schema";
import { COMPANY_CLIENT, signInAtProvider, startCompanyProvider, type CompanyProvider } from "./company-provider";
import { expectNoAccessibilityViolations, extraServerPort, SAME_ORIGIN, signInRequest, startServer, stopServer } from "./fixtures";
import { databaseOfItsOwn, type OwnDatabase } from "./own-database";

/**
 * Turning passwords off: an admin does it from /admin/settings once sign-on works, and then only the
 * company account signs in; password sign-in and sign-up are refused even to a direct post. The
 * setting applies to every process of a database, so the first two tests run on a database of their
 * own (own-database.ts; the rest of the suite signs in with passwords).
 */
test.describe.configure({ mode: "serial" });

const PASSWORD = "passwords-off-e2e-123";
const ADMIN = { login: "ada-company", name: "Ada Admin", email: "ada@corp.example" };
const PERSON = { name: "Pat Password", email: "pat@corp.example" };

let provider: CompanyProvider;
let server: ChildProcess;
let app: string;
let database: OwnDatabase;

test.beforeAll(async ({}, testInfo) => {
  const appPort = extraServerPort(testInfo, 0);
  app = `http://127.0.0.1:${appPort}`;
  provider = await startCompanyProvider(extraServerPort(testInfo, 1), app);
  provider.accounts.set(ADMIN.login, { name: ADMIN.name, email: ADMIN.email, department: "Operations" });

  // A database of its own: an admin whose company account is already connected, and a person with a password.
  database = await databaseOfItsOwn(testInfo, "passwords-off");
  const conn = database.conn();
  const now = Date.now();
  const hash = hashSync(PASSWORD);
  const team = (await conn.insert(departments).values({ name: "Operations" }).returning({ id: departments.id }).get())!;
  const person = async (name: string, email: string, role: "admin" | "participant") =>
    (await conn.insert(users).values({ name, email, passwordHash: hash, role, departmentId: team.id, createdAt: now }).returning({ id: users.id }).get())!;
  const admin = await person(ADMIN.name, ADMIN.email, "admin");
  await person(PERSON.name, PERSON.email, "participant");
  await conn.insert(signOnIdentities).values({ issuer: provider.issuer, subject: ADMIN.login, userId: admin.id, createdAt: now }).run();

  server = await startServer(appPort, {
    DATABASE_URL: database.url,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: COMPANY_CLIENT.id,
    OIDC_CLIENT_SECRET: COMPANY_CLIENT.secret,
  });
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  await provider?.close();
  await database?.drop();
});

/** One count from the test's database (SQL both engines accept). */
const count = async (query: string) => (await database.conn().get<{ n: number }>(sql.raw(query)))!.n;

test("an admin sees what sign-on is set to, never its secret, and turns passwords off", async ({ page }) => {
  await page.goto(`${app}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${app}/jams`);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(`${app}/admin/settings`);

  const signOn = page.getByRole("region", { name: "Sign-on (OpenID Connect)" });
  await expect(signOn.getByText("Set up", { exact: true })).toBeVisible();
  await expect(signOn.getByText(provider.issuer)).toBeVisible();
  await expect(signOn.getByText(COMPANY_CLIENT.id)).toBeVisible();
  await expect(signOn.getByText(`${app}/auth/oidc/callback`)).toBeVisible();
  expect(await page.content()).not.toContain(COMPANY_CLIENT.secret);
  await expectNoAccessibilityViolations(page);

  const passwords = page.getByRole("region", { name: "Password sign-in" });
  await passwords.getByText("Turn passwords off…").click();
  await expect(passwords.getByText("1 active person has not connected a company account yet and could not sign in")).toBeVisible();
  await passwords.getByRole("button", { name: "Turn passwords off", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("Passwords are off: everyone signs in with their company account.");
  await expect(passwords.getByRole("button", { name: "Turn passwords back on" })).toBeVisible();
});

test("with passwords off the sign-in page offers only the company account, and a direct password post is refused", async ({ page }) => {
  await page.goto(`${app}/login`);
  await expect(page.getByRole("button", { name: "Sign in with your company account" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Create (an )?account/ })).toHaveCount(0);
  await page.goto(`${app}/signup`);
  await expect(page.getByRole("heading", { name: "Your account comes from your company" })).toBeVisible();

  // The form is gone, but a post made by hand with the right password signs nobody in ...
  const headers = { Origin: app, "Content-Type": "application/x-www-form-urlencoded" };
  const signIn = await fetch(`${app}/login`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams({ email: PERSON.email, password: PASSWORD, redirectTo: "/jams" }),
  });
  expect(signIn.status).toBe(403);
  expect(signIn.headers.getSetCookie().some((c) => c.startsWith("jamboree_session="))).toBe(false);
  // ... and sign-up makes no account.
  const signUp = await fetch(`${app}/signup`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams({ name: "Sam Sneaky", email: "sam@corp.example", password: "a-long-unusual-passphrase" }),
  });
  expect(signUp.status).toBe(403);
  expect(await count("SELECT count(*) AS n FROM users WHERE email = 'sam@corp.example'")).toBe(0);
  expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'password_sign_in_refused'")).toBe(2);

  // The company account still signs in.
  await page.goto(`${app}/login`);
  await page.getByRole("button", { name: "Sign in with your company account" }).click();
  await signInAtProvider(page, provider.issuer, ADMIN.login);
  await expect(page).toHaveURL(`${app}/jams`);
  await expect(page.getByRole("link", { name: ADMIN.name })).toBeVisible();
});

test("where sign-on is not set up an admin cannot turn passwords off, even by a direct post", async ({ request }) => {
  await signInRequest(request, "admin");
  const refused = await request.post("/admin/settings", { form: { intent: "passwordSignIn", passwordSignIn: "off" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(refused.status()).toBe(400);
  const page = await request.get("/admin/settings");
  expect(await page.text()).toContain("Set up sign-on first");
  // Password sign-in still works there.
  await signInRequest(request, "participant");
});
