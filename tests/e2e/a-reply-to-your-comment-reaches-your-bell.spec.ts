import { expect, test } from "@playwright/test";
import { E2E_USERS } from "./accounts";
import { serverDatabase, signInElsewhere, signInQuickly, uniqueTitle } from "./fixtures";

/**
 * A live jam of this test's own, made with the services on the server's database: an idea by the
 * facilitator and a comment on it by the commenter (one commenter per project, so the desktop and
 * phone runs never read each other's bell).
 */
async function commentedIdea(commenterRole: "commenter" | "phoneCommenter") {
  const { person } = await serverDatabase();
  const { createJam } = await import("~/services/commands/jams.server");
  const { jamChallenges } = await import("~/services/lookups/jams.server");
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { postComment } = await import("~/services/commands/comments.server");
  const now = Date.now();
  const title = uniqueTitle("Replies jam");
  const jam = await createJam(
    await person("facilitator"),
    {
      title,
      slug: title.toLowerCase().replace(/\s+/g, "-"),
      startsAt: now - 3_600_000,
      endsAt: now + 48 * 3_600_000,
      isDraft: false,
      challenges: [{ title: "Better handovers", question: "How should work change hands?" }],
    },
    { ip: null },
  );
  const [challenge] = await jamChallenges(jam.id);
  const ideaTitle = uniqueTitle("Handover notes in one place");
  const key = ideaTitle.replace(/\W+/g, "-");
  const idea = await postIdea(await person("facilitator"), { challengeId: challenge!.id, title: ideaTitle, body: "One page per handover.", clientKey: `reply-idea-${key}` });
  const comment = await postComment(await person(commenterRole), { ideaId: idea.id, body: "Could the page be a template?", clientKey: `reply-comment-${key}` });
  return { ideaUrl: `/jams/${jam.slug}/ideas/${idea.id}`, ideaTitle, commentId: comment.id };
}

test("a participant's comment gets a reply from someone else, and the reply reaches their bell and their notifications with a working link @phone", async ({
  page,
  browser,
}, testInfo) => {
  const commenter = testInfo.project.name === "phone" ? "phoneCommenter" : "commenter";
  const { ideaUrl, ideaTitle } = await commentedIdea(commenter);
  await signInQuickly(page, commenter);
  await page.goto("/jams");
  const bell = page.getByRole("banner").getByRole("link", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications");

  // Someone else replies, in their own browser, through the idea page's reply form.
  const colleague = await signInElsewhere(browser, testInfo, "colleague");
  await colleague.goto(ideaUrl);
  const thread = colleague.getByRole("article", { name: `Comment by ${E2E_USERS[commenter].name}` });
  await thread.getByText("Reply", { exact: true }).click();
  await thread.getByLabel(`Reply to ${E2E_USERS[commenter].name}`).fill("A template, yes: I will draft one.");
  await thread.getByRole("button", { name: "Post reply" }).click();
  await expect(colleague.getByText("A template, yes: I will draft one.")).toBeVisible();
  await colleague.context().close();

  // The commenter's next page shows one unread in the bell; the bell leads to the notification.
  await page.goto("/jams");
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByText("1 unread.")).toBeVisible();
  const notice = page.getByRole("link", { name: `${E2E_USERS.colleague.name} replied to your comment on “${ideaTitle}”` });
  await expect(notice).toBeVisible();
  await notice.click();
  await expect(page).toHaveURL(new RegExp(`${ideaUrl}#comment-\\d+$`));
  await expect(page.getByRole("heading", { level: 1, name: ideaTitle })).toBeVisible();
  await expect(page.getByText("A template, yes: I will draft one.")).toBeVisible();

  // Marking it read empties the bell.
  await page.goto("/notifications");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("You are all caught up.")).toBeVisible();
  await expect(bell).toHaveAccessibleName("Notifications");
});
