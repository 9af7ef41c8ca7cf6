import { expect, test, type Page } from "@playwright/test";
import { DEMO, E2E_LIVE_JAM, type E2ERole } from "./accounts";
import { expectNoSidewaysScroll, serverDatabase, signInQuickly, uniqueTitle } from "./fixtures";

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

/** A live jam with a stance challenge and a dots challenge, one idea each (made on the server's database). */
async function votingModesJam() {
  const { person } = await serverDatabase();
  const { createJam, jamChallenges } = await import("~/services/jams.server");
  const { postIdea } = await import("~/services/ideas.server");
  const title = uniqueTitle("Phone widths");
  const now = Date.now();
  const jam = createJam(
    person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
      // Published at once: new jams are drafts, and this test is not about launching one.
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [
        { title: "Office rules", question: "Which office rules should we keep?", voteMode: "stance" },
        { title: "Closing round", question: "Which ideas should we fund?", voteMode: "dots", dotBudget: 4, dotMaxPerIdea: 2 },
      ],
    },
    { ip: null },
  );
  const [stance, dots] = jamChallenges(jam.id);
  for (const c of [stance!, dots!]) {
    const ideaTitle = uniqueTitle("A longer idea title that has to wrap on a narrow phone screen");
    postIdea(person("voteModeAuthor"), { challengeId: c.id, title: ideaTitle, body: "Why.", clientKey: `phone-${c.id}-${Date.now()}` });
  }
  return { slug: jam.slug, stanceId: stance!.id, dotsId: dots!.id };
}

const pages: [string, E2ERole, string][] = [
  ["the jams list", "leader", "/jams"],
  ["a live jam's home", "leader", `/jams/${E2E_LIVE_JAM.slug}`],
  ["the overall leaderboard", "leader", "/leaderboard"],
  ["a jam's leaderboard", "leader", `/jams/${E2E_LIVE_JAM.slug}/leaderboard`],
  ["my activity", "leader", "/me"],
  ["notifications", "leader", "/notifications"],
  ["my network", "leader", "/network/me"],
  ["actions", "leader", "/actions"],
  ["the demo's synthesis", "leader", `/jams/${DEMO.endedJam.slug}/synthesis`],
  ["the command centre", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/command`],
  ["the new jam form", "facilitator", "/jams/new"],
  ["a jam's edit form", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/edit`],
  ["a jam's launch checklist", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/launch`],
  ["a jam's preview", "facilitator", `/jams/${E2E_LIVE_JAM.slug}/preview`],
  ["the people admin page", "admin", "/admin/people"],
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
  await check(page, `/people/${person("leader").id}`);
  await page.goto("/actions");
  const action = page.getByRole("main").getByRole("link", { name: DEMO.subThemeActionTitle });
  await check(page, (await action.first().getAttribute("href"))!);
});

test("the one-at-a-time stance flow and a dots challenge fit a phone @phone", async ({ page }) => {
  const jam = await votingModesJam();
  await signInQuickly(page, "participant");
  await check(page, `/jams/${jam.slug}/challenges/${jam.stanceId}`);
  await check(page, `/jams/${jam.slug}/challenges/${jam.stanceId}/vote`);
  await check(page, `/jams/${jam.slug}/challenges/${jam.dotsId}`);
});
