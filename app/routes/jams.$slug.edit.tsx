import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamForm } from "~/components/jam-form";
import { errorsByFormRow, jamInputFromForm } from "~/http/jam-form.server";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { updateJam } from "~/services/commands/jams.server";
import { jamForEdit } from "~/services/pages/jams.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.jam.title ?? "jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await jamForEdit(user, params.slug ?? ""), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { jam } = await orRespond(async () => await jamForEdit(user, params.slug ?? ""), { request, user, ip: context.ip });
  const values = formValues(await request.formData());
  if (values.intent !== "save") return unknownIntent();
  const outcome = await orFormFailure(async () => await updateJam(user, jam.id, jamInputFromForm(values), { ip: context.ip }), {
    request,
    user,
    ip: context.ip,
    values,
    mapErrors: (errors) => errorsByFormRow(errors, values),
  });
  if (!outcome.ok) return outcome.response;
  // A draft goes back to its launch checklist, to see what is left before it can be scheduled.
  const saved = outcome.result;
  return redirect(saved.isDraft ? `/jams/${saved.slug}/launch` : `/jams/${saved.slug}`);
}

export default function EditJam() {
  const { jam, challenges, gamification } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jams">Jams</Link> / <Link to={`/jams/${jam.slug}`}>{jam.title}</Link> / Edit
      </div>
      <div className="page-head">
        <div>
          <h1>Edit jam</h1>
          {jam.isDraft ? (
            <p>
              A draft: only facilitators and leaders see it. Saving takes you back to its{" "}
              <Link to={`/jams/${jam.slug}/launch`}>launch checklist</Link>.
            </p>
          ) : null}
        </div>
      </div>
      <div className="card">
        <JamForm submitLabel="Save changes" failure={failure} initial={{ ...jam, challenges, points: gamification }} />
      </div>
    </>
  );
}
