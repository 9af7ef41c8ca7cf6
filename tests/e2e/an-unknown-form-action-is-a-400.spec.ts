import { expect, test } from "@playwright/test";
import { E2E_COLLEAGUE_IDEA_TITLE, E2E_LIVE_JAM } from "./accounts";
import { serverDatabase, signInRequest } from "./fixtures";

/**
 * A form post whose `intent` no form sends is refused with 400 and changes nothing, on every page
 * that takes several kinds of post (it used to fall through to the page's main form and answer 200).
 */
test("every page that takes several kinds of post answers an unknown intent with 400", async ({ request, baseURL }) => {
  const { person } = await serverDatabase();
  await signInRequest(request, "admin");
  const headers = { Origin: new URL(baseURL!).origin, "Sec-Fetch-Site": "same-origin" };
  const html = await (await request.get(`/jams/${E2E_LIVE_JAM.slug}`)).text();
  const idea = html.match(new RegExp(`href="(/jams/${E2E_LIVE_JAM.slug}/ideas/\\d+)"[^>]*>${E2E_COLLEAGUE_IDEA_TITLE}<`))![1]!;
  const { proposeJelly } = await import("~/services/commands/jellies.server");
  const { utcToZonedTime } = await import("~/domain/jellies");
  const jelly = await proposeJelly(await person("admin"), {
    title: "Unknown intents",
    about: "A jelly that only receives posts nobody sends.",
    ...utcToZonedTime(Date.now() + 86_400_000, "UTC"),
    timeZone: "UTC",
    durationMinutes: "30",
    place: "Nowhere",
    capacity: "3",
  });
  const pages = [
    "/admin/people",
    "/admin/settings",
    "/auth/oidc",
    `/jams/${E2E_LIVE_JAM.slug}/edit`,
    `/jams/${E2E_LIVE_JAM.slug}/launch`,
    `/people/${(await person("admin")).id}`,
    idea,
    `${idea}/moderate`,
    `${idea}/attachments`,
    `/jams/${E2E_LIVE_JAM.slug}/command`,
    `/jams/${E2E_LIVE_JAM.slug}/synthesis`,
    "/notifications",
    "/notifications/settings",
    "/follows",
    "/me",
    `/jellies/${jelly.id}`,
    `/jellies/${jelly.id}/edit`,
  ];
  for (const path of pages) {
    const answer = await request.post(path, { form: { intent: "no-such-thing", userId: String((await person("participant")).id), role: "admin" }, headers, maxRedirects: 0 });
    expect(answer.status(), `${path} answers an unknown intent`).toBe(400);
  }
  // Nothing changed: the participant is still a participant.
  expect((await person("participant")).role).toBe("participant");
});
