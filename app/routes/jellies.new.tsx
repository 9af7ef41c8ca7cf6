import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { newClientKey } from "~/components/form";
import { JellyForm } from "~/components/jellies";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { proposeJelly } from "~/services/commands/jellies.server";
import { proposeJellyPage } from "~/services/pages/jellies.server";

export const meta: MetaFunction = () => [{ title: "Propose a jelly · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = await orRespond(async () => await proposeJellyPage(user, { theme: url.searchParams.get("theme"), with: url.searchParams.get("with"), community: url.searchParams.get("community") }), {
    request,
    user,
    ip: context.ip,
  });
  return { ...page, clientKey: newClientKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(async () => await proposeJelly(user, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  return redirect(`/jellies/${outcome.result.id}`);
}

export default function ProposeJelly() {
  const { origin, timeZones, clientKey, communities } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const hidden: Record<string, string> = { clientKey: failure?.values.clientKey ?? clientKey };
  if (origin.theme) hidden.themeId = String(origin.theme.id);
  if (origin.pair) hidden.withId = String(origin.pair.id);
  if (origin.community) hidden.communityId = String(origin.community.id);
  const title = origin.theme ? `About ${origin.theme.label}` : origin.pair ? `Meet ${origin.pair.name}` : "";
  return (
    <div className="page--narrow">
      <div className="breadcrumbs">
        {origin.community ? <Link to={`/communities/${origin.community.slug}`}>{origin.community.title}</Link> : <Link to="/jellies">Jellies</Link>} / Propose a jelly
      </div>
      <div className="page-head">
        <div>
          <h1>Propose a jelly</h1>
          <p>
            {origin.community ? (
              <>
                An informal meetup of the community <strong>{origin.community.title}</strong>
                {origin.community.privacy === "members" ? ": only its members see it and can come." : "."}
              </>
            ) : origin.theme ? (
              <>
                An informal meetup about the theme <strong>{origin.theme.label}</strong>.
              </>
            ) : origin.pair ? (
              <>
                A meetup for you and <strong>{origin.pair.name}</strong> (they will be told), and anyone else who cares.
              </>
            ) : (
              "An informal meetup: say what it is about, when and where, and how many people can come."
            )}
          </p>
        </div>
      </div>
      <section className="card">
        <JellyForm
          values={{ title, about: "", date: "", time: "", timeZone: "", durationMinutes: "60", place: "", callLink: "", capacity: "8" }}
          failure={failure}
          timeZones={timeZones}
          submitLabel="Propose the jelly"
          hidden={hidden}
          busy={busy}
          communities={origin.community ? undefined : communities}
        />
      </section>
    </div>
  );
}
