import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { deviceCookie, readDeviceCookie } from "~/auth/device.server";
import { getUser, safeRedirect } from "~/auth/guard.server";
import { sessionCookie } from "~/auth/session.server";
import { SignInForm } from "~/components/sign-in-form";
import { formValues, orFormFailure } from "~/http/respond.server";
import { signIn } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Jamboree" }];

export function loader({ request }: LoaderFunctionArgs) {
  if (getUser(request)) throw redirect("/jams");
  return null;
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
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="login-title">
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Join your company’s jams: share ideas, build on others’ and vote.</p>
        <SignInForm redirectTo={params.get("redirectTo") ?? "/jams"} failure={failure} busy={busy} />
        <p className="small muted">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </section>
    </div>
  );
}
