import { expect, test, type Page, type Route, type TestInfo } from "@playwright/test";
import { E2E_TYPING_JAM } from "./accounts";
import { signIn, uniqueTitle } from "./fixtures";

// While someone types an idea, the form looks up similar ideas in the background. Whatever
// happens to that lookup (an error answer, a dropped connection, an answer still on its way
// when the person posts), the page stays, what was typed stays, and posting works.

// The lookup's address, however it is asked for (a plain query, or a router data request).
const SIMILAR = "**/jams/*/challenges/*/similar*";

async function openChallenge(page: Page, testInfo: TestInfo) {
  await signIn(page, testInfo.project.name === "phone" ? "phoneTypist" : "typist");
  await page.goto(`/jams/${E2E_TYPING_JAM.slug}`);
  await page.getByRole("link", { name: new RegExp(E2E_TYPING_JAM.challenge) }).click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_TYPING_JAM.challenge })).toBeVisible();
  await page.waitForFunction(() => document.readyState === "complete");
}

/** Types an idea and waits until the page has asked for similar ideas at least once. */
async function typeIdea(page: Page, title: string, body: string) {
  const asked = page.waitForRequest((request) => decodeURIComponent(request.url()).includes("/similar"));
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(body);
  await asked;
}

async function expectPosted(page: Page, title: string) {
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveURL(/\/ideas\/\d+$/);
}

test("the lookup answers an error: the typed title and body stay, and posting works @phone", async ({ page }, testInfo) => {
  await openChallenge(page, testInfo);
  let failed = 0;
  await page.route(SIMILAR, (route) => {
    failed++;
    return route.fulfill({ status: 500, contentType: "text/plain", body: "Something broke." });
  });
  const title = uniqueTitle("Focus mornings");
  const body = "Two hours without meetings every morning, typed with care.";
  const answered = page.waitForResponse((response) => decodeURIComponent(response.url()).includes("/similar") && response.status() === 500);
  await typeIdea(page, title, body);
  await answered;
  expect(failed).toBeGreaterThan(0);
  // The page is still the challenge, with no error in place of it, and the idea is still there.
  await expect(page.getByRole("heading", { level: 1, name: E2E_TYPING_JAM.challenge })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Describe your idea")).toHaveValue(body);
  await expect(page.getByRole("complementary", { name: "Similar ideas" })).toHaveCount(0);
  await expectPosted(page, title);
});

test("the network drops the lookup: the typed idea stays and posting works", async ({ page }, testInfo) => {
  await openChallenge(page, testInfo);
  await page.route(SIMILAR, (route) => route.abort("connectionreset"));
  const title = uniqueTitle("Walking meetings");
  const body = "Meet while walking round the block.";
  const dropped = page.waitForEvent("requestfailed", (request) => decodeURIComponent(request.url()).includes("/similar"));
  await typeIdea(page, title, body);
  await dropped;
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Describe your idea")).toHaveValue(body);
  await expectPosted(page, title);
});

test("posting while the lookup is still on its way posts the idea", async ({ page }, testInfo) => {
  await openChallenge(page, testInfo);
  // Hold every lookup until the idea has been posted.
  const held: Route[] = [];
  let release = false;
  await page.route(SIMILAR, (route) => (release ? route.continue() : void held.push(route)));
  const title = uniqueTitle("Agenda first");
  await typeIdea(page, title, "No agenda, no meeting.");
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expectPosted(page, title);
  release = true;
  await Promise.all(held.map((route) => route.continue().catch(() => undefined)));
  // A late answer for the page that is gone changes nothing.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});
