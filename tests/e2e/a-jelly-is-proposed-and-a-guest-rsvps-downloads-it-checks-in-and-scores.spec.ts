import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { utcToZonedTime } from "~/domain/jellies";
import { E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, signInElsewhere, signInQuickly, uniqueTitle } from "./fixtures";

test("a host proposes a jelly, a second person RSVPs, downloads it for their calendar, checks in with the code and sees the points @phone", async ({
  page,
  browser,
}, testInfo) => {
  const guestRole = testInfo.project.name === "phone" ? "phoneJellyGuest" : "jellyGuest";
  const title = uniqueTitle("Coffee about onboarding");

  // The host proposes it, starting in 20 minutes (check-in opens 30 minutes before), planned in Berlin.
  await signInQuickly(page, "jellyHost");
  await page.goto("/jellies");
  await page.getByRole("main").getByRole("link", { name: "Propose a jelly" }).first().click();
  await expect(page).toHaveURL(/\/jellies\/new$/);
  const { date, time } = utcToZonedTime(Date.now() + 20 * 60_000, "Europe/Berlin");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What it is about").fill("How we welcome people in their first week, over coffee; bring one story.");
  await page.getByLabel("Date").fill(date);
  await page.getByLabel("Time", { exact: true }).fill(time);
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await page.getByLabel("Place").fill("Kitchen, 4th floor");
  await page.getByLabel("How many people can come").fill("6");
  await page.getByRole("button", { name: "Propose the jelly" }).click();
  await expect(page).toHaveURL(/\/jellies\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const jellyUrl = new URL(page.url()).pathname;

  // A second person RSVPs in their own browser.
  const guest = await signInElsewhere(browser, testInfo, guestRole);
  await guest.goto(jellyUrl);
  await expect(guest.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await guest.getByRole("button", { name: "I’m going" }).click();
  await expect(guest.getByText("You are going.", { exact: false }).first()).toBeVisible();
  await expect(guest.getByRole("region", { name: "Who is going" }).getByText(E2E_USERS[guestRole].name)).toBeVisible();

  // They download it for their calendar: an iCalendar file with CRLF lines and this jelly in it.
  const downloading = guest.waitForEvent("download");
  await guest.getByRole("link", { name: /Download for your calendar/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^jelly-\d+\.ics$/);
  const ics = await readFile((await download.path())!, "utf8");
  expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  expect(ics).toContain("\r\nBEGIN:VEVENT\r\n");
  expect(ics.replace(/\r\n /g, "")).toContain(`SUMMARY:${title}`);
  expect(ics).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);

  // The host shows the check-in code on a screen.
  await page.getByRole("link", { name: "Show the check-in code" }).click();
  await expect(page).toHaveURL(/\/code$/);
  const code = (await page.locator("[data-code]").getAttribute("data-code"))!;
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await expectNoSidewaysScroll(page);
  if (testInfo.project.name === "desktop") await expectNoAccessibilityViolations(page);

  // The guest types it (in lower case, as people do), checks in and sees the points.
  await guest.reload();
  await expectNoSidewaysScroll(guest);
  if (testInfo.project.name === "desktop") await expectNoAccessibilityViolations(guest);
  await guest.getByLabel("Check-in code").fill(code.toLowerCase());
  await guest.getByRole("button", { name: "Check in" }).click();
  await expect(guest.getByRole("status").getByText("You checked in: +15 points.")).toBeVisible();
  await expect(guest.getByText("You checked in.")).toBeVisible();
  await expect(guest.getByLabel("Check-in code")).toHaveCount(0);

  // The host's screen counts them.
  await page.reload();
  await expect(page.getByText("1 of 1 going checked in")).toBeVisible();
  await guest.context().close();
});
