import { expect, test, type Page } from "@playwright/test";
import { E2E_LIVE_JAM } from "./accounts";
import { participantFor, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

async function postIdea(page: Page, title: string, body: string) {
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByRole("link", { name: /Tools that help/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tools that help" })).toBeVisible();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(body);
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

test("my activity lists the ideas I posted, the comments I wrote and the ideas I voted for", async ({ page, browser }, testInfo) => {
  // A colleague's fresh idea, so this test's vote meets no other test's.
  const theirs = uniqueTitle("A lending library for tools");
  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  const theirPath = await postIdea(colleague, theirs, "Borrow the good drill instead of buying one.").finally(() =>
    colleague.context().close(),
  );

  await signIn(page, participantFor(testInfo));
  const mine = uniqueTitle("Keyboard shortcuts cheat sheet");
  const myPath = await postIdea(page, mine, "One page per tool we use.");

  await page.goto(theirPath);
  await expect(page.getByRole("heading", { level: 1, name: theirs })).toBeVisible();
  const comment = uniqueTitle("I would lend my ladder");
  await page.getByLabel("Add a comment").fill(comment);
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("article", { name: /Comment by/ }).filter({ hasText: comment })).toBeVisible();
  await page.getByRole("button", { name: /Vote for this idea/ }).click();
  await expect(page.getByRole("button", { name: /Withdraw your vote/ })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My activity" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My activity" })).toBeVisible();

  const ideas = page.getByRole("region", { name: "My ideas" });
  const myIdea = ideas.getByRole("listitem").filter({ has: page.getByRole("link", { name: mine }) });
  await expect(myIdea).toContainText(`${E2E_LIVE_JAM.title} · Tools that help`);
  await expect(myIdea.getByRole("link", { name: mine })).toHaveAttribute("href", myPath);
  await expect(ideas.getByRole("link", { name: theirs })).toHaveCount(0);

  // One tab at a time: comments and votes have their own.
  const tabs = page.getByRole("navigation", { name: "My activity" });
  await tabs.getByRole("link", { name: /^Comments/ }).click();
  const comments = page.getByRole("region", { name: "My comments" });
  const myComment = comments.getByRole("listitem").filter({ hasText: comment });
  await expect(myComment.getByRole("link", { name: theirs })).toHaveAttribute("href", new RegExp(`^${theirPath}#comment-\\d+$`));

  await tabs.getByRole("link", { name: /^Votes/ }).click();
  const votes = page.getByRole("region", { name: "My votes" });
  const myVote = votes.getByRole("listitem").filter({ has: page.getByRole("link", { name: theirs }) });
  await expect(myVote).toContainText("1 vote in all");
  await expect(votes.getByRole("link", { name: mine })).toHaveCount(0);

  // The link leads back to the idea.
  await myVote.getByRole("link", { name: theirs }).click();
  await expect(page.getByRole("heading", { level: 1, name: theirs })).toBeVisible();
});
