import { Link, useFetcher } from "@remix-run/react";
import { formFailureOf } from "~/components/form";

/** What /admin/mail answers to a test e-mail. */
export interface TestMailAnswer {
  testQueued: { id: number; to: string };
}

/**
 * "Send a test e-mail" to oneself. It posts to /admin/mail (intent `test`) from any page, so it
 * can sit on the mail page and on the settings page alike; without JavaScript the post lands on
 * /admin/mail, which shows the answer.
 */
export function MailTestForm({ transport }: { transport: { smtp: string | null; from: string } }) {
  const fetcher = useFetcher<TestMailAnswer>();
  const busy = fetcher.state !== "idle";
  const failure = formFailureOf(fetcher.data);
  const queued = fetcher.data && "testQueued" in fetcher.data ? fetcher.data.testQueued : null;
  return (
    <section className="card stack mail-test" aria-labelledby="mail-test-title">
      <div>
        <h2 id="mail-test-title">Send a test e-mail</h2>
        <p className="small muted">
          {transport.smtp ? (
            <>
              To your own address, through <code>{transport.smtp}</code>, from <code>{transport.from}</code>.
            </>
          ) : (
            <>No SMTP_URL is set: the test stays in the local outbox (Admin → Mail), as all mail does.</>
          )}
        </p>
      </div>
      <fetcher.Form method="post" action="/admin/mail" className="row">
        <input type="hidden" name="intent" value="test" />
        <button type="submit" className="btn btn--secondary" disabled={busy}>
          {busy ? "Sending…" : "Send me a test e-mail"}
        </button>
      </fetcher.Form>
      {queued ? (
        <p className="alert alert--info" role="status">
          Queued for {queued.to}. <Link to={`/admin/mail/${queued.id}`}>Follow it in the outbox</Link>.
        </p>
      ) : null}
      {failure?.formError ? (
        <p className="alert alert--error" role="alert">
          {failure.formError}
        </p>
      ) : null}
    </section>
  );
}
