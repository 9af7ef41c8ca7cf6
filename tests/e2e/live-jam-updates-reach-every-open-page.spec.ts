import { expect, test, type Page } from "@playwright/test";
import { E2E_COLLEAGUE_IDEA_TITLE, E2E_LIVE_JAM, e2eSecondOrigin } from "./accounts";
import { serverDatabase, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

// In the PostgreSQL run the second browser of each test is on the second server (e2eSecondOrigin()), so
// what it sees live was committed through the other process and reached it through the database.
const elsewhere = { origin: e2eSecondOrigin() };

/** Marks the page so a later check can tell whether it was reloaded. */
async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __live: boolean }).__live = true));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __live?: boolean }).__live)).toBe(true);
}

async function openChallenge(page: Page, slug: string, challenge: RegExp) {
  await page.goto(`/jams/${slug}`);
  await page.getByRole("link", { name: challenge }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The live stream connects after hydration.
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(300);
}

test("an idea posted in one browser appears in another within two seconds, without a reload", async ({ page, browser }, testInfo) => {
  await signIn(page, "participant");
  const watcher = await signInElsewhere(browser, testInfo, "colleague", elsewhere);
  await openChallenge(page, E2E_LIVE_JAM.slug, /Tools that help/);
  await openChallenge(watcher, E2E_LIVE_JAM.slug, /Tools that help/);
  await markNoReload(watcher);

  const title = uniqueTitle("Self-service password resets");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  const marker = watcher.getByRole("button", { name: /new idea/ });
  await expect(marker).toBeVisible({ timeout: 2_000 });
  await expectNotReloaded(watcher);
  await marker.click();
  await expect(watcher.getByRole("link", { name: title })).toBeVisible();
  await expectNotReloaded(watcher);
  await watcher.context().close();
});

test("an announcement pops up in every open page of the jam", async ({ page, browser }, testInfo) => {
  await signIn(page, "facilitator");
  const first = await signInElsewhere(browser, testInfo, "participant");
  const second = await signInElsewhere(browser, testInfo, "colleague", elsewhere);
  await openChallenge(first, E2E_LIVE_JAM.slug, /Meetings that matter/);
  await second.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await second.waitForTimeout(300);

  const text = uniqueTitle("A VIP guest joins the Meetings challenge at 14:00");
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}`);
  await page.getByLabel("Announcement", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Announce" }).click();

  for (const viewer of [first, second]) {
    await expect(viewer.getByRole("alert").filter({ hasText: text })).toBeVisible({ timeout: 2_000 });
  }
  // And it stays in the jam's list of announcements.
  await second.reload();
  await expect(second.getByRole("region", { name: "Announcements" }).getByText(text)).toBeVisible();
  await first.context().close();
  await second.context().close();
});

test("typing an idea shows similar ideas already posted", async ({ page }) => {
  await signIn(page, "participant");
  await openChallenge(page, E2E_LIVE_JAM.slug, /Meetings that matter/);
  await page.getByLabel("Title").pressSequentially("A shared calendar for focus", { delay: 20 });
  const similar = page.getByRole("complementary", { name: "Similar ideas" });
  await expect(similar.getByRole("link", { name: E2E_COLLEAGUE_IDEA_TITLE })).toBeVisible();
});

test("when a jam's end time passes, every open page shows it ended and refuses new ideas", async ({ page, browser }, testInfo) => {
  // A jam that ends in a few seconds, made with the services on the server's own database.
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const facilitator = await person("facilitator");
  const slug = `ending-${Date.now().toString(36)}`;
  const now = Date.now();
  const jam = await createJam(
    facilitator,
    {
      title: "A jam about to end",
      slug,
      // Published at once: this jam is not about launching one.
      isDraft: false,
      startsAt: now - 60_000,
      endsAt: now + 8_000,
      challenges: [{ title: "Last call", question: "Anything else?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);

  await signIn(page, "participant");
  const other = await signInElsewhere(browser, testInfo, "colleague", elsewhere);
  for (const viewer of [page, other]) {
    await viewer.goto(`/jams/${slug}/challenges/${challenge!.id}`);
    await expect(viewer.getByText("Live", { exact: true })).toBeVisible();
    await expect(viewer.getByRole("form", { name: "Share an idea" })).toBeVisible();
  }
  for (const viewer of [page, other]) {
    await expect(viewer.getByText("Ended", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(viewer.getByRole("form", { name: "Share an idea" })).toHaveCount(0);
    await expect(viewer.getByLabel("Title")).toHaveCount(0);
  }
  const refused = await page.request.post(`/jams/${slug}/challenges/${challenge!.id}`, {
    form: { intent: "post", title: "Too late", body: "", clientKey: "too-late-123" },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(refused.status()).toBe(409);
  await other.context().close();
});

test("a vote cast while the page is still loading reaches it: the stream starts where the page's data stands", async ({ page }) => {
  const { person } = await serverDatabase();
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { findVisibleJam } = await import("~/services/lookups/visibility.server");
  const { db } = await import("~db/client");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { castVote } = await import("~/services/commands/votes.server");
  const [challenge] = await jamChallenges((await findVisibleJam(db(), await person("facilitator"), E2E_LIVE_JAM.slug)).id);
  const title = uniqueTitle("Walking one-to-ones");
  const idea = await postIdea(await person("colleague"), { challengeId: challenge!.id, title, body: `Why: ${title}.`, clientKey: `live-${title.replace(/\W+/g, "-")}`.slice(0, 64) });

  await signIn(page, "participant");
  // The page's stream is held until someone else has voted: the vote lands between the page's data and its stream.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/events*", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/jams/${E2E_LIVE_JAM.slug}/ideas/${idea.id}`);
  const vote = page.getByRole("button", { name: /^Vote for this idea: 0 votes/ });
  await expect(vote).toBeVisible();
  await castVote(await person("facilitator"), { ideaId: idea.id });
  release();
  await expect(page.getByRole("button", { name: /^Vote for this idea: 1 vote\b/ })).toBeVisible({ timeout: 2_000 });
});
