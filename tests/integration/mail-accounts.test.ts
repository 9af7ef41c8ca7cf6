import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { insertSession } from "~/auth/session.server";
import { tokenId } from "~/services/lookups/password-reset.server";
import { signIn, signUp } from "~/services/commands/accounts.server";
import { confirmEmail, sendEmailCheckAgain } from "~/services/commands/email-check.server";
import { emailCheckStatus } from "~/services/pages/me.server";
import { checkLinkState } from "~/services/pages/email-check.server";
import { completePasswordReset, requestPasswordReset, RESET_LINK_MS } from "~/services/commands/password-reset.server";
import { resetLinkState } from "~/services/pages/password-reset.server";
import { resetRateLimits } from "~/services/effects/rate-limiter.server";
import { db } from "~db/client";
import { auditLog, mailOutbox, passwordResetTokens, sessions, users } from "~db/schema";
import { makeDepartment, makeUser, TEST_PASSWORD } from "../factories";

const NEW_PASSWORD = "lantern-orchard-quietly";

/** The newest message queued to an address, and the link in its text. */
async function lastMailTo(address: string) {
  const message = (await db().select().from(mailOutbox).where(eq(mailOutbox.toAddress, address)).all()).at(-1);
  const link = message ? /(http:\/\/[^\s]+\/(?:reset-password|email\/check)\?t=([A-Za-z0-9_-]+))/.exec(message.textBody) : null;
  return { message, link: link?.[1] ?? null, token: link?.[2] ?? null };
}

async function mailCount() {
  return (await db().select().from(mailOutbox).all()).length;
}

beforeEach(async () => await resetRateLimits());

describe("password reset", () => {
  it("answers the same and sends nothing for an address without an account", async () => {
    const before = await mailCount();
    expect(await requestPasswordReset({ email: "nobody-here@example.test" }, { ip: "10.0.0.1" })).toBeUndefined();
    expect(await mailCount()).toBe(before);
    const audit = await db().select().from(auditLog).where(eq(auditLog.subject, "nobody-here@example.test")).get();
    expect(audit).toMatchObject({ action: "password_reset_requested", actorId: null });
    expect(JSON.parse(audit!.detail!)).toEqual({ sent: "none" });
  });

  it("mails a link that sets a new password once, ends every session and lets the person sign in with it", async () => {
    const person = await makeUser();
    await insertSession(db(), person.id, Date.now());
    await insertSession(db(), person.id, Date.now());
    await requestPasswordReset({ email: person.email.toUpperCase() }, { ip: "10.0.0.2" });
    const { message, token } = await lastMailTo(person.email);
    expect(message).toMatchObject({ kind: "password_reset", subject: "Reset your Jamboree password", status: "queued" });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    expect(await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.id, token!)).get()).toBeUndefined();
    expect(await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.id, tokenId(token!))).get()).toBeDefined();
    expect(await resetLinkState(token)).toMatchObject({ state: "ok", email: person.email });

    const done = await completePasswordReset({ t: token, password: NEW_PASSWORD }, { ip: "10.0.0.2" });
    expect(done.sessionsEnded).toBe(2);
    expect(await db().select().from(sessions).where(eq(sessions.userId, person.id)).all()).toEqual([]);
    const row = (await db().select().from(users).where(eq(users.id, person.id)).get())!;
    expect(await verifyPassword(row.passwordHash, NEW_PASSWORD)).toBe(true);
    await expect(signIn({ email: person.email, password: NEW_PASSWORD }, { ip: "10.0.0.2" })).resolves.toMatchObject({ user: { id: person.id } });
    await expect(signIn({ email: person.email, password: TEST_PASSWORD }, { ip: "10.0.0.2" })).rejects.toThrow();
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "password_reset")).all()).some((a) => a.actorId === person.id)).toBe(true);

    // Used once: the same link again is refused, and so is every other link of the account.
    expect((await resetLinkState(token)).state).toBe("used");
    await expect(completePasswordReset({ t: token, password: "another-fine-password" }, { ip: null })).rejects.toMatchObject({
      fieldErrors: { form: [expect.stringContaining("already been used")] },
    });
  });

  it("spends the link once when two tabs submit it at the same moment", async () => {
    const person = await makeUser();
    await requestPasswordReset({ email: person.email }, { ip: null });
    const { token } = await lastMailTo(person.email);
    const results = await Promise.allSettled([
      completePasswordReset({ t: token, password: "first-tab-password" }, { ip: null }),
      completePasswordReset({ t: token, password: "second-tab-password" }, { ip: null }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses an expired link, a forged one and one changed by a character", async () => {
    const person = await makeUser();
    const now = Date.now();
    await requestPasswordReset({ email: person.email }, { ip: null, now });
    const { token } = await lastMailTo(person.email);
    expect((await resetLinkState(token, now + RESET_LINK_MS)).state).toBe("expired");
    await expect(completePasswordReset({ t: token, password: NEW_PASSWORD }, { ip: null, now: now + RESET_LINK_MS + 1 })).rejects.toMatchObject({
      fieldErrors: { form: [expect.stringContaining("expired")] },
    });
    const altered = `${token!.slice(0, -1)}${token!.endsWith("A") ? "B" : "A"}`;
    expect((await resetLinkState(altered)).state).toBe("invalid");
    expect((await resetLinkState("not-a-token")).state).toBe("invalid");
    expect((await resetLinkState(tokenId(token!))).state).toBe("invalid"); // the stored hash is not a link
    await expect(completePasswordReset({ t: altered, password: NEW_PASSWORD }, { ip: null })).rejects.toMatchObject({
      fieldErrors: { form: [expect.stringContaining("not valid")] },
    });
  });

  it("holds a new password to the sign-up rules", async () => {
    const person = await makeUser({ name: "Harriet Vane" });
    await requestPasswordReset({ email: person.email }, { ip: null });
    const { token } = await lastMailTo(person.email);
    await expect(completePasswordReset({ t: token, password: "password123!" }, { ip: null })).rejects.toMatchObject({ fieldErrors: { password: [expect.stringContaining("common")] } });
    await expect(completePasswordReset({ t: token, password: "harriet-is-here" }, { ip: null })).rejects.toMatchObject({ fieldErrors: { password: [expect.stringContaining("name")] } });
    await expect(completePasswordReset({ t: token, password: "short" }, { ip: null })).rejects.toMatchObject({ fieldErrors: { password: [expect.stringContaining("at least")] } });
    // A refused password does not spend the link.
    expect((await resetLinkState(token)).state).toBe("ok");
  });

  it("tells a sign-on account it has no password, and sends nothing to a deactivated one", async () => {
    const signOn = await makeUser();
    await db().update(users).set({ passwordHash: "" }).where(eq(users.id, signOn.id)).run();
    await requestPasswordReset({ email: signOn.email }, { ip: null });
    const { message, token } = await lastMailTo(signOn.email);
    expect(message!.subject).toBe("Your Jamboree account signs in with your company sign-on");
    expect(token).toBeNull();
    const gone = await makeUser();
    await db().update(users).set({ deactivatedAt: Date.now() }).where(eq(users.id, gone.id)).run();
    await requestPasswordReset({ email: gone.email }, { ip: null });
    expect((await lastMailTo(gone.email)).message).toBeUndefined();
  });

  it("limits asks per address and per network, whether or not the address has an account", async () => {
    const person = await makeUser();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await requestPasswordReset({ email: person.email }, { ip: `10.1.0.${i}`, now: now + i });
    await expect(async () => await requestPasswordReset({ email: person.email }, { ip: "10.1.0.9", now: now + 10 })).rejects.toThrow(/several times just now/);
    for (let i = 0; i < 3; i++) await requestPasswordReset({ email: "ghost@example.test" }, { ip: `10.2.0.${i}`, now: now + i });
    await expect(async () => await requestPasswordReset({ email: "ghost@example.test" }, { ip: "10.2.0.9", now: now + 10 })).rejects.toThrow(/several times just now/);
    for (let i = 0; i < 30; i++) await requestPasswordReset({ email: `spray-${i}@example.test` }, { ip: "10.3.0.1", now: now + i });
    await expect(async () => await requestPasswordReset({ email: "spray-x@example.test" }, { ip: "10.3.0.1", now: now + 40 })).rejects.toThrow(/from your network/);
  });
});

describe("address check", () => {
  it("mails a link at sign-up whose page's button confirms the address, once", async () => {
    const { user } = await signUp({ name: "Nell Newhire", email: "nell.newhire@example.test", password: "copper-kettle-morning", departmentId: (await makeDepartment()).id }, { ip: null });
    expect(user).not.toBeNull();
    expect(await emailCheckStatus(user!)).toEqual({ needsCheck: true, email: "nell.newhire@example.test", mailLeaves: false });
    const { message, token } = await lastMailTo("nell.newhire@example.test");
    expect(message).toMatchObject({ kind: "email_check", subject: "Confirm your e-mail address for Jamboree" });
    // Opening the page changes nothing.
    expect(await checkLinkState(token)).toEqual({ state: "ok", email: "nell.newhire@example.test" });
    expect((await emailCheckStatus(user!)).needsCheck).toBe(true);
    expect(await confirmEmail(token, { ip: null })).toEqual({ state: "done", email: "nell.newhire@example.test" });
    expect((await emailCheckStatus(user!)).needsCheck).toBe(false);
    expect((await confirmEmail(token, { ip: null })).state).toBe("done");
    expect(await db().select().from(auditLog).where(eq(auditLog.action, "email_checked")).all()).toHaveLength(1);
  });

  it("refuses a forged link and one for an address the account no longer has", async () => {
    const person = await makeUser({ emailVerified: false });
    await sendEmailCheckAgain(person, { ip: null });
    const { token } = await lastMailTo(person.email);
    expect((await checkLinkState(`${token!.slice(0, -2)}xx`)).state).toBe("invalid");
    await db().update(users).set({ email: `changed-${person.email}` }).where(eq(users.id, person.id)).run();
    expect((await checkLinkState(token)).state).toBe("invalid");
    expect((await confirmEmail(token, { ip: null })).state).toBe("invalid");
    expect((await db().select().from(users).where(eq(users.id, person.id)).get())!.emailVerifiedAt).toBeNull();
  });

  it("sends it again at most three times an hour, and not at all once checked", async () => {
    const person = await makeUser({ emailVerified: false });
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect((await sendEmailCheckAgain(person, { ip: null, now: now + i })).sent).toBe(true);
    await expect(async () => await sendEmailCheckAgain(person, { ip: null, now: now + 5 })).rejects.toThrow(/several times already/);
    const checked = await makeUser();
    expect((await sendEmailCheckAgain(checked, { ip: null })).sent).toBe(false);
  });

  it("counts a password reset through the mailed link as checking the address", async () => {
    const person = await makeUser({ emailVerified: false });
    await requestPasswordReset({ email: person.email }, { ip: null });
    await completePasswordReset({ t: (await lastMailTo(person.email)).token, password: NEW_PASSWORD }, { ip: null });
    expect((await emailCheckStatus(person)).needsCheck).toBe(false);
  });
});
