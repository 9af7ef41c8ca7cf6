import { expect, test, type Page } from "@playwright/test";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, serverDatabase, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

/** A live jam of the test's own with one idea by the edit author (made with the services on the server's database). */
async function ideaOfItsOwn(body = "A bowl of fruit in every kitchen on Fridays.") {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const now = Date.now();
  const jamTitle = uniqueTitle("Office life");
  const jam = await createJam(
    await person("facilitator"),
    {
      title: jamTitle,
      slug: jamTitle.toLowerCase().replace(/\s+/g, "-"),
      isDraft: false,
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      challenges: [{ title: "Kitchens", question: "What would make our kitchens better?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const title = uniqueTitle("Free fruit");
  const idea = await postIdea(await person("editAuthor"), { challengeId: challenge!.id, title, body, clientKey: `fruit-${title.replace(/\W+/g, "-")}` });
  return { url: `/jams/${jam.slug}/ideas/${idea.id}`, ideaId: idea.id, title, person };
}

async function open(page: Page, url: string, title: string) {
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.waitForFunction(() => document.readyState === "complete");
}

test("an author edits an idea and someone who voted before sees “edited” and what changed", async ({ page, browser }, testInfo) => {
  const { url, ideaId, title, person } = await ideaOfItsOwn();
  const { castVote } = await import("~/services/commands/votes.server");
  await castVote(await person("editVoter"), { ideaId });

  await signIn(page, "editAuthor");
  await open(page, url, title);
  await page.getByText("Edit idea", { exact: true }).click();
  const newTitle = `${title} and Mondays`;
  await page.getByLabel("Title").fill(newTitle);
  await page.getByLabel("Description").fill("A big bowl of seasonal fruit in every kitchen on Fridays.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: newTitle })).toBeVisible();
  await expect(page.getByRole("link", { name: /^edited/ })).toBeVisible();

  const voter = await signInElsewhere(browser, testInfo, "editVoter");
  await open(voter, url, newTitle);
  const since = voter.getByRole("region", { name: "Edited after you voted" });
  await expect(since).toBeVisible();
  await expect(since.locator("ins")).toContainText(["and Mondays", "big", "seasonal"]);
  await expect(since.locator("del")).toHaveCount(0);
  await expectNoAccessibilityViolations(voter);
  // The history: each version with its diff, newest first, and no sideways scroll on a phone.
  await voter.getByRole("link", { name: /^edited/ }).click();
  await expect(voter.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
  await expect(voter.getByRole("listitem").filter({ hasText: "Version 2" })).toContainText("Edited");
  await expect(voter.getByRole("listitem").filter({ hasText: "Version 1" })).toContainText("Posted");
  await expectNoAccessibilityViolations(voter);
  await voter.setViewportSize({ width: 360, height: 740 });
  await expectNoSidewaysScroll(voter);
  await voter.goBack();
  await expect(voter.getByRole("region", { name: "Edited after you voted" })).toBeVisible();
  await expectNoSidewaysScroll(voter);
  await voter.context().close();
});

test("an author invites a colleague as co-author, who accepts and is named on the idea", async ({ page, browser }, testInfo) => {
  const { url, title } = await ideaOfItsOwn();
  await signIn(page, "editAuthor");
  await open(page, url, title);
  const panel = page.getByRole("region", { name: "Co-authors" });
  await panel.getByLabel("Invite a colleague").fill("Cowriter");
  await panel.getByRole("button", { name: "Find" }).click();
  await panel.getByRole("button", { name: "Invite Cody Cowriter" }).click();
  await expect(panel.getByRole("listitem").filter({ hasText: "Cody Cowriter" })).toContainText("Invited");

  const invitee = await signInElsewhere(browser, testInfo, "coauthorInvitee");
  await invitee.goto("/notifications");
  await invitee.getByRole("link", { name: /Eda Editor invited you to co-author/ }).first().click();
  await expect(invitee.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const invitation = invitee.getByRole("region", { name: /invited you to co-author this idea/ });
  await invitation.getByRole("button", { name: "Accept" }).click();
  await expect(invitee.getByRole("region", { name: "Co-authors" }).getByRole("listitem").filter({ hasText: "Cody Cowriter" })).toContainText("Co-author");
  await expect(invitee.locator(".idea__meta")).toContainText("with Cody Cowriter");
  // A co-author edits the idea too.
  await expect(invitee.getByText("Edit idea")).toBeVisible();
  await invitee.context().close();

  await page.reload();
  await expect(page.locator(".idea__meta")).toContainText("with Cody Cowriter");
});

test("someone proposes a change, the author accepts it into the idea, and the proposer is credited", async ({ page, browser }, testInfo) => {
  const { url, ideaId, title, person } = await ideaOfItsOwn();
  const amender = await signInElsewhere(browser, testInfo, "amender");
  await open(amender, url, title);
  await amender.getByText("Propose a change", { exact: true }).click();
  const section = amender.getByRole("region", { name: /^Build on this/ });
  await section.getByLabel("Description").fill("A bowl of fruit from a local farm in every kitchen on Fridays.");
  await section.getByLabel("Why this change? (optional)").fill("Local fruit is cheaper and fresher.");
  await section.getByRole("button", { name: "Propose this change" }).click();
  await expect(amender.getByRole("region", { name: /^Build on this \(1 proposed change\)/ })).toBeVisible();
  await amender.context().close();

  await signIn(page, "editAuthor");
  await open(page, url, title);
  const proposal = page.getByRole("listitem").filter({ hasText: "Amo Amender proposed" });
  await expect(proposal.locator("ins")).toContainText("from a local farm");
  await proposal.getByRole("button", { name: "Accept into the idea" }).click();
  await expect(page.getByRole("article").locator(".user-text").first()).toHaveText("A bowl of fruit from a local farm in every kitchen on Fridays.");
  await expect(page.getByRole("region", { name: /^Build on this \(0 proposed changes\)/ })).toBeVisible();

  await page.getByRole("link", { name: "History", exact: true }).click();
  const accepted = page.getByRole("listitem").filter({ hasText: "Version 2" });
  await expect(accepted).toContainText("Proposed change accepted");
  await expect(accepted).toContainText("proposed by Amo Amender, accepted by Eda Editor");

  // Credited once: the proposer's points ledger has the accepted change.
  const { db } = await import("~db/client");
  const { pointEntries } = await import("~db/schema");
  const { and, eq } = await import("drizzle-orm");
  const credited = await db()
    .select()
    .from(pointEntries)
    .where(and(eq(pointEntries.userId, (await person("amender")).id), eq(pointEntries.reason, "amendment_accepted"), eq(pointEntries.subject, `idea:${ideaId}`)))
    .all();
  expect(credited).toHaveLength(1);
});
