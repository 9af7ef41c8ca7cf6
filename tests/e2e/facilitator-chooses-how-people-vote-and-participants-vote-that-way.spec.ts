import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS, type E2ERole } from "./accounts";
import { expectNoAccessibilityViolations, participantFor, serverDatabase, signIn, uniqueTitle } from "./fixtures";
import { mapInOrder } from "~/domain/in-order";

/** `datetime-local` text for a moment `hoursFromNow` away, in the browser's own zone. */
function localInput(page: Page, hoursFromNow: number) {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3_600_000);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, hoursFromNow);
}

async function postIdea(page: Page, challengeUrl: string, title: string) {
  await page.goto(challengeUrl);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(`Why: ${title}.`);
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

/** A person in a browser with JavaScript turned off: every vote is a plain form post. */
async function signInWithoutJavaScript(browser: Browser, testInfo: TestInfo, role: E2ERole) {
  const { baseURL, viewport } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS[role].email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
  return page;
}

/**
 * A live jam made with the services on the server's own database: one challenge voted
 * agree / disagree / pass ("Office rules"), one with 4 dots, at most 2 on an idea
 * ("Closing round"), each with three ideas by the vote-mode author, oldest first.
 */
async function jamWithVotingModes() {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea: post } = await import("~/services/commands/ideas.server");
  const now = Date.now();
  const title = uniqueTitle("Ways to vote");
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      // Published at once: this jam is not about launching one.
      isDraft: false,
      startsAt: now - 2 * 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [
        { title: "Office rules", question: "Which office rules should we keep?", voteMode: "stance" },
        { title: "Closing round", question: "Which ideas should we fund?", voteMode: "dots", dotBudget: 4, dotMaxPerIdea: 2 },
      ],
    },
    { ip: null },
  );
  const [stance, dots] = await jamChallenges(jam.id);
  const author = await person("voteModeAuthor");
  // Posted a few minutes apart in the past, so "oldest first" has one answer.
  let minutesAgo = 60;
  const ideas = async (challengeId: number, names: string[]) =>
    await mapInOrder(names, async (name) => {
      const ideaTitle = uniqueTitle(name);
      const idea = await post(author, { challengeId, title: ideaTitle, body: `Why: ${ideaTitle}.`, clientKey: `vote-modes-${ideaTitle.replace(/\W+/g, "-")}` }, { now: now - minutesAgo-- * 60_000 });
      ideaIds.set(ideaTitle, idea.id);
      return ideaTitle;
    });
  const ideaIds = new Map<string, number>();
  return {
    slug: jam.slug,
    title,
    ideaIds,
    stanceUrl: `/jams/${jam.slug}/challenges/${stance!.id}`,
    dotsUrl: `/jams/${jam.slug}/challenges/${dots!.id}`,
    rules: await ideas(stance!.id, ["Quiet floor", "Clean desks", "Dogs welcome"]),
    fund: await ideas(dots!.id, ["Bike racks", "Standing desks", "Plants"]),
  };
}

// UTC: the form's local times read the same before and after it hydrates.
test.use({ timezoneId: "UTC" });

test("a facilitator chooses agree / disagree / pass for one challenge and dots for another", async ({ page }) => {
  await signIn(page, "facilitator");
  await page.goto("/jams/new");
  const jamTitle = uniqueTitle("Ways to vote");
  await page.getByLabel("Title", { exact: true }).fill(jamTitle);
  await page.getByLabel("Starts").fill(await localInput(page, -1));
  await page.getByLabel("Ends").fill(await localInput(page, 48));
  await page.getByLabel("Challenge 1 title").fill("Office rules");
  await page.getByLabel("Challenge 1 question").fill("Which office rules should we keep?");
  await page.getByLabel("How people vote on challenge 1").selectOption("stance");
  // Dot settings show only while dots are chosen.
  await expect(page.getByLabel("Challenge 1 dots per person")).toBeHidden();
  await page.getByLabel("Challenge 2 title").fill("Closing round");
  await page.getByLabel("Challenge 2 question").fill("Which ideas should we fund?");
  await page.getByLabel("How people vote on challenge 2").selectOption("dots");
  await expect(page.getByLabel("Challenge 2 dots per person")).toBeVisible();
  await page.getByLabel("Challenge 2 dots per person").fill("4");
  await page.getByLabel("Challenge 2 most dots on one idea").fill("2");
  await page.getByRole("button", { name: "Create jam" }).click();
  // The checklist lists each challenge's way of voting; the jam opens at once (its start has passed).
  await expect(page.getByTestId("launch-voting")).toContainText("Office rules: Agree / disagree / pass");
  await expect(page.getByTestId("launch-voting")).toContainText("Closing round: Dots (4 dots each, at most 2 on one idea)");
  await page.getByRole("link", { name: "Schedule…" }).click();
  await page.getByRole("button", { name: "Open it now" }).click();
  await page.getByRole("link", { name: "Open the jam page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: jamTitle })).toBeVisible();
  const challenges = page.getByRole("region", { name: "Challenges" });
  const stanceUrl = (await challenges.getByRole("link", { name: /Office rules/ }).getAttribute("href"))!;
  const dotsUrl = (await challenges.getByRole("link", { name: /Closing round/ }).getAttribute("href"))!;

  // The agree / disagree challenge offers the one-at-a-time voting page, and no "Trending".
  const rule = uniqueTitle("Quiet floor");
  await postIdea(page, stanceUrl, rule);
  await page.goto(stanceUrl);
  await expect(page.getByRole("link", { name: "Vote on ideas" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Trending" })).toHaveCount(0);
  // The dots challenge shows the budget; nobody can put dots on their own idea.
  const fund = uniqueTitle("Bike racks");
  await postIdea(page, dotsUrl, fund);
  await expect(page.getByRole("button", { name: `Add a dot to “${fund}”` })).toBeDisabled();
  await page.goto(dotsUrl);
  await expect(page.getByTestId("dot-budget").getByRole("status")).toHaveText("4 of 4 dots left");
});

test("a participant agrees, disagrees or passes one idea at a time, least-voted first, and changes their mind later", async ({ page: me }, testInfo) => {
  const { stanceUrl, rules } = await jamWithVotingModes();
  await signIn(me, participantFor(testInfo));
  await me.goto(stanceUrl);
  // A participant votes on each idea, one at a time, least-voted (then oldest) first.
  await expect(me.getByRole("link", { name: "Trending" })).toHaveCount(0);
  await me.getByRole("link", { name: "Vote on ideas" }).click();
  await expect(me.getByRole("heading", { level: 1, name: "Vote on ideas" })).toBeVisible();
  await expect(me.getByText("0 of 3 ideas voted on")).toBeVisible();
  await expect(me.getByRole("heading", { level: 2, name: rules[0] })).toBeVisible();
  await expectNoAccessibilityViolations(me);
  await me.getByRole("button", { name: "Agree", exact: true }).click();
  await expect(me.getByText("Recorded: you agreed.")).toBeVisible();
  await expect(me.getByText("1 of 3 ideas voted on")).toBeVisible();
  await expect(me.getByRole("heading", { level: 2, name: rules[1] })).toBeVisible();
  // The keyboard works too: D is Disagree.
  await me.keyboard.press("d");
  await expect(me.getByText("Recorded: you disagreed.")).toBeVisible();
  await expect(me.getByRole("heading", { level: 2, name: rules[2] })).toBeVisible();
  await me.getByRole("button", { name: "Pass", exact: true }).click();
  await expect(me.getByRole("heading", { name: "You have voted on every idea" })).toBeVisible();
  await expect(me.getByText("3 of 3 ideas voted on")).toBeVisible();

  // The challenge page shows each idea's counts, in words as well as a bar; "Most agreed" ranks by agrees.
  await me.goto(stanceUrl);
  const first = me.getByRole("article").filter({ hasText: rules[0] });
  await expect(first.getByRole("list", { name: "Votes so far" })).toContainText("1 agree");
  await expect(first.getByRole("list", { name: "Votes so far" })).toContainText("0 disagree");
  await expect(first).toContainText("You agreed");
  await expectNoAccessibilityViolations(me);
  await me.getByRole("link", { name: "Most agreed" }).click();
  await expect(me.getByRole("article").first()).toContainText(rules[0]);

  // On the idea's page the participant changes their mind.
  await first.getByRole("link", { name: rules[0] }).click();
  await expect(me.getByRole("heading", { name: "Your vote: Agree" })).toBeVisible();
  // The choice shows at once; the reload waits for the vote to be saved (a reload mid-post may beat it).
  const saved = me.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/vote"));
  await me.getByRole("button", { name: "Disagree", exact: true }).click();
  await expect(me.getByRole("heading", { name: "Your vote: Disagree" })).toBeVisible();
  await expect(me.getByRole("button", { name: "Disagree", exact: true })).toHaveAttribute("aria-pressed", "true");
  expect((await saved).ok()).toBe(true);
  await me.reload();
  await expect(me.getByRole("heading", { name: "Your vote: Disagree" })).toBeVisible();
  await expectNoAccessibilityViolations(me);
  await expect(me.getByRole("list", { name: "Votes so far" })).toContainText("1 disagree");
  await expect(me.getByRole("list", { name: "Votes so far" })).toContainText("0 agree");
});

test("a participant spends a budget of dots, at most two on one idea, and takes one back for another", async ({ page: me }, testInfo) => {
  const { dotsUrl, fund } = await jamWithVotingModes();
  await signIn(me, participantFor(testInfo));
  // Dots: 4 to spend, at most 2 on one idea.
  await me.goto(dotsUrl);
  const left = me.getByTestId("dot-budget").getByRole("status");
  await expect(left).toHaveText("4 of 4 dots left");
  const add = (title: string) => me.getByRole("button", { name: `Add a dot to “${title}”` });
  const remove = (title: string) => me.getByRole("button", { name: `Take a dot off “${title}”` });
  const mine = (title: string) => me.getByRole("article").filter({ hasText: title }).getByTestId("my-dots");
  await add(fund[0]!).click();
  await expect(left).toHaveText("3 of 4 dots left");
  await add(fund[0]!).click();
  await expect(left).toHaveText("2 of 4 dots left");
  await expect(mine(fund[0]!)).toContainText("2");
  await expect(add(fund[0]!)).toBeDisabled(); // at most 2 on one idea
  await add(fund[1]!).click();
  await expect(left).toHaveText("1 of 4 dots left");
  await add(fund[1]!).click();
  await expect(left).toHaveText("0 of 4 dots left");
  // The budget is spent: every + is disabled, and the page says why.
  for (const title of fund) await expect(add(title)).toBeDisabled();
  await expect(me.getByTestId("dot-budget")).toContainText("All your dots are spent");
  await expect(add(fund[2]!)).toHaveAttribute("title", /All your dots are spent/);
  await expectNoAccessibilityViolations(me);
  // Taking one back frees it for another idea.
  await remove(fund[0]!).click();
  await expect(left).toHaveText("1 of 4 dots left");
  await expect(add(fund[2]!)).toBeEnabled();
  await add(fund[2]!).click();
  await expect(left).toHaveText("0 of 4 dots left");
  await me.reload();
  await expect(left).toHaveText("0 of 4 dots left");
  await expect(mine(fund[0]!)).toContainText("1");
  await expect(mine(fund[1]!)).toContainText("2");
  await expect(mine(fund[2]!)).toContainText("1");
  await me.getByRole("link", { name: "Most dots" }).click();
  await expect(me.getByRole("article").first()).toContainText(fund[1]!);
});

test("without JavaScript every vote is a plain form post that comes back to the page", async ({ browser }, testInfo) => {
  const { stanceUrl, dotsUrl, fund } = await jamWithVotingModes();
  const plain = await signInWithoutJavaScript(browser, testInfo, "colleague");
  await plain.goto(`${stanceUrl}/vote`);
  await expect(plain.getByText("0 of 3 ideas voted on")).toBeVisible();
  await plain.getByRole("button", { name: "Agree", exact: true }).click();
  await expect(plain.getByText("Recorded: you agreed.")).toBeVisible();
  await expect(plain.getByText("1 of 3 ideas voted on")).toBeVisible();
  await plain.goto(dotsUrl);
  await expect(plain.getByTestId("dot-budget").getByRole("status")).toHaveText("4 of 4 dots left");
  await plain.getByRole("button", { name: `Add a dot to “${fund[2]}”` }).click();
  await expect(plain).toHaveURL(new RegExp(`${dotsUrl}$`));
  await expect(plain.getByTestId("dot-budget").getByRole("status")).toHaveText("3 of 4 dots left");
  await plain.context().close();
});

test("once people have voted, the edit page shows that challenge's voting mode as fixed, with the reason", async ({ page }) => {
  const { slug, title, rules, ideaIds } = await jamWithVotingModes();
  const { person } = await serverDatabase();
  const { castStance } = await import("~/services/commands/stances.server");
  await castStance(await person("colleague"), { ideaId: ideaIds.get(rules[0]!)!, stance: "agree" });

  await signIn(page, "facilitator");
  await page.goto(`/jams/${slug}/edit`);
  await expect(page.getByRole("heading", { level: 1, name: "Edit jam" })).toBeVisible();
  // No choice that the save would refuse: the mode as text, and why.
  const fixed = page.getByRole("group", { name: "How people vote on challenge 1" });
  await expect(fixed).toContainText("Agree / disagree / pass");
  await expect(fixed).toContainText("Fixed");
  await expect(fixed).toHaveAccessibleDescription("People have already voted on this challenge by agreeing, disagreeing or passing; its voting mode can no longer change.");
  await expect(page.getByRole("combobox", { name: "How people vote on challenge 1" })).toHaveCount(0);
  // Nobody has placed dots yet: that challenge's mode can still change.
  await expect(page.getByRole("combobox", { name: "How people vote on challenge 2" })).toHaveValue("dots");
  await expectNoAccessibilityViolations(page);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});
