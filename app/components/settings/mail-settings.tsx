import type { companySettingsPage } from "~/services/company-settings.server";
import { Env, Facts, SettingHead, SetUpBadge } from "./setting-facts";

type Mail = ReturnType<typeof companySettingsPage>["mail"];

/** Mail: the SMTP server's host only (its URL may carry a password), or the local outbox; the sender. */
export function MailSettings({ mail }: { mail: Mail }) {
  return (
    <section className="card stack section" aria-labelledby="mail-heading">
      <SettingHead id="mail-heading" title="E-mail">
        <SetUpBadge on={mail.smtpHost !== null} label="SMTP" off={mail.smtpProblem ? "Not working" : "Local outbox"} />
      </SettingHead>
      {mail.smtpProblem ? (
        <p className="alert alert--error" role="alert">
          {mail.smtpProblem}
        </p>
      ) : null}
      <Facts
        rows={[
          [
            "Sent through",
            mail.smtpHost ? (
              <span className="break-anywhere">{mail.smtpHost}</span>
            ) : (
              <span>
                The local outbox (nothing leaves the server): set <Env name="SMTP_URL" /> to send
              </span>
            ),
          ],
          ["From", mail.from ? <span className="break-anywhere">{mail.from}</span> : <span>Not set (<Env name="MAIL_FROM" />)</span>],
        ]}
      />
    </section>
  );
}
