import { expect, test, type Page } from "@playwright/test";
import { DEMO, E2E_LIVE_JAM, type E2ERole } from "./accounts";
import { expectNoSidewaysScroll, serverDatabase, signInQuickly } from "./fixtures";
import { liveJamOfItsOwn } from "./jam-of-its-own";

// Every page of the main set, on a 360 px phone: nothing is wider than the window (tables scroll
// inside their own frame), and the words drawn in charts are at least 10 px tall. One page a test.
test.beforeEach(({}, testInfo) => test.skip(testInfo.project.name !== "phone", "a phone's width only"));

async function expectReadableCharts(page: Page) {
  const heights = await page.locator("svg text").evaluateAll((all) =>
    all.map((t) => ({ text: (t.textContent ?? "").slice(0, 20), height: t.getBoundingClientRect().height })).filter((t) => t.height > 0),
  );
  for (const t of heights) expect(t.height, `chart word “${t.text}”`).toBeGreaterThanOrEqual(10);
}

async function check(page: Page, path: string) {
  const answer = await page.goto(path);
  expect(answer?.status(), path).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectReadableCharts(page);
}

const pages: [string, E2ERole, string][] = [
  ["the jams list", "leader", "/jams"],
  ["a live jam's home", "leader", `/jams/${E2E_LIVE_JAM.slug}`],
  ["the overall leaderboard", "leader", "/leaderboard"],
  ["a jam's leaderboard", "leader", `/jams/${E2E_LIVE_JAM.slug}/leaderboard`],
  ["my activity", "leader", "/me"],
  ["your data", "leader", "/me?tab=data"],
  ["erasing your account", "leader", "/me/erase"],
  ["notifications", "leader", "/notifications"],
  ["my network", "leader", "/network/me"],
  ["actions", "leader", "/actions"],
  ["the jellies list", "leader", "/jellies"],
  ["the jelly proposal form", "leader", "/jellies/new"],
  ["the demo's synthesis", "leader", `/jams/${DEMO.endedJam.slug}/synthesis`],
  ["the command centre", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/command`],
  ["the new jam form", "facilitator", "/jams/new"],
  ["a jam's edit form", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/edit`],
  ["a jam's launch checklist", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/launch`],
  ["a jam's preview", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/preview`],
  ["the people admin page", "admin", "/admin/people"],
  ["the admin settings page", "admin", "/admin/settings"],
  ["the sign-ins tab of my activity", "leader", "/me?tab=sessions"],
  ["the mail admin page", "admin", "/admin/mail"],
  ["the notification and e-mail settings", "leader", "/notifications/settings"],
];
for (const [name, role, path] of pages) {
  test(`${name} fits a phone @phone`, async ({ page }) => {
    await signInQuickly(page, role);
    await check(page, path);
  });
}

test("a challenge, an idea, a profile and an action fit a phone @phone", async ({ page }) => {
  await signInQuickly(page, "leader");
  await check(page, `/jams/${E2E_LIVE_JAM.slug}`);
  const challenge = await page.getByRole("link", { name: /Meetings that matter/ }).first().getAttribute("href");
  await check(page, challenge!);
  const idea = await page.getByRole("article").first().getByRole("heading").getByRole("link").getAttribute("href");
  await check(page, idea!);
  const { person } = await serverDatabase();
  await check(page, `/people/${(await person("leader")).id}`);
  await page.goto("/actions");
  const action = page.getByRole("main").getByRole("link", { name: DEMO.subThemeActionTitle });
  await check(page, (await action.first().getAttribute("href"))!);
});

test("the one-at-a-time stance flow and a dots challenge fit a phone @phone", async ({ page }) => {
  const stance = await liveJamOfItsOwn("stance", 1);
  const dots = await liveJamOfItsOwn("dots", 1);
  await signInQuickly(page, "participant");
  await check(page, stance.challengeUrl);
  await check(page, `${stance.challengeUrl}/vote`);
  await check(page, dots.challengeUrl);
});
