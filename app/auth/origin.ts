/**
 * Same-origin check for state-changing requests (CSRF protection).
 * Browsers send Sec-Fetch-Site on every request; older ones send Origin on
 * non-GET requests. A request that carries neither is not from a browser form
 * (curl, server-to-server) and cannot ride a victim's cookies, so it passes.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginHeaders {
  method: string;
  host: string | undefined;
  secFetchSite: string | undefined;
  origin: string | undefined;
}

export function isCrossSiteStateChange(req: OriginHeaders): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (req.secFetchSite) {
    return req.secFetchSite !== "same-origin" && req.secFetchSite !== "none";
  }
  if (req.origin) {
    if (req.origin === "null") return true;
    try {
      return new URL(req.origin).host !== req.host;
    } catch {
      return true;
    }
  }
  return false;
}
