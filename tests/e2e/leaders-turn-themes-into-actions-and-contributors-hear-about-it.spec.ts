import { expect, test } from "@playwright/test";
import { E2E_ENDED_JAM, E2E_SYNTHESIS, E2E_USERS } from "./accounts";
import { expectNoAccessibilityViolations, SAME_ORIGIN, signIn, signInElsewhere, uniqueTitle } from "./fixtures";

test("a leader turns a theme into an approved action, the contributor is notified, and the synthesis exports download", async ({
  page,
  browser,
}, testInfo) => {
  const title = uniqueTitle("Quarterly retrospectives in every team");

  // The leader creates an action from the ended jam's published theme.
  await signIn(page, "leader");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Actions" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Follow-up actions" })).toBeVisible();
  await expectNoAccessibilityViolations(page);
  const form = page.getByRole("region", { name: "New action" });
  await form.getByLabel("Grows from").selectOption({ label: `Theme: ${E2E_SYNTHESIS.theme} (1 idea)` });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Owner").selectOption({ label: `${E2E_USERS.facilitator.name} (${E2E_USERS.facilitator.email})` });
  await form.getByLabel("Due date (optional)").fill("2030-06-30");
  await form.getByRole("button", { name: "Create action" }).click();

  await expect(page).toHaveURL(/\/actions\/\d+$/);
  const actionPath = new URL(page.url()).pathname;
  const action = page.getByRole("article", { name: title });
  await expect(action).toContainText("Proposed");
  await expect(action).toContainText(E2E_USERS.facilitator.name);
  await expect(action).toContainText("30 Jun 2030");
  await expect(action).toContainText(`From the theme “${E2E_SYNTHESIS.theme}”`);
  await expect(page.getByRole("link", { name: E2E_SYNTHESIS.ideaTitle })).toBeVisible();
  await expectNoAccessibilityViolations(page);

  // Declining needs a reason; then the leader approves it instead.
  await page.getByLabel("Status").selectOption("declined");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Say why the action is declined")).toBeVisible();
  await page.getByLabel("Status").selectOption("approved");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 person whose ideas fed this action was notified" })).toBeVisible();
  await expect(action).toContainText("Approved");

  // The list shows it, and filters find it.
  await page.goto(`/actions?status=approved&jam=${E2E_ENDED_JAM.slug}`);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await page.goto(`/actions?status=declined&jam=${E2E_ENDED_JAM.slug}`);
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);

  // The colleague, whose idea fed it, sees the count in the header and the news.
  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  try {
    const bell = colleague.getByRole("link", { name: /^Notifications, \d+ unread$/ });
    await expect(bell).toBeVisible();
    await bell.click();
    await expect(colleague.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    await expect(
      colleague.getByRole("link", { name: `Your idea “${E2E_SYNTHESIS.ideaTitle}” is now part of an approved action: ${title}` }),
    ).toBeVisible();
    await expect(colleague.getByRole("link", { name: `Your idea “${E2E_SYNTHESIS.ideaTitle}” fed a proposed action: ${title}` })).toBeVisible();
    await expectNoAccessibilityViolations(colleague);
    await colleague.getByRole("button", { name: "Mark all as read" }).click();
    await expect(colleague.getByText("You are all caught up.")).toBeVisible();
    await expect(colleague.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

    // The idea's page shows the action it fed; a participant is not offered to create one.
    await colleague.goto(actionPath);
    await colleague.getByRole("link", { name: E2E_SYNTHESIS.ideaTitle }).click();
    const fed = colleague.getByRole("region", { name: "Actions this idea fed" });
    await expect(fed.getByRole("link", { name: title })).toBeVisible();
    await expect(fed).toContainText("Approved");
    await expect(fed.getByRole("link", { name: "Create an action from this idea" })).toHaveCount(0);

    // A participant cannot decide: no form, and a forged post is refused.
    await colleague.goto(actionPath);
    await expect(colleague.getByRole("button", { name: "Save changes" })).toHaveCount(0);
    const forged = await colleague.request.post(actionPath, { form: { intent: "update", status: "done" }, headers: SAME_ORIGIN, maxRedirects: 0 });
    expect(forged.status()).toBe(403);

    // The published synthesis downloads for the participant too.
    const md = await colleague.request.get(`/jams/${E2E_ENDED_JAM.slug}/synthesis.md`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain(E2E_SYNTHESIS.theme);
  } finally {
    await colleague.context().close();
  }

  // Exports: the Markdown report and the ideas CSV download from the print page.
  await page.goto(`/jams/${E2E_ENDED_JAM.slug}/synthesis/print`);
  await expect(page.getByRole("heading", { level: 1, name: E2E_ENDED_JAM.title })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: E2E_SYNTHESIS.theme })).toBeVisible();
  await expect(page.getByRole("table")).toContainText(title);
  await expectNoAccessibilityViolations(page);

  const [mdDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Markdown" }).click()]);
  expect(mdDownload.suggestedFilename()).toMatch(/^e2e-ended-synthesis-v\d+\.md$/);
  const markdown = await streamText(await mdDownload.createReadStream());
  expect(markdown).toContain(`# Synthesis: ${E2E_ENDED_JAM.title}`);
  expect(markdown).toContain(E2E_SYNTHESIS.theme);
  expect(markdown).toContain(E2E_SYNTHESIS.ideaTitle);
  expect(markdown).toContain(`${E2E_USERS.facilitator.name} | Approved | 2030-06-30`);

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download ideas (CSV)" }).click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^e2e-ended-ideas(-v\d+)?\.csv$/);
  const csv = await streamText(await csvDownload.createReadStream());
  expect(csv).toContain("id,challenge,title,body,created_at,support_votes,agree,disagree,pass,dots,comments,attachments,theme,sub_theme,author");
  // The theme has no sub-themes, so the idea's sub_theme cell is empty.
  expect(csv).toContain(`,${E2E_SYNTHESIS.theme},,${E2E_USERS.colleague.name}`);

  const response = await page.request.get(`/jams/${E2E_ENDED_JAM.slug}/ideas.csv`);
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="e2e-ended-ideas/);
  expect(response.headers()["content-type"]).toContain("text/csv");
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
