import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { E2E_LIVE_JAM } from "./accounts";
import { expectNoSidewaysScroll, participantFor, signIn, uniqueTitle } from "./fixtures";

async function openChallenge(page: Page, challenge: string) {
  await page.getByRole("link", { name: new RegExp(E2E_LIVE_JAM.title) }).click();
  await page.getByRole("link", { name: new RegExp(challenge) }).click();
  await expect(page.getByRole("heading", { level: 1, name: challenge })).toBeVisible();
}

test("an author attaches a PNG that shows on the card; a file named x.png that is not an image is refused and the text is kept @phone", async ({ page }, testInfo) => {
  await signIn(page, participantFor(testInfo));
  await openChallenge(page, "Tools that help");
  const challengeUrl = page.url();
  const title = uniqueTitle("Whiteboard photos in every room");
  const body = "Snap the whiteboard at the end of a meeting and attach it to the notes.";

  // A text file that only calls itself a PNG.
  await page.getByLabel("Title").click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Describe your idea").fill(body);
  const files = page.getByLabel("Attach images or documents (optional)");
  await files.setInputFiles({ name: "x.png", mimeType: "image/png", buffer: Buffer.from("This is a shopping list, not a picture.\n") });
  await expect(page.getByText("x.png (40 bytes)")).toBeVisible();
  await page.getByRole("button", { name: "Post idea" }).click();

  const refusal = page.getByRole("alert").filter({ hasText: "“x.png” is not a PNG image, whatever its name says" });
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText("What you typed is kept.");
  await expect(files).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Describe your idea")).toHaveValue(body);
  expect(page.url()).toBe(challengeUrl);
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  await expectNoSidewaysScroll(page);

  // A real photo: posted with the idea, shown on its page and, scaled, on its card.
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .composite([{ input: Buffer.from('<svg width="1200" height="900"><circle cx="600" cy="450" r="300" fill="#f5c451"/></svg>'), top: 0, left: 0 }])
    .png()
    .toBuffer();
  await files.setInputFiles({ name: "whiteboard.png", mimeType: "image/png", buffer: photo });
  await page.getByRole("button", { name: "Post idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const attachments = page.getByRole("region", { name: "Attachments" });
  await expect(attachments.getByRole("link", { name: /Open whiteboard\.png \(PNG image/ })).toBeVisible();
  await expectNoSidewaysScroll(page);

  await page.goto(challengeUrl);
  const card = page.getByRole("article").filter({ has: page.getByRole("link", { name: title }) });
  const thumbnail = card.locator(".idea__thumb img");
  await expect(thumbnail).toHaveAttribute("width", "480");
  await expect(thumbnail).toHaveAttribute("height", "360");
  await expect(thumbnail).toHaveAttribute("loading", "lazy");
  await thumbnail.scrollIntoViewIfNeeded();
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
  await expect(card).toContainText("1 file");
  // The file goes out with its own sandboxing policy only, not beside the page's policy.
  const served = await page.request.get((await thumbnail.getAttribute("src"))!);
  const policies = (await served.headersArray()).filter((h) => /^(content-security-policy|x-content-type-options)$/i.test(h.name));
  expect(policies.map((h) => h.name.toLowerCase()).sort()).toEqual(["content-security-policy", "x-content-type-options"]);
  expect(policies.find((h) => /security/i.test(h.name))!.value).toContain("sandbox");
  await expectNoSidewaysScroll(page);
});
