import { Form } from "@remix-run/react";
import { FormError, TextField, type FormFailure } from "~/components/form";

/**
 * The sign-in form (email, password); the sign-in page and the page after sign-up show it. It posts
 * to `action` (the page it is on when left out, so the sign-in page keeps its address and its
 * redirectTo after a failure).
 */
export function SignInForm({
  redirectTo,
  failure,
  email,
  busy,
  action,
  secondary = false,
}: {
  /** A secondary button, when another way to sign in (the company account) comes first. */
  secondary?: boolean;
  redirectTo: string;
  failure?: FormFailure;
  email?: string;
  busy: boolean;
  action?: string;
}) {
  return (
    <Form method="post" action={action} className="stack" noValidate>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <FormError message={failure?.formError} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={failure?.values.email ?? email}
        errors={failure?.fieldErrors.email}
      />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" errors={failure?.fieldErrors.password} />
      <button type="submit" className={secondary ? "btn btn--secondary" : "btn"} disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </Form>
  );
}
