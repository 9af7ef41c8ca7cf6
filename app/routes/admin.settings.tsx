import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { AdminTabs } from "~/components/admin-tabs";
import { DirectorySyncSettings } from "~/components/settings/directory-sync-settings";
import { MailSettings } from "~/components/settings/mail-settings";
import { PasswordSetting } from "~/components/settings/password-setting";
import { RetentionSettings } from "~/components/settings/retention-settings";
import { SignOnSettings } from "~/components/settings/sign-on-settings";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { companySettingsPage } from "~/services/pages/company-settings.server";
import { setPasswordSignIn } from "~/services/commands/company-settings.server";
import { saveRetention } from "~/services/commands/retention.server";

export const meta: MetaFunction = () => [{ title: "Settings · Admin · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await companySettingsPage(user, new URL(request.url).origin), {
    request,
    user,
    ip: context.ip,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  if (values.intent === "retention") {
    // Retention answers on the page itself: it may first ask to confirm what a setting deletes.
    const outcome = await orFormFailure(async () => await saveRetention(user, values, { ip: context.ip }), ctx);
    return outcome.ok ? outcome.result : outcome.response;
  }
  if (values.intent !== "passwordSignIn") return unknownIntent();
  const outcome = await orFormFailure(async () => await setPasswordSignIn(user, values), ctx);
  if (!outcome.ok) return outcome.response;
  return redirect(`/admin/settings?saved=${outcome.result.enabled ? "passwords-on" : "passwords-off"}`);
}

const SAVED: Record<string, string> = {
  "passwords-on": "Passwords are on again: people can sign in and sign up with a password.",
  "passwords-off": "Passwords are off: everyone signs in with their company account.",
};

/**
 * Company set-up: how people sign in and how Jamboree reaches the company's systems. Each part is
 * its own component (app/components/settings/), read from the environment as it is now.
 */
export default function AdminSettings() {
  const { signOn, passwords, directorySync, mail, retention } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // Each form's answer goes back to its own section: a failed form echoes its intent.
  const retentionAnswer = answer && (!("fieldErrors" in answer) || answer.values.intent === "retention") ? answer : undefined;
  const failure = answer && "fieldErrors" in answer && answer.values.intent !== "retention" ? answer : undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const saved = failure ? null : (SAVED[params.get("saved") ?? ""] ?? null);
  return (
    <>
      <AdminTabs />
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>
            How people sign in, how Jamboree reaches your company’s systems, and how long it keeps records. What the server’s
            environment sets is shown as it is now; secrets are never shown.
          </p>
        </div>
      </div>
      <div className="settings-sections">
        <SignOnSettings signOn={signOn} />
        <PasswordSetting passwords={passwords} saved={saved} failure={failure?.formError ?? null} busy={busy} />
        <DirectorySyncSettings directorySync={directorySync} />
        <MailSettings mail={mail} />
        <RetentionSettings settings={retention.settings} preview={retention.preview} result={retentionAnswer} busy={busy} />
      </div>
    </>
  );
}
