/**
 * A real SMTP server on localhost for the mail tests (smtp-server, no TLS, no authentication),
 * which parses every message it accepts with mailparser. `delayMs` holds each message's answer
 * back after it arrived in full, so a test can stop the app while messages are received but not
 * yet acknowledged.
 */
import { expect } from "@playwright/test";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface Received {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string | false;
  /** Header lines as they arrived, unfolded, by lower-case name. */
  header: (name: string) => string | undefined;
  at: number;
}

function toReceived(mail: ParsedMail): Received {
  const lines = new Map(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim()]));
  const to = mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address).join(", ") : "";
  return { messageId: mail.messageId ?? "", to, subject: mail.subject ?? "", text: mail.text ?? "", html: mail.html ?? false, header: (name) => lines.get(name.toLowerCase()), at: Date.now() };
}

export async function startSmtpPeer(port: number, options: { delayMs?: number } = {}) {
  const received: Received[] = [];
  /** Message-IDs received in full whose answer is being held back. */
  const unanswered = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const message = toReceived(mail);
          received.push(message);
          if (!options.delayMs) return callback();
          unanswered.add(message.messageId);
          setTimeout(() => {
            unanswered.delete(message.messageId);
            callback();
          }, options.delayMs);
        },
        // The sender went away mid-message: nothing was received.
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    received,
    unanswered,
    /** The first message to `to` whose subject matches, once it has arrived. */
    async waitFor(to: string, subject: RegExp, timeout = 10_000): Promise<Received> {
      await expect.poll(() => received.some((m) => m.to === to && subject.test(m.subject)), { timeout, message: `a mail “${subject}” to ${to}` }).toBe(true);
      return received.find((m) => m.to === to && subject.test(m.subject))!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
