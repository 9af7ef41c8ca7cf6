import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { CheckboxField, FormError } from "~/components/form";
import { Alert } from "~/components/ui";
import { formValues, orFormFailure, unknownIntent } from "~/http/respond.server";
import { notificationSettings, saveNotificationSettings } from "~/services/notifications.server";

export const meta: MetaFunction = () => [{ title: "What to be told · Notifications · Jamboree" }];

export function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request);
  return { settings: notificationSettings(user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "settings") return unknownIntent();
  const outcome = await orFormFailure(() => saveNotificationSettings(user, values), { request, user, ip: context.ip, values });
  return outcome.ok ? redirect("/notifications/settings?saved=1") : outcome.response;
}

export default function NotificationSettings() {
  const { settings } = useLoaderData<typeof loader>();
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
        {failure && "formError" in failure ? <FormError message={failure.formError} /> : null}
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            Save
          </button>
          <Link to="/notifications">Back to notifications</Link>
        </div>
      </Form>
    </div>
  );
}
