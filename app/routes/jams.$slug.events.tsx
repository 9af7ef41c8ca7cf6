import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { orRespond } from "~/http/respond.server";
import { openJamEvents } from "~/services/live.server";

/** Server-Sent Events for one jam (resource route: no UI). */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  return orRespond(() => openJamEvents(user, params.slug ?? "", request), { request, user, ip: context.ip });
}
