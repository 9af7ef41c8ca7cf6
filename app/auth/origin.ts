/**
 * Same-origin check for state-changing requests (CSRF protection).
 * Browsers send Sec-Fetch-Site on every request; older ones send Origin on
 * non-GET requests. A state change that carries neither is refused too: nothing
 * shows where it comes from. Clients that cannot send either (very old browsers,
 * scripts) pass only where the ALLOW_POSTS_WITHOUT_ORIGIN setting says so.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one state change accepted from anywhere: the one-click unsubscribe of a message's link
 * (RFC 8058). Mail clients post it from their own servers, with neither header; the signed token
 * in its address is what makes it the person's (no session or cookie is used), so another site
 * gains nothing by posting it. Only this exact path: not its `.data` twin that the app's own pages use.
 */
export const ONE_CLICK_UNSUBSCRIBE_PATH = "/mail/unsubscribe";

export interface OriginHeaders {
  method: string;
  /** The request's path, without its query string. */
  path?: string;
  host: string | undefined;
  secFetchSite: string | undefined;
  origin: string | undefined;
}

/** Why a request may not change anything: it comes from another site, or says nothing of where it comes from. */
export type OriginRefusal = "cross-site" | "no-origin";

export function originRefusal(req: OriginHeaders, options: { allowWithoutOrigin: boolean }): OriginRefusal | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  if (req.method.toUpperCase() === "POST" && req.path === ONE_CLICK_UNSUBSCRIBE_PATH) return null;
  if (req.secFetchSite) {
    return req.secFetchSite === "same-origin" || req.secFetchSite === "none" ? null : "cross-site";
  }
  if (req.origin) {
    if (req.origin === "null") return "cross-site";
    try {
      return new URL(req.origin).host === req.host ? null : "cross-site";
    } catch {
      return "cross-site";
    }
  }
  return options.allowWithoutOrigin ? null : "no-origin";
}
