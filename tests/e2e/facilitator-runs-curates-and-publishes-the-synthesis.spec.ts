import { expect, test } from "@playwright/test";
import { E2E_THEMES_JAM } from "./accounts";
import { signIn, signInElsewhere } from "./fixtures";

const synthesis = `/jams/${E2E_THEMES_JAM.slug}/synthesis`;

/** A theme name as a literal part of a pattern. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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
  // Each theme reads as a sentence, not only keywords: a title someone wrote and a summary.
  await expect(cards.first().locator(".theme-card__summary")).toHaveText(/\w.{10,}/);
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

  // Move five ideas at once: tick them in the theme's list (a filter finds them), then choose where in the
  // page's one bar for ticked ideas, and move.
  const renamed = page.getByRole("region", { name: "Themes" }).getByRole("article").filter({ has: page.getByRole("heading", { level: 3, name: /Welcoming new customers/ }) });
  const target = page.getByRole("region", { name: "Themes" }).getByRole("article").filter({ hasNot: page.getByRole("heading", { level: 3, name: /Welcoming new customers/ }) }).first();
  const targetName = ((await target.getByRole("heading", { level: 3 }).innerText()) ?? "").replace(/^\d+\.\s*/, "");
  const sizeOf = async (card: typeof target) => Number((await card.getByText(/^\d+ ideas?$/).innerText()).split(" ")[0]);
  const [renamedBefore, targetBefore] = [await sizeOf(renamed), await sizeOf(target)];
  if (!(await renamed.getByLabel("Theme name").isVisible())) await renamed.getByText(/^Curate/).click();
  await renamed.getByText(/^Ideas in this theme/).click();
  const picker = renamed.getByRole("group", { name: "Tick ideas of this theme to move or exclude" });
  const boxes = picker.getByRole("checkbox");
  await picker.getByLabel("Find ideas").fill("no idea says this");
  await expect(boxes.filter({ visible: true })).toHaveCount(0);
  await picker.getByLabel("Find ideas").fill("");
  for (let i = 0; i < 5; i++) await boxes.nth(i).check();
  const bar = page.getByRole("form", { name: "Move or exclude the ticked ideas" });
  await expect(bar).toContainText("5 ideas ticked");
  await bar.getByLabel("Move the ticked ideas to").selectOption({ label: targetName });
  await bar.getByRole("button", { name: "Move", exact: true }).click();
  await expect.poll(() => sizeOf(target.page().getByRole("region", { name: "Themes" }).getByRole("article").filter({ has: page.getByRole("heading", { level: 3, name: new RegExp(escape(targetName)) }) }))).toBe(targetBefore + 5);
  expect(await sizeOf(renamed)).toBe(renamedBefore - 5);

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
