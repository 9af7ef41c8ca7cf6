import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS } from "./accounts";
import { extraServerPort, signInElsewhere, startServer } from "./fixtures";

const TOKEN = `e2e-directory-sync-${"0123456789abcdef".repeat(3)}`;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

test("a person deactivated by directory sync (Entra ID's PATCH active \"False\") is signed out at their next request and cannot sign in again", async ({
  browser,
  request,
}, testInfo) => {
  const person = E2E_USERS.directorySynced;
  // The person works in Chromium against the e2e server.
  const theirs = await signInElsewhere(browser, testInfo, "directorySynced");
  await theirs.goto("/me");
  await expect(theirs.getByRole("heading", { level: 1, name: "My activity" })).toBeVisible();

  // The company directory talks to a server of its own with SCIM_TOKEN set, on the same database.
  const port = extraServerPort(testInfo);
  const server = await startServer(port, { SCIM_TOKEN: TOKEN });
  try {
    const scim = `http://127.0.0.1:${port}/scim/v2`;
    const auth = { Authorization: `Bearer ${TOKEN}` };

    // Entra ID first finds the person by userName (this request context sends no Origin, as a directory does not).
    const found = await request.get(`${scim}/Users?filter=${encodeURIComponent(`userName eq "${person.email}"`)}`, { headers: auth });
    expect(found.status()).toBe(200);
    expect(found.headers()["content-type"]).toContain("application/scim+json");
    const list = await found.json();
    expect(list.totalResults).toBe(1);
    const id: string = list.Resources[0].id;

    // Without the token, the change is refused before it reaches anything, and they stay signed in.
    const forged = await request.patch(`${scim}/Users/${id}`, {
      headers: { "Content-Type": "application/scim+json" },
      data: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(forged.status()).toBe(403);
    await theirs.reload();
    await expect(theirs.getByRole("heading", { level: 1, name: "My activity" })).toBeVisible();

    const patched = await request.patch(`${scim}/Users/${id}`, {
      headers: { ...auth, "Content-Type": "application/scim+json" },
      data: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(patched.status()).toBe(200);
    expect((await patched.json()).active).toBe(false);
  } finally {
    server.kill("SIGTERM");
  }

  // Their very next request lands them on sign-in.
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/login\?redirectTo=%2Fme$/);
  await expect(theirs.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  // And the right password no longer signs them in.
  await theirs.getByLabel("Email").fill(person.email);
  await theirs.getByLabel("Password").fill(E2E_PASSWORD);
  await theirs.getByRole("button", { name: "Sign in" }).click();
  await expect(theirs.getByRole("alert")).toHaveText("This account has been deactivated. Ask an admin if you need it again.");
  await theirs.goto("/jams");
  await expect(theirs).toHaveURL(/\/login\?redirectTo=%2Fjams$/);
  await theirs.context().close();
});
