/**
 * POST /auth/oidc starts signing in with a company account (the sign-in page's button, intent
 * `sign_in`) or connecting one to the signed-in person (their settings, intent `connect`): the
 * attempt is kept in the database, the browser gets its cookie and goes to the company's provider.
 * GET changes nothing and leads to the sign-in page.
 */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/guard.server";
import { attemptCookie, callbackUrl, readAttemptToken } from "~/auth/sign-on.server";
import { formValues } from "~/http/respond.server";
import { signOnRefusalPage } from "~/http/sign-on.server";
import { beginSignOn } from "~/services/commands/sign-on.server";

export function loader() {
  return redirect("/login");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  const intent = values.intent ?? "sign_in";
  // A resource route: the 400 is a plain response (no page to show a form failure on).
  if (intent !== "sign_in" && intent !== "connect") return new Response("Unknown action.", { status: 400 });
  const user = await getUser(request);
  if (intent === "connect" && !user) throw redirect(`/login?redirectTo=${encodeURIComponent("/me?tab=sessions")}`);
  const started = await beginSignOn(
    { purpose: intent, user, returnTo: values.redirectTo, redirectUri: callbackUrl(request), previousToken: readAttemptToken(request) },
    { ip: context.ip },
  );
  if (!started.ok) return redirect(signOnRefusalPage(intent, started.reason));
  return redirect(started.url, { headers: { "Set-Cookie": attemptCookie(request, started.token) } });
}
