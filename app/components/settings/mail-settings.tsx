import { Link } from "@remix-run/react";
import { MailTestForm } from "~/components/mail-test-form";
import type { companySettingsPage } from "~/services/pages/company-settings.server";
import { Env, Facts, SettingHead, SetUpBadge } from "./setting-facts";

type Mail = Awaited<ReturnType<typeof companySettingsPage>>["mail"];

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
          [
            "From",
            <span key="from" className="break-anywhere">
              {mail.from}
              {mail.fromSet ? null : (
                <span className="muted">
                  {" "}
                  (the default; set <Env name="MAIL_FROM" />)
                </span>
              )}
            </span>,
          ],
          [
            "Links point to",
            <span key="url" className="break-anywhere">
              {mail.publicUrl}
              {mail.publicUrlSet ? null : (
                <span className="muted">
                  {" "}
                  (the default; set <Env name="PUBLIC_URL" /> to the address people use)
                </span>
              )}
            </span>,
          ],
        ]}
      />
      <p className="small">
        <Link to="/admin/mail">Open the outbox</Link>: every message, queued, sent or failed.
      </p>
      <MailTestForm transport={mail.transport} />
    </section>
  );
}
