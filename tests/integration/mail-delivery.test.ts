/**
 * Mail leaving through a real SMTP server on localhost (smtp-server), read back with mailparser;
 * the unsubscribe links and their tokens.
 */
import { CHOOSABLE_MAIL_KINDS } from "~/domain/mail";
import { eq } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queueMail, REDACTED_BODY } from "~/mail/outbox.server";
import { closeMailTransport, sendDue } from "~/mail/sender.server";
import { readUnsubscribeToken, unsubscribeToken } from "~/mail/unsubscribe.server";
import { saveMailSettings, unsubscribe } from "~/services/commands/mail-preferences.server";
import { mailSettings, unsubscribePreview } from "~/services/pages/mail-preferences.server";
import { requestPasswordReset } from "~/services/commands/password-reset.server";
import { resetRateLimits } from "~/services/effects/rate-limiter.server";
import { db, transaction } from "~db/client";
import { mailOutbox } from "~db/schema";
import { makeUser } from "../factories";

/** What the SMTP server does with the next messages: accept them, or answer with a code. */
let answer: { code: number; message: string } | null = null;
const received: ParsedMail[] = [];
let server: SMTPServer;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          received.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}?ignoreTLS=true`;
  process.env.MAIL_FROM = "Jamboree Tests <jams@mail.example.test>";
});

afterAll(async () => {
  closeMailTransport();
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  await new Promise<void>((resolve) => server.close(resolve));
});

afterEach(async () => {
  answer = null;
  received.length = 0;
  // Nothing left over for the next test's sender.
  await db().update(mailOutbox).set({ status: "cancelled" }).where(eq(mailOutbox.status, "queued")).run();
});

async function queueTo(userId: number, key: string, kind: Parameters<typeof queueMail>[1]["kind"] = "invitation") {
  const result = await transaction(async (tx) =>
    await queueMail(tx, { userId, kind, subject: `You're invited (${key})`, text: `Join the jam ${key}.`, html: `<p>Join the jam <b>${key}</b>.</p>`, dedupeKey: key }),
  );
  if (result.outcome !== "queued") throw new Error(`not queued: ${JSON.stringify(result)}`);
  return result;
}

/** A header's value as it arrived, unfolded. */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(name.length + 1).replace(/\r?\n[ \t]+/g, " ").trim();
}

async function row(id: number) {
  return (await db().select().from(mailOutbox).where(eq(mailOutbox.id, id)).get())!;
}

describe("sending through SMTP", () => {
  it("delivers a message with its Message-ID, a plain-text and an HTML part, and the one-click unsubscribe headers", async () => {
    const person = await makeUser();
    const queued = await queueTo(person.id, "smtp:1");
    expect(await sendDue("test-sender")).toMatchObject({ sent: 1 });
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.messageId).toBe(queued.messageId);
    expect(mail.messageId).toMatch(/@mail\.example\.test>$/);
    expect(mail.from?.text).toBe('"Jamboree Tests" <jams@mail.example.test>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(person.email);
    expect(mail.subject).toBe("You're invited (smtp:1)");
    expect(mail.text).toContain("Join the jam smtp:1.");
    expect(mail.text).toMatch(/Stop “Invitations to jams” e-mails: http:\/\/localhost:\d+\/mail\/unsubscribe\?t=/);
    expect(mail.html).toContain("<b>smtp:1</b>");
    // As they arrived (unfolded): RFC 8058's pair.
    expect(rawHeader(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const url = /^<(https?:\/\/[^>]+)>$/.exec(rawHeader(mail, "List-Unsubscribe") ?? "")?.[1];
    expect(url).toMatch(/\/mail\/unsubscribe\?t=/);
    expect(await readUnsubscribeToken(db(), new URL(url!).searchParams.get("t"))).toEqual({ userId: person.id, scope: "invitation" });
    expect(await row(queued.outboxId)).toMatchObject({ status: "sent", transport: "smtp", attempts: 1 });
  });

  it("tries again later after a temporary refusal, keeping the error, and gives up at once on a permanent one", async () => {
    const person = await makeUser();
    answer = { code: 451, message: "Greylisted, try again later" };
    const later = await queueTo(person.id, "smtp:451");
    const before = Date.now();
    expect(await sendDue("test-sender")).toMatchObject({ retry: 1 });
    const retried = await row(later.outboxId);
    expect(retried).toMatchObject({ status: "queued", attempts: 1, claimedBy: null });
    expect(retried.lastError).toContain("451");
    expect(retried.nextAttemptAt).toBeGreaterThanOrEqual(before + 60_000);

    answer = { code: 550, message: "No such mailbox" };
    const never = await queueTo(person.id, "smtp:550");
    expect(await sendDue("test-sender")).toMatchObject({ failed: 1 });
    expect(await row(never.outboxId)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await row(never.outboxId)).lastError).toContain("550");
  });

  it("does not keep a password reset link once the message went out by SMTP", async () => {
    await resetRateLimits();
    const person = await makeUser();
    await requestPasswordReset({ email: person.email }, { ip: null });
    expect(await sendDue("test-sender")).toMatchObject({ sent: 1 });
    expect(received[0]!.text).toMatch(/\/reset-password\?t=[A-Za-z0-9_-]{43}/);
    const stored = (await db().select().from(mailOutbox).where(eq(mailOutbox.toAddress, person.email)).get())!;
    expect(stored.textBody).toBe(REDACTED_BODY);
    expect(stored.htmlBody).toBeNull();
  });
});

describe("unsubscribe links", () => {
  it("refuse a forged, altered or malformed token", async () => {
    const person = await makeUser();
    const token = await unsubscribeToken(db(), person.id, "pulse");
    expect(await readUnsubscribeToken(db(), token)).toEqual({ userId: person.id, scope: "pulse" });
    const [id, scope, signature] = token.split(".") as [string, string, string];
    // Someone else's id, or another scope, with this signature.
    expect(await readUnsubscribeToken(db(), `${Number(id) + 1}.${scope}.${signature}`)).toBeNull();
    expect(await readUnsubscribeToken(db(), `${id}.all.${signature}`)).toBeNull();
    // A changed signature, a short one, and none.
    expect(await readUnsubscribeToken(db(), `${id}.${scope}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await readUnsubscribeToken(db(), `${id}.${scope}.${signature.slice(0, 20)}`)).toBeNull();
    expect(await readUnsubscribeToken(db(), `${id}.${scope}`)).toBeNull();
    // A scope that is no kind at all, and junk.
    expect(await readUnsubscribeToken(db(), `${id}.password_reset.${signature}`)).toBeNull();
    expect(await readUnsubscribeToken(db(), "")).toBeNull();
    expect(await readUnsubscribeToken(db(), null)).toBeNull();
    expect(await readUnsubscribeToken(db(), "x".repeat(5000))).toBeNull();
    expect(await unsubscribe(`${Number(id) + 1}.${scope}.${signature}`)).toBeNull();
  });

  it("refuse a token signed with another secret", async () => {
    const person = await makeUser();
    const previous = process.env.SESSION_SECRET;
    process.env.SESSION_SECRET = "another-installation-with-its-own-secret-value";
    const foreign = await unsubscribeToken(db(), person.id, "pulse");
    if (previous === undefined) delete process.env.SESSION_SECRET;
    else process.env.SESSION_SECRET = previous;
    expect(await readUnsubscribeToken(db(), foreign)).toBeNull();
  });

  it("switch that kind off, cancel what of it waits, and leave other kinds alone", async () => {
    const person = await makeUser();
    const waiting = await queueTo(person.id, "before-unsubscribe", "invitation");
    const other = await queueTo(person.id, "another-kind", "reminder");
    const token = await unsubscribeToken(db(), person.id, "invitation");
    expect(await unsubscribePreview(token)).toEqual({ scope: "invitation", what: "“Invitations to jams” e-mails" });
    // Looking changes nothing.
    expect((await mailSettings(person)).kinds.find((k) => k.kind === "invitation")!.delivery).toBe("immediately");
    expect(await unsubscribe(token, { ip: null })).toMatchObject({ stopped: ["invitation"] });
    expect((await mailSettings(person)).kinds.find((k) => k.kind === "invitation")!.delivery).toBe("never");
    expect((await row(waiting.outboxId)).status).toBe("cancelled");
    expect((await row(other.outboxId)).status).toBe("queued");
    expect(await transaction(async (tx) => await queueMail(tx, { userId: person.id, kind: "invitation", subject: "s", text: "t", dedupeKey: "after" }))).toEqual({
      outcome: "skipped",
      reason: "preference",
    });
    // Again: nothing more to stop.
    expect(await unsubscribe(token, { ip: null })).toMatchObject({ stopped: [] });
  });

  it("from a digest stops the kinds that come in it; from a password reset stops every kind", async () => {
    const person = await makeUser();
    await saveMailSettings(person, {
      mail_invitation: "immediately",
      mail_jam_opening: "weekly",
      mail_pulse: "daily",
      mail_reminder: "daily",
      mail_results: "immediately",
      mail_action_status: "weekly",
    });
    expect(await unsubscribe(await unsubscribeToken(db(), person.id, "daily_digest"))).toMatchObject({ stopped: ["pulse", "reminder"] });
    const after = Object.fromEntries((await mailSettings(person)).kinds.map((k) => [k.kind, k.delivery]));
    expect(after).toMatchObject({ invitation: "immediately", jam_opening: "weekly", pulse: "never", reminder: "never", results: "immediately", action_status: "weekly" });
    // Every kind still on stops (the two of the digest already have).
    const stillOn = CHOOSABLE_MAIL_KINDS.filter((k) => k !== "pulse" && k !== "reminder");
    expect(await unsubscribe(await unsubscribeToken(db(), person.id, "all"))).toMatchObject({ stopped: stillOn });
    expect((await mailSettings(person)).kinds.every((k) => k.delivery === "never")).toBe(true);
  });
});
