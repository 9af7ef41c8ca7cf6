import { expect, test, type Page } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, serverDatabase, signInQuickly, uniqueTitle } from "./fixtures";
import { forEachInOrder } from "~/domain/in-order";

/** A jam of the test's own that has ended, with three ideas by the stage author, posted while it was live. */
async function endedJamWithThreeIdeas() {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const now = Date.now();
  const title = uniqueTitle("Budget ideas");
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      isDraft: false,
      startsAt: now - 5 * 3_600_000,
      endsAt: now - 3_600_000,
      challenges: [{ title: "Spend less, do more", question: "Where would you save money without losing anything?", voteMode: "support" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const titles = ["Share one printer per floor", "Renegotiate the cloud contract", "Cancel unused software seats"].map((t) => uniqueTitle(t));
  await forEachInOrder(titles, async (ideaTitle, i) =>
    await postIdea(
      await person("stageAuthor"),
      { challengeId: challenge!.id, title: ideaTitle, body: `Why: ${ideaTitle}. It pays for itself within a quarter.`, clientKey: `stage-${ideaTitle.replace(/\W+/g, "-")}` },
      { now: now - 3 * 3_600_000 + i * 60_000 },
    ),
  );
  return { slug: jam.slug, challengeUrl: `/jams/${jam.slug}/challenges/${challenge!.id}`, titles };
}

/** Scores every idea the reviewer was given, in the order the pages offer them, with the given score per idea title. */
async function scoreAll(page: Page, scores: Record<string, number>, check: (page: Page, title: string) => Promise<void>) {
  await page.getByRole("region", { name: "Your ideas to score" }).getByRole("link").first().click();
  for (let n = 0; n < Object.keys(scores).length; n++) {
    // The page navigates on the client: wait for the idea's own page before reading its title.
    await expect(page).toHaveURL(/\/ideas\/\d+/);
    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toBeVisible();
    const title = (await heading.textContent())!.trim();
    await check(page, title);
    const value = scores[title]!;
    for (const criterion of ["Value", "Cost", "Feasibility"]) await page.getByLabel(`${criterion}: ${value}`).check();
    await page.getByRole("button", { name: "Submit my scores" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Your scores of “${title}” are saved.` })).toBeVisible();
  }
}

// One story told in steps: each step's people act on what the one before left.
test.describe.configure({ mode: "serial" });

let story: { slug: string; challengeUrl: string; titles: [string, string, string]; reviewTitle: string; reviewUrl: string };
const author = E2E_USERS.stageAuthor.name;

test.beforeAll(async () => {
  const jam = await endedJamWithThreeIdeas();
  story = { ...jam, titles: jam.titles as [string, string, string], reviewTitle: uniqueTitle("Savings review"), reviewUrl: "" };
});

test("a facilitator opens a blind review of a challenge with two reviewers, round-robin", async ({ page }) => {
  await signInQuickly(page, "facilitator");
  await page.goto(story.challengeUrl);
  await page.getByRole("link", { name: "Open a review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Open a review" })).toBeVisible();
  await expectNoAccessibilityViolations(page);
  await page.getByLabel("Title").fill(story.reviewTitle);
  await expect(page.getByLabel("Criterion 1")).toHaveValue("Value");
  await page.getByLabel("Reviewers' e-mail addresses").fill(`${E2E_USERS.reviewerOne.email}\n${E2E_USERS.reviewerTwo.email}`);
  await page.getByLabel("Blind review").check();
  await page.getByRole("button", { name: "Open the review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: story.reviewTitle })).toBeVisible();
  story.reviewUrl = new URL(page.url()).pathname;
  expect(story.reviewUrl).toMatch(new RegExp(`^/jams/${story.slug}/reviews/\\d+$`));
  await expect(page.getByRole("status").filter({ hasText: "The review is open" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Progress per reviewer" })).toContainText("0 / 3");
});

test("the first reviewer scores every idea blind: no author and nobody else's scores", async ({ page }) => {
  const [best, middle, last] = story.titles;
  await signInQuickly(page, "reviewerOne");
  await page.goto("/reviews");
  await page.getByRole("link", { name: story.reviewTitle }).click();
  await expect(page.getByText("Blind review: authors are not shown")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(author);
  await expectNoAccessibilityViolations(page);
  await scoreAll(page, { [best]: 5, [middle]: 3, [last]: 1 }, async (p) => {
    await expect(p.getByText("Blind review: the author is not shown.")).toBeVisible();
    await expect(p.locator("main")).not.toContainText(author);
    await expect(p.getByText("Blind review: other reviewers' scores of this idea show once you have submitted yours.")).toBeVisible();
  });
  await expectNoAccessibilityViolations(page);
});

test("the second reviewer sees the first one's scores of an idea only after submitting their own, and no shortlist", async ({ page }) => {
  const [best, middle, last] = story.titles;
  await signInQuickly(page, "reviewerTwo");
  await page.goto(story.reviewUrl);
  await scoreAll(page, { [best]: 4, [middle]: 2, [last]: 2 }, async (p) => {
    await expect(p.locator("main")).not.toContainText("Rhea Reviewer");
  });
  await page.goto(story.reviewUrl);
  await page.getByRole("region", { name: "Your ideas to score" }).getByRole("link", { name: best }).click();
  await expect(page.getByRole("region", { name: "Other reviewers" })).toContainText("Rhea Reviewer");
  await expect(page.getByRole("region", { name: "Other reviewers" })).toContainText("Value 5");
  await page.goto(story.reviewUrl);
  await expect(page.getByRole("heading", { name: "Ranked shortlist" })).toHaveCount(0);
});

test("the facilitator reads the ranked shortlist and selects the best idea: it becomes an action", async ({ page }) => {
  const [best, middle, last] = story.titles;
  await signInQuickly(page, "facilitator");
  await page.goto(story.reviewUrl);
  const shortlist = page.getByRole("region", { name: "Ranked shortlist" });
  const items = shortlist.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3 }) });
  await expect(items.nth(0)).toContainText(best);
  await expect(items.nth(0)).toContainText("4.50");
  await expect(items.nth(1)).toContainText(middle);
  await expect(items.nth(2)).toContainText(last);
  await expect(items.nth(2)).toContainText("1.50");
  await expect(page.getByRole("region", { name: "Progress per reviewer" })).toContainText("3 / 3");
  await expectNoAccessibilityViolations(page);
  await items.nth(0).getByRole("button", { name: "Select and make it an action" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Selected: it is now a follow-up action" })).toBeVisible();
  await expect(items.nth(0)).toContainText("Selected");
  await expect(items.nth(0).getByRole("link", { name: "Follow-up action" })).toBeVisible();
  // Not selected needs a reason.
  await items.nth(2).getByRole("button", { name: "Not selected" }).click();
  await expect(page.getByText("Say why it is not selected: its author will read this.")).toBeVisible();

  // On a phone, the review pages do not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  for (const url of [story.reviewUrl, `/jams/${story.slug}/reviews/new?challenge=${story.challengeUrl.split("/").pop()}`, "/reviews"]) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page);
  }
});

test("the author is told their idea was selected, and sees its stage on the idea and on My activity", async ({ page }) => {
  const [best, middle] = story.titles;
  await signInQuickly(page, "stageAuthor");
  await page.goto("/notifications");
  const news = page.getByRole("link", { name: `Your idea “${best}” was selected in “${story.reviewTitle}” and becomes a follow-up action` });
  await expect(news).toBeVisible();
  await news.click();
  await expect(page.getByRole("heading", { level: 1, name: best })).toBeVisible();
  await expect(page.locator(".idea-stage")).toHaveText("Stage: Selected");
  await expectNoAccessibilityViolations(page);
  await page.goto("/me");
  await expect(page.getByRole("listitem").filter({ has: page.getByRole("link", { name: best }) })).toContainText("Selected");
  await expect(page.getByRole("listitem").filter({ has: page.getByRole("link", { name: middle }) })).toContainText("In review");
});
