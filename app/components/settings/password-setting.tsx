import { Form } from "@remix-run/react";
import { FormError } from "~/components/form";
import { plural } from "~/components/ui";
import type { companySettingsPage } from "~/services/pages/company-settings.server";
import { SettingHead, SetUpBadge } from "./setting-facts";

type Passwords = Awaited<ReturnType<typeof companySettingsPage>>["passwords"];

/**
 * Whether people may sign in with a password. Turning passwords off asks once more and says who
 * could no longer sign in; it is refused while sign-on is not set up or the admin has not
 * connected their own company account.
 */
export function PasswordSetting({ passwords, saved, failure, busy }: { passwords: Passwords; saved: string | null; failure: string | null; busy: boolean }) {
  return (
    <section className="card stack section" aria-labelledby="passwords-heading">
      <SettingHead id="passwords-heading" title="Password sign-in">
        <SetUpBadge on={passwords.inEffect} label="On" off="Off" />
      </SettingHead>
      {saved ? (
        <p className="alert alert--info" role="status">
          {saved}
        </p>
      ) : null}
      <FormError message={failure ?? undefined} />
      {passwords.enabled ? (
        <>
          <p className="muted">
            People can sign in (and sign up) with a password{passwords.blocker ? "." : ", and with their company account."}
          </p>
          {passwords.blocker ? (
            <p className="small muted">{passwords.blocker}</p>
          ) : (
            <details className="setting-confirm">
              <summary className="btn btn--secondary">Turn passwords off…</summary>
              <Form method="post" className="stack setting-confirm__body">
                <input type="hidden" name="intent" value="passwordSignIn" />
                <input type="hidden" name="passwordSignIn" value="off" />
                <p>
                  <strong>Everyone will sign in with their company account only.</strong> Sign-up closes, and password sign-in is refused.
                  {passwords.peopleWithoutCompanyAccount > 0
                    ? ` ${plural(passwords.peopleWithoutCompanyAccount, "active person has", "active people have")} not connected a company account yet and could not sign in: ask them to connect theirs first (My activity → Sign-ins).`
                    : " Every active person has a company account connected."}
                </p>
                <div>
                  <button type="submit" className="btn btn--danger" disabled={busy}>
                    Turn passwords off
                  </button>
                </div>
              </Form>
            </details>
          )}
        </>
      ) : (
        <>
          <p className="muted">
            {passwords.inEffect
              ? "Passwords are set to off, but sign-on is not working, so passwords still sign in: nobody is locked out."
              : "Passwords are off: everyone signs in with their company account, and sign-up is closed."}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="passwordSignIn" />
            <input type="hidden" name="passwordSignIn" value="on" />
            <button type="submit" className="btn btn--secondary" disabled={busy}>
              Turn passwords back on
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
