import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getUser } from "~/auth/guard.server";
import { signOnStatus } from "~/auth/sign-on.server";
import { CompanySignInButton } from "~/components/company-sign-in";
import { FormError, SelectField, TextField } from "~/components/form";
import { SignInForm } from "~/components/sign-in-form";
import { LIMITS } from "~/domain/limits";
import { formValues, orFormFailure } from "~/http/respond.server";
import { smtpUrl } from "~/mail/config.server";
import { signUp } from "~/services/commands/accounts.server";
import { signUpPage } from "~/services/pages/sign-up.server";

export const meta: MetaFunction = () => [{ title: "Create an account · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/jams");
  return { ...(await signUpPage()), signOn: signOnStatus().state === "on" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(() => signUp(values, { ip: context.ip }), { request, user: null, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  // The same answer whether the account is new or the email already had one (see signUp).
  return { accepted: true as const, email: values.email!.trim().toLowerCase(), mailLeaves: smtpUrl() !== null };
}

export default function SignUp() {
  const { departments, passwords, signOn } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!passwords) return <AccountsComeFromTheCompany />;
  if (answer && "accepted" in answer) return <SignInAfterSignUp email={answer.email} mailLeaves={answer.mailLeaves} busy={busy} />;
  const failure = answer;
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="signup-title">
        <h1 id="signup-title">Create your account</h1>
        <Form method="post" className="stack" noValidate>
          <FormError message={failure?.formError} />
          <TextField label="Full name" name="name" autoComplete="name" defaultValue={failure?.values.name} errors={failure?.fieldErrors.name} />
          <TextField
            label="Work email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={failure?.values.email}
            errors={failure?.fieldErrors.email}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${LIMITS.password.min} characters; not a common password, and not your name or email.`}
            errors={failure?.fieldErrors.password}
          />
          {departments.length > 0 ? (
            <SelectField
              label="Team / department"
              name="departmentId"
              placeholder="Choose your team"
              options={departments.map((d) => ({ value: String(d.id), label: d.name }))}
              defaultValue={failure?.values.departmentId}
              errors={failure?.fieldErrors.departmentId}
            />
          ) : (
            <p className="alert alert--warn">No teams are set up yet. Run the seed or ask an admin to add teams.</p>
          )}
          <button type="submit" className="btn" disabled={busy}>
            {busy ? "Creating…" : "Create account"}
          </button>
        </Form>
        <p className="small muted">
          Already have an account? <Link to="/login">Sign in</Link>
          {signOn ? " (also with your company account)" : null}
        </p>
      </section>
    </div>
  );
}

/** With passwords turned off nobody signs up: the first company sign-in makes the account. */
function AccountsComeFromTheCompany() {
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="signup-title">
        <h1 id="signup-title">Your account comes from your company</h1>
        <p className="muted">
          Nobody signs up here with a password: sign in with your company account, and your account is made the first time you do, in
          your department.
        </p>
        <CompanySignInButton />
      </section>
    </div>
  );
}

/**
 * After a sign-up: the same words whether the email was free or already had an account, so the
 * page tells a stranger nothing; the person signs in with the password they chose.
 */
function SignInAfterSignUp({ email, mailLeaves, busy }: { email: string; mailLeaves: boolean; busy: boolean }) {
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="signup-done-title">
        <h1 id="signup-done-title">Now sign in</h1>
        <p role="status">
          Thank you. If <strong>{email}</strong> had no account yet, it has one now: sign in with the password you chose
          {mailLeaves ? ", and look for our e-mail with a link to confirm the address" : ""}. If it already had an account, nothing has
          changed, and its own password still signs in.
        </p>
        <SignInForm action="/login" redirectTo="/jams" email={email} busy={busy} />
      </section>
    </div>
  );
}
