import { redirect } from "@remix-run/node";
import { readSessionToken, validateSessionToken, type SessionUser } from "./session.server";

/** The session of each request, looked up once however many loaders ask (root + route). */
const seen = new WeakMap<Request, SessionUser | null>();

export function getUser(request: Request): SessionUser | null {
  if (seen.has(request)) return seen.get(request)!;
  const token = readSessionToken(request);
  const user = token ? validateSessionToken(token) : null;
  seen.set(request, user);
  return user;
}

/** The signed-in person, or a redirect to sign in that comes back here. */
export function requireUser(request: Request): SessionUser {
  const user = getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** Only local paths, so a crafted link cannot send someone off-site after sign-in. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/jams"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
