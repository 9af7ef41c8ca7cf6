/**
 * The admin's company settings page (/admin/settings): what the environment configures, read as it
 * is now and never showing a secret, and the settings an admin changes in the app. One function per
 * section, so each part of the page stands on its own.
 */
import { count } from "drizzle-orm";
import { mailFrom, publicUrl, smtpUrl } from "~/mail/config.server";
import { mailTransportSummary } from "~/services/lookups/mail.server";
import type { SessionUser } from "~/auth/session.server";
import { signOnStatus, SIGN_ON_CALLBACK_PATH } from "~/auth/sign-on.server";
import { db, type Db } from "~db/client";
import { signOnIdentities } from "~db/schema";
import { getSetting } from "~/services/lookups/settings.server";
import { hasCompanyAccount, passwordsOffBlocker, peopleWithoutCompanyAccount } from "~/services/lookups/sign-on.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { ADMINS_ONLY, retentionPreview, retentionSettings } from "~/services/lookups/retention.server";

/** Sign-on as the environment sets it: never the client secret, only that it is set. */
export async function signOnSection(conn: Db, origin: string) {
  const status = signOnStatus();
  const callbackUrl = new URL(SIGN_ON_CALLBACK_PATH, origin).href;
  if (status.state !== "on") return { state: status.state, problem: status.state === "invalid" ? status.problem : null, callbackUrl };
  const { issuer, clientId, allowedTenants, departmentClaim } = status.settings;
  return {
    state: status.state,
    problem: null,
    callbackUrl,
    // As the operator wrote it (a URL object would add a trailing slash).
    issuer: process.env.OIDC_ISSUER?.trim() ?? issuer.href,
    clientId,
    allowedTenants,
    departmentClaim,
    connectedAccounts: (await conn.select({ n: count() }).from(signOnIdentities).get())?.n ?? 0,
  };
}

/** The password toggle: its value, and whether (and why not) it may be turned off now. */
export async function passwordSection(conn: Db, actor: SessionUser) {
  const enabled = await getSetting(conn, "passwordSignIn");
  const signOnOn = signOnStatus().state === "on";
  const connected = await hasCompanyAccount(conn, actor.id);
  return {
    enabled,
    /** Passwords work when on, and whenever sign-on is not set up (so nobody is locked out). */
    inEffect: enabled || !signOnOn,
    blocker: passwordsOffBlocker(signOnOn, connected),
    peopleWithoutCompanyAccount: await peopleWithoutCompanyAccount(conn),
  };
}

/** Directory sync (SCIM): whether its token is set, and the endpoint to give the directory. */
export function directorySyncSection(origin: string) {
  return { tokenSet: Boolean(process.env.SCIM_TOKEN?.trim()), endpoint: new URL("/scim/v2", origin).href };
}

/** Mail: the SMTP server's host only (the URL may hold a password), else the local outbox; the sender. */
export function mailSection() {
  const raw = smtpUrl();
  let smtpHost: string | null = null;
  let smtpProblem: string | null = null;
  if (raw) {
    try {
      smtpHost = new URL(raw).hostname || null;
      if (!smtpHost) smtpProblem = "SMTP_URL has no host.";
    } catch {
      smtpProblem = "SMTP_URL is not an address (it should look like smtp://user:password@mail.example.com:587).";
    }
  }
  return {
    smtpSet: raw !== null,
    smtpHost,
    smtpProblem,
    from: mailFrom(),
    fromSet: Boolean(process.env.MAIL_FROM?.trim()),
    publicUrl: publicUrl(),
    publicUrlSet: Boolean(process.env.PUBLIC_URL?.trim()),
    transport: mailTransportSummary(),
  };
}

/** Everything /admin/settings shows; `origin` is this site's, for the addresses to register elsewhere. */
export async function companySettingsPage(actor: SessionUser, origin: string) {
  requireCapability(actor, "administerPeople");
  return {
    signOn: await signOnSection(db(), origin),
    passwords: await passwordSection(db(), actor),
    directorySync: directorySyncSection(origin),
    mail: mailSection(),
    retention: await retentionSection(actor),
  };
}

/** The retention section of /admin/settings: the settings and what they would delete now. */
export async function retentionSection(actor: SessionUser, now = Date.now()) {
  requireCapability(actor, "administerPeople", ADMINS_ONLY);
  const conn = db();
  const settings = await retentionSettings(conn);
  return { settings, preview: await retentionPreview(conn, settings, now) };
}
