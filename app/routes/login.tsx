import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { deviceCookie, readDeviceCookie } from "~/auth/device.server";
import { getUser, safeRedirect } from "~/auth/guard.server";
import { sessionCookie } from "~/auth/session.server";
import { signOnStatus } from "~/auth/sign-on.server";
import { CompanySignInButton } from "~/components/company-sign-in";
import { SignInForm } from "~/components/sign-in-form";
import { Alert } from "~/components/ui";
import { isSignOnRefusal, SIGN_ON_REFUSALS } from "~/domain/sign-on";
import { formValues, orFormFailure } from "~/http/respond.server";
import { signIn } from "~/services/commands/accounts.server";
import { passwordSignInAllowed } from "~/services/lookups/sign-on.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/jams");
  const code = new URL(request.url).searchParams.get("signOnError");
  return {
    signOn: signOnStatus().state === "on",
    passwords: await passwordSignInAllowed(),
    // Only the message of a known code: nothing from the address is shown as it came.
    refusal: isSignOnRefusal(code) ? SIGN_ON_REFUSALS[code] : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(() => signIn(values, { ip: context.ip, device: readDeviceCookie(request) }), {
    request,
    user: null,
    ip: context.ip,
    values,
  });
  if (!outcome.ok) return outcome.response;
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(request, outcome.result.token));
  headers.append("Set-Cookie", deviceCookie(request, outcome.result.device));
  return redirect(safeRedirect(values.redirectTo), { headers });
}

export default function Login() {
  const { signOn, passwords, refusal } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "/jams";
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="login-title">
        <h1 id="login-title">Sign in</h1>
        {params.get("reset") ? (
          <p className="alert alert--info" role="status">
            Your new password is set, and every browser that was signed in to your account is signed out. Sign in with it now.
          </p>
        ) : (
          <p className="muted">Join your company’s jams: share ideas, build on others’ and vote.</p>
        )}
        {refusal ? <Alert kind="error">{refusal}</Alert> : null}
        {signOn ? <CompanySignInButton redirectTo={redirectTo} /> : null}
        {signOn && passwords ? (
          <p className="auth-divider">
            <span>or with a password</span>
          </p>
        ) : null}
        {passwords ? (
          <>
            <SignInForm redirectTo={redirectTo} failure={failure} busy={busy} secondary={signOn} />
            <p className="small muted auth-links">
              <Link to="/forgot-password">Forgot your password?</Link>
              <span>
                New here? <Link to="/signup">Create an account</Link>
              </span>
            </p>
          </>
        ) : (
          <p className="small muted">
            Everyone here signs in with their company account; your account is made the first time you do.
          </p>
        )}
      </section>
    </div>
  );
}
