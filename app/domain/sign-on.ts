/**
 * Sign-on with the company's OpenID Connect provider: the pure rules. Which account a provider's
 * answer is (its key), whether its organisation is allowed, what a new or returning person's name,
 * e-mail and department are, and what a refused person reads. No I/O here; the flow itself is
 * app/auth/oidc.server.ts and app/services/commands/sign-on.server.ts (docs/decisions/014).
 */
import { LIMITS } from "./limits";
import { textRefusal } from "./text";

/** The validated claims of an ID token (and of the provider's userinfo answer), as the provider sent them. */
export type Claims = Record<string, unknown> & { iss: string; sub: string };

/** Which sign-on account this is: unique per (issuer, subject); never an e-mail address. */
export interface IdentityKey {
  issuer: string;
  subject: string;
}

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

/**
 * The account's key. `sub` under the issuer, except on Entra ID: when both `tid` (the tenant) and
 * `oid` (the person's object id in it) are present the subject is `<tid>:<oid>`, because Entra's
 * `sub` differs for every app registration while the object id stays the person's.
 */
export function identityKey(claims: Claims): IdentityKey {
  const { iss, sub, tid, oid } = claims;
  if (nonEmpty(tid) && nonEmpty(oid)) return { issuer: iss, subject: `${tid.trim().toLowerCase()}:${oid.trim().toLowerCase()}` };
  return { issuer: iss, subject: sub };
}

/**
 * The ids the company directory may know the person by, to find someone it provisioned (SCIM's
 * `externalId`) on their first sign-on: Entra ID's object id (`oid`, when the provisioning maps
 * objectId to externalId) and the subject (`sub`: Okta's user id, which Okta's provisioning sends
 * as externalId). Never the e-mail.
 */
export function directoryIds(claims: Claims): string[] {
  const ids = new Set<string>();
  for (const value of [claims.oid, claims.sub]) {
    if (!nonEmpty(value)) continue;
    // As sent, and in both cases: directories write GUIDs either way.
    ids.add(value.trim());
    ids.add(value.trim().toLowerCase());
    ids.add(value.trim().toUpperCase());
  }
  return [...ids];
}

/** `OIDC_ALLOWED_TENANTS` (comma-separated tenant ids) as a list, or null when any tenant is allowed. */
export function parseAllowedTenants(value: string | undefined | null): string[] | null {
  const tenants = (value ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== "");
  return tenants.length > 0 ? [...new Set(tenants)] : null;
}

/** Whether the account's organisation may sign in: any, or its `tid` is one of the allowed (no `tid`: refused). */
export function tenantAllowed(claims: Claims, allowed: readonly string[] | null): boolean {
  if (allowed === null) return true;
  return nonEmpty(claims.tid) && allowed.includes(claims.tid.trim().toLowerCase());
}

/** The department claim's name when OIDC_DEPARTMENT_CLAIM is not set. */
export const DEFAULT_DEPARTMENT_CLAIM = "department";
const DEPARTMENT_MAX = 80;
const EMAIL_MAX = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A one-line text claim fit to show, cut to `max` characters; null when absent or unreadable (control or direction characters). */
function textClaim(value: unknown, max: number): string | null {
  const first = Array.isArray(value) ? value.find((v) => typeof v === "string") : value;
  if (typeof first !== "string") return null;
  const text = first.trim().replace(/\s+/g, " ");
  if (text === "" || textRefusal(text) !== null) return null;
  return [...text].slice(0, max).join("").trim();
}

function emailClaim(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const address = value.trim().toLowerCase();
  return address.length <= EMAIL_MAX && EMAIL.test(address) && textRefusal(address) === null ? address : null;
}

/** What a sign-in says about the person. Any of it may be missing. */
export interface SignOnProfile {
  name: string | null;
  email: string | null;
  department: string | null;
}

/**
 * Name from `name` (else `given_name` and `family_name`), e-mail from `email` (else an e-mail-shaped
 * `preferred_username`, as Entra ID gives for accounts without a mailbox), department from the
 * claim named `departmentClaim` (a string, or the first string of a list).
 */
export function profileFromClaims(claims: Record<string, unknown>, departmentClaim: string = DEFAULT_DEPARTMENT_CLAIM): SignOnProfile {
  const given = textClaim(claims.given_name, LIMITS.personName);
  const family = textClaim(claims.family_name, LIMITS.personName);
  const name =
    textClaim(claims.name, LIMITS.personName) ??
    (given || family ? [...[given, family].filter(Boolean).join(" ")].slice(0, LIMITS.personName).join("") : null);
  return {
    name,
    email: emailClaim(claims.email) ?? emailClaim(claims.preferred_username),
    department: textClaim(claims[departmentClaim], DEPARTMENT_MAX),
  };
}

/** The name a new person gets when the provider gives none: the e-mail's local part. */
export function fallbackName(email: string): string {
  return email.split("@")[0]!.slice(0, LIMITS.personName);
}

/** Why a sign-on did not sign anybody in; the sign-in page shows the message of its code (never text from the request). */
export const SIGN_ON_REFUSALS = {
  not_configured: "Signing in with a company account is not set up here.",
  unavailable: "Your company’s sign-in service could not be reached. Try again in a moment.",
  no_attempt: "That sign-in was already used, or was started in another browser. Start again here.",
  expired: "That sign-in took longer than ten minutes. Start again.",
  state_mismatch: "The answer from your company’s sign-in did not belong to the sign-in started here, so it was refused. Start again.",
  declined: "Your company’s sign-in was cancelled, so you are not signed in.",
  provider_error: "Your company’s sign-in did not complete. Try again, or ask your IT team.",
  invalid_response: "The answer from your company’s sign-in could not be verified, so it was refused. Try again, or ask your IT team.",
  tenant: "Your company account belongs to an organisation that may not sign in here.",
  no_email: "Your company account gave no e-mail address, and a new account here needs one. Ask your IT team to share the e-mail claim.",
  email_taken:
    "An account here already has your e-mail address and signs in with a password. Accounts are never joined by e-mail alone: sign in with your password, then connect your company account under My activity → Sign-ins.",
  email_taken_passwords_off:
    "An account here already has your e-mail address but is not connected to your company account, and password sign-in is turned off. Ask an admin for help.",
  deactivated: "This account has been deactivated. Ask an admin if you need it again.",
  erased: "This account was erased and cannot be signed in to.",
  identity_taken: "That company account is already connected to another person here.",
  connect_signed_out: "You were signed out (or signed in as someone else) before connecting finished. Sign in and try again.",
} as const;

export type SignOnRefusal = keyof typeof SIGN_ON_REFUSALS;

export function isSignOnRefusal(code: unknown): code is SignOnRefusal {
  return typeof code === "string" && Object.hasOwn(SIGN_ON_REFUSALS, code);
}

/** How long a started sign-on may take before it expires. */
export const SIGN_ON_ATTEMPT_MS = 10 * 60 * 1000;

/** Whether `issuer` may be fetched over plain http: only a provider on this machine (tests), never otherwise. */
export function isLocalHttpIssuer(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
}
