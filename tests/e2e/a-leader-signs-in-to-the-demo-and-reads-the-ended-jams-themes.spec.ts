import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO } from "./accounts";
import {
  expectNoAccessibilityViolations,
  expectNoSidewaysScroll,
  expectSmallLegendMarkers,
  serverDatabase,
  signInQuickly,
  signInToDemoQuickly,
} from "./fixtures";

/**
 * The demo company's ended jam, as `npm run db:seed` publishes it (prepare-db.ts seeds the demo into the
 * e2e database): a two-level synthesis run by the engine, so its names are read from the published
 * version rather than written here.
 */
const synthesis = `/jams/${DEMO.endedJam.slug}/synthesis`;

interface PublishedTheme {
  label: string;
  summary: string;
  subThemes: { label: string; summary: string; ideas: number }[];
}

/** The published version's top-level themes with ideas (Other left out) and their sub-themes, from the server's database. */
async function publishedThemes(): Promise<PublishedTheme[]> {
  await serverDatabase();
  const { db } = await import("~db/client");
  const { jams, synthesisVersions, themeIdeas, themes } = await import("~db/schema");
  const { and, count, eq, isNotNull } = await import("drizzle-orm");
  const jam = (await db().select().from(jams).where(eq(jams.slug, DEMO.endedJam.slug)).get())!;
  const version = (await db()
    .select()
    .from(synthesisVersions)
    .where(and(eq(synthesisVersions.jamId, jam.id), isNotNull(synthesisVersions.publishedAt)))
    .get())!;
  const rows = await db().select().from(themes).where(and(eq(themes.versionId, version.id), eq(themes.isOther, false))).all();
  const sizes = new Map(
    (await db()
      .select({ themeId: themeIdeas.themeId, n: count() })
      .from(themeIdeas)
      .where(and(eq(themeIdeas.versionId, version.id), eq(themeIdeas.excluded, false)))
      .groupBy(themeIdeas.themeId)
      .all())
      .map((r) => [r.themeId, r.n]),
  );
  return rows
    .filter((t) => t.parentId === null)
    .map((t) => ({
      label: t.label,
      summary: t.summary,
      subThemes: rows
        .filter((sub) => sub.parentId === t.id && (sizes.get(sub.id) ?? 0) > 0)
        .map((sub) => ({ label: sub.label, summary: sub.summary, ideas: sizes.get(sub.id)! })),
      ideas: sizes.get(t.id) ?? 0,
    }))
    .filter((t) => t.ideas > 0 || t.subThemes.length > 0)
    .map(({ ideas: _ideas, ...t }) => t);
}

const themeCards = (page: Page) => page.getByRole("region", { name: "Themes" }).getByRole("article");
/** A top-level card's own summary sentence (its sub-themes' sit inside their <details>). */
const ownSummary = (card: Locator) => card.locator(":scope > .theme-card__summary");
const subThemeTitles = (card: Locator) => card.locator(":scope details.subtheme > summary .subtheme__title");

test("a leader signs in to the demo and reads the ended jam's published themes with titles and summaries, and opens a sub-theme", async ({
  page,
}) => {
  const published = await publishedThemes();
  // The demo publishes two levels: several top-level themes, some with sub-themes, every one with a summary.
  expect(published.length).toBeGreaterThan(2);
  expect(published.filter((t) => t.subThemes.length > 0).length).toBeGreaterThan(0);
  for (const t of [...published, ...published.flatMap((p) => p.subThemes)]) expect(t.summary, t.label).toMatch(/\w.{10,}/);

  // Signing in through the real form with the demo's documented account.
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.leader.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
  await expect(page.getByRole("banner")).toContainText(DEMO.leader.name);
  // The demo leader's first sign-in unlocks several badges at once: one toast names them all, rather
  // than a stack of toasts over the page (which kept the jams list out of reach for eight seconds).
  const badges = page.getByRole("status").filter({ hasText: /\d+ badges unlocked/ });
  await expect(badges).toHaveCount(1);
  await expect(page.getByRole("status").filter({ hasText: /^Badge unlocked/ })).toHaveCount(0);

  // The ended jam's home leads with what it found.
  await page.getByRole("link", { name: DEMO.endedJam.title }).first().click();
  await expect(page).toHaveURL(new RegExp(`/jams/${DEMO.endedJam.slug}$`));
  const results = page.getByRole("region", { name: "What this jam found" });
  // Its most supported themes, each a published top-level theme with its figures.
  const listed = await results.locator(".results__themes > li").allInnerTexts();
  expect(listed.length).toBeGreaterThan(0);
  const anyLabel = published.map((t) => escape(t.label)).join("|");
  for (const line of listed) expect(line).toMatch(new RegExp(`^(${anyLabel}) [\\d,]+ ideas? · [\\d,]+ votes?$`));
  await expect(results).toContainText("3 actions, 1 done.");
  await results.getByRole("link", { name: "Read the synthesis" }).click();
  await expect(page).toHaveURL(new RegExp(`${synthesis}$`));

  // The synthesis: the published version, every top-level theme titled, ranked and summed up in a sentence.
  await expect(page.getByText(/Version #\d+ \((generated|curated)\) · published/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Summary" })).toContainText(`grouped into ${published.length} themes`);
  const cards = themeCards(page);
  await expect(cards).toHaveCount(published.length);
  const headings = await cards.getByRole("heading", { level: 3 }).allInnerTexts();
  expect(headings.map((h) => Number(h.match(/^(\d+)\. /)?.[1]))).toEqual(published.map((_, i) => i + 1));
  expect(headings.map((h) => h.replace(/^\d+\. /, "")).sort()).toEqual(published.map((t) => t.label).sort());
  for (const [i, heading] of headings.entries()) {
    const theme = published.find((t) => t.label === heading.replace(/^\d+\. /, ""))!;
    const card = cards.nth(i);
    await expect(ownSummary(card)).toHaveText(theme.summary);
    if (theme.subThemes.length === 0) {
      await expect(card.getByRole("heading", { level: 4 })).toHaveCount(0);
      continue;
    }
    await expect(card.getByRole("heading", { level: 4 })).toHaveText(`${theme.subThemes.length} sub-themes`);
    expect((await subThemeTitles(card).allInnerTexts()).sort()).toEqual(theme.subThemes.map((s) => s.label).sort());
  }

  // A sub-theme opens to its own reading: the one the demo decided an action on.
  const sub = page
    .getByRole("region", { name: "Themes" })
    .locator("details.subtheme")
    .filter({ has: page.getByRole("link", { name: DEMO.subThemeActionTitle, includeHidden: true }) });
  await expect(sub).toHaveCount(1);
  const subLabel = await sub.locator(":scope > summary .subtheme__title").innerText();
  const expected = published.flatMap((t) => t.subThemes).find((s) => s.label === subLabel)!;
  expect(expected, subLabel).toBeDefined();
  await expect(sub.locator(":scope > summary")).toContainText(new RegExp(`^${escape(subLabel)} ${expected.ideas.toLocaleString("en")} ideas · [\\d,]+ votes?$`));
  const subSummary = sub.locator(".theme-card__summary");
  await expect(subSummary).toBeHidden();
  await sub.locator(":scope > summary").click();
  await expect(subSummary).toBeVisible();
  await expect(subSummary).toHaveText(expected.summary);
  await expect(sub).toContainText(/\d+ of \d+ people who posted or discussed ideas \(\d+%\)/);
  await expect(sub.getByRole("img", { name: new RegExp(`^${escape(subLabel)}: Ideas per day over \\d+ days?`) })).toBeVisible();
  await expect(sub.getByRole("link", { name: DEMO.subThemeActionTitle })).toBeVisible();
  await expect(sub.getByRole("link", { name: `Create an action from the theme “${subLabel}”` })).toBeVisible();
  // A leader reads and acts; curating is the facilitators'.
  await expect(page.getByText(/^Curate “/)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Run synthesis" })).toHaveCount(0);
  await expectNoAccessibilityViolations(page);
});

test("the demo's two-level synthesis has no sideways scroll and small legend markers on a phone, every sub-theme open @phone", async ({ page }) => {
  // Any reader will do: the demo's own leader is left to the test above, whose first sign-in shows their badges.
  await signInQuickly(page, "leader");
  await page.goto(synthesis);
  const summaries = page.locator("details.subtheme > summary");
  await expect(summaries.first()).toBeVisible();
  for (const summary of await summaries.all()) await summary.click();
  await expect(page.locator("details.subtheme:not([open])")).toHaveCount(0);
  await expect(page.locator("details.subtheme .theme-card__summary").first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expectSmallLegendMarkers(page);
});

test("the demo's synthesis has no sideways scroll on a phone for a facilitator curating a top-level theme and a sub-theme @phone", async ({ page }) => {
  await signInToDemoQuickly(page, "facilitator");
  await page.goto(synthesis);
  const card = themeCards(page).filter({ has: page.locator("details.subtheme") }).first();
  // The top-level theme's own curation panel, and one sub-theme's with its ideas.
  const curation = card.locator(":scope > details.curation");
  await curation.locator(":scope > summary").click();
  await expect(curation.getByRole("button", { name: "Split" })).toBeVisible();
  const sub = card.locator("details.subtheme").first();
  await sub.locator(":scope > summary").click();
  await sub.locator("details.curation > summary").click();
  await expect(sub.getByRole("button", { name: "Make it a top-level theme" })).toBeVisible();
  await sub.getByText(/^Ideas in this theme/).click();
  await expect(sub.getByRole("checkbox").first()).toBeVisible();
  await expectNoSidewaysScroll(page);
});

/** Text as a literal part of a pattern. */
function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
