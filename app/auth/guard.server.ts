import { redirect } from "@remix-run/node";
import { readSessionToken, validateSessionToken, type SessionUser } from "./session.server";

/**
 * The session of each Request, looked up once however often one loader asks. Remix hands the root
 * and the route loader copies of their own, so a page looks it up twice: about 15 µs, measured
 * too little to be worth passing the load context through every loader (docs/decisions/019).
 */
const seen = new WeakMap<Request, SessionUser | null>();

export async function getUser(request: Request): Promise<SessionUser | null> {
  if (seen.has(request)) return seen.get(request)!;
  const token = readSessionToken(request);
  const user = token ? await validateSessionToken(token) : null;
  seen.set(request, user);
  return user;
}

/** The signed-in person, or a redirect to sign in that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** Only local paths, so a crafted link cannot send someone off-site after sign-in. */
/** A stand-in origin: a redirect target must stay on it when resolved against it. */
const HOME = "http://jamboree.invalid";

/**
 * Where to send someone after sign-in (or another form): `to` only when it is a path on this site
 * that parses back to exactly itself; otherwise `fallback`. Refused: other origins ("//x",
 * "/\\x"), anything a browser would strip or rewrite first (tabs and line breaks, so
 * "/\t/evil.example" cannot become "//evil.example"), characters a Location header cannot carry
 * (which would fail after the session was written), and very long values.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/jams"): string {
  if (typeof to !== "string" || to.length > 2_000 || !to.startsWith("/") || /[^\x21-\x7e]|\\/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, HOME);
  } catch {
    return fallback;
  }
  return url.origin === HOME && `${url.pathname}${url.search}${url.hash}` === to ? to : fallback;
}
