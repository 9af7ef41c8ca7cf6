import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_RATE_LIMIT_JAM } from "./accounts";
import { SAME_ORIGIN, signIn, signInRequest, uniqueTitle } from "./fixtures";

// The e2e server keeps its per-person limits on (10 ideas a minute); these people post
// only in a jam of their own, so no other test is throttled or sees their ideas.

async function challengePath(request: APIRequestContext) {
  const page = await request.get(`/jams/${E2E_RATE_LIMIT_JAM.slug}`);
  expect(page.status()).toBe(200);
  const match = (await page.text()).match(new RegExp(`/jams/${E2E_RATE_LIMIT_JAM.slug}/challenges/(\\d+)`));
  expect(match, "the rate-limit jam links its challenge").not.toBeNull();
  return match![0];
}

function postIdea(request: APIRequestContext, path: string, n: number) {
  return request.post(path, {
    form: { title: uniqueTitle(`Quick thought ${n}`), body: "Posted quickly.", clientKey: `hasty-${Date.now().toString(36)}-${n}` },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
}

test("posting ideas through the API faster than a person could is refused with 429, Retry-After and a clear message", async ({ request }) => {
  await signInRequest(request, "hastyPoster");
  const path = await challengePath(request);
  let refused = null as Awaited<ReturnType<typeof postIdea>> | null;
  let posted = 0;
  for (let n = 0; n < 30 && !refused; n++) {
    const response = await postIdea(request, path, n);
    if (response.status() === 429) refused = response;
    else {
      expect(response.status(), "an accepted idea redirects to its page").toBe(302);
      posted++;
    }
  }
  expect(refused, "the limit is reached within 30 ideas").not.toBeNull();
  expect(posted).toBe(10);
  const retryAfter = Number(refused!.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await refused!.text()).toMatch(/You(’|'|&#x27;|&#39;)re posting ideas very fast\. Try again in \d+ seconds?\./);
  // Still refused straight away: the refusal is not counted, but the window is still full.
  expect((await postIdea(request, path, 99)).status()).toBe(429);
});

test("the idea form shows the refusal and keeps what was typed", async ({ page }) => {
  await signIn(page, "hastyTyper");
  await page.goto(`/jams/${E2E_RATE_LIMIT_JAM.slug}`);
  await page.getByRole("link", { name: new RegExp(E2E_RATE_LIMIT_JAM.challenge) }).click();
  await expect(page.getByRole("heading", { level: 1, name: E2E_RATE_LIMIT_JAM.challenge })).toBeVisible();
  const challengeUrl = page.url();

  // Ten ideas in a moment through the same session (the browser's own cookies).
  const path = new URL(challengeUrl).pathname;
  for (let n = 0; n < 10; n++) expect((await postIdea(page.request, path, n)).status()).toBe(302);

  const title = uniqueTitle("One more thing");
  const body = "A thought I typed carefully and do not want to lose.";
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(body);
  await page.getByRole("button", { name: "Post idea" }).click();

  await expect(page.getByRole("alert").filter({ hasText: /You're posting ideas very fast\. Try again in \d+ seconds?\./ })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Describe your idea")).toHaveValue(body);
  expect(page.url()).toBe(challengeUrl);
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
});
