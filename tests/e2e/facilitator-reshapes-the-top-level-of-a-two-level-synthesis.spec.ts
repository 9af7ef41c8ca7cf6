import { expect, test, type Page } from "@playwright/test";
import { E2E_TWO_LEVELS } from "./accounts";
import { expectNoAccessibilityViolations, signInElsewhere, signInQuickly } from "./fixtures";

const synthesis = `/jams/${E2E_TWO_LEVELS.slug}/synthesis`;
const [support, billing, parcels] = E2E_TWO_LEVELS.themes;
const [answers, articles] = support.subThemes;
const [invoices, renewal] = billing.subThemes;

/** Text as a literal part of a pattern. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const cards = (page: Page) => page.getByRole("region", { name: "Themes" }).getByRole("article");
/** The top-level card titled `label` ("N. label"). */
const card = (page: Page, label: string) =>
  cards(page).filter({ has: page.getByRole("heading", { level: 3, name: new RegExp(`^\\d+\\. ${escape(label)}$`) }) });
const subThemeTitles = async (page: Page, label: string) =>
  (await card(page, label).locator("details.subtheme > summary .subtheme__title").allInnerTexts()).sort();

test("a facilitator promotes a sub-theme to the top level and merges two top-level themes, and the page shows the new shape", async ({
  page,
  browser,
}, testInfo) => {
  await signInQuickly(page, "facilitator");
  await page.goto(synthesis);
  await expect(cards(page)).toHaveCount(3);
  await expect(card(page, support.label).getByRole("heading", { level: 4 })).toHaveText("2 sub-themes");
  expect(await subThemeTitles(page, support.label)).toEqual([answers.label, articles.label].sort());
  await expect(card(page, parcels.label).getByRole("heading", { level: 4 })).toHaveCount(0);

  // Promote: a sub-theme becomes a top-level theme of its own, with its ideas and summary.
  const sub = card(page, support.label)
    .locator("details.subtheme")
    .filter({ has: page.locator(".subtheme__title", { hasText: new RegExp(`^${escape(articles.label)}$`) }) });
  await sub.locator(":scope > summary").click();
  await sub.getByText(`Curate “${articles.label}”`).click();
  await sub.getByRole("button", { name: "Make it a top-level theme" }).click();
  await expect(page.getByRole("link", { name: /#2 curated/ })).toBeVisible();
  await expect(cards(page)).toHaveCount(4);
  const promoted = card(page, articles.label);
  await expect(promoted.locator(":scope > .theme-card__summary")).toHaveText(articles.summary);
  await expect(promoted.locator(":scope > .theme-stats")).toContainText(`${articles.ideas.length} ideas`);
  await expect(promoted.getByRole("heading", { level: 4 })).toHaveCount(0);
  await expect(card(page, support.label).getByRole("heading", { level: 4 })).toHaveText("1 sub-theme");
  expect(await subThemeTitles(page, support.label)).toEqual([answers.label]);
  await expect(card(page, support.label).locator(":scope > .theme-stats")).toContainText(`${answers.ideas.length} ideas`);
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("grouped into 4 themes");

  // Merge: a top-level theme with sub-themes merges only into another such theme, and its sub-themes move across.
  const merging = card(page, billing.label).locator(":scope > details.curation");
  await merging.getByText(`Curate “${billing.label}”`).click();
  await expect(merging.getByLabel("Merge into").getByRole("option")).toHaveText(["Choose a theme", support.label]);
  await merging.getByLabel("Merge into").selectOption({ label: support.label });
  await merging.getByRole("button", { name: "Merge" }).click();
  await expect(card(page, billing.label)).toHaveCount(0);
  await expect(cards(page)).toHaveCount(3);
  await expect(card(page, support.label).getByRole("heading", { level: 4 })).toHaveText("3 sub-themes");
  expect(await subThemeTitles(page, support.label)).toEqual([answers.label, invoices.label, renewal.label].sort());
  const ideasNow = answers.ideas.length + invoices.ideas.length + renewal.ideas.length;
  await expect(card(page, support.label).locator(":scope > .theme-stats")).toContainText(`${ideasNow} ideas`);
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("grouped into 3 themes");
  // Both edits went into the one curated draft.
  await expect(page.getByRole("navigation", { name: "Versions" }).getByRole("link")).toHaveCount(2);
  await expectNoAccessibilityViolations(page);

  // Until it is published, everyone else still reads the published shape.
  const participant = await signInElsewhere(browser, testInfo, "participant");
  try {
    await participant.goto(synthesis);
    await expect(cards(participant)).toHaveCount(3);
    await expect(card(participant, billing.label).getByRole("heading", { level: 4 })).toHaveText("2 sub-themes");
    await expect(card(participant, articles.label)).toHaveCount(0);
  } finally {
    await participant.context().close();
  }
});
