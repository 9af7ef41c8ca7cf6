import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamForm } from "~/components/jam-form";
import { errorsByFormRow, gamificationInputFromForm, jamInputFromForm } from "~/http/jam-form.server";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { GamificationForm } from "~/components/gamification-form";
import { jamForEdit, updateJam, updateJamGamification } from "~/services/jams.server";


export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.jam.title ?? "jam"} · Jamboree` }];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  return orRespond(() => jamForEdit(user, params.slug ?? ""), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const { jam } = orRespond(() => jamForEdit(user, params.slug ?? ""), { request, user, ip: context.ip });
  const values = formValues(await request.formData());
  if (values.intent === "gamification") {
    const outcome = await orFormFailure(
      () => updateJamGamification(user, jam.id, gamificationInputFromForm(values), { ip: context.ip }),
      { request, user, ip: context.ip, values },
    );
    if (!outcome.ok) return outcome.response;
    return { saved: "gamification" as const, fieldErrors: {} as Record<string, string[]>, formError: null, values: {} as Record<string, string> };
  }
  if (values.intent !== "save") return unknownIntent();
  const outcome = await orFormFailure(() => updateJam(user, jam.id, jamInputFromForm(values), { ip: context.ip }), {
    request,
    user,
    ip: context.ip,
    values,
    mapErrors: (errors) => errorsByFormRow(errors, values),
  });
  if (!outcome.ok) return outcome.response;
  return redirect(`/jams/${outcome.result.slug}`);
}

export default function EditJam() {
  const { jam, challenges, gamification } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const isGamification = result?.values?.intent === "gamification" || (result && "saved" in result);
  const failure = result && !isGamification ? result : undefined;
  const gamificationFailure = result && isGamification && !("saved" in result) ? result : undefined;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jams">Jams</Link> / <Link to={`/jams/${jam.slug}`}>{jam.title}</Link> / Edit
      </div>
      <div className="page-head">
        <h1>Edit jam</h1>
      </div>
      <div className="card">
        <JamForm submitLabel="Save changes" failure={failure} initial={{ ...jam, challenges }} />
      </div>
      <div className="card section">
        <GamificationForm
          rules={gamification.rules}
          leaderboardsHidden={gamification.leaderboardsHidden}
          failure={gamificationFailure}
          saved={Boolean(result && "saved" in result)}
        />
      </div>
    </>
  );
}
