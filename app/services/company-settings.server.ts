/**
 * The admin's company settings page (/admin/settings): what the environment configures, read as it
 * is now and never showing a secret, and the settings an admin changes in the app. One function per
 * section, so each part of the page stands on its own.
 */
import { count } from "drizzle-orm";
import { z } from "zod";
import { mailFrom, publicUrl, smtpUrl } from "~/mail/config.server";
import { mailTransportSummary } from "./mail-admin.server";
import type { SessionUser } from "~/auth/session.server";
import { signOnStatus, SIGN_ON_CALLBACK_PATH } from "~/auth/sign-on.server";
import { db, transaction, type Db } from "~db/client";
import { signOnIdentities } from "~db/schema";
import { Invalid, validate } from "./errors";
import { getSetting, writeSetting } from "./settings.server";
import { hasCompanyAccount, peopleWithoutCompanyAccount } from "./sign-on.server";
import { requireCapability } from "./lookups/guards.server";

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

function passwordsOffBlocker(signOnOn: boolean, actorConnected: boolean): string | null {
  if (!signOnOn) return "Set up sign-on first: with passwords off and no company sign-on, nobody could sign in.";
  if (!actorConnected) return "Connect your own company account first (My activity → Sign-ins), so that you can still sign in.";
  return null;
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
  };
}

export const PasswordSignInInput = z.object({
  passwordSignIn: z.enum(["on", "off"], { error: "Choose whether passwords sign in." }),
});

/**
 * Turns password sign-in on or off. Off only when sign-on works and the admin has connected their
 * own company account: otherwise nobody (or not they) could sign in afterwards. Audited by setSetting.
 */
export async function setPasswordSignIn(actor: SessionUser, input: unknown, now = Date.now()): Promise<{ enabled: boolean }> {
  requireCapability(actor, "administerPeople");
  const { passwordSignIn } = validate(PasswordSignInInput, input);
  const enabled = passwordSignIn === "on";
  await transaction(async (tx) => {
    if (!enabled) {
      const blocker = passwordsOffBlocker(signOnStatus().state === "on", await hasCompanyAccount(tx, actor.id));
      if (blocker) throw new Invalid({ form: [blocker] });
    }
    if (await getSetting(tx, "passwordSignIn") !== enabled) await writeSetting(tx, "passwordSignIn", enabled, actor.id, now);
  });
  return { enabled };
}
