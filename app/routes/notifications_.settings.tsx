import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { CheckboxField, FormError, SelectField } from "~/components/form";
import { MAIL_DELIVERIES, MAIL_DELIVERY_LABELS } from "~/domain/mail";
import { Alert } from "~/components/ui";
import { formValues, orFormFailure, unknownIntent } from "~/http/respond.server";
import { saveMailSettings } from "~/services/commands/mail-preferences.server";
import { saveNotificationSettings } from "~/services/commands/notifications.server";
import { notificationSettingsPage } from "~/services/pages/notifications.server";
import { saveMayBeAsked } from "~/services/commands/questions.server";

export const meta: MetaFunction = () => [{ title: "What to be told · Notifications · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await notificationSettingsPage(user);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent === "mail") {
    const outcome = await orFormFailure(async () => await saveMailSettings(user, values, { ip: context.ip }), { request, user, ip: context.ip, values });
    return outcome.ok ? redirect("/notifications/settings?mailSaved=1#mail") : outcome.response;
  }
  if (values.intent === "asking") {
    const outcome = await orFormFailure(async () => await saveMayBeAsked(user, values), { request, user, ip: context.ip, values });
    return outcome.ok ? redirect("/notifications/settings?askingSaved=1#asking") : outcome.response;
  }
  if (values.intent !== "settings") return unknownIntent();
  const outcome = await orFormFailure(async () => await saveNotificationSettings(user, values), { request, user, ip: context.ip, values });
  return outcome.ok ? redirect("/notifications/settings?saved=1") : outcome.response;
}

export default function NotificationSettings() {
  const { settings, mail, mayBeAsked } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const off = settings.filter((s) => !s.on).length;
  return (
    <div className="notif-settings">
      <div className="breadcrumbs">
        <Link to="/notifications">Notifications</Link> /
      </div>
      <div className="page-head">
        <div>
          <h1>What to be told</h1>
          <p>Choose the news you want in your notifications. Everything is on until you switch it off.</p>
        </div>
      </div>
      {params.get("saved") && !failure ? (
        <Alert>Saved. {off === 0 ? "You hear about everything." : `${off === 1 ? "One kind" : `${off} kinds`} of news switched off: they are not sent to you at all.`}</Alert>
      ) : null}
      <Form method="post" className="card stack">
        <input type="hidden" name="intent" value="settings" />
        <fieldset className="stack notif-settings__kinds">
          <legend>Send me notifications about</legend>
          {settings.map((s) => (
            <CheckboxField key={s.kind} label={s.label} name={s.kind} defaultChecked={s.on} hint={s.hint} />
          ))}
        </fieldset>
        <p className="small muted">
          When a moderator hides or merges your idea or hides your comment, you are always told, with the reason and whom to ask: otherwise it
          would just disappear.
        </p>
        {failure && "formError" in failure && failure.values.intent !== "mail" ? <FormError message={failure.formError} /> : null}
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            Save
          </button>
          <Link to="/notifications">Back to notifications</Link>
        </div>
      </Form>
      <Form method="post" className="card stack section" id="asking" aria-labelledby="asking-heading">
        <input type="hidden" name="intent" value="asking" />
        <h2 id="asking-heading">Questions from colleagues</h2>
        {params.get("askingSaved") && !failure ? (
          <Alert>{mayBeAsked ? "Saved. Colleagues' questions on what you know may come to you." : "Saved. No question will be routed to you; those you were asked went to the next person."}</Alert>
        ) : null}
        <CheckboxField
          label="Colleagues may ask me questions"
          name="mayBeAsked"
          defaultChecked={mayBeAsked}
          hint="When a question matches what your named ideas are about, you may be one of the few people asked. Off: you are never asked, and questions waiting on you go to the next person. Anyone can still answer any question."
        />
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            Save
          </button>
        </div>
      </Form>
      <MailSettings mail={mail} failure={failure && failure.values.intent === "mail" ? failure : undefined} saved={!!params.get("mailSaved") && !failure} busy={busy} />
    </div>
  );
}

/**
 * E-mail: per kind, immediately, a daily or weekly digest, or nothing. Kept apart from the in-app
 * notifications above: a person may want every notice in the bell and only a weekly e-mail.
 */
function MailSettings({
  mail,
  failure,
  saved,
  busy,
}: {
  mail: Awaited<ReturnType<typeof notificationSettingsPage>>["mail"];
  failure?: { fieldErrors: Record<string, string[]>; formError: string | null; values: Record<string, string> };
  saved: boolean;
  busy: boolean;
}) {
  return (
    <section id="mail" className="stack section" aria-labelledby="mail-title">
      <div>
        <h2 id="mail-title">E-mail</h2>
        <p className="muted">
          What Jamboree sends to <strong>{mail.email}</strong>: each message as it happens, collected into one e-mail a day (07:00 UTC)
          or a week (Mondays), or nothing. Every e-mail has a link to stop that kind at once.
        </p>
      </div>
      {!mail.mailLeaves ? (
        <Alert>
          This Jamboree sends no e-mail yet (no mail server is set up): your choices apply as soon as it does.
        </Alert>
      ) : !mail.addressChecked ? (
        <Alert kind="warn">
          Your address is not confirmed yet, so for now Jamboree sends you none of these. Follow the link in the e-mail we sent, or{" "}
          <Link to="/me">send it again from My activity</Link>.
        </Alert>
      ) : null}
      {saved ? <Alert>Saved. Your e-mail choices apply to the next message of each kind.</Alert> : null}
      <Form method="post" className="card stack">
        <input type="hidden" name="intent" value="mail" />
        <FormError message={failure?.formError} />
        <div className="mail-settings__kinds">
          {mail.kinds.map((k) => (
            <SelectField
              key={k.kind}
              label={k.label}
              name={`mail_${k.kind}`}
              hint={k.hint}
              defaultValue={failure?.values[`mail_${k.kind}`] ?? k.delivery}
              errors={failure?.fieldErrors[`mail_${k.kind}`]}
              options={MAIL_DELIVERIES.map((d) => ({ value: d, label: MAIL_DELIVERY_LABELS[d] }))}
            />
          ))}
        </div>
        <p className="small muted">
          A password reset, the check of your address and a test an admin sends to themself always come at once: they go only to
          whoever just asked for them.
        </p>
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            Save e-mail choices
          </button>
        </div>
      </Form>
    </section>
  );
}
