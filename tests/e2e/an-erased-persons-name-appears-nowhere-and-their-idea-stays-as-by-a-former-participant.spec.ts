import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "./accounts";
import { browserOf, jamWithAPersonWhoTookPart, personOfItsOwn } from "./data-rights";
import { SAME_ORIGIN, signInQuickly } from "./fixtures";

type Person = Awaited<ReturnType<typeof personOfItsOwn>>;
type Jam = Awaited<ReturnType<typeof jamWithAPersonWhoTookPart>>;

/** Every page and export that could name a person, as staff see them (they see the most). */
function placesThatCouldNameThem(jam: Jam, personId: number, searchWord: string) {
  return [
    jam.ideaPath,
    jam.otherIdeaPath,
    jam.challengePath,
    `/jams/${jam.slug}`,
    `/jams/${jam.slug}/leaderboard`,
    "/leaderboard",
    `/people/search?q=${encodeURIComponent(searchWord)}`,
    `/jams/${jam.slug}/network`,
    `/jams/${jam.slug}/network?drawing=people`,
    "/network",
    "/network?drawing=people",
    `/people/${personId}`,
    `/jams/${jam.slug}/ideas.csv`,
    `/jams/${jam.slug}/synthesis.md`,
    `/jams/${jam.slug}/synthesis`,
  ];
}

async function fetchAll(request: APIRequestContext, paths: string[]) {
  const out: { path: string; status: number; text: string }[] = [];
  for (const path of paths) {
    const response = await request.get(path, { maxRedirects: 0 });
    out.push({ path, status: response.status(), text: await response.text() });
  }
  return out;
}

/** The name, its unmistakable word and the e-mail address appear nowhere; "Former participant" shows where their idea stays. */
async function expectErasedEverywhere(staff: APIRequestContext, person: Person, jam: Jam) {
  const searchWord = jam.theirTitle.split(" ")[0]!;
  const pages = await fetchAll(staff, placesThatCouldNameThem(jam, person.id, searchWord));
  const unique = person.name.split(" ")[1]!;
  for (const { path, status, text } of pages) {
    for (const trace of [person.name, unique, person.email]) expect(text, `${path} must not contain “${trace}”`).not.toContain(trace);
    if (path === `/people/${person.id}`) expect(status, "their profile is gone").toBe(404);
    else expect(status, path).toBe(200);
  }
  const page = (path: string) => pages.find((p) => p.path === path)!.text;
  // Their idea stays, by a Former participant, on its page, on the challenge page and in the export.
  expect(page(jam.ideaPath)).toContain(jam.theirTitle);
  expect(page(jam.ideaPath)).toContain("Former participant");
  expect(page(jam.challengePath)).toContain(jam.theirTitle);
  expect(page(jam.challengePath)).toContain("Former participant");
  expect(page(`/jams/${jam.slug}/ideas.csv`)).toMatch(new RegExp(`${jam.theirTitle}.*Former participant`));
  // Their comment stays, by a Former participant.
  expect(page(jam.otherIdeaPath)).toContain(jam.commentBody);
}

/** Before: the pages do name them (so the checks after would catch a leak). */
async function expectNamed(staff: APIRequestContext, person: Person, jam: Jam) {
  const pages = await fetchAll(staff, [jam.ideaPath, `/jams/${jam.slug}/leaderboard`, `/jams/${jam.slug}/ideas.csv`, `/people/${person.id}`]);
  for (const { path, text } of pages) expect(text, `${path} names them before`).toContain(person.name);
}

async function expectSignedOut(page: Page) {
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fme$/);
}

test("a person erases their own account from My activity: their name and e-mail appear nowhere, and their idea stays as by a Former participant", async ({
  browser,
}, testInfo) => {
  const person = await personOfItsOwn("Xenia");
  const jam = await jamWithAPersonWhoTookPart(person);
  const staff = await browserOf(browser, testInfo, "fran@e2e.test");
  await expectNamed(staff.request, person, jam);

  // A second browser of theirs stays open on a page.
  const elsewhere = await browserOf(browser, testInfo, person.email);
  await elsewhere.goto("/me");

  const me = await browserOf(browser, testInfo, person.email);
  await me.goto("/me?tab=data");
  await me.getByRole("link", { name: "Erase my account…" }).click();
  await expect(me.getByRole("heading", { level: 1, name: "Erase your account" })).toBeVisible();
  // A wrong password erases nothing and says why.
  await me.getByLabel("Your password").fill("not my password");
  await me.getByRole("button", { name: "Erase my account" }).click();
  await expect(me.getByText("That is not your password. Type it to confirm.")).toBeVisible();
  await me.getByLabel("Your password").fill(E2E_PASSWORD);
  await me.getByRole("button", { name: "Erase my account" }).click();
  await expect(me.getByRole("heading", { level: 1, name: "Your account is erased" })).toBeVisible();
  await expectSignedOut(me);
  await expectSignedOut(elsewhere);

  await expectErasedEverywhere(staff.request, person, jam);
  // Their old address and password sign nobody in.
  const again = await me.request.post("/login", { form: { email: person.email, password: E2E_PASSWORD }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(again.status()).toBe(400);
  for (const p of [me, elsewhere, staff]) await p.context().close();
});

test("an admin erases a person's account: their open page is signed out at once, and their name and e-mail appear nowhere", async ({ page, browser }, testInfo) => {
  const person = await personOfItsOwn("Yannick");
  const jam = await jamWithAPersonWhoTookPart(person);
  const theirs = await browserOf(browser, testInfo, person.email);
  await theirs.goto(jam.ideaPath);
  await expect(theirs.getByRole("heading", { level: 1, name: jam.theirTitle })).toBeVisible();

  await signInQuickly(page, "admin");
  await page.goto(`/admin/people?q=${encodeURIComponent(person.email)}`);
  await page.getByRole("link", { name: `Erase ${person.name}’s account` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Erase ${person.name}’s account` })).toBeVisible();
  // The wrong address erases nothing.
  await page.getByLabel(`Type ${person.email} to confirm`).fill("someone.else@e2e.test");
  await page.getByRole("button", { name: `Erase ${person.name}’s account` }).click();
  await expect(page.getByText("Type the person’s e-mail address exactly as shown to confirm.")).toBeVisible();
  await page.getByLabel(`Type ${person.email} to confirm`).fill(person.email);
  await page.getByRole("button", { name: `Erase ${person.name}’s account` }).click();
  await expect(page).toHaveURL(/\/admin\/people\?erased=1$/);
  await expect(page.getByRole("status")).toContainText("The account is erased");

  // The person's open page: the very next request is signed out.
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/login\?redirectTo=/);

  await expectErasedEverywhere(page.request, person, jam);
  // Erasing twice is harmless: the erased account shows as such and its page offers only to hide what stays.
  await page.goto(`/admin/people/${person.id}/erase`);
  await expect(page.getByRole("heading", { level: 1, name: "Hide what an erased person wrote" })).toBeVisible();
  await theirs.context().close();
});

test("a participant cannot erase someone else, whatever they post", async ({ page, browser }, testInfo) => {
  const victim = await personOfItsOwn("Zora");
  const attacker = await personOfItsOwn("Ivo");
  const attackerPage = await browserOf(browser, testInfo, attacker.email);
  // The admin's form, posted directly: refused, and audited as refused access.
  const asAdmin = await attackerPage.request.post(`/admin/people/${victim.id}/erase`, {
    form: { confirmation: victim.email, userId: String(victim.id) },
    headers: SAME_ORIGIN,
    maxRedirects: 0,
  });
  expect(asAdmin.status()).toBe(403);
  // Their own erase form with someone else's id: the id is ignored, and without their own password nothing happens.
  const asSelf = await attackerPage.request.post("/me/erase", { form: { userId: String(victim.id), confirmation: victim.email }, headers: SAME_ORIGIN, maxRedirects: 0 });
  expect(asSelf.status()).toBe(400);
  // The victim still signs in, under their name.
  await browserOf(browser, testInfo, victim.email).then((p) => p.context().close());
  await signInQuickly(page, "admin");
  await page.goto(`/admin/people?q=${encodeURIComponent(victim.email)}`);
  await expect(page.getByRole("table", { name: "People" })).toContainText(victim.name);
  await attackerPage.context().close();
});
