import { expect, type Page, type TestInfo } from "@playwright/test";
import { E2E_PASSWORD, E2E_USERS, type E2ERole } from "./accounts";

/** Signs in through the real sign-in form. */
export async function signIn(page: Page, role: E2ERole) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_USERS[role].email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jams$/);
}

/** A title no other test run will have used. */
export function uniqueTitle(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The participant account for this project (desktop and phone runs act as different people). */
export function participantFor(testInfo: TestInfo): E2ERole {
  return testInfo.project.name === "phone" ? "phoneParticipant" : "participant";
}
