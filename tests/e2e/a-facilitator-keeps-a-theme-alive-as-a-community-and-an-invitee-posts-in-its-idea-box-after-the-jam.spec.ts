import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./accounts";
import { expectNoSidewaysScroll, SAME_ORIGIN, serverDatabase, signInQuickly, signInToDemoQuickly } from "./fixtures";

/**
 * The demo's ended jam has a published synthesis: a facilitator keeps one of its themes alive as a
 * community, invites its contributors, and one of them accepts and posts in the community's idea box,
 * a month after the jam ended. Each project takes a theme of its own (one community per theme).
 */

async function demoThemes() {
  await serverDatabase();
  const { db } = await import("~db/client");
  const { jams, synthesisVersions, themes } = await import("~db/schema");
  const { and, asc, eq, isNotNull, isNull, sql } = await import("drizzle-orm");
  const jam = (await db().select().from(jams).where(eq(jams.slug, DEMO.endedJam.slug)).get())!;
  return await db()
    .select({ id: themes.id, label: themes.label })
    .from(themes)
    .innerJoin(synthesisVersions, eq(synthesisVersions.id, themes.versionId))
    .where(
      and(
        eq(synthesisVersions.jamId, jam.id),
        isNotNull(synthesisVersions.publishedAt),
        eq(themes.isOther, false),
        isNull(themes.parentId),
        // The demo keeps two of its themes alive already: those have no "Keep this theme alive".
        sql`NOT EXISTS (SELECT 1 FROM communities c WHERE c.theme_id = ${themes.id})`,
      ),
    )
    .orderBy(asc(themes.id))
    .all();
}

/** The people the steward invited to the community: participants of the demo, who sign in with its password. */
async function invitedParticipants(slug: string) {
  const { db } = await import("~db/client");
  const { communities, communityMembers, users } = await import("~db/schema");
  const { and, eq } = await import("drizzle-orm");
  return await db()
    .select({ email: users.email, name: users.name })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId))
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(and(eq(communities.slug, slug), eq(communityMembers.state, "invited"), eq(users.role, "participant")))
    .all();
}

async function signInAs(page: Page, email: string, password: string) {
  const response = await page.request.post("/login", { form: { email, password, redirectTo: "/jams" }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(response.status()).toBe(302);
}

test("a facilitator keeps a published theme of the ended jam alive and invites its contributors; one accepts and posts in the idea box @phone", async ({
  page,
  browser,
}, testInfo) => {
  const themes = await demoThemes();
  const theme = themes[testInfo.project.name === "phone" ? 1 : 0]!;
  expect(theme, "the demo publishes several top-level themes").toBeDefined();

  await signInToDemoQuickly(page, "facilitator");
  await page.goto(`/jams/${DEMO.endedJam.slug}/synthesis`);
  await page.getByRole("button", { name: `Keep the theme “${theme.label}” alive as a community` }).first().click();
  await expect(page).toHaveURL(/\/communities\/[a-z0-9-]+$/);
  const slug = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(theme.label);
  await expect(page.getByText(`Steward: ${DEMO.facilitator.name}`)).toBeVisible();

  // The preview lists who will be invited, every one ticked; the facilitator invites them.
  const invite = page.getByRole("region", { name: "Invite from the theme" });
  const ticked = invite.getByRole("checkbox");
  expect(await ticked.count()).toBeGreaterThan(0);
  await expectNoSidewaysScroll(page);
  await invite.getByRole("button", { name: "Invite the people ticked" }).click();
  await expect(page.getByText(/^Invited, not answered yet: /)).toBeVisible();
  await expect(page.getByRole("region", { name: "Invite from the theme" })).toContainText("Nobody left to invite");

  // Going back to the synthesis, the theme now links to its community.
  await page.goto(`/jams/${DEMO.endedJam.slug}/synthesis`);
  await expect(page.getByText("Kept alive as the community").locator(`a[href="/communities/${slug}"]`).first()).toBeVisible();

  // An invitee, told in their bell, accepts and posts an idea a month after the jam ended.
  const invitees = await invitedParticipants(slug);
  expect(invitees.length).toBeGreaterThan(0);
  const invitee = invitees[0]!;
  const { baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor } = testInfo.project.use;
  const context = await browser.newContext({ baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor });
  const member = await context.newPage();
  await signInAs(member, invitee.email, DEMO.password);
  await member.goto("/notifications");
  await expect(member.getByText(`${DEMO.facilitator.name} invited you to the community “${theme.label}”.`).first()).toBeVisible();
  await member.goto(`/communities/${slug}`);
  await expect(member.getByText("You are invited.")).toBeVisible();
  await member.getByRole("button", { name: "Accept" }).click();
  await expect(member.getByText("You are a member")).toBeVisible();
  await expect(member.getByRole("region", { name: "Members" })).toContainText(invitee.name);

  const title = `Keep ${theme.label.slice(0, 40)} going ${testInfo.project.name}`;
  await member.getByLabel("Title").fill(title);
  await member.getByLabel("Describe your idea").fill("A monthly hour to share what we tried since the jam, and what we learned.");
  await member.getByRole("button", { name: "Post idea" }).click();
  await expect(member).toHaveURL(/\/jams\/community-\d+\/ideas\/\d+$/);
  await expect(member.getByRole("heading", { level: 1 })).toHaveText(title);
  await expectNoSidewaysScroll(member);

  // The idea is in the box on the community's page; the community is listed among the member's.
  await member.goto(`/communities/${slug}`);
  await expect(member.getByRole("region", { name: "Idea box" }).getByRole("link", { name: title })).toBeVisible();
  await expect(member.getByRole("region", { name: "This week" })).toContainText("1 new idea");
  await expectNoSidewaysScroll(member);
  await member.goto("/communities?tab=mine");
  await expect(member.getByRole("link", { name: theme.label })).toBeVisible();
  await expectNoSidewaysScroll(member);
  // No jam listing shows the box.
  await member.goto("/jams");
  await expect(member.getByRole("link", { name: theme.label })).toHaveCount(0);
  await context.close();
});

test("a non-member cannot open a members-only community's idea by its address, nor see it on the community's page @phone", async ({ page }, testInfo) => {
  const { person } = await serverDatabase();
  const { proposeCommunity, decideProposal, postInIdeaBox } = await import("~/services/commands/communities.server");
  const { db } = await import("~db/client");
  const { communities } = await import("~db/schema");
  const { eq } = await import("drizzle-orm");
  const steward = await person("colleague");
  const facilitator = await person("facilitator");
  const name = `Private circle ${testInfo.project.name} ${Date.now().toString(36)}`;
  const { community } = await proposeCommunity(steward, { title: name, purpose: "A members-only circle for what we cannot share yet.", privacy: "members" });
  await decideProposal(facilitator, { communityId: community.id, decision: "approve" });
  const running = (await db().select().from(communities).where(eq(communities.id, community.id)).get())!;
  const secret = `Zanzibar plan ${testInfo.project.name}`;
  const idea = await postInIdeaBox(steward, running, { title: secret, body: "Only members should ever read this.", clientKey: `private-${Date.now()}` });
  const ideaUrl = `/jams/${idea.jamSlug}/ideas/${idea.id}`;

  const outsider = testInfo.project.name === "phone" ? "phoneParticipant" : "participant";
  await signInQuickly(page, outsider);
  const answer = await page.goto(ideaUrl);
  expect(answer?.status()).toBe(404);
  await expect(page.getByText(secret)).toHaveCount(0);
  expect((await page.request.get(`/jams/${idea.jamSlug}/events`)).status()).toBe(404);

  await page.goto(`/communities/${running.slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("For members only")).toBeVisible();
  await expect(page.locator("body")).not.toContainText(secret);
  await expect(page.getByRole("region", { name: /^Members/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByText("You asked to join")).toBeVisible();
  await expectNoSidewaysScroll(page);
});
