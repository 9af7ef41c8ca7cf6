import { expect, test } from "@playwright/test";
import { signInElsewhere, signInQuickly, serverDatabase, uniqueTitle } from "./fixtures";

test("a full jelly puts the next person on the waiting list; a place given up goes to them, they are told, and their calendar feed holds it until they make a new address", async ({
  page,
  browser,
  playwright,
  baseURL,
}, testInfo) => {
  const { person } = await serverDatabase();
  const { proposeJelly } = await import("~/services/commands/jellies.server");
  // They start without a feed address (a repeated run of this test made one).
  const { db } = await import("~db/client");
  const { calendarFeeds } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  await db().delete(calendarFeeds).where(eq(calendarFeeds.userId, (await person("placeWaiter")).id)).run();
  const { utcToZonedTime } = await import("~/domain/jellies");
  const title = uniqueTitle("Breakfast on release notes");
  const { id } = await proposeJelly(await person("jellyHost"), {
    title,
    about: "Who reads the release notes, and what would make them read them?",
    ...utcToZonedTime(Date.now() + 2 * 86_400_000, "Asia/Tokyo"),
    timeZone: "Asia/Tokyo",
    durationMinutes: "45",
    place: "Room 3.01",
    callLink: "https://meet.example.com/release-notes",
    capacity: "1",
  });

  // The only place goes to the first person.
  await signInQuickly(page, "placeTaker");
  await page.goto(`/jellies/${id}`);
  await page.getByRole("button", { name: "I’m going" }).click();
  await expect(page.getByText("You are going.").first()).toBeVisible();

  // The second finds it full and joins the waiting list.
  const waiter = await signInElsewhere(browser, testInfo, "placeWaiter");
  await waiter.goto(`/jellies/${id}`);
  await expect(waiter.getByText("1 of 1 going")).toBeVisible();
  await waiter.getByRole("button", { name: "Join the waiting list" }).click();
  await expect(waiter.getByText("You are on the waiting list", { exact: true })).toBeVisible();
  await expect(waiter.getByText("(number 1)")).toBeVisible();

  // The first gives up their place: it goes to the one waiting, who is told.
  await page.getByRole("button", { name: "I can no longer come" }).click();
  await expect(page.getByText("Your place is given up.")).toBeVisible();
  await waiter.reload();
  await expect(waiter.getByText("You are going.").first()).toBeVisible();
  await waiter.goto("/notifications");
  await expect(waiter.getByText(`A place opened up: you are now going to “${title}”.`)).toBeVisible();

  // They make their calendar feed address; a calendar app (no session) reads the jelly from it.
  await waiter.goto("/me?tab=data");
  await waiter.getByRole("button", { name: "Make my feed address" }).click();
  const address = await waiter.getByLabel("Feed address").inputValue();
  expect(address).toMatch(new RegExp(`^${baseURL}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
  const calendarApp = await playwright.request.newContext();
  const feed = await calendarApp.get(address);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect((await feed.text()).replace(/\r\n /g, "")).toContain(`SUMMARY:${title}`);

  // A new address replaces it: the old one is a plain 404 at once.
  await waiter.getByText("Make a new feed address…").click();
  await waiter.getByRole("button", { name: "Yes, make a new address" }).click();
  await expect(waiter.getByLabel("Feed address")).not.toHaveValue(address);
  const fresh = await waiter.getByLabel("Feed address").inputValue();
  const old = await calendarApp.get(address);
  expect(old.status()).toBe(404);
  expect(await old.text()).toBe("Not found");
  expect((await calendarApp.get(fresh)).status()).toBe(200);
  await calendarApp.dispose();
  await waiter.context().close();
});
