import { expect, test } from "@playwright/test";
import { E2E_LIVE_JAM, E2E_USERS } from "./accounts";
import { ideaIdOf, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

// Quinn posts nothing else anywhere, so any trace of the name or email is a leak.
const author = E2E_USERS.quietParticipant;
const traces = [author.name, author.name.split(" ")[0]!, author.email];

function expectNoTraceOfAuthor(text: string, where: string) {
  for (const trace of traces) expect(text, `${where} must not contain “${trace}”`).not.toContain(trace);
}

test("an anonymous idea shows “Anonymous” to others and never sends them its author", async ({ page, browser }, testInfo) => {
  await signIn(page, "quietParticipant");
  await page.getByRole("link", { name: new RegExp(E2E_LIVE_JAM.title) }).click();
  await page.getByRole("link", { name: /Tools that help/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tools that help" })).toBeVisible();
  const challengePath = new URL(page.url()).pathname;

  const title = uniqueTitle("A quiet hour after lunch");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill("No calls between one and two, every day.");
  await page.getByLabel("Post anonymously").check();
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const ideaId = ideaIdOf(page);
  const ideaPath = `/jams/${E2E_LIVE_JAM.slug}/ideas/${ideaId}`;

  // The author is told it is theirs, and cannot vote on it.
  const article = page.getByRole("article", { name: title });
  await expect(article.locator(".idea__meta")).toContainText("Anonymous (you)");
  await expect(article.getByRole("button", { name: /You cannot vote on your own idea/ })).toBeDisabled();

  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  try {
    await colleague.goto(ideaPath);
    await expect(colleague.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const meta = colleague.getByRole("article", { name: title }).locator(".idea__meta");
    await expect(meta).toContainText("Anonymous");
    await expect(meta).not.toContainText("(you)");
    await expect(colleague.getByRole("article", { name: title }).getByRole("button", { name: /Vote for this idea/ })).toBeEnabled();
    expectNoTraceOfAuthor(await colleague.content(), "the idea page");

    await colleague.goto(challengePath);
    const card = colleague.getByRole("article").filter({ has: colleague.getByRole("link", { name: title }) });
    await expect(card).toContainText("Anonymous");
    await expect(card).not.toContainText("(you)");
    expectNoTraceOfAuthor(await colleague.content(), "the challenge page");

    // Nor in the data the client router fetches (single fetch) or the jam's front page.
    for (const path of [`${ideaPath}.data`, `${challengePath}.data`, `/jams/${E2E_LIVE_JAM.slug}.data`]) {
      const response = await colleague.request.get(path);
      expect(response.status(), path).toBe(200);
      const body = await response.text();
      if (!path.startsWith(`/jams/${E2E_LIVE_JAM.slug}.`)) expect(body, `${path} is about the idea`).toContain(title);
      expectNoTraceOfAuthor(body, path);
    }
  } finally {
    await colleague.context().close();
  }
});
