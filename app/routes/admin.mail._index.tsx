import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { AdminTabs } from "~/components/admin-tabs";
import { MailStatusBadge, MAIL_STATUS_LABELS } from "~/components/mail-status";
import { MailTestForm } from "~/components/mail-test-form";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural, TableWrap } from "~/components/ui";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { OUTBOX_STATUSES, type OutboxStatus } from "~/domain/mail";
import { mailOutboxPage } from "~/services/pages/mail-admin.server";
import { sendTestMail } from "~/services/commands/mail-admin.server";

export const meta: MetaFunction = () => [{ title: "Mail · Admin · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(
    async () => await mailOutboxPage(user, { status: url.searchParams.get("status") ?? undefined, before: url.searchParams.get("before") ?? undefined }),
    { request, user, ip: context.ip },
  );
}

/** "Send me a test e-mail" (the form also sits on other admin pages and posts here). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "test") return unknownIntent();
  const outcome = await orFormFailure(async () => await sendTestMail(user, { ip: context.ip }), { request, user, ip: context.ip, values });
  return outcome.ok ? { testQueued: outcome.result } : outcome.response;
}

function statusHref(status: OutboxStatus | null) {
  return status ? `/admin/mail?status=${status}` : "/admin/mail";
}

export default function AdminMail() {
  const { messages, nextBefore, status, counts, transport } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const all = OUTBOX_STATUSES.reduce((n, s) => n + counts[s], 0);
  return (
    <>
      <AdminTabs />
      <div className="page-head">
        <div>
          <h1>Mail</h1>
          <p>Every e-mail Jamboree sends passes through this outbox: what waits, what went out, and what failed and why.</p>
        </div>
      </div>
      {answer && "testQueued" in answer ? (
        <Alert>
          Test e-mail queued for {answer.testQueued.to}. <Link to={`/admin/mail/${answer.testQueued.id}`}>Follow it</Link>.
        </Alert>
      ) : null}
      <div className="mail-admin-top">
        <section className="card stack" aria-labelledby="mail-transport-title">
          <h2 id="mail-transport-title">Where mail goes</h2>
          {transport.smtp ? (
            <p>
              Out through <code>{transport.smtp}</code> (<code>SMTP_URL</code>), from <code>{transport.from}</code>.
            </p>
          ) : (
            <p>
              <strong>Nowhere yet: this is the local outbox.</strong> No <code>SMTP_URL</code> is set, so messages are kept here for you to
              read. Set <code>SMTP_URL</code> and <code>MAIL_FROM</code> to send them to people.
            </p>
          )}
          <p className="small muted">
            Links in messages point to <code>{transport.publicUrl}</code> (<code>PUBLIC_URL</code>).
          </p>
        </section>
        <MailTestForm transport={transport} />
      </div>
      <nav className="tabs mail-tabs section" aria-label="Messages by status">
        <Link to={statusHref(null)} aria-current={status === null ? "page" : undefined}>
          All <span className="tab-count">{all.toLocaleString("en")}</span>
        </Link>
        {OUTBOX_STATUSES.map((s) => (
          <Link key={s} to={statusHref(s)} aria-current={status === s ? "page" : undefined}>
            {MAIL_STATUS_LABELS[s]} <span className="tab-count">{counts[s].toLocaleString("en")}</span>
          </Link>
        ))}
      </nav>
      {messages.length === 0 ? (
        <div className="section">
          <EmptyState title={status ? `No ${MAIL_STATUS_LABELS[status].toLowerCase()} messages` : "No mail yet"}>
            {status ? <Link to="/admin/mail">Show all messages</Link> : "Messages appear here as soon as Jamboree queues them: send yourself a test."}
          </EmptyState>
        </div>
      ) : (
        <div className="section" style={{ marginTop: "var(--s-4)" }}>
          <TableWrap label="Messages">
            <table className="mail-table">
              <caption className="visually-hidden">Messages, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col">Queued</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td className="mail-table__subject">
                      <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link>
                      <div className="small muted">{m.kindLabel}</div>
                    </td>
                    <td className="mail-table__to">{m.toAddress}</td>
                    <td>
                      <MailStatusBadge status={m.status} transport={m.transport} />
                      {m.status === "failed" || (m.status === "queued" && m.lastError) ? (
                        <div className="small mail-error" title={m.lastError ?? undefined}>
                          {m.status === "queued" ? (
                            <>
                              Attempt {m.attempts} failed; next try <LocalTime at={m.nextAttemptAt} />.{" "}
                            </>
                          ) : (
                            <>Gave up after {plural(m.attempts, "attempt")}: </>
                          )}
                          {m.lastError}
                        </div>
                      ) : m.status === "cancelled" && m.lastError ? (
                        <div className="small muted">{m.lastError}</div>
                      ) : null}
                    </td>
                    <td className="small">
                      <LocalTime at={m.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {nextBefore ? (
          <Link className="btn btn--secondary" to={`?${new URLSearchParams({ ...(status ? { status } : {}), before: String(nextBefore) })}`}>
            Older messages
          </Link>
        ) : null}
      </nav>
    </>
  );
}
