/**
 * Sign-on settings as the environment gives them, and the short-lived cookie that ties a browser to
 * the sign-on attempt it started (the attempt itself is in the database: app/services/commands/sign-on.server.ts).
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { DEFAULT_DEPARTMENT_CLAIM, isLocalHttpIssuer, parseAllowedTenants, SIGN_ON_ATTEMPT_MS } from "~/domain/sign-on";
import { generateSessionToken, isHttps, readCookie } from "./session.server";

export interface SignOnSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Tenant ids (`tid`) allowed to sign in; null: any. */
  allowedTenants: string[] | null;
  /** The claim that names a person's department. */
  departmentClaim: string;
}

export type SignOnStatus =
  | { state: "off" }
  /** Some of the variables are set but not all, or the issuer is not an address sign-on may use. */
  | { state: "invalid"; problem: string }
  | { state: "on"; settings: SignOnSettings };

const value = (env: NodeJS.ProcessEnv, name: string) => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/**
 * Sign-on is on when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set and the issuer
 * is an https address (plain http only for a provider on this machine, as the tests run one).
 */
export function signOnStatus(env: NodeJS.ProcessEnv = process.env): SignOnStatus {
  const issuer = value(env, "OIDC_ISSUER");
  const clientId = value(env, "OIDC_CLIENT_ID");
  const clientSecret = value(env, "OIDC_CLIENT_SECRET");
  if (!issuer && !clientId && !clientSecret) return { state: "off" };
  const missing = [
    ["OIDC_ISSUER", issuer],
    ["OIDC_CLIENT_ID", clientId],
    ["OIDC_CLIENT_SECRET", clientSecret],
  ]
    .filter(([, v]) => !v)
    .map(([name]) => name);
  if (missing.length > 0) return { state: "invalid", problem: `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set.` };
  let url: URL;
  try {
    url = new URL(issuer!);
  } catch {
    return { state: "invalid", problem: "OIDC_ISSUER is not an address (it should look like https://login.example.com/...)." };
  }
  if (url.protocol !== "https:" && !isLocalHttpIssuer(url)) {
    return { state: "invalid", problem: "OIDC_ISSUER must be an https address." };
  }
  if (url.search || url.hash) return { state: "invalid", problem: "OIDC_ISSUER must not have a query or a fragment." };
  return {
    state: "on",
    settings: {
      issuer: url,
      clientId: clientId!,
      clientSecret: clientSecret!,
      allowedTenants: parseAllowedTenants(env.OIDC_ALLOWED_TENANTS),
      departmentClaim: value(env, "OIDC_DEPARTMENT_CLAIM") ?? DEFAULT_DEPARTMENT_CLAIM,
    },
  };
}

/** The settings when sign-on is on, else null. */
export function signOnSettings(env: NodeJS.ProcessEnv = process.env): SignOnSettings | null {
  const status = signOnStatus(env);
  return status.state === "on" ? status.settings : null;
}

/** Where the provider sends people back: the address to register with it. */
export const SIGN_ON_CALLBACK_PATH = "/auth/oidc/callback";

export function callbackUrl(request: Request): string {
  return new URL(SIGN_ON_CALLBACK_PATH, new URL(request.url).origin).href;
}

/** The attempt cookie: `__Host-` over HTTPS, as the session cookie. */
const ATTEMPT_COOKIE = "jamboree_sign_on";

function attemptCookieName(request: Request) {
  return isHttps(request) ? `__Host-${ATTEMPT_COOKIE}` : ATTEMPT_COOKIE;
}

function attributes(request: Request, maxAgeSeconds: number) {
  // Lax: the provider sends the browser back with a top-level GET from its own site, which Lax lets through.
  return ["HttpOnly", "SameSite=Lax", "Path=/", `Max-Age=${maxAgeSeconds}`, ...(isHttps(request) ? ["Secure"] : [])];
}

/** A new random token for an attempt (160 bits); the database keeps only its hash. */
export function newAttemptToken(): string {
  return generateSessionToken();
}

export function attemptIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function attemptCookie(request: Request, token: string): string {
  return [`${attemptCookieName(request)}=${token}`, ...attributes(request, Math.floor(SIGN_ON_ATTEMPT_MS / 1000))].join("; ");
}

export function clearedAttemptCookie(request: Request): string {
  return [`${attemptCookieName(request)}=`, ...attributes(request, 0)].join("; ");
}

export function readAttemptToken(request: Request): string | null {
  const token = readCookie(request, attemptCookieName(request));
  return token !== null && /^[a-z2-7]{32}$/.test(token) ? token : null;
}
