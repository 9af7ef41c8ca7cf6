import { expect, test } from "@playwright/test";
import { startServer, stopServer } from "./fixtures";
import { mailTestSetup } from "./mail-server";
import { startSmtpPeer } from "./smtp-peer";

/**
 * The unsubscribe link every message carries: a mail client's one-click POST (RFC 8058: no
 * session, no Origin, body `List-Unsubscribe=One-Click`) stops that kind of mail, and so does the
 * button on the page the link opens in a browser; opening the page stops nothing, other kinds keep
 * coming, and a link with a changed token is refused.
 */
test("an unsubscribe link stops that kind of mail, by a mail client's one-click post or the page's button", async ({ browser }, testInfo) => {
  const setup = await mailTestSetup(testInfo, "unsubscribe");
  const uma = (await setup.people("Uma")).people[0]!;
  await setup.queue(uma.email, "invitation", 1, "first-invitation");
  await setup.queue(uma.email, "reminder", 1, "first-reminder");
  const peer = await startSmtpPeer(setup.smtpPort);
  const server = await startServer(setup.appPort, setup.settings(peer.url));
  const context = await browser.newContext({ baseURL: setup.base });
  try {
    const invitation = await peer.waitFor(uma.email, /^invitation first-invitation/);
    expect(invitation.header("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const oneClick = /^<([^>]+)>$/.exec(invitation.header("List-Unsubscribe") ?? "")?.[1];
    expect(oneClick, "a List-Unsubscribe address").toMatch(/\/mail\/unsubscribe\?t=/);
    expect(invitation.text).toContain(`Stop “Invitations to jams” e-mails: ${oneClick}`);

    // A changed token is refused, and changes nothing.
    const forged = oneClick!.replace(/.(?=$)/, (c) => (c === "A" ? "B" : "A"));
    const refused = await fetch(forged, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) });
    expect(refused.status).toBe(400);
    expect(await setup.queue(uma.email, "invitation", 1, "after-forged-post")).toEqual([expect.objectContaining({ outcome: "queued" })]);
    await peer.waitFor(uma.email, /^invitation after-forged-post/);

    // What a mail client does: POST to the address, no cookie, no Origin, no Sec-Fetch-Site.
    const posted = await fetch(oneClick!, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(posted.status).toBe(200);
    expect(await setup.queue(uma.email, "invitation", 1, "after-one-click")).toEqual([{ outcome: "skipped", reason: "preference" }]);
    // Other kinds still come.
    const reminder = await peer.waitFor(uma.email, /^reminder first-reminder/);
    expect(await setup.queue(uma.email, "reminder", 1, "still-on")).toEqual([expect.objectContaining({ outcome: "queued" })]);
    await peer.waitFor(uma.email, /^reminder still-on/);

    // The same link in a browser: the page alone changes nothing; its button unsubscribes.
    const pageLink = /^<([^>]+)>$/.exec(reminder.header("List-Unsubscribe") ?? "")?.[1];
    const page = await context.newPage();
    await page.goto(pageLink!);
    await expect(page.getByRole("heading", { name: "Unsubscribe" })).toBeVisible();
    await expect(page.getByText("Stop getting “Reminder before a jam ends” e-mails from Jamboree?")).toBeVisible();
    expect(await setup.queue(uma.email, "reminder", 1, "after-opening-the-page")).toEqual([expect.objectContaining({ outcome: "queued" })]);
    await peer.waitFor(uma.email, /^reminder after-opening-the-page/);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
    await expect(page.getByText("You will get no more “Reminder before a jam ends” e-mails.")).toBeVisible();
    expect(await setup.queue(uma.email, "reminder", 1, "after-the-button")).toEqual([{ outcome: "skipped", reason: "preference" }]);

    // Nothing of the kinds switched off arrived after they were switched off.
    expect(peer.received.map((m) => m.subject).filter((s) => /after-one-click|after-the-button/.test(s))).toEqual([]);
  } finally {
    await context.close();
    await stopServer(server);
    await peer.close();
    await setup.cleanUp();
  }
});
