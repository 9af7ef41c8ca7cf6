import { expect, test, type Page } from "@playwright/test";
import { expectNoAccessibilityViolations, participantFor, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

// A zone away from UTC: the confirmation must say when it opens in the facilitator's own time.
test.use({ timezoneId: "Europe/Berlin" });

/** `datetime-local` text for a moment `hoursFromNow` away, on the hour, in the browser's own zone. */
function localInput(page: Page, hoursFromNow: number) {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3_600_000);
    at.setMinutes(0, 0, 0);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }, hoursFromNow);
}

/** How the app shows a `datetime-local` value to this browser ("12 Dec 2026, 09:00"). */
function shown(page: Page, local: string) {
  return page.evaluate((value) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)), local);
}

test("a facilitator creates a draft, fixes what the checklist lists, previews it, schedules it, and only then participants see it", async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, "facilitator");
  await page.getByRole("link", { name: "New jam" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Create a jam" })).toBeVisible();
  await expect(page.getByText("It stays a draft")).toBeVisible();
  await expect(page.locator('input[name="tzOffset"]')).not.toHaveValue("0");
  await expect(page.getByLabel("Keep as a draft")).toHaveCount(0);

  const title = uniqueTitle("Quieter offices");
  const startsAt = await localInput(page, 50);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Starts").fill(startsAt);
  await page.getByLabel("Ends").fill(await localInput(page, 122));
  // The first question can wait while it is a draft.
  await page.getByLabel("Challenge 1 title").fill("Noise");
  await page.getByLabel("Challenge 2 title").fill("Focus rooms");
  await page.getByLabel("Challenge 2 question").fill("What would make a focus room worth booking?");
  await page.getByLabel("How people vote on challenge 2").selectOption("stance");
  // The points are on the form from the start.
  await page.getByLabel("Posting an idea").fill("15");
  await page.getByRole("button", { name: "Create jam" }).click();

  // The checklist: the missing question needs attention; the rest is done, with a way to change each.
  await expect(page.getByRole("heading", { level: 1, name: "Launch checklist" })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[2]!;
  expect(page.url()).toMatch(new RegExp(`/jams/${slug}/launch$`));
  await expect(page.getByText("1 item needs attention before it can be scheduled.")).toBeVisible();
  const challenges = page.getByTestId("launch-challenges");
  await expect(challenges).toContainText("Needs attention");
  await expect(challenges).toContainText("Challenge 1 (“Noise”) has no question yet.");
  await expect(page.getByTestId("launch-schedule")).toContainText("Done");
  await expect(page.getByTestId("launch-voting")).toContainText("Focus rooms: Agree / disagree / pass");
  await expect(page.getByTestId("launch-points")).toContainText("Posting an idea: 15");
  await expectNoAccessibilityViolations(page);

  // A participant sees nothing of it: not on /jams, and its pages, checklist and preview do not exist.
  const participant = await signInElsewhere(browser, testInfo, participantFor(testInfo));
  try {
    await participant.goto("/jams");
    await expect(participant.getByRole("heading", { level: 1, name: "Jams" })).toBeVisible();
    await expect(participant.getByText(title)).toHaveCount(0);
    for (const path of [`/jams/${slug}`, `/jams/${slug}/launch`, `/jams/${slug}/preview`, `/jams/${slug}/edit`]) {
      const answer = await participant.goto(path);
      expect([403, 404], path).toContain(answer?.status());
      await expect(participant.getByText(title)).toHaveCount(0);
    }

    // Scheduling now is refused, with the reason.
    await page.getByRole("link", { name: "Schedule…" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "It cannot be scheduled yet" });
    await expect(refusal).toContainText("Challenge 1 (“Noise”) has no question yet.");
    await expect(page.getByRole("button", { name: "Schedule it" })).toHaveCount(0);

    // Fix it: the link leads to the edit form; saving a draft comes back to the checklist.
    await page.getByRole("link", { name: "Fix the challenges" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Edit jam" })).toBeVisible();
    await expect(page.locator('input[name="tzOffset"]')).not.toHaveValue("0");
    await page.getByLabel("Challenge 1 question").fill("Where is it too loud to think?");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Launch checklist" })).toBeVisible();
    await expect(page.getByText(`${title}: everything is ready.`)).toBeVisible();
    await expect(page.getByTestId("launch-challenges")).toContainText("Done");

    // The preview: the jam as participants will see it, marked as such, and nothing can be posted.
    await page.getByRole("link", { name: "Open the preview" }).click();
    await expect(page.getByRole("note", { name: "Preview" })).toContainText("Preview: what participants will see once the jam is scheduled");
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText("Upcoming", { exact: true })).toBeVisible();
    await page.getByRole("link", { name: /Focus rooms/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Focus rooms" })).toBeVisible();
    await expect(page.getByText("What would make a focus room worth booking?")).toBeVisible();
    await expect(page.getByText("This jam has not started yet.")).toBeVisible();
    // The idea form is there, folded to its title, which cannot be written in.
    await expect(page.getByRole("form", { name: "Share an idea" })).toBeVisible();
    await expect(page.getByLabel("Title")).toBeDisabled();
    await expectNoAccessibilityViolations(page);
    // Even a hand-made post is refused: the preview takes none.
    const origin = new URL(page.url()).origin;
    const posted = await page.request.post(page.url(), {
      form: { intent: "post", title: "Sneaky", body: "From the preview.", clientKey: "preview-post-1" },
      headers: { Origin: origin, "Sec-Fetch-Site": "same-origin" },
    });
    expect(posted.status()).toBe(405);

    // Schedule: the confirmation says when it opens, in the facilitator's time.
    await page.getByRole("link", { name: "Back to the launch checklist" }).click();
    await page.getByRole("link", { name: "Schedule…" }).click();
    await expect(page.getByRole("heading", { name: "Schedule this jam?" })).toBeVisible();
    await expect(page.getByText(`Opens to everyone on ${await shown(page, startsAt)}`)).toBeVisible();
    await page.getByRole("button", { name: "Schedule it" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Scheduled" })).toBeVisible();
    await expect(page.getByText(`Opens to everyone on ${await shown(page, startsAt)}`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Take it back to draft" })).toBeVisible();

    // Now participants see it, as upcoming.
    await participant.goto("/jams");
    const upcoming = participant.getByRole("region", { name: "Upcoming" });
    await expect(upcoming.getByRole("link", { name: new RegExp(title) })).toBeVisible();
    await upcoming.getByRole("link", { name: new RegExp(title) }).click();
    await expect(participant.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(participant.getByRole("link", { name: "Launch checklist" })).toHaveCount(0);
  } finally {
    await participant.context().close();
  }
});

test("the edit page has one Save for the whole jam, points included @phone", async ({ page }) => {
  await signIn(page, "facilitator");
  await page.goto("/jams/new");
  await expect(page.locator('input[name="tzOffset"]')).not.toHaveValue("0");
  const title = uniqueTitle("One save");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Challenge 1 title").fill("Only one");
  await page.getByRole("button", { name: "Create jam" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch checklist" })).toBeVisible();
  await page.getByRole("link", { name: "Change the points" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit jam" })).toBeVisible();
  await expect(page.locator('input[name="tzOffset"]')).not.toHaveValue("0");
  await expect(page.getByRole("button", { name: /Save/ })).toHaveCount(1);
  // A bad value comes back with its error and everything typed kept.
  await page.getByLabel("Daily cap per person").fill("0");
  await page.getByLabel("Challenge 1 question").fill("What one thing would you change?");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByLabel("Daily cap per person")).toHaveAccessibleDescription(/Enter a daily cap from 1 to 100,000/);
  await expect(page.getByLabel("Challenge 1 question")).toHaveValue("What one thing would you change?");
  await page.getByLabel("Daily cap per person").fill("120");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Launch checklist" })).toBeVisible();
  await expect(page.getByTestId("launch-points")).toContainText("daily cap 120");
  await expect(page.getByTestId("launch-challenges")).toContainText("What one thing would you change?");
});
