import { Form } from "@remix-run/react";

/**
 * "Sign in with your company account": a plain form post to /auth/oidc (the whole page goes on to
 * the company's sign-in, so no client-side navigation). `connect` instead connects the company
 * account to the signed-in person.
 */
export function CompanySignInButton({
  redirectTo,
  intent = "sign_in",
  label = "Sign in with your company account",
  secondary = false,
}: {
  redirectTo?: string;
  intent?: "sign_in" | "connect";
  label?: string;
  secondary?: boolean;
}) {
  return (
    <Form method="post" action="/auth/oidc" reloadDocument className="company-sign-in">
      <input type="hidden" name="intent" value={intent} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <button type="submit" className={`btn company-sign-in__button${secondary ? " btn--secondary" : ""}`}>
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            d="M4 21V5a1 1 0 0 1 1-1h9a1 1 0 0 1 1 1v16M15 9h4a1 1 0 0 1 1 1v11M3 21h18M8 8h3M8 12h3M8 16h3"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        {label}
      </button>
    </Form>
  );
}
