import { expect, test } from "@playwright/test";
import { participantFor, signInQuickly } from "./fixtures";
import { liveJamOfItsOwn } from "./jam-of-its-own";

test("agree, disagree and pass look alike, and a disagree is confirmed as calmly as an agree @phone", async ({ page }, testInfo) => {
  const { challengeUrl } = await liveJamOfItsOwn("stance", 2);
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(`${challengeUrl}/vote`);
  const buttons = ["Agree", "Disagree", "Pass"].map((name) => page.getByRole("button", { name, exact: true }));
  // Same weight: the three buttons share one background, border and font weight.
  const looks = await Promise.all(
    buttons.map((b) =>
      b.evaluate((el) => {
        const s = getComputedStyle(el);
        return `${s.backgroundColor} ${s.borderColor} ${s.fontWeight} ${s.color}`;
      }),
    ),
  );
  expect(new Set(looks).size).toBe(1);

  await buttons[1]!.click();
  const recorded = page.getByText("Recorded: you disagreed.");
  await expect(recorded).toBeVisible();
  // A confirmation, not an error: the success colours, never the danger ones.
  const colours = await recorded.evaluate((el) => {
    const probe = document.createElement("span");
    document.body.append(probe);
    const of = (v: string) => ((probe.style.color = `var(${v})`), getComputedStyle(probe).color);
    const out = { bg: getComputedStyle(el).backgroundColor, text: getComputedStyle(el).color, danger: of("--c-danger"), dangerSoft: of("--c-danger-soft"), liveSoft: of("--c-live-soft") };
    probe.remove();
    return out;
  });
  expect(colours.bg).toBe(colours.liveSoft);
  expect([colours.bg, colours.text]).not.toContain(colours.danger);
  expect(colours.bg).not.toBe(colours.dangerSoft);
});

test("keyboard hints show with a mouse and keyboard, never on a touch-only phone @phone", async ({ page }, testInfo) => {
  const { challengeUrl } = await liveJamOfItsOwn("stance", 1);
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(`${challengeUrl}/vote`);
  await expect(page.getByRole("button", { name: "Agree", exact: true })).toBeVisible();
  const hint = page.getByText("Keys: A agree, D disagree, P pass.");
  const touchOnly = await page.evaluate(() => !matchMedia("(hover: hover) and (pointer: fine)").matches);
  expect(touchOnly, "the phone project is a touch screen, the desktop one a mouse").toBe(testInfo.project.name === "phone");
  if (touchOnly) {
    await expect(hint).toBeHidden();
    await expect(page.locator(".key-hint:visible")).toHaveCount(0);
    await expect(page.getByText("Pass if you have no view")).toBeVisible();
  } else {
    await expect(hint).toBeVisible();
    await expect(page.getByRole("button", { name: "Agree", exact: true }).locator("kbd")).toHaveText("A");
  }
});
