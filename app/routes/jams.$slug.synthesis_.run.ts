import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { orRespond } from "~/http/respond.server";
import { synthesisRunStatus } from "~/services/pages/synthesis.server";

/** GET /jams/:slug/synthesis/run: the latest run's status and progress, polled by the synthesis page while a run goes on. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const run = await orRespond(async () => await synthesisRunStatus(user, params.slug ?? ""), { request, user, ip: context.ip });
  return Response.json({ run }, { headers: { "Cache-Control": "no-store" } });
}
