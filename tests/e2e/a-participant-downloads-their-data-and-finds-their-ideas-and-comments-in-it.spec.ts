import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { readFile } from "node:fs/promises";
import { serverDatabase, uniqueTitle } from "./fixtures";
import { keyOf, liveJam, personOfItsOwn, signInAs } from "./data-rights";

test("a participant downloads their data from My activity and finds their ideas and comments in it, and nobody else's anonymous idea", async ({ page }) => {
  await serverDatabase();
  const { postIdea } = await import("~/services/commands/ideas.server");
  const { postComment } = await import("~/services/commands/comments.server");
  const me = await personOfItsOwn("Dora");
  const other = await personOfItsOwn("Otto");
  const { challengeId } = await liveJam("Your data");
  const mine = uniqueTitle("Bike racks by the front door");
  const mineAnonymous = uniqueTitle("A quieter open-plan floor");
  const othersAnonymous = uniqueTitle("Otto's secret about the canteen");
  await postIdea(me, { challengeId, title: mine, body: "Twenty more, covered.", clientKey: keyOf(mine) });
  await postIdea(me, { challengeId, title: mineAnonymous, body: "", isAnonymous: true, clientKey: keyOf(mineAnonymous) });
  const theirs = await postIdea(other, { challengeId, title: othersAnonymous, body: "", isAnonymous: true, clientKey: keyOf(othersAnonymous) });
  const comment = uniqueTitle("Whoever wrote this is right");
  await postComment(me, { ideaId: theirs.id, body: comment, clientKey: keyOf(comment) });

  await signInAs(page.request, me.email);
  await page.goto("/me");
  await page.getByRole("link", { name: "Your data" }).click();
  await expect(page.getByRole("heading", { name: "Download your data" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download your data" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^jamboree-my-data-\d{4}-\d{2}-\d{2}\.zip$/);

  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(files)).toEqual(expect.arrayContaining(["README.txt", "data.json", "ideas.csv", "comments.csv", "votes.csv", "profile.csv"]));
  const data = JSON.parse(strFromU8(files["data.json"]!)) as {
    profile: { email: string; name: string };
    ideas: { title: string; anonymous: boolean }[];
    comments: { body: string; ideaTitle: string }[];
  };
  expect(data.profile).toMatchObject({ email: me.email, name: me.name });
  expect(data.ideas.map((i) => i.title)).toEqual([mine, mineAnonymous]);
  expect(data.ideas[1]!.anonymous).toBe(true);
  expect(data.comments).toEqual([expect.objectContaining({ body: comment, ideaTitle: othersAnonymous })]);
  expect(strFromU8(files["ideas.csv"]!)).toContain(mine);
  expect(strFromU8(files["comments.csv"]!)).toContain(comment);

  // The other person's anonymous idea is there only as the idea Dora commented on: nothing says who wrote it.
  const everything = Object.values(files).map((f) => strFromU8(f)).join("\n");
  for (const trace of [other.name, other.email, other.name.split(" ")[1]!]) expect(everything).not.toContain(trace);
});
