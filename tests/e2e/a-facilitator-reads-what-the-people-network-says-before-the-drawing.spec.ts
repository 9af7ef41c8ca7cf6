import { expect, test, type Page } from "@playwright/test";
import { E2E_LIVE_JAM, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, signIn, signInQuickly } from "./fixtures";

const path = `/jams/${E2E_LIVE_JAM.slug}/network`;

/** The findings, once the snapshot (computed in a worker thread on the first visit) is there. */
async function openFindings(page: Page, address = path) {
  await page.goto(address);
  await expect(page.getByRole("heading", { level: 2, name: "What the network says" })).toBeVisible({ timeout: 20_000 });
}

/** Every word drawn in the network's SVG is at least 10 px tall on screen. */
async function expectReadableDrawing(page: Page) {
  const heights = await page.locator(".network svg text").evaluateAll((all) =>
    all.map((t) => ({ text: (t.textContent ?? "").slice(0, 20), height: t.getBoundingClientRect().height })),
  );
  for (const t of heights) expect(t.height, `drawn word “${t.text}”`).toBeGreaterThanOrEqual(10);
}

test("a facilitator reads the findings first, departments drawn by default, people on request", async ({ page }) => {
  await signIn(page, "facilitator");
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: "Network", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "People network" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "What the network says" })).toBeVisible({ timeout: 20_000 });

  // Findings come before the drawing, each with what to do about it.
  const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
  expect(headings.indexOf("What the network says")).toBeLessThan(headings.indexOf("Who interacts with whom"));
  for (const name of ["Departments that never met", "People who connect departments", "Influencers per theme", "Most reach in the network"]) {
    await expect(page.getByRole("heading", { level: 3, name })).toBeVisible();
  }
  const brokers = page.getByRole("region", { name: "People who connect departments" });
  await expect(brokers.getByRole("link", { name: E2E_USERS.networker.name })).toBeVisible();
  await expect(brokers.getByRole("columnheader", { name: "Departments" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Most reach in the network" }).getByRole("columnheader", { name: "Reach" })).toBeVisible();
  await expect(page.getByText("PageRank")).toHaveCount(0);

  // The drawing: departments by default.
  const tabs = page.getByRole("navigation", { name: "Drawing" });
  await expect(tabs.getByRole("link", { name: "Departments" })).toHaveAttribute("aria-current", "page");
  const drawing = page.getByRole("group", { name: /The network of E2E Live Jam: \d+ departments?/ });
  await expect(drawing).toBeVisible();
  expect(await drawing.getByRole("img").count()).toBeGreaterThan(1);
  await expectReadableDrawing(page);

  // People, by the strongest ties, are a link away.
  await tabs.getByRole("link", { name: "People (strongest ties)" }).click();
  await expect(page).toHaveURL(/drawing=people/);
  await expect(tabs.getByRole("link", { name: "People (strongest ties)" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("group", { name: /The network of E2E Live Jam: \d+ (person|people)/ })).toBeVisible();
  await expect(page.getByRole("region", { name: /strongest ties? of/ }).getByRole("cell", { name: E2E_USERS.networker.name })).toBeVisible();
  await expectReadableDrawing(page);
});

test("the drawings are plain links: they switch without JavaScript", async ({ page, browser }, testInfo) => {
  // With JavaScript the page asks for a snapshot when there is none; without, it only reads one.
  await signInQuickly(page, "facilitator");
  await openFindings(page);
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL });
  const noScript = await context.newPage();
  await signInQuickly(noScript, "facilitator");
  await noScript.goto(path);
  await expect(noScript.getByRole("group", { name: /The network of E2E Live Jam: \d+ departments?/ })).toBeVisible();
  await noScript.getByRole("navigation", { name: "Drawing" }).getByRole("link", { name: "People (strongest ties)" }).click();
  await expect(noScript.getByRole("group", { name: /The network of E2E Live Jam: \d+ (person|people)/ })).toBeVisible();
  await context.close();
});

test("the jam's network has no accessibility violations, in either drawing", async ({ page }) => {
  await signInQuickly(page, "facilitator");
  await openFindings(page);
  await expectNoAccessibilityViolations(page);
  await openFindings(page, `${path}?drawing=people`);
  await expectNoAccessibilityViolations(page);
});

test("the organisation's network leads with findings and has no accessibility violations", async ({ page }) => {
  await signInQuickly(page, "leader");
  await openFindings(page, "/network?q=calendar");
  await expect(page.getByRole("group", { name: /The organisation’s network: \d+ departments?/ })).toBeVisible();
  await expectNoAccessibilityViolations(page);
});

test("on a phone the jam's network reads at 10 px or more and never scrolls sideways @phone", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "a phone's width only");
  await signInQuickly(page, "facilitator");
  for (const address of [path, `${path}?drawing=people`]) {
    await openFindings(page, address);
    await expect(page.locator(".network svg").first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectReadableDrawing(page);
  }
  await expectNoAccessibilityViolations(page);
});
