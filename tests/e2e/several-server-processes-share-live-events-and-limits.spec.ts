import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_PROCESSES_JAM, e2eOrigin, e2eSecondOrigin, type E2ERole } from "./accounts";
import { extraServerPort, signIn, startServer, uniqueTitle } from "./fixtures";

// `npm start` serves with one process per core on one SQLite file. Here two server processes of
// our own, one each (WEB_CONCURRENCY=1), on the e2e database and two ports, so each browser's
// stream is certainly held by a different process than the one the idea is posted to. In the
// PostgreSQL run the run's own two servers (A, Playwright's baseURL, and B, e2eSecondOrigin()) are
// already that: two app servers on one PostgreSQL database, the poster on A and the watcher on B.

async function signInAt(browser: Browser, origin: string, role: E2ERole): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: origin })).newPage();
  await signIn(page, role);
  return page;
}

async function openChallenge(page: Page) {
  await page.goto(`/jams/${E2E_PROCESSES_JAM.slug}`);
  await page.getByRole("link", { name: E2E_PROCESSES_JAM.challenge }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(300); // the live stream connects after hydration
}

test("an idea posted to one server process appears live in a browser whose stream another process holds, and a rate limit counts both", async ({
  browser,
}, testInfo) => {
  const second = e2eSecondOrigin();
  const ports = second ? [] : [extraServerPort(testInfo, 0), extraServerPort(testInfo, 1)];
  const servers = await Promise.all(ports.map((port) => startServer(port)));
  try {
    const [one, two] = second ? [e2eOrigin(), second] : ports.map((p) => `http://127.0.0.1:${p}`);
    const poster = await signInAt(browser, one!, "crossPoster");
    const watcher = await signInAt(browser, two!, "crossWatcher");
    await openChallenge(poster);
    const challengePath = new URL(poster.url()).pathname;
    await openChallenge(watcher);
    await watcher.evaluate(() => ((window as unknown as { __live: boolean }).__live = true));

    const title = uniqueTitle("Shared state across servers");
    await poster.getByLabel("Title").fill(title);
    await poster.getByRole("button", { name: "Post idea" }).click();
    await expect(poster.getByRole("heading", { level: 1, name: title })).toBeVisible();
    // The other process delivers it to its stream: the watcher's page offers it without a reload.
    const marker = watcher.getByRole("button", { name: /new idea/ });
    await expect(marker).toBeVisible({ timeout: 3_000 });
    await marker.click();
    await expect(watcher.getByRole("link", { name: title })).toBeVisible();
    expect(await watcher.evaluate(() => (window as unknown as { __live?: boolean }).__live)).toBe(true);

    // Ten ideas a minute in all: alternating between the two processes, the eleventh is refused.
    const statuses: number[] = [];
    for (let n = 1; n < 12; n++) {
      const origin = n % 2 ? two! : one!;
      const response = await poster.request.post(`${origin}${challengePath}`, {
        form: { title: uniqueTitle(`Across ${n}`), body: "Posted to either server.", clientKey: `cross-${Date.now().toString(36)}-${n}` },
        headers: { Origin: origin },
        maxRedirects: 0,
      });
      statuses.push(response.status());
    }
    // The first idea above counts too: nine more are accepted, then both processes refuse.
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(302));
    expect(statuses.slice(9)).toEqual([429, 429]);
    await poster.context().close();
    await watcher.context().close();
  } finally {
    for (const server of servers) server.kill("SIGTERM");
  }
});
