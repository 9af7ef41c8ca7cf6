/**
 * The sender: runs in every server process, in the background (never inside a request). Each
 * round it frees the claims of processes on this machine that died, collects digests that are
 * due, then claims due messages a few at a time (app/mail/outbox.server.ts, claimDue) and sends
 * them with nodemailer to SMTP_URL, or, without SMTP_URL, keeps them in the local outbox as
 * delivered. A queued message wakes the sender of its process at once (after its commit); the
 * others look twice a second (a read on an index; the write lock only when something is due).
 */
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import { PROCESS_ID } from "~/coordination/shared.server";
import { db, transaction } from "~db/client";
import { mailFrom, smtpUrl } from "./config.server";
import { collectDigests } from "./digests.server";
import {
  anyDue,
  claimDue,
  markCancelled,
  markFailed,
  markSent,
  reasonToCancel,
  releaseClaimsOfDeadProcesses,
  whenMailQueued,
  type ClaimedMessage,
} from "./outbox.server";

/** How many messages one process sends at once (SMTP connections in its pool). */
export const SEND_CONCURRENCY = 5;
/**
 * How long a claim lasts. Longer than one message can take (connection 20 s, greeting 15 s, each
 * reply 30 s), so a live sender never loses its claim; a dead one's messages wait at most this.
 */
export const CLAIM_MS = 2 * 60_000;
/** How often an idle process looks for due messages (one indexed read). */
const POLL_MS = 500;
const DIGESTS_EVERY_MS = 30_000;
const RELEASE_EVERY_MS = 5_000;

let transport: { url: string; mailer: Transporter } | null = null;

function smtpTransport(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.mailer.close();
    transport = {
      url,
      mailer: nodemailer.createTransport({
        url,
        pool: true,
        maxConnections: SEND_CONCURRENCY,
        connectionTimeout: 20_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      } as SMTPPool.Options),
    };
  }
  return transport.mailer;
}

/** Closes this process's SMTP connections (tests; shutdown). */
export function closeMailTransport() {
  transport?.mailer.close();
  transport = null;
}

/** An SMTP reply code that says the message will never be accepted (5xx): no point trying again. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const e = error as { message?: string; response?: string; code?: string };
  return (e.response ?? e.message ?? String(error)).slice(0, 1000);
}

/** Sends one claimed message (or keeps it locally); settles its row. */
async function deliver(message: ClaimedMessage, holder: string): Promise<"sent" | "retry" | "failed" | "cancelled" | "lost"> {
  const cancel = await reasonToCancel(db(), message);
  if (cancel) return await transaction(async (tx) => (await markCancelled(tx, message.id, holder, cancel) ? "cancelled" : "lost"));
  const url = smtpUrl();
  if (!url) return await transaction(async (tx) => (await markSent(tx, message.id, holder, "local", Date.now()) ? "sent" : "lost"));
  try {
    await smtpTransport(url).sendMail({
      from: mailFrom(),
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody ?? undefined,
      messageId: message.messageId,
      headers: message.headers,
    });
  } catch (error) {
    return await transaction(async (tx) => await markFailed(tx, message, holder, describe(error), Date.now(), { permanent: isPermanent(error) }));
  }
  return await transaction(async (tx) => (await markSent(tx, message.id, holder, "smtp", Date.now()) ? "sent" : "lost"));
}

/**
 * Sends every message due now, a batch of SEND_CONCURRENCY at a time, as `holder`. Returns how
 * each ended. Tests call it with holders of their own to act as several processes.
 */
export async function sendDue(holder: string = PROCESS_ID, now: () => number = Date.now) {
  const outcomes = { sent: 0, retry: 0, failed: 0, cancelled: 0, lost: 0 };
  for (;;) {
    // Looking is a read; only a sender with something to claim takes the write lock.
    if (!await anyDue(db(), now())) return outcomes;
    const batch = await transaction(async (tx) => await claimDue(tx, holder, now(), SEND_CONCURRENCY, CLAIM_MS));
    if (batch.length === 0) return outcomes;
    for (const outcome of await Promise.all(batch.map((m) => deliver(m, holder)))) outcomes[outcome] += 1;
  }
}

let running = false;
let again = false;
let lastDigests = 0;
let lastRelease = 0;

/** One round of the background loop; a round asked for while one runs follows it. */
export async function senderRound(now = Date.now()) {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      if (now - lastRelease >= RELEASE_EVERY_MS) {
        lastRelease = now;
        await releaseClaimsOfDeadProcesses(db(), now); // a read; a write only for a dead holder
      }
      if (now - lastDigests >= DIGESTS_EVERY_MS) {
        lastDigests = now;
        await collectDigests(now);
      }
      await sendDue();
      now = Date.now();
    } while (again);
  } catch (error) {
    console.error("mail sender round failed", error);
  } finally {
    running = false;
  }
}

/** Starts the sender in this process (once; kept across development reloads). */
export function startMailSender() {
  const holder = globalThis as unknown as { __jamboreeMail?: ReturnType<typeof setInterval> };
  if (holder.__jamboreeMail) return;
  // One wake-up however many messages a commit queued (an invitation to a whole company).
  let woken = false;
  whenMailQueued(() => {
    if (woken) return;
    woken = true;
    setImmediate(() => {
      woken = false;
      void senderRound();
    });
  });
  holder.__jamboreeMail = setInterval(() => void senderRound(), POLL_MS);
  holder.__jamboreeMail.unref();
  void senderRound();
}
