import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { expectNoAccessibilityViolations, expectNoSidewaysScroll, SAME_ORIGIN, serverDatabase } from "./fixtures";

/**
 * A members-only community: a member asks a question from its page (a non-member gets a 404 at its
 * address and does not find it in the questions' search), proposes a jelly from it, and after the
 * jelly an idea from its notes lands in the community's idea box, credited to the guest who had it.
 * The people and the community are made for each run, through the services.
 */

async function setUp(testInfo: TestInfo) {
  const { person } = await serverDatabase();
  const { db } = await import("~db/client");
  const { communities, communityMembers, users } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  const { proposeCommunity, decideProposal } = await import("~/services/commands/communities.server");
  const run = `${testInfo.project.name}${Date.now().toString(36)}`;
  const passwordHash = (await person("participant")).passwordHash;
  const make = async (name: string) =>
    await db()
      .insert(users)
      .values({ name: `${name} ${run}`, email: `${name.toLowerCase()}-${run}@e2e.test`, passwordHash, role: "participant", emailVerifiedAt: Date.now(), createdAt: Date.now() })
      .returning({ id: users.id, name: users.name, email: users.email, role: users.role, departmentId: users.departmentId })
      .get();
  const steward = await make("Stella");
  const member = await make("Mira");
  const guest = await make("Gene");
  const outsider = await make("Otto");
  const { community } = await proposeCommunity(steward, { title: `Night shift circle ${run}`, purpose: "People on night shifts share what works, among themselves.", privacy: "members" });
  await decideProposal(await person("facilitator"), { communityId: community.id, decision: "approve" });
  const now = Date.now();
  for (const p of [member, guest]) await db().insert(communityMembers).values({ communityId: community.id, userId: p.id, state: "member", createdAt: now, joinedAt: now, updatedAt: now }).run();
  const running = (await db().select().from(communities).where(eq(communities.id, community.id)).get())!;
  return { run, steward, member, guest, outsider, community: running };
}

async function signInAs(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
  const { baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
  const response = await page.request.post("/login", { form: { email, password: E2E_PASSWORD, redirectTo: "/jams" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(response.status()).toBe(302);
  return page;
}

test("a member asks from a members-only community's page; a non-member gets a 404 at its address and does not find it in search @phone", async ({ browser }, testInfo) => {
  const { run, member, outsider, community } = await setUp(testInfo);
  const word = `nightowl${run.replace(/[^a-z]/g, "")}`;
  const title = `How do you keep ${word} handovers short?`;

  const mira = await signInAs(browser, testInfo, member.email);
  await mira.goto(`/communities/${community.slug}`);
  const questions = mira.getByRole("region", { name: "Questions" });
  await expect(questions.getByText("No questions yet")).toBeVisible();
  await questions.getByRole("link", { name: "Ask the people who know" }).click();
  await expect(mira).toHaveURL(new RegExp(`/questions/new\\?community=${community.id}$`));
  await expect(mira.getByText(`In the community “${community.title}”`)).toBeVisible();
  await expectNoSidewaysScroll(mira);
  await mira.getByLabel("Your question").fill(title);
  await mira.getByRole("button", { name: "Ask" }).click();
  await expect(mira).toHaveURL(/\/questions\/\d+/);
  await expect(mira.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(mira.getByRole("link", { name: community.title })).toBeVisible();
  const questionPath = new URL(mira.url()).pathname;
  await mira.goto(`/communities/${community.slug}`);
  await expect(mira.getByRole("region", { name: "Questions" }).getByRole("link", { name: title })).toBeVisible();
  await expect(mira.getByRole("region", { name: "This week" })).toContainText("1 question asked");
  await expectNoSidewaysScroll(mira);
  if (testInfo.project.name === "desktop") await expectNoAccessibilityViolations(mira);

  const otto = await signInAs(browser, testInfo, outsider.email);
  const answer = await otto.goto(questionPath);
  expect(answer?.status()).toBe(404);
  await expect(otto.locator("body")).not.toContainText(word);
  for (const tab of ["open", "answered", "mine"]) {
    await otto.goto(`/questions?tab=${tab}&q=${word}`);
    await expect(otto.getByRole("main")).not.toContainText(word.slice(0, 12) + " handovers");
    await expect(otto.getByRole("link", { name: title })).toHaveCount(0);
  }
  await otto.goto(`/people/search?q=${word}`);
  await expect(otto.getByRole("link", { name: title })).toHaveCount(0);
  await mira.context().close();
  await otto.context().close();
});

test("a jelly proposed from a community: an idea from its notes appears in the community's idea box credited to the person who had it @phone", async ({ browser }, testInfo) => {
  const { run, member, guest, community } = await setUp(testInfo);
  const mira = await signInAs(browser, testInfo, member.email);
  await mira.goto(`/communities/${community.slug}`);
  await mira.getByRole("region", { name: "Jellies coming up" }).getByRole("link", { name: "Propose a jelly" }).click();
  await expect(mira).toHaveURL(new RegExp(`/jellies/new\\?community=${community.id}$`));
  await expect(mira.getByText("only its members see it and can come")).toBeVisible();
  const at = new Date(Date.now() + 2 * 24 * 3_600_000).toISOString();
  const title = `Breakfast after the night shift ${run}`;
  await mira.getByLabel("Title").fill(title);
  await mira.getByLabel("What it is about").fill("Coffee and what helped us sleep; bring one trick.");
  await mira.getByLabel("Date").fill(at.slice(0, 10));
  await mira.getByLabel("Time", { exact: true }).fill("07:30");
  await mira.getByLabel("Time zone").selectOption("UTC");
  await mira.getByLabel("Place").fill("Canteen");
  await mira.getByLabel("How many people can come").fill("6");
  await mira.getByRole("button", { name: "Propose the jelly" }).click();
  await expect(mira).toHaveURL(/\/jellies\/\d+$/);
  await expect(mira.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(mira.getByText("Of the community")).toBeVisible();
  const jellyId = Number(new URL(mira.url()).pathname.split("/").pop());

  // The guest RSVPs (through the service: their own RSVP is another test's story); then the meetup
  // happens (its start moves into the past).
  const { rsvp } = await import("~/services/commands/jellies.server");
  expect((await rsvp(guest, { jellyId })).status).toBe("going");
  const { db } = await import("~db/client");
  const { jellies } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  await db().update(jellies).set({ startsAt: Date.now() - 2 * 3_600_000 }).where(eq(jellies.id, jellyId)).run();

  // The host notes an idea from the notes, credited to the guest: it goes into the community's idea box.
  await mira.reload();
  await expect(mira.getByText(`It goes into the idea box of ${community.title}`)).toBeVisible();
  const idea = `A quiet room for naps ${run}`;
  await mira.getByLabel("The idea").fill(idea);
  await mira.getByLabel("More about it (optional)").fill("Ten minutes of dark and quiet before the drive home.");
  await mira.getByLabel("Whose idea was it").selectOption({ label: guest.name });
  await mira.getByRole("button", { name: "Note the idea" }).click();
  await expect(mira.getByText("posted in the community’s idea box as theirs")).toBeVisible();
  const ideas = mira.getByRole("region", { name: /Ideas from this jelly/ });
  await expect(ideas.getByText(`Credited to ${guest.name}`)).toBeVisible();
  await expectNoSidewaysScroll(mira);
  if (testInfo.project.name === "desktop") await expectNoAccessibilityViolations(mira);
  await ideas.getByRole("link", { name: "In the community’s idea box" }).click();
  await expect(mira).toHaveURL(/\/jams\/community-\d+\/ideas\/\d+$/);
  await expect(mira.getByRole("heading", { level: 1 })).toHaveText(idea);
  await expect(mira.getByRole("main")).toContainText(guest.name);

  // On the community's page, the box lists it; the guest is told it is in the box as theirs.
  await mira.goto(`/communities/${community.slug}`);
  await expect(mira.getByRole("region", { name: "Idea box" }).getByRole("link", { name: idea })).toBeVisible();
  await expectNoSidewaysScroll(mira);
  const { listNotifications } = await import("~/services/pages/notifications.server");
  const told = (await listNotifications(guest)).notifications.find((n) => n.body.includes(idea));
  expect(told?.body).toContain("idea box");
  await mira.context().close();
});
