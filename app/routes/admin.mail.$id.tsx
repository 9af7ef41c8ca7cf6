import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { AdminTabs } from "~/components/admin-tabs";
import { FormError } from "~/components/form";
import { MailStatusBadge } from "~/components/mail-status";
import { LocalTime } from "~/components/time";
import { Alert, plural } from "~/components/ui";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { mailMessage } from "~/services/pages/mail-admin.server";
import { retryMessage } from "~/services/commands/mail-admin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject ?? "Message"} · Mail · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await mailMessage(user, params.id), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "retry") return unknownIntent();
  const outcome = await orFormFailure(async () => await retryMessage(user, { messageId: params.id }, { ip: context.ip }), { request, user, ip: context.ip, values });
  return outcome.ok ? { retried: true as const } : outcome.response;
}

/**
 * One message as it was sent: its headers, the plain-text part, and the HTML part in a sandboxed
 * frame (no scripts, no forms, no access to this page: `sandbox` with nothing allowed).
 */
export default function AdminMailMessage() {
  const m = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mail-message">
      <AdminTabs />
      <div className="breadcrumbs">
        <Link to="/admin/mail">Mail</Link> /
      </div>
      <div className="page-head">
        <div>
          <h1>{m.subject}</h1>
          <p>
            {m.kindLabel} to {m.recipient} · queued <LocalTime at={m.createdAt} />
          </p>
        </div>
      </div>
      {answer && "retried" in answer ? <Alert>Queued again: it goes out within seconds, with the same Message-ID.</Alert> : null}
      <section className="card stack" aria-labelledby="mail-state-title">
        <h2 id="mail-state-title" className="visually-hidden">
          Status
        </h2>
        <div className="row">
          <MailStatusBadge status={m.status} transport={m.transport} />
          <span className="small muted">
            {m.status === "sent" && m.sentAt !== null ? (
              <>
                {m.transport === "local" ? "Kept in the local outbox" : "Sent"} <LocalTime at={m.sentAt} />
                {m.attempts > 1 ? ` after ${plural(m.attempts, "attempt")}` : ""}
              </>
            ) : m.status === "queued" ? (
              m.attempts > 0 ? (
                <>
                  {plural(m.attempts, "attempt")} so far; next <LocalTime at={m.nextAttemptAt} />
                </>
              ) : (
                "Waiting for the sender"
              )
            ) : m.status === "failed" ? (
              `Gave up after ${plural(m.attempts, "attempt")}`
            ) : (
              "Not sent"
            )}
          </span>
        </div>
        {m.lastError ? (
          <p className={m.status === "cancelled" ? "small muted" : "small mail-error"}>
            {m.status === "cancelled" ? "Why: " : "Last error: "}
            {m.lastError}
          </p>
        ) : null}
        {m.status === "failed" ? (
          <Form method="post" className="row">
            <FormError message={answer && "formError" in answer ? answer.formError : null} />
            <input type="hidden" name="intent" value="retry" />
            <button type="submit" className="btn btn--secondary btn--small" disabled={busy}>
              Try sending it again
            </button>
          </Form>
        ) : null}
      </section>
      <section className="section stack" aria-labelledby="mail-headers-title">
        <h2 id="mail-headers-title">Headers</h2>
        <dl className="mail-headers card">
          {m.headers.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="section stack" aria-labelledby="mail-text-title">
        <h2 id="mail-text-title">Plain text</h2>
        <pre className="mail-text card">{m.text}</pre>
      </section>
      <section className="section stack" aria-labelledby="mail-html-title">
        <h2 id="mail-html-title">HTML</h2>
        {m.html ? (
          <iframe className="mail-html" title={`The HTML part of “${m.subject}”`} sandbox="" srcDoc={m.html} referrerPolicy="no-referrer" />
        ) : (
          <p className="muted">This message has no HTML part{m.kindLabel === "Password reset" || m.kindLabel === "Address check" ? " kept (its link is not kept once sent)" : ""}.</p>
        )}
      </section>
    </div>
  );
}
