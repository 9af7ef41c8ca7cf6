import { expect, test } from "@playwright/test";
import { E2E_THEMES_JAM } from "./accounts";
import { signIn, signInElsewhere } from "./fixtures";

const synthesis = `/jams/${E2E_THEMES_JAM.slug}/synthesis`;

test("a facilitator runs the synthesis, sees its progress and the jam's topics as themes, renames, merges and publishes them", async ({
  page,
  browser,
}, testInfo) => {
  // Before anything is published, participants see an empty state.
  const participant = await signInElsewhere(browser, testInfo, "participant");
  await participant.goto(synthesis);
  await expect(participant.getByRole("heading", { name: "Themes are not published yet" })).toBeVisible();

  await signIn(page, "facilitator");
  await page.goto(synthesis);
  await expect(page.getByRole("heading", { name: "No synthesis yet" })).toBeVisible();
  await page.getByRole("button", { name: "Run synthesis" }).click();
  await expect(page.getByRole("progressbar", { name: "Synthesis progress" })).toBeVisible();
  // The page follows the run and shows the themes when it is done. The run is background work in a
  // worker thread (about a second here): this waits for that work, not for a page.
  const themes = page.getByRole("region", { name: "Themes" }).getByRole("heading", { level: 3 });
  await expect(themes.first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("progressbar", { name: "Synthesis progress" })).toHaveCount(0);

  const cards = page.getByRole("region", { name: "Themes" }).getByRole("article");
  const text = (await cards.allInnerTexts()).join("\n");
  for (const word of E2E_THEMES_JAM.topicWords) expect(text).toMatch(word);
  const before = await themes.count();

  // Rename the first theme.
  const first = cards.first();
  await first.getByText(/^Curate/).click();
  await first.getByLabel("Theme name").fill("Welcoming new customers");
  await first.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 3, name: /Welcoming new customers/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /#2 curated/ })).toBeVisible();

  // Merge the second theme into the renamed one.
  const second = page.getByRole("region", { name: "Themes" }).getByRole("article").nth(1);
  await second.getByText(/^Curate/).click();
  await second.getByLabel("Merge into").selectOption({ label: "Welcoming new customers" });
  await second.getByRole("button", { name: "Merge" }).click();
  await expect(themes).toHaveCount(before - 1);

  // Publish: participants now see the curated themes.
  await page.getByText("Publish these themes").click();
  await page.getByRole("button", { name: "Publish to everyone" }).click();
  await expect(page.getByText(/published/).first()).toBeVisible();
  await participant.reload();
  await expect(participant.getByRole("heading", { level: 3, name: /Welcoming new customers/ })).toBeVisible();
  await expect(participant.getByRole("button", { name: "Run synthesis" })).toHaveCount(0);
  await expect(participant.getByText(/^Curate/)).toHaveCount(0);

  // The exports carry the curated themes.
  const markdown = await page.request.get(`${synthesis}.md`);
  expect(markdown.status()).toBe(200);
  expect(await markdown.text()).toContain("Welcoming new customers");
  const csv = await page.request.get(`/jams/${E2E_THEMES_JAM.slug}/ideas.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("Welcoming new customers");
  await participant.context().close();
});
