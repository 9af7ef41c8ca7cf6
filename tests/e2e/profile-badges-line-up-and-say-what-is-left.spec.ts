import { expect, test } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { BADGES } from "~/domain/badges";
import { serverDatabase, signInQuickly } from "./fixtures";

test("badge cards line up in rows and say what is left in words, singular where it is one @phone", async ({ page }) => {
  const { person } = await serverDatabase();
  // Someone who has only watched a jam: no badge yet, every card at its start.
  await signInQuickly(page, "streamWatcher");
  await page.goto(`/people/${(await person("streamWatcher")).id}`);
  await expect(page.getByRole("heading", { level: 1, name: E2E_USERS.streamWatcher.name })).toBeVisible();
  const cards = page.getByRole("region", { name: "Badges" }).getByRole("listitem");
  await expect(cards).toHaveCount(BADGES.length);
  await expect(page.getByText("1 idea to go for the badge.").first()).toBeVisible();
  await expect(page.getByText("1 comment with replies to go for the badge.")).toBeVisible();
  await expect(page.getByText(/\b0 of\b/)).toHaveCount(0);
  // Cards of one row share a height, and their art, descriptions and progress bars line up.
  const boxes = await cards.evaluateAll((all) =>
    all.map((card) => ({
      top: card.getBoundingClientRect().top,
      height: card.getBoundingClientRect().height,
      art: card.querySelector("img")!.getBoundingClientRect().top,
      description: card.querySelector("h3 ~ p, .badge-card__head + p")!.getBoundingClientRect().top,
      bar: card.querySelector('[role="progressbar"]')?.getBoundingClientRect().top ?? null,
    })),
  );
  const rows = new Map<number, typeof boxes>();
  for (const b of boxes) rows.set(Math.round(b.top), [...(rows.get(Math.round(b.top)) ?? []), b]);
  for (const row of rows.values()) {
    for (const b of row) {
      expect(Math.abs(b.height - row[0]!.height)).toBeLessThan(1);
      expect(Math.abs(b.art - row[0]!.art)).toBeLessThan(1);
      expect(Math.abs(b.description - row[0]!.description)).toBeLessThan(1);
      if (b.bar !== null && row[0]!.bar !== null) expect(Math.abs(b.bar - row[0]!.bar)).toBeLessThan(1);
    }
  }
});
