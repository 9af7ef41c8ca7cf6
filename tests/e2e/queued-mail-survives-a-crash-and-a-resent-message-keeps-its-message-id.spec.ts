import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { once } from "node:events";
import { startServer, stopServer } from "./fixtures";
import { mailTestSetup } from "./mail-server";
import { startSmtpPeer } from "./smtp-peer";

/**
 * Durability of the outbox: messages are queued, the server is killed with SIGKILL while it is
 * sending them (the SMTP peer holds its answers back, so some messages have arrived but were not
 * acknowledged), and started again: every message arrives, none is lost, and a message sent again
 * after the crash carries the same Message-ID as its first copy. The peer may see a message twice;
 * counted by Message-ID, it sees exactly the messages queued.
 */
test("queued mail survives a SIGKILL mid-send: every message arrives, and one resent after the crash keeps its Message-ID", async ({}, testInfo) => {
  // Two server starts and a kill: background work, not a page, takes the time.
  test.setTimeout(60_000);
  const setup = await mailTestSetup(testInfo, "crash");
  const { people } = await setup.people("Ari", "Bo", "Cai", "Dev", "Eli", "Fay");
  const PER_PERSON = 6;
  for (const person of people) {
    expect(await setup.queue(person.email, "invitation", PER_PERSON, `crash-${person.name}`)).toHaveLength(PER_PERSON);
  }
  const total = people.length * PER_PERSON;
  const peer = await startSmtpPeer(setup.smtpPort, { delayMs: 400 });
  const distinct = () => new Set(peer.received.map((m) => m.messageId)).size;
  let server = await startServer(setup.appPort, setup.settings(peer.url));
  try {
    // Wait until the sender is mid-way: some messages in, and some received in full but not yet answered.
    const deadline = Date.now() + 20_000;
    while (!(peer.received.length >= 10 && peer.unanswered.size > 0)) {
      if (Date.now() > deadline) throw new Error(`the sender never got mid-way (${peer.received.length} received)`);
      await new Promise((r) => setTimeout(r, 5));
    }
    // In the same turn as the check: these arrived, and the app has not heard that they did.
    const unansweredAtKill = [...peer.unanswered];
    server.kill("SIGKILL");
    await once(server, "exit");
    expect(server.signalCode).toBe("SIGKILL");
    const beforeKill = distinct();
    testInfo.annotations.push({ type: "at the kill", description: `${beforeKill} of ${total} arrived, ${unansweredAtKill.length} not yet answered` });
    expect(beforeKill, "the kill came mid-send").toBeLessThan(total);

    server = await startServer(setup.appPort, setup.settings(peer.url));
    await expect.poll(distinct, { timeout: 20_000, message: "every queued message arrives" }).toBe(total);

    // What the server's outbox says, read from its database (a SQLite file, or PostgreSQL in that run).
    const check = setup.database.conn();
    const statuses = async () => await check.all(sql`SELECT status, count(*) AS n FROM mail_outbox GROUP BY status`);
    await expect.poll(statuses, { timeout: 10_000 }).toEqual([{ status: "sent", n: total }]);
    const rows = await check.all<{ messageId: string; attempts: number }>(sql`SELECT message_id AS messageId, attempts FROM mail_outbox`);
    const queuedIds = new Set(rows.map((r) => r.messageId));
    // Nothing lost, nothing that was never queued, and every copy carries a queued message's Message-ID.
    expect(new Set(peer.received.map((m) => m.messageId))).toEqual(queuedIds);
    for (const id of unansweredAtKill) {
      // Received before the kill, not acknowledged, so sent again after it: with the same Message-ID.
      expect(peer.received.filter((m) => m.messageId === id).length, `copies of ${id}`).toBeGreaterThanOrEqual(2);
      expect(rows.find((r) => r.messageId === id)!.attempts).toBeGreaterThanOrEqual(2);
    }
    expect(unansweredAtKill.length).toBeGreaterThan(0);
    // Both copies of a resent message are the same message.
    const first = peer.received.find((m) => m.messageId === unansweredAtKill[0]);
    const again = peer.received.filter((m) => m.messageId === unansweredAtKill[0]).at(-1);
    expect({ to: again!.to, subject: again!.subject, text: again!.text }).toEqual({ to: first!.to, subject: first!.subject, text: first!.text });
  } finally {
    await stopServer(server);
    await peer.close();
    await setup.cleanUp();
  }
});
