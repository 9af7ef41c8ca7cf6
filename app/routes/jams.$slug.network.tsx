import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamCrumbs } from "~/components/jam-header";
import { NetworkView } from "~/components/network-view";
import { orFormFailure, orRespond } from "~/http/respond.server";
import { jamNetworkPage } from "~/services/pages/network.server";
import { requestNetworkRecompute } from "~/services/commands/network.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Network · ${data?.jam.title ?? "Jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(
    async () => await jamNetworkPage(user, params.slug ?? "", {
        drawing: url.searchParams.get("drawing"),
        department: url.searchParams.get("department"),
        theme: url.searchParams.get("theme"),
      }),
    { request, user, ip: context.ip },
  );
}

/** Recompute the jam's network snapshot (off the request path). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await request.formData();
  const outcome = await orFormFailure(async () => await requestNetworkRecompute(user, params.slug ?? ""), { request, user, ip: context.ip, values: {} });
  return outcome.ok ? { ok: true } : outcome.response;
}

export default function JamNetwork() {
  const { jam, network, themes, themeInfluencers, department, theme } = useLoaderData<typeof loader>();
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        Network
      </JamCrumbs>
      <div className="page-head">
        <div>
          <h1>People network</h1>
          <p>Who builds on whose ideas in {jam.title}: what the comments, replies and votes between people and departments say, and what to do about it.</p>
        </div>
      </div>
      <NetworkView
        data={network}
        title={`The network of ${jam.title}`}
        path={`/jams/${jam.slug}/network`}
        themes={themes}
        themeInfluencers={themeInfluencers}
        department={department}
        theme={theme}
      />
    </>
  );
}
