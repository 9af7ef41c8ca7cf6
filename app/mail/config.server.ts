/**
 * Mail settings from the environment, read when used (tests change them per run):
 *
 * - `SMTP_URL`: where mail goes (`smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's URL
 *   options such as `?ignoreTLS=true` work). Unset: every message stays in the local outbox, which
 *   an admin reads at /admin/mail.
 * - `MAIL_FROM`: the sender, `Name <address>`. Default `Jamboree <no-reply@HOST>`, HOST being
 *   PUBLIC_URL's host name.
 * - `PUBLIC_URL`: the address people reach the app at, for links in mail (`https://jams.example.com`).
 *   Default `http://localhost:PORT`. Never taken from a request: a link built from a request's Host
 *   header would let anyone who asks for a password reset for someone else choose where its link
 *   points.
 */
import { randomBytes } from "node:crypto";

export function smtpUrl(): string | null {
  const url = process.env.SMTP_URL?.trim();
  return url ? url : null;
}

/** The app's public address, without a trailing slash. */
export function publicUrl(): string {
  const configured = process.env.PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return `http://localhost:${process.env.PORT ?? 3000}`;
}

/** An absolute link to `path` (which starts with "/") on the app's public address. */
export function absoluteUrl(path: string): string {
  return `${publicUrl()}${path}`;
}

function publicHost(): string {
  try {
    return new URL(publicUrl()).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

/** The From header. */
export function mailFrom(): string {
  const configured = process.env.MAIL_FROM?.trim();
  return configured ? configured : `Jamboree <no-reply@${publicHost()}>`;
}

/** The domain of the sender's address (for Message-IDs). */
export function senderDomain(): string {
  const from = mailFrom();
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split("@")[1]?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : publicHost();
}

/** A new Message-ID, unique for ever: `<32 hex digits.jamboree@domain>`. */
export function newMessageId(): string {
  return `<${randomBytes(16).toString("hex")}.jamboree@${senderDomain()}>`;
}
