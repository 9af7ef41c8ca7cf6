import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { clearedSessionCookie } from "~/auth/session.server";
import { EraseForm, GoesAndStays } from "~/components/data-rights";
import { formValues, orFormFailure } from "~/http/respond.server";
import { eraseMyAccount } from "~/services/commands/erasure.server";
import { myErasurePreview } from "~/services/pages/erasure.server";

export const meta: MetaFunction = () => [{ title: "Erase your account · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await myErasurePreview(user);
}

/** Erases the signed-in person's own account (only theirs: any other id in the form is ignored), then signs this browser out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(() => eraseMyAccount(user, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  return redirect("/erased", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}

export default function EraseMyAccount() {
  const preview = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow erase-page">
      <p className="small">
        <Link to="/me?tab=data">← Your data</Link>
      </p>
      <section className="card danger-zone stack" aria-labelledby="erase-title">
        <h1 id="erase-title">Erase your account</h1>
        <p>
          This cannot be undone. If you only want a copy of what you wrote, <Link to="/me?tab=data">download your data</Link> first: once
          the account is erased, it cannot be downloaded any more.
        </p>
        <GoesAndStays whose="your" />
        <EraseForm preview={preview} who="self" failure={failure} busy={busy} cancelTo="/me?tab=data" />
      </section>
    </div>
  );
}
