import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { clearedSessionCookie } from "~/auth/session.server";
import { EraseForm, GoesAndStays } from "~/components/data-rights";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { eraseAccountAsAdmin } from "~/services/commands/erasure.server";
import { erasurePreviewForAdmin } from "~/services/pages/erasure.server";

export const meta: MetaFunction = () => [{ title: "Erase an account · Admin · Jamboree" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const preview = await orRespond(async () => await erasurePreviewForAdmin(user, params.id), { request, user, ip: context.ip });
  return { preview, isMe: preview.id === user.id };
}

/** An admin erases the account in the address (the id in the address, not one posted in the form). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = { ...formValues(await request.formData()), userId: params.id ?? "" };
  const outcome = await orFormFailure(async () => await eraseAccountAsAdmin(user, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  // Erasing one's own account (not the last admin) signs this browser out too: its session is gone.
  if (params.id === String(user.id)) return redirect("/erased", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
  const { alreadyErased, ideasHidden, commentsHidden } = outcome.result;
  const done = alreadyErased ? `hidden=${ideasHidden + commentsHidden}` : "erased=1";
  return redirect(`/admin/people?${done}`);
}

export default function AdminEraseAccount() {
  const { preview, isMe } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow erase-page">
      <p className="small">
        <Link to="/admin/people">← People</Link>
      </p>
      <section className="card danger-zone stack" aria-labelledby="erase-title">
        <h1 id="erase-title">{preview.erased ? "Hide what an erased person wrote" : `Erase ${preview.name}’s account${isMe ? " (yours)" : ""}`}</h1>
        {preview.erased ? (
          <p>
            This account is already erased: its name and e-mail address are gone. If the person has since asked for what they wrote to go
            too, hide it here.
          </p>
        ) : (
          <>
            <p>
              <strong>{preview.name}</strong> · {preview.email}. This cannot be undone. Do it when the person asks for it (or leaves and
              your policy says so); they can download their own data first from My activity.
            </p>
            <GoesAndStays whose="their" />
          </>
        )}
        <EraseForm preview={preview} who="admin" failure={failure} busy={busy} userId={preview.id} cancelTo="/admin/people" />
      </section>
    </div>
  );
}
