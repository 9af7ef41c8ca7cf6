/**
 * GET /auth/oidc/callback: where the company's provider sends the browser back. Finishes the
 * attempt this browser's cookie names (once), then signs the person in, or connects the company
 * account, or goes back with the reason it was refused. The one GET that changes data: the
 * protocol answers with a redirect, and the attempt (state, nonce, PKCE) is what makes it safe.
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser, safeRedirect } from "~/auth/guard.server";
import { sessionCookie } from "~/auth/session.server";
import { clearedAttemptCookie, readAttemptToken } from "~/auth/sign-on.server";
import { signOnRefusalPage } from "~/http/sign-on.server";
import { completeSignOn } from "~/services/commands/sign-on.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const outcome = await completeSignOn(
    { token: readAttemptToken(request), callback: new URL(request.url), user: await getUser(request) },
    { ip: context.ip },
  );
  const headers = new Headers();
  headers.append("Set-Cookie", clearedAttemptCookie(request));
  switch (outcome.kind) {
    case "signed_in":
      headers.append("Set-Cookie", sessionCookie(request, outcome.sessionToken));
      return redirect(safeRedirect(outcome.returnTo), { headers });
    case "connected":
      return redirect("/me?tab=sessions&connected=1", { headers });
    case "refused":
      return redirect(signOnRefusalPage(outcome.purpose, outcome.reason), { headers });
  }
}
