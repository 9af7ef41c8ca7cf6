import type { companySettingsPage } from "~/services/pages/company-settings.server";
import { Env, Facts, SettingHead, SetUpBadge } from "./setting-facts";

type SignOn = Awaited<ReturnType<typeof companySettingsPage>>["signOn"];

/** Sign-on (OpenID Connect) as the environment configures it: never the client secret. */
export function SignOnSettings({ signOn }: { signOn: SignOn }) {
  return (
    <section className="card stack section" aria-labelledby="sign-on-heading">
      <SettingHead id="sign-on-heading" title="Sign-on (OpenID Connect)">
        <SetUpBadge on={signOn.state === "on"} off={signOn.state === "invalid" ? "Not working" : "Not set up"} />
      </SettingHead>
      {signOn.state === "invalid" ? (
        <p className="alert alert--error" role="alert">
          Sign-on is half set up, so it is off: {signOn.problem}
        </p>
      ) : null}
      {signOn.state === "on" ? (
        <Facts
          rows={[
            ["Issuer", <span className="break-anywhere">{signOn.issuer}</span>],
            ["Client id", <span className="break-anywhere">{signOn.clientId}</span>],
            ["Client secret", "Set (never shown)"],
            ["Allowed tenants", signOn.allowedTenants ? signOn.allowedTenants.join(", ") : "Any (OIDC_ALLOWED_TENANTS is not set)"],
            ["Department claim", <code>{signOn.departmentClaim}</code>],
            ["Callback URL to register", <code className="break-anywhere">{signOn.callbackUrl}</code>],
            ["Connected company accounts", signOn.connectedAccounts.toLocaleString("en")],
          ]}
        />
      ) : (
        <>
          <p className="muted">
            People sign in with passwords. To let them sign in with their company account, set <Env name="OIDC_ISSUER" />,{" "}
            <Env name="OIDC_CLIENT_ID" /> and <Env name="OIDC_CLIENT_SECRET" /> on the server and restart it; register this callback URL
            with your identity provider:
          </p>
          <p>
            <code className="break-anywhere">{signOn.callbackUrl}</code>
          </p>
        </>
      )}
      <p className="small muted">
        Steps for Entra ID, Okta and other providers are in the README, under “Company set-up”.
      </p>
    </section>
  );
}
