import { expect, test } from "@playwright/test";
import { E2E_LIVE_JAM, E2E_SMALL_TEAM } from "./accounts";
import { signIn, signInElsewhere, uniqueTitle } from "./fixtures";

const leaderboard = `/jams/${E2E_LIVE_JAM.slug}/leaderboard`;

test("an author earns points and a badge for an idea, gains more when someone supports it, and climbs the leaderboard", async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, "newcomer");
  await page.goto(leaderboard);
  await expect(page.getByRole("status").filter({ hasText: "You have no points in this jam yet" })).toBeVisible();

  // Posting the first idea: 10 points + 5 for the first contribution of the day, and the Idea Sparker badge.
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: /Tools that help/ }).click();
  const title = uniqueTitle("A shared inbox for IT requests");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const toast = page.getByRole("status").filter({ hasText: "Badge unlocked: Idea Sparker" });
  await expect(toast).toBeVisible();
  await expect(toast.locator("img")).toHaveAttribute("src", "/badges/idea-sparker.svg");
  await expect(page.getByRole("link", { name: "Your profile: 15 points" })).toBeVisible();
  const ideaUrl = page.url();

  await page.goto(leaderboard);
  const myRank = page.getByRole("status").filter({ hasText: "Your rank in this jam" });
  await expect(myRank).toContainText("15 points");
  const rankBefore = Number((await myRank.locator(".stat__value").innerText()).replace(/[#,]/g, ""));

  // A colleague supports it: 2 more points for the author.
  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  await colleague.goto(ideaUrl);
  await colleague.getByRole("button", { name: /Vote for this idea/ }).click();
  await expect(colleague.getByRole("button", { name: /Withdraw your vote/ })).toBeVisible();
  await colleague.context().close();

  await page.reload();
  await expect(myRank).toContainText("17 points");
  const rankAfter = Number((await myRank.locator(".stat__value").innerText()).replace(/[#,]/g, ""));
  expect(rankAfter).toBeLessThanOrEqual(rankBefore);
  await expect(page.getByRole("link", { name: "Your profile: 17 points" })).toBeVisible();
  const meRow = page.getByRole("row").filter({ hasText: "Nia Newcomer" });
  await expect(meRow).toContainText("17");

  // Departments are ranked per member; the one-person team's row shows its per-member score.
  const departments = page.getByRole("table", { name: "Departments ranked by points per member" });
  const small = departments.getByRole("row").filter({ hasText: E2E_SMALL_TEAM });
  await expect(small).toContainText("1 member");
  await expect(small.getByRole("cell").nth(2)).toHaveText("17");
  const perMember = await departments.locator("tbody tr td:nth-child(3)").allInnerTexts();
  const values = perMember.map((v) => Number(v.replace(/,/g, "")));
  expect(values).toEqual([...values].sort((a, b) => b - a));
  const ranks = await departments.locator("tbody tr td:nth-child(1)").allInnerTexts();
  expect(ranks.map(Number)).toEqual(ranks.map((_, i) => i + 1));

  // The badge shows on the profile with its level.
  await page.getByRole("link", { name: "Your profile: 17 points" }).click();
  await expect(page.getByRole("heading", { name: /Idea Sparker · Bronze/ })).toBeVisible();
});
