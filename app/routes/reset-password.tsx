import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, TextField } from "~/components/form";
import { LIMITS } from "~/domain/limits";
import { formValues, orFormFailure } from "~/http/respond.server";
import { completePasswordReset } from "~/services/commands/password-reset.server";
import { resetLinkState } from "~/services/pages/password-reset.server";
import { RESET_LINK_REFUSALS } from "~/services/lookups/password-reset.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Jamboree" }, { name: "robots", content: "noindex" }];

/** The page a reset link opens: the form, or why the link no longer works. Opening it spends nothing. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t");
  const link = await resetLinkState(token);
  return link.state === "ok"
    ? { state: "ok" as const, token: token!, email: link.email }
    : { state: link.state, message: RESET_LINK_REFUSALS[link.state] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  values.t = new URL(request.url).searchParams.get("t") ?? "";
  const outcome = await orFormFailure(() => completePasswordReset(values, { ip: context.ip }), { request, user: null, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const page = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="reset-title">
        {page.state === "ok" ? (
          <>
            <h1 id="reset-title">Choose a new password</h1>
            <p className="muted">
              For <strong>{page.email}</strong>. Every browser signed in to this account will be signed out, and you then sign in with the
              new password.
            </p>
            <Form method="post" action={`/reset-password?t=${encodeURIComponent(page.token)}`} className="stack" noValidate>
              <FormError message={failure?.formError} />
              {/* For password managers: whose password this is. */}
              <input type="email" name="username" autoComplete="username" defaultValue={page.email} hidden readOnly />
              <TextField
                label="New password"
                name="password"
                type="password"
                autoComplete="new-password"
                hint={`At least ${LIMITS.password.min} characters; not a common password, and not your name or email.`}
                errors={failure?.fieldErrors.password}
              />
              <button type="submit" className="btn" disabled={busy}>
                {busy ? "Saving…" : "Set new password"}
              </button>
            </Form>
          </>
        ) : (
          <>
            <h1 id="reset-title">{page.state === "expired" ? "This link has expired" : page.state === "used" ? "This link was used" : "This link does not work"}</h1>
            <p role="alert">{page.message}</p>
            <p>
              <Link to="/forgot-password" className="btn">
                Ask for a new link
              </Link>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
