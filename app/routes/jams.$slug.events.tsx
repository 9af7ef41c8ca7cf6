import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { orRespond } from "~/http/respond.server";
import { openJamEvents } from "~/services/pages/live.server";

/** Server-Sent Events for one jam (resource route: no UI). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await openJamEvents(user, params.slug ?? "", request), { request, user, ip: context.ip });
}
