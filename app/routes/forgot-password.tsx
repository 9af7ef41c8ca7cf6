import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { getUser } from "~/auth/guard.server";
import { FormError, TextField } from "~/components/form";
import { formValues, orFormFailure } from "~/http/respond.server";
import { requestPasswordReset } from "~/services/commands/password-reset.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/me");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(async () => await requestPasswordReset(values, { ip: context.ip }), { request, user: null, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  // The same answer whether or not the address has an account (see requestPasswordReset).
  return { asked: true as const, email: values.email!.trim().toLowerCase() };
}

export default function ForgotPassword() {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = answer && "fieldErrors" in answer ? answer : undefined;
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="forgot-title">
        {answer && "asked" in answer ? (
          <>
            <h1 id="forgot-title">Check your e-mail</h1>
            <p role="status">
              If <strong>{answer.email}</strong> belongs to an account, we have sent it a link to choose a new password. The link works
              once, for 30 minutes.
            </p>
            <p className="small muted">
              Nothing after a few minutes? Look in your spam folder, check the address, or <Link to="/forgot-password">ask again</Link>.
              Accounts that sign in with your company’s sign-on have no password here: their e-mail says so.
            </p>
            <p className="small">
              <Link to="/login">Back to sign in</Link>
            </p>
          </>
        ) : (
          <>
            <h1 id="forgot-title">Forgot your password?</h1>
            <p className="muted">Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
            <Form method="post" className="stack" noValidate>
              <FormError message={failure?.formError} />
              <TextField
                label="Email"
                name="email"
                type="email"
                autoComplete="email"
                defaultValue={failure?.values.email}
                errors={failure?.fieldErrors.email}
              />
              <button type="submit" className="btn" disabled={busy}>
                {busy ? "Sending…" : "Send me a link"}
              </button>
            </Form>
            <p className="small muted">
              Remembered it? <Link to="/login">Sign in</Link>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
