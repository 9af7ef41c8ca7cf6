import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { simpleParser, type ParsedMail } from "mailparser";
import type { ChildProcess } from "node:child_process";
import { SMTPServer } from "smtp-server";
import { hashPassword } from "~/auth/password.server";
import { challenges, departments, jams, mailOutbox, users } from "~db/schema";
import { E2E_PASSWORD } from "./accounts";
import { expectNoAccessibilityViolations, extraServerPort, startServer, stopServer, uniqueTitle } from "./fixtures";
import { databaseOfItsOwn } from "./own-database";

/**
 * A company of its own: a server process with its own database (a SQLite file, or a database on the
 * PostgreSQL run's cluster: own-database.ts) and SMTP_URL pointing at an SMTP server this test runs,
 * so the mail it reads can only come from this server (the e2e server's sender, on another database,
 * never claims it).
 */

test("a facilitator previews, confirms and sends a department's invitations; each member gets one e-mail, once", async ({ page }, testInfo) => {
  const port = extraServerPort(testInfo, 0);
  const smtpPort = extraServerPort(testInfo, 1);
  const origin = `http://localhost:${port}`;
  const own = await databaseOfItsOwn(testInfo, "invitations");
  const conn = own.conn();
  const now = Date.now();
  const passwordHash = await hashPassword(E2E_PASSWORD);
  const team = await conn.insert(departments).values({ name: "Logistics" }).returning().get();
  const elsewhere = await conn.insert(departments).values({ name: "Finance" }).returning().get();
  const person = async (name: string, email: string, departmentId: number, verified = true, role: "participant" | "facilitator" = "participant") =>
    await conn
      .insert(users)
      .values({ name, email, passwordHash, role, departmentId, emailVerifiedAt: verified ? now : null, createdAt: now })
      .returning()
      .get();
  const facilitator = await person("Fran Facilitator", "fran@invite.test", elsewhere.id, true, "facilitator");
  const ana = await person("Ana Ruiz", "ana@invite.test", team.id);
  const bo = await person("Bo Chen", "bo@invite.test", team.id);
  // Never checked her address: she is invited, but gets no jam mail until she does.
  await person("Uma Unchecked", "uma@invite.test", team.id, false);
  const outsider = await person("Otto Outside", "otto@invite.test", elsewhere.id);
  // People's text in a title is text in the mail, never markup.
  const title = `${uniqueTitle("Safer shifts")} <b>now</b>`;
  const jam = await conn
    .insert(jams)
    .values({ slug: "safer-shifts", title, description: "How could our shifts be safer?", startsAt: now - 3_600_000, endsAt: now + 3 * 86_400_000, createdBy: facilitator.id, createdAt: now, updatedAt: now })
    .returning()
    .get();
  await conn.insert(challenges).values({ jamId: jam.id, title: "Hand-overs", question: "What goes wrong at a hand-over?", createdAt: now }).run();

  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", resolve));
  let server: ChildProcess | undefined;
  try {
    server = await startServer(port, { DATABASE_URL: own.url, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PUBLIC_URL: origin });
    const signedIn = await page.request.post(`${origin}/login`, {
      form: { email: facilitator.email, password: E2E_PASSWORD, redirectTo: "/jams" },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(signedIn.status()).toBe(302);

    await page.goto(`${origin}/jams/${jam.slug}/launch`);
    const invitations = page.getByTestId("invitations");
    await expect(invitations.getByText("Nobody is invited yet")).toBeVisible();
    await invitations.getByLabel("A department").check();
    await invitations.getByLabel("Department to invite").selectOption({ label: "Logistics (3 people)" });
    await invitations.getByRole("button", { name: "Preview the invitation…" }).click();

    // The confirmation: the count, and the message as it will read.
    await expect(invitations.getByRole("heading", { name: "Invite 3 people?" })).toBeFocused();
    await expect(invitations.getByTestId("invite-count")).toHaveText("The invitation goes to 3 people in Logistics.");
    await expect(invitations.getByText(`You're invited: ${title}`)).toBeVisible();
    const preview = page.frameLocator('iframe[title="The invitation e-mail"]');
    await expect(preview.getByRole("heading", { level: 1 })).toHaveText(`You’re invited to “${title}”`);
    // Axe cannot run inside the preview's sandboxed frame (no scripts there): the message itself is checked below.
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).exclude(".invite-message__frame").analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await invitations.getByRole("button", { name: "Send 3 invitations" }).click();
    await expect(invitations.getByRole("status")).toHaveText("Invited 3 people in Logistics. Their e-mails are on their way.");
    await expect(invitations.getByTestId("invitations-summary")).toContainText("3 people invited");

    // Ana and Bo each get one message; Uma (address never checked) and Otto (not invited) none.
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    const byAddress = new Map(received.map((m) => [(m.to as { text: string }).text, m]));
    expect([...byAddress.keys()].sort()).toEqual([ana.email, bo.email]);
    const mail = byAddress.get(ana.email)!;
    expect(mail.subject).toBe(`You're invited: ${title}`);
    expect(mail.text).toContain("Hi Ana Ruiz,");
    expect(mail.text).toContain(`Join the jam: ${origin}/jams/${jam.slug}`);
    expect(mail.html).toContain("&lt;b&gt;now&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>now</b>");
    // The one-click unsubscribe (RFC 8058) the outbox adds to every message.
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s*/g, " ") ?? "";
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header("list-unsubscribe")).toContain(`<${origin}/mail/unsubscribe?t=`);

    // The message as delivered, with the outbox's footer, is accessible too.
    const reader = await page.context().newPage();
    await reader.setContent(String(mail.html));
    await expectNoAccessibilityViolations(reader);
    await reader.close();

    // Inviting the department again invites nobody twice.
    await invitations.getByLabel("A department").check();
    await invitations.getByLabel("Department to invite").selectOption({ label: "Logistics (3 people)" });
    await invitations.getByRole("button", { name: "Preview the invitation…" }).click();
    await expect(invitations.getByRole("heading", { name: "Nobody new to invite" })).toBeVisible();
    await expect(invitations.getByRole("button", { name: /^Send/ })).toHaveCount(0);
    expect((await conn.select().from(mailOutbox).all()).map((m) => m.toAddress).sort()).toEqual([ana.email, bo.email]);
    expect(received.some((m) => (m.to as { text: string }).text === outsider.email)).toBe(false);
  } finally {
    if (server) await stopServer(server);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await own.drop();
  }
});
