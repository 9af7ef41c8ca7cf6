import { expect, test } from "@playwright/test";
import { E2E_LIVE_JAM } from "./accounts";
import { extraServerPort, signIn, startServer } from "./fixtures";

/**
 * A server of the test's own that checks open live streams every half second (LIVE_RECHECK_MS;
 * 30 s otherwise), so the check that ends a stream after sign-out comes within the test.
 */
test("a signed-in page's live stream ends once its reader signs out in another tab", async ({ browser }, testInfo) => {
  const port = extraServerPort(testInfo);
  const server = await startServer(port, { LIVE_RECHECK_MS: "500" });
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    // Keep a hand on the page's EventSource (the page's own, untouched) to read its state.
    await context.addInitScript(() => {
      const Original = window.EventSource;
      const sources: EventSource[] = [];
      (window as unknown as { __sources: EventSource[] }).__sources = sources;
      window.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          sources.push(this);
        }
      };
    });
    const page = await context.newPage();
    await signIn(page, "streamWatcher");
    await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
    const state = () => page.evaluate(() => (window as unknown as { __sources: EventSource[] }).__sources.map((s) => s.readyState));
    await expect.poll(state).toEqual([1]) // OPEN;

    // The same person signs out in another tab.
    const other = await context.newPage();
    await other.goto("/jams");
    await other.getByRole("button", { name: "Sign out" }).click();
    await expect(other).toHaveURL(/\/login$/);

    // The first tab's stream is ended by the server, and its reconnection is refused (sign in first), so it stays closed.
    await expect.poll(state, { timeout: 10_000 }).toEqual([2]) // CLOSED;
  } finally {
    await context.close();
    server.kill("SIGTERM");
  }
});
