import { expect, test } from "@playwright/test";
import { participantFor, signInQuickly, uniqueTitle } from "./fixtures";
import { liveJamOfItsOwn } from "./jam-of-its-own";

test("the “+N points” float after posting an idea is wholly inside the window @phone", async ({ page }, testInfo) => {
  const { challengeUrl } = await liveJamOfItsOwn("support", 0);
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(challengeUrl);
  await page.getByLabel("Title").fill(uniqueTitle("Water jugs in every meeting room"));
  await page.getByRole("button", { name: "Post idea" }).click();
  const float = page.getByRole("status").filter({ hasText: /^\+\d+ points$/ });
  await expect(float).toBeVisible();
  // Once it has risen into place (the animation lasts half a second).
  await expect
    .poll(async () => {
      const box = (await float.boundingBox())!;
      const size = page.viewportSize()!;
      return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
    })
    .toBe(true);
});

test("the dot budget stays in view while the ideas scroll by @phone", async ({ page }, testInfo) => {
  const { challengeUrl, titles } = await liveJamOfItsOwn("dots", 12);
  await signInQuickly(page, participantFor(testInfo));
  await page.goto(challengeUrl);
  const budget = page.getByTestId("dot-budget");
  await expect(budget.getByRole("status")).toHaveText("10 of 10 dots left");
  // Far down the list, the budget is still on screen, and spending a dot there updates it.
  const last = page.getByRole("article").filter({ hasText: titles[0]! });
  await last.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 400);
  await expect(budget).toBeInViewport({ ratio: 1 });
  await last.getByRole("button", { name: /Add a dot to/ }).click();
  await expect(budget.getByRole("status")).toHaveText("9 of 10 dots left");
  await expect(budget).toBeInViewport({ ratio: 1 });
  // It does not cover the card being voted on.
  const b = (await budget.boundingBox())!;
  const stepper = (await last.getByTestId("my-dots").boundingBox())!;
  expect(stepper.y >= b.y + b.height || stepper.y + stepper.height <= b.y).toBe(true);
});
