import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JellyForm } from "~/components/jellies";
import { Alert, plural } from "~/components/ui";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { editJelly } from "~/services/commands/jellies.server";
import { editJellyPage } from "~/services/pages/jellies.server";

function jellyId(raw: string | undefined) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such jelly.", { status: 404 });
  return id;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.jelly.title ?? "jelly"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = jellyId(params.id);
  return await orRespond(async () => await editJellyPage(user, id), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = jellyId(params.id);
  const values = formValues(await request.formData());
  if (values.intent !== "edit") return unknownIntent();
  const outcome = await orFormFailure(async () => await editJelly(user, id, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  return redirect(`/jellies/${id}?changed=1`);
}

export default function EditJelly() {
  const { jelly, values, going, timeZones } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow">
      <div className="breadcrumbs">
        <Link to="/jellies">Jellies</Link> / <Link to={`/jellies/${jelly.id}`}>{jelly.title}</Link> / Edit
      </div>
      <h1>Edit the jelly</h1>
      {jelly.status === "cancelled" ? (
        <Alert kind="warn">This jelly was cancelled: it can no longer be changed.</Alert>
      ) : (
        <>
          <p className="muted">
            {going > 0 ? `${plural(going, "person is", "people are")} going: they and anyone waiting are told about the change, and their calendars update.` : "Nobody has RSVPed yet."}
          </p>
          <section className="card">
            <JellyForm values={values} failure={failure} timeZones={timeZones} submitLabel="Save the changes" hidden={{ intent: "edit" }} busy={busy} />
          </section>
        </>
      )}
    </div>
  );
}
