import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamForm } from "~/components/jam-form";
import { errorsByFormRow, jamInputFromForm } from "~/http/jam-form.server";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { DEFAULT_POINT_RULES } from "~/domain/points";
import { createJam } from "~/services/commands/jams.server";
import { assertCanManageJams } from "~/services/lookups/jams.server";

export const meta: MetaFunction = () => [{ title: "New jam · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await orRespond(() => assertCanManageJams(user), { request, user, ip: context.ip });
  const hour = 3_600_000;
  const nextHour = Math.ceil(Date.now() / hour) * hour;
  return { startsAt: nextHour + 24 * hour, endsAt: nextHour + 4 * 24 * hour };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(async () => await createJam(user, jamInputFromForm(values), { ip: context.ip }), {
    request,
    user,
    ip: context.ip,
    values,
    mapErrors: (errors) => errorsByFormRow(errors, values),
  });
  if (!outcome.ok) return outcome.response;
  // A new jam is a draft: its launch checklist says what it still needs before it can be scheduled.
  return redirect(`/jams/${outcome.result.slug}/launch`);
}

export default function NewJam() {
  const failure = useActionData<typeof action>();
  const { startsAt, endsAt } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jams">Jams</Link> / New jam
      </div>
      <div className="page-head">
        <div>
          <h1>Create a jam</h1>
          <p>
            Set the time box and the questions you want the company to answer. It stays a draft, seen only by facilitators and
            leaders, until you schedule it from its launch checklist.
          </p>
        </div>
      </div>
      <div className="card">
        <JamForm
          submitLabel="Create jam"
          failure={failure}
          initial={{
            title: "",
            slug: "",
            description: "",
            startsAt,
            endsAt,
            isDraft: true,
            challenges: [],
            points: { rules: DEFAULT_POINT_RULES, leaderboardsHidden: false },
          }}
        />
      </div>
    </>
  );
}
