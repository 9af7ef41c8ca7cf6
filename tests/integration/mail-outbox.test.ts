import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { digestDueAt, MAX_SEND_ATTEMPTS, retryDelayMs } from "~/domain/mail";
import { collectDigests } from "~/mail/digests.server";
import { claimDue, markFailed, markSent, queueMail, releaseClaimsOfDeadProcesses } from "~/mail/outbox.server";
import { sendDue } from "~/mail/sender.server";
import { deactivatePerson } from "~/services/commands/accounts.server";
import { saveMailSettings } from "~/services/commands/mail-preferences.server";
import { db, transaction } from "~db/client";
import { mailDigestItems, mailOutbox, users } from "~db/schema";
import { makeUser } from "../factories";
import { raceWorkers } from "./helpers/processes";
import { mapInOrder } from "~/domain/in-order";

const HOUR = 3_600_000;

function prefs(overrides: Record<string, string> = {}) {
  return {
    mail_invitation: "immediately",
    mail_jam_opening: "immediately",
    mail_pulse: "daily",
    mail_reminder: "immediately",
    mail_results: "immediately",
    mail_action_status: "immediately",
    ...overrides,
  };
}

async function queue(userId: number, key: string, kind: Parameters<typeof queueMail>[1]["kind"] = "invitation", now = Date.now()) {
  return await transaction(async (tx) => await queueMail(tx, { userId, kind, subject: `Subject ${key}`, text: `Body of ${key}`, dedupeKey: key }, now));
}

async function row(id: number) {
  return (await db().select().from(mailOutbox).where(eq(mailOutbox.id, id)).get())!;
}

afterEach(() => {
  delete process.env.SMTP_URL;
});

describe("queueMail", () => {
  it("queues a message with a stable Message-ID, a plain-text part and the one-click unsubscribe headers", async () => {
    const person = await makeUser();
    const result = await queue(person.id, "invite:1");
    expect(result.outcome).toBe("queued");
    if (result.outcome !== "queued") return;
    const message = await row(result.outboxId);
    expect(message.messageId).toMatch(/^<[0-9a-f]{32}\.jamboree@[a-z0-9.-]+>$/);
    expect(message.messageId).toBe(result.messageId);
    expect(message.toAddress).toBe(person.email);
    expect(message.status).toBe("queued");
    expect(message.textBody).toContain("Body of invite:1");
    expect(message.textBody).toMatch(/Stop “Invitations to jams” e-mails: http:\/\/localhost:\d+\/mail\/unsubscribe\?t=/);
    const headers = JSON.parse(message.headers) as Record<string, string>;
    expect(headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:\d+\/mail\/unsubscribe\?t=[^>]+>$/);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(message.htmlBody).toContain("<!doctype html>");
  });

  it("queues the same trigger once per person", async () => {
    const a = await makeUser();
    const b = await makeUser();
    expect((await queue(a.id, "invite:jam:7")).outcome).toBe("queued");
    expect((await queue(a.id, "invite:jam:7")).outcome).toBe("duplicate");
    expect((await queue(b.id, "invite:jam:7")).outcome).toBe("queued");
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, "invite:jam:7")).all()).toHaveLength(2);
  });

  it("keeps a line break out of the subject (it would start a header of its own)", async () => {
    const person = await makeUser();
    const result = await transaction(async (tx) =>
      await queueMail(tx, { userId: person.id, kind: "invitation", subject: "Hello\r\nBcc: everyone@example.com", text: "Hi", dedupeKey: "subject" }),
    );
    expect(result.outcome).toBe("queued");
    if (result.outcome === "queued") expect((await row(result.outboxId)).subject).toBe("Hello Bcc: everyone@example.com");
  });

  it("follows each person's choice: immediately, a digest, or nothing", async () => {
    const person = await makeUser();
    await saveMailSettings(person, prefs({ mail_invitation: "never", mail_results: "weekly", mail_pulse: "daily" }));
    const now = Date.UTC(2026, 11, 9, 12); // a Wednesday, 12:00 UTC
    expect(await queue(person.id, "a", "invitation", now)).toEqual({ outcome: "skipped", reason: "preference" });
    const weekly = await queue(person.id, "b", "results", now);
    expect(weekly).toMatchObject({ outcome: "digest", delivery: "weekly", dueAt: Date.UTC(2026, 11, 14, 7) });
    const daily = await queue(person.id, "c", "pulse", now);
    expect(daily).toMatchObject({ outcome: "digest", delivery: "daily", dueAt: Date.UTC(2026, 11, 10, 7) });
    expect((await queue(person.id, "d", "reminder", now)).outcome).toBe("queued");
    // A repeated trigger that went to a digest is a duplicate too.
    expect((await queue(person.id, "c", "pulse", now)).outcome).toBe("duplicate");
  });

  it("always sends a password reset, an address check and a test at once, whatever the person chose", async () => {
    const person = await makeUser();
    await saveMailSettings(person, prefs({ mail_invitation: "never", mail_pulse: "never", mail_results: "never" }));
    expect((await queue(person.id, "r", "password_reset")).outcome).toBe("queued");
    expect((await queue(person.id, "e", "email_check")).outcome).toBe("queued");
    expect((await queue(person.id, "t", "test")).outcome).toBe("queued");
  });

  it("sends nothing to deactivated or erased people, and no jam mail to an address never checked", async () => {
    const admin = await makeUser({ role: "admin" });
    const leaving = await makeUser();
    await deactivatePerson(admin, { userId: leaving.id }, { ip: null });
    expect(await queue(leaving.id, "x")).toEqual({ outcome: "skipped", reason: "inactive" });
    const erased = await makeUser();
    await db().update(users).set({ erasedAt: Date.now() }).where(eq(users.id, erased.id)).run();
    expect(await queue(erased.id, "x")).toEqual({ outcome: "skipped", reason: "inactive" });
    const unchecked = await makeUser({ emailVerified: false });
    expect(await queue(unchecked.id, "x")).toEqual({ outcome: "skipped", reason: "unverified" });
    expect((await queue(unchecked.id, "check", "email_check")).outcome).toBe("queued");
    // An account of the company's sign-on (no password) is vouched for by it.
    const signOn = await makeUser({ emailVerified: false });
    await db().update(users).set({ passwordHash: "" }).where(eq(users.id, signOn.id)).run();
    expect((await queue(signOn.id, "x")).outcome).toBe("queued");
    expect(await queue(999_999, "x")).toEqual({ outcome: "skipped", reason: "no_account" });
  });

  it("writes nothing when the caller's transaction rolls back", async () => {
    const person = await makeUser();
    await expect(async () =>
      await transaction(async (tx) => {
        await queueMail(tx, { userId: person.id, kind: "invitation", subject: "s", text: "t", dedupeKey: "rolled-back" });
        throw new Error("the change it told about failed");
      }),
    ).rejects.toThrow();
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, "rolled-back")).all()).toEqual([]);
  });
});

describe("claiming", () => {
  it("gives each due message to exactly one of two processes", async () => {
    const person = await makeUser();
    const now = Date.now() + 10 * HOUR; // after everything other tests queued
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    for (let i = 0; i < 12; i++) await queue(person.id, `claim:${i}`, "test", now);
    const a: number[] = [];
    const b: number[] = [];
    // The two take turns, as two processes' transactions do on one SQLite file.
    for (let round = 0; round < 4; round++) {
      a.push(...(await transaction(async (tx) => await claimDue(tx, "process-a", now, 2, 60_000))).map((m) => m.id));
      b.push(...(await transaction(async (tx) => await claimDue(tx, "process-b", now, 3, 60_000))).map((m) => m.id));
    }
    expect(a.length + b.length).toBe(12);
    expect(new Set([...a, ...b]).size).toBe(12);
    // Claimed ones are not claimed again while the claim holds.
    expect(await transaction(async (tx) => await claimDue(tx, "process-c", now + 59_000, 50, 60_000))).toEqual([]);
  });

  it("claims at most as many as asked, even when several claim at the same moment", async () => {
    const person = await makeUser();
    const now = Date.now() + 15 * HOUR;
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    for (let i = 0; i < 8; i++) await queue(person.id, `at-once:${i}`, "test", now);
    // Six claimers of one message each, all at once (side by side on PostgreSQL, in turn on SQLite).
    const claims = await Promise.all(
      Array.from({ length: 6 }, async (_, n) => await transaction(async (tx) => await claimDue(tx, `process-${n}`, now, 1, 60_000))),
    );
    for (const claim of claims) expect(claim.length).toBeLessThanOrEqual(1);
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const held = await db().select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.status, "queued")).all();
    const claimedRows = (await db().select({ by: mailOutbox.claimedBy }).from(mailOutbox).where(eq(mailOutbox.status, "queued")).all()).filter((r) => r.by !== null);
    expect(held).toHaveLength(8);
    expect(claimedRows).toHaveLength(ids.length);
  });

  it("claims again, with the same Message-ID, a message whose process died before it was marked sent", async () => {
    const person = await makeUser();
    const now = Date.now() + 20 * HOUR;
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    const queued = await queue(person.id, "orphan", "test", now);
    if (queued.outcome !== "queued") throw new Error("not queued");
    const [first] = await transaction(async (tx) => await claimDue(tx, "gone-host:1:dead", now, 5, 60_000));
    expect(first!.messageId).toBe(queued.messageId);
    // The holder died; a process on another machine waits for the claim to run out.
    expect(await transaction(async (tx) => await releaseClaimsOfDeadProcesses(tx, now + 1_000))).toBe(0);
    expect(await transaction(async (tx) => await claimDue(tx, "survivor", now + 30_000, 5, 60_000))).toEqual([]);
    const [again] = await transaction(async (tx) => await claimDue(tx, "survivor", now + 60_000, 5, 60_000));
    expect(again).toMatchObject({ id: first!.id, messageId: queued.messageId, attempts: 2 });
    // The dead holder can no longer settle it; the survivor can.
    expect(await transaction(async (tx) => await markSent(tx, first!.id, "gone-host:1:dead", "local", now + 61_000))).toBe(false);
    expect(await transaction(async (tx) => await markSent(tx, first!.id, "survivor", "local", now + 61_000))).toBe(true);
    expect(await row(first!.id)).toMatchObject({ status: "sent", transport: "local", messageId: queued.messageId });
  });

  it("frees at once the claims of a process on this machine whose pid is gone", async () => {
    const { hostname } = await import("node:os");
    const person = await makeUser();
    const now = Date.now() + 30 * HOUR;
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    await queue(person.id, "dead-pid", "test", now);
    // A pid that no process has (above the kernel's pid_max).
    const deadHolder = `${hostname()}:4194305:abcd`;
    expect(await transaction(async (tx) => await claimDue(tx, deadHolder, now, 5, 120_000))).toHaveLength(1);
    expect(await transaction(async (tx) => await releaseClaimsOfDeadProcesses(tx, now + 1_000))).toBe(1);
    expect(await transaction(async (tx) => await claimDue(tx, "next", now + 1_000, 5, 120_000))).toHaveLength(1);
  });

  it("backs off exponentially after failures and gives up after the last attempt, keeping the error", async () => {
    const person = await makeUser();
    let now = Date.now() + 40 * HOUR;
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    const queued = await queue(person.id, "flaky", "test", now);
    if (queued.outcome !== "queued") throw new Error("not queued");
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      const [claimed] = await transaction(async (tx) => await claimDue(tx, "p", now, 5, 60_000));
      expect(claimed, `attempt ${attempt} is due`).toBeDefined();
      expect(claimed!.attempts).toBe(attempt);
      const result = await transaction(async (tx) => await markFailed(tx, claimed!, "p", `451 try later (${attempt})`, now, { jitter: 0 }));
      if (attempt < MAX_SEND_ATTEMPTS) {
        expect(result).toBe("retry");
        const next = (await row(queued.outboxId)).nextAttemptAt;
        waits.push(next - now);
        // Not due a moment before its time.
        expect(await transaction(async (tx) => await claimDue(tx, "p", next - 1, 5, 60_000))).toEqual([]);
        now = next;
      } else {
        expect(result).toBe("failed");
      }
    }
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 0)));
    expect(waits.slice(0, 4)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(await row(queued.outboxId)).toMatchObject({ status: "failed", attempts: MAX_SEND_ATTEMPTS, lastError: `451 try later (${MAX_SEND_ATTEMPTS})` });
  });

  it("without SMTP_URL keeps each message in the local outbox as delivered", async () => {
    const person = await makeUser();
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    const queued = await queue(person.id, "local", "test");
    const outcomes = await sendDue("local-sender");
    expect(outcomes.sent).toBe(1);
    if (queued.outcome === "queued") expect(await row(queued.outboxId)).toMatchObject({ status: "sent", transport: "local", attempts: 1 });
  });

  it("cancels, when its turn comes, a message to a person deactivated after it was queued", async () => {
    const admin = await makeUser({ role: "admin" });
    const person = await makeUser();
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    const queued = await queue(person.id, "then-deactivated", "invitation");
    await deactivatePerson(admin, { userId: person.id }, { ip: null });
    const outcomes = await sendDue("sender");
    expect(outcomes.cancelled).toBe(1);
    if (queued.outcome === "queued") expect(await row(queued.outboxId)).toMatchObject({ status: "cancelled", lastError: "The person's account was deactivated." });
  });
});

describe("digests", () => {
  it("collects a person's due items into one message once, and leaves items not yet due", async () => {
    const person = await makeUser();
    const other = await makeUser();
    await saveMailSettings(person, prefs({ mail_results: "daily", mail_pulse: "daily" }));
    await saveMailSettings(other, prefs({ mail_pulse: "weekly" }));
    const monday = Date.UTC(2027, 0, 4, 9); // Monday 09:00 UTC
    await collectDigests(monday); // what other tests left due before
    await queue(person.id, "pulse:1", "pulse", monday);
    await queue(person.id, "results:1", "results", monday + HOUR);
    await queue(other.id, "pulse:1", "pulse", monday);
    const tomorrow7 = Date.UTC(2027, 0, 5, 7);
    expect(digestDueAt("daily", monday)).toBe(tomorrow7);
    expect(await collectDigests(tomorrow7 - 1)).toBe(0);
    expect(await collectDigests(tomorrow7)).toBe(1);
    // Collecting again, from any process, sends nothing more.
    expect(await collectDigests(tomorrow7 + 60_000)).toBe(0);
    const digest = await db().select().from(mailOutbox).where(eq(mailOutbox.userId, person.id)).all();
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ kind: "daily_digest", subject: "Your daily Jamboree digest: 2 updates", status: "queued" });
    expect(digest[0]!.textBody).toContain("Body of pulse:1");
    expect(digest[0]!.textBody).toContain("Body of results:1");
    expect(JSON.parse(digest[0]!.headers)["List-Unsubscribe"]).toContain("/mail/unsubscribe?t=");
    // The weekly one waits for Monday next week.
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.userId, other.id)).all()).toEqual([]);
    expect(await collectDigests(Date.UTC(2027, 0, 11, 7))).toBe(1);
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.userId, other.id)).get()).toMatchObject({ kind: "weekly_digest" });
  });

  it("drops the items of a kind switched off before its digest went out", async () => {
    const person = await makeUser();
    await saveMailSettings(person, prefs({ mail_pulse: "daily", mail_results: "daily" }));
    const now = Date.UTC(2027, 1, 1, 12);
    await collectDigests(now); // what other tests left due before
    await queue(person.id, "p", "pulse", now);
    await queue(person.id, "r", "results", now);
    await saveMailSettings(person, prefs({ mail_pulse: "never", mail_results: "daily" }));
    expect(await collectDigests(now + 24 * HOUR)).toBe(1);
    const digest = (await db().select().from(mailOutbox).where(eq(mailOutbox.userId, person.id)).get())!;
    expect(digest.subject).toBe("Your daily Jamboree digest: 1 update");
    expect(digest.textBody).not.toContain("Body of p\n");
    const items = await db().select().from(mailDigestItems).where(eq(mailDigestItems.userId, person.id)).all();
    expect(items.find((i) => i.dedupeKey === "p")!.droppedAt).not.toBeNull();
  });
});

describe("across real processes", () => {
  type SendOutcome = { sent: number; retry: number; failed: number; cancelled: number; lost: number };

  it("three server processes sending the same outbox send each message exactly once", async () => {
    const now = Date.now() + 100 * HOUR;
    await db().update(mailOutbox).set({ status: "cancelled" }).run();
    const people = await mapInOrder(Array.from({ length: 4 }), async () => await makeUser());
    for (const person of people) for (let i = 0; i < 30; i++) await queue(person.id, `race:${i}`, "invitation", now);
    const results = await raceWorkers<SendOutcome>(
      "tests/integration/helpers/mail-worker.ts",
      ["a", "b", "c"].map((holder) => ({ job: "send", holder: `process-${holder}`, now })),
    );
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(120);
    expect(results.every((r) => r.lost === 0 && r.retry === 0)).toBe(true);
    const rows = (await db().select().from(mailOutbox).where(eq(mailOutbox.status, "sent")).all()).filter((r) => r.dedupeKey.startsWith("race:"));
    expect(rows).toHaveLength(120);
    // Claimed once each: one attempt, and nobody else's claim in between.
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  }, 30_000);

  it("three processes collecting the same digests make one message per person", async () => {
    const monday = Date.UTC(2027, 2, 1, 9);
    await collectDigests(monday);
    const people = await mapInOrder(Array.from({ length: 10 }), async () => await makeUser());
    for (const person of people) {
      await saveMailSettings(person, prefs({ mail_pulse: "daily", mail_results: "daily" }));
      await queue(person.id, "race-pulse", "pulse", monday);
      await queue(person.id, "race-results", "results", monday);
    }
    const results = await raceWorkers<{ digests: number }>(
      "tests/integration/helpers/mail-worker.ts",
      ["a", "b", "c"].map((holder) => ({ job: "digests", holder, now: monday + 24 * HOUR })),
    );
    expect(results.reduce((n, r) => n + r.digests, 0)).toBe(10);
    for (const person of people) {
      const digests = await db().select().from(mailOutbox).where(eq(mailOutbox.userId, person.id)).all();
      expect(digests).toHaveLength(1);
      expect(digests[0]!.subject).toBe("Your daily Jamboree digest: 2 updates");
    }
  }, 30_000);
});
