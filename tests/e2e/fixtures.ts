import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import Database from "better-sqlite3";
import pg from "pg";
import { DEMO, E2E_PASSWORD, E2E_USERS, e2eDatabase, e2eOnPostgres, e2eOrigin, type E2ERole } from "./accounts";

/**
 * The header every API post to the e2e server sends: Playwright's request context sends neither
 * Origin nor Sec-Fetch-Site, and the server refuses a post that says nothing of where it comes from.
 */
export const SAME_ORIGIN = { Origin: e2eOrigin() };

/** Signs in through the real sign-in form. */
export async function signIn(page: Page, role: E2ERole) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS[role].email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
}

/** A title no other test run will have used. */
export function uniqueTitle(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The participant account for this project (desktop and phone runs act as different people). */
export function participantFor(testInfo: TestInfo): E2ERole {
  return testInfo.project.name === "phone" ? "phoneParticipant" : "participant";
}

/**
 * A second person in their own browser context (own cookies), signed in. `origin`: on that server
 * instead of Playwright's baseURL (the PostgreSQL run's second server, `e2eSecondOrigin()`).
 * Close it with `await page.context().close()`.
 */
export async function signInElsewhere(browser: Browser, testInfo: TestInfo, role: E2ERole, options: { origin?: string } = {}): Promise<Page> {
  const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const baseURL = options.origin ?? testInfo.project.use.baseURL;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
  await signIn(page, role);
  return page;
}

/** The idea id of the idea page the browser is on. */
export function ideaIdOf(page: Page): number {
  const match = new URL(page.url()).pathname.match(/\/ideas\/(\d+)$/);
  if (!match) throw new Error(`Not on an idea page: ${page.url()}`);
  return Number(match[1]);
}

/**
 * Signs in an API request context through the sign-in form's endpoint (with the Origin header a
 * browser would send); the session cookie stays in the context for the following requests.
 */
export async function signInRequest(request: APIRequestContext, role: E2ERole) {
  const response = await request.post("/login", {
    form: { email: E2E_USERS[role].email, password: E2E_PASSWORD, redirectTo: "/jams" },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(response.status(), "sign-in redirects").toBe(302);
}

/**
 * Signs a browser page in without the sign-in form (the form has its own tests): the
 * page's request context shares the browser's cookies, so the session lands in both.
 */
export async function signInQuickly(page: Page, role: E2ERole) {
  await signInRequest(page.request, role);
}

/**
 * Runs axe (WCAG 2.1 A and AA) on the page as it is now and expects no violations. `skipFrames`:
 * frames axe cannot enter (a sandboxed frame that may run no script, such as an e-mail's HTML
 * part on the admin's mail page, which would make axe wait for ever), left out of the check.
 */
export async function expectNoAccessibilityViolations(page: Page, options: { skipFrames?: string[] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  for (const frame of options.skipFrames ?? []) builder = builder.exclude(frame);
  const results = await builder.analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary).toEqual([]);
}

/**
 * The e2e server's own database, for a test that makes what it needs (a jam of its own)
 * with the services instead of clicking through forms. This process's rate limits are off
 * (the server keeps its own); `person(role)` is that account's row, to act as.
 */
export async function serverDatabase() {
  process.env.DATABASE_URL = e2eDatabase();
  const { db } = await import("~db/client");
  const { users } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  const { setRateLimitsEnabled } = await import("~/services/effects/rate-limiter.server");
  setRateLimitsEnabled(false);
  return { person: async (role: E2ERole) => (await db().select().from(users).where(eq(users.email, E2E_USERS[role].email)).get())! };
}

/**
 * The first row of one query on the e2e server's database, read without writing, on either engine:
 * SQL both accept, `?` for each parameter (numbered for PostgreSQL here). Counts come back as text
 * from PostgreSQL: `CAST(count(*) AS INTEGER)` gives a number on both.
 */
export async function queryE2eDatabase<T>(text: string, ...params: unknown[]): Promise<T | undefined> {
  if (e2eOnPostgres()) {
    const client = new pg.Client({ connectionString: e2eDatabase() });
    await client.connect();
    try {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows[0] as T | undefined;
    } finally {
      await client.end();
    }
  }
  const conn = new Database(e2eDatabase(), { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(text).get(...params) as T | undefined;
  } finally {
    conn.close();
  }
}

/** Signs a page in to the demo company (tests/e2e/accounts.ts DEMO) as one of its documented accounts, without the form. */
export async function signInToDemoQuickly(page: Page, who: "leader" | "facilitator") {
  const response = await page.request.post("/login", {
    form: { email: DEMO[who].email, password: DEMO.password, redirectTo: "/jams" },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(response.status(), "sign-in redirects").toBe(302);
}

/** No part of the page is wider than the window (nothing scrolls sideways). */
export async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  expect(widths.page, `page ${widths.page} px wide in a ${widths.window} px window`).toBeLessThanOrEqual(widths.window);
}

/** The synthesis map's legend markers stay marker-sized (at most 16 px), whatever the column's width. */
export async function expectSmallLegendMarkers(page: Page) {
  const markers = page.locator(".theme-legend__marker");
  await expect(markers.first()).toBeVisible();
  for (const box of await markers.evaluateAll((all) => all.map((m) => m.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.width).toBeLessThanOrEqual(16);
    expect(box.height).toBeLessThanOrEqual(16);
  }
}

/** Opens the header's menu when the window is narrow enough to fold it (a phone); does nothing on a wide one. */
export async function openMenu(page: Page) {
  const menu = page.getByRole("button", { name: "Menu" });
  if ((await menu.isVisible()) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
}

/** Signs out through the header, as a person does (opening the menu first on a phone). */
export async function signOut(page: Page) {
  await openMenu(page);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
}

/**
 * A port for a server process a test starts itself, `n` (0-2) of its own: derived from E2E_PORT and
 * the worker's slot, so runs on different E2E_PORTs and the two workers of one run never share one.
 * E2E_EXTRA_PORT_BASE (the PostgreSQL run sets it) puts them right after the run's own ports instead.
 */
export function extraServerPort(testInfo: TestInfo, n = 0) {
  const base = Number(process.env.E2E_EXTRA_PORT_BASE) || 10 * Number(process.env.E2E_PORT ?? 3210);
  return base + 3 * testInfo.parallelIndex + n;
}

/**
 * A server process of the test's own, as `npm start` runs it but with one process
 * (WEB_CONCURRENCY=1), on the e2e database, with `settings` added to its environment (DATABASE_URL
 * for a database of the test's own: own-database.ts); resolves once it answers /healthz. One that
 * does not is stopped, and the wait fails. Stop it with `stopServer(server)`, or kill it and await
 * `exited(server)`. `stdio: "pipe"`: read what it writes with `serverOutput(server)`.
 */
export async function startServer(
  port: number,
  settings: Record<string, string> = {},
  options: { healthy?: boolean; stdio?: "ignore" | "pipe" } = {},
): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: e2eDatabase(), WEB_CONCURRENCY: "1", ...settings };
  delete (env as Record<string, string | undefined>).NODE_ENV;
  const server = spawn("node", ["server.js"], { env, stdio: options.stdio ?? "ignore" });
  const health = () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
  try {
    // Up: /healthz says 200, or, for a server the test means to be unhealthy, answers at all.
    if (options.healthy === false) await expect.poll(health, { timeout: 15_000 }).not.toBe(0);
    else await expect.poll(health, { timeout: 15_000 }).toBe(200);
  } catch (error) {
    server.kill("SIGKILL");
    throw error;
  }
  return server;
}

/**
 * Everything a server started with `stdio: "pipe"` has written to stdout and stderr, from its start
 * (its streams hold what came before the first read).
 */
export function serverOutput(server: ChildProcess): () => string {
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

/** Resolves once the server process has exited (at once when it already has). */
export async function exited(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  await once(server, "exit");
}

/** Stops a server with SIGTERM and waits until it has exited. */
export async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const stopped = exited(server);
  server.kill("SIGTERM");
  await stopped;
}

/**
 * A burst that ends in a crash: runs `jobs` `lanes` at a time; as soon as `enough()` says so after a
 * job, and at the latest once every job has run, calls `kill()` (once) and starts no more. A job
 * cut off by the kill was never acknowledged: its failure is dropped. Resolves with how many jobs
 * were started.
 */
export async function burstUntilKilled(jobs: (() => Promise<void>)[], enough: () => boolean, kill: () => void, lanes = 10): Promise<number> {
  let killed = false;
  let next = 0;
  const lane = async () => {
    while (!killed && next < jobs.length) {
      const job = jobs[next++]!;
      await job().catch(() => undefined);
      if (!killed && enough()) {
        killed = true;
        kill();
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (!killed) kill();
  return next;
}
