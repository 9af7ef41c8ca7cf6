import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { ExpertSearch, NetworkView } from "~/components/network-view";
import { orFormFailure, orRespond } from "~/http/respond.server";
import { orgNetworkPage } from "~/services/pages/network.server";
import { requestNetworkRecompute } from "~/services/commands/network.server";

export const meta: MetaFunction = () => [{ title: "People network · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(async () => await orgNetworkPage(user, { drawing: url.searchParams.get("drawing"), department: url.searchParams.get("department"), q: url.searchParams.get("q") }), {
    request,
    user,
    ip: context.ip,
  });
}

/** Recompute the organisation-wide snapshot (off the request path). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await request.formData();
  const outcome = await orFormFailure(async () => await requestNetworkRecompute(user, null), { request, user, ip: context.ip, values: {} });
  return outcome.ok ? { ok: true } : outcome.response;
}

export default function OrgNetwork() {
  const { network, department, q, experts } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>People network</h1>
          <p>How people and departments work together across every jam.</p>
        </div>
        <Link to="/network/me" className="btn btn--secondary">
          My network
        </Link>
      </div>
      <NetworkView data={network} title="The organisation’s network" path="/network" themes={[]} themeInfluencers={null} department={department} theme={null} />
      <div className="section">
        <ExpertSearch action="/network" q={q} results={experts} />
      </div>
    </>
  );
}
