/**
 * OpenID Connect with the company's provider, through openid-client 6: discovery, the authorization
 * code flow with PKCE (S256), state and nonce, and the checks of the ID token (signature, issuer,
 * audience, expiry, nonce) that `authorizationCodeGrant` makes. Nothing here reads or writes the
 * database: app/services/commands/sign-on.server.ts keeps the attempt and decides who signs in.
 */
import * as client from "openid-client";
import type { Claims } from "~/domain/sign-on";
import { isLocalHttpIssuer } from "~/domain/sign-on";
import type { SignOnSettings } from "./sign-on.server";

/** What the provider's discovery gives, kept per process for a while. */
const DISCOVERY_FRESH_MS = 60 * 60 * 1000;
/** Seconds any request to the provider may take. */
const TIMEOUT_SECONDS = 10;
const SCOPE = "openid profile email";

let cached: { key: string; config: client.Configuration; at: number } | null = null;
let pending: { key: string; promise: Promise<client.Configuration> } | null = null;

function cacheKey(settings: SignOnSettings) {
  return JSON.stringify([settings.issuer.href, settings.clientId, settings.clientSecret]);
}

/**
 * The provider's configuration, discovered once per process and kept for an hour. A failed
 * discovery is not kept: if the provider was down when the first person tried, the next attempt
 * discovers again (and an hour-old configuration keeps serving while rediscovery fails). Plain http is allowed only for a provider on this machine (tests).
 */
export async function providerConfiguration(settings: SignOnSettings, now = Date.now()): Promise<client.Configuration> {
  const key = cacheKey(settings);
  if (cached && cached.key === key && now - cached.at < DISCOVERY_FRESH_MS) return cached.config;
  if (pending && pending.key === key) return pending.promise;
  const promise: Promise<client.Configuration> = client.discovery(
    settings.issuer,
    settings.clientId,
    undefined,
    // Basic is the method every provider must support (RFC 6749 2.3.1).
    client.ClientSecretBasic(settings.clientSecret),
    {
      execute: isLocalHttpIssuer(settings.issuer) ? [client.allowInsecureRequests] : [],
      timeout: TIMEOUT_SECONDS,
    },
  );
  pending = { key, promise };
  try {
    const config = await promise;
    cached = { key, config, at: now };
    return config;
  } catch (error) {
    // Rediscovering failed: what was discovered before still serves until the provider answers again.
    if (cached && cached.key === key) return cached.config;
    throw error;
  } finally {
    if (pending?.promise === promise) pending = null;
  }
}

/** Forgets the discovered configuration (tests, and after the provider's keys or endpoints moved). */
export function forgetProviderConfiguration() {
  cached = null;
  pending = null;
}

export interface AuthorizationSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider's authorization address for a new attempt, and the secrets the answer must match. */
export async function authorizationRequest(settings: SignOnSettings, redirectUri: string): Promise<{ url: URL; secrets: AuthorizationSecrets }> {
  const config = await providerConfiguration(settings);
  const codeVerifier = client.randomPKCECodeVerifier();
  const secrets = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state: secrets.state,
    nonce: secrets.nonce,
  });
  return { url, secrets };
}

/**
 * Exchanges the code the provider sent back (`callback`: the callback address with the provider's
 * query) for tokens, checking state, nonce and PKCE, and returns the ID token's claims, completed by
 * the userinfo answer when the provider has one (its `sub` must be the ID token's).
 */
export async function redeemAuthorizationCode(settings: SignOnSettings, callback: URL, secrets: AuthorizationSecrets): Promise<Claims> {
  const config = await providerConfiguration(settings);
  const tokens = await client.authorizationCodeGrant(config, callback, {
    expectedState: secrets.state,
    expectedNonce: secrets.nonce,
    pkceCodeVerifier: secrets.codeVerifier,
    idTokenExpected: true,
  });
  const idToken = tokens.claims();
  // idTokenExpected: authorizationCodeGrant has already refused an answer without one.
  if (!idToken) throw new Error("the provider sent no ID token");
  let userinfo: Record<string, unknown> = {};
  if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
  }
  // The ID token's own claims win where both speak: they are the ones the key and the tenant come from.
  return { ...userinfo, ...idToken } as Claims;
}

/** Why the provider's answer was refused, as a refusal code of app/domain/sign-on.ts. */
export function refusalOf(error: unknown): "declined" | "provider_error" | "unavailable" | "invalid_response" {
  if (error instanceof client.AuthorizationResponseError) return error.error === "access_denied" ? "declined" : "provider_error";
  if (error instanceof client.ResponseBodyError) return "provider_error";
  if (error instanceof client.ClientError && error.code === "OAUTH_TIMEOUT") return "unavailable";
  // fetch's own failure (connection refused, DNS): the provider could not be reached.
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return "unavailable";
  return "invalid_response";
}
