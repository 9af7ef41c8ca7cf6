import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { orRespond } from "~/http/respond.server";
import { jellyIcs } from "~/services/pages/jellies.server";

/** One jelly as an iCalendar file to open in any calendar. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such jelly.", { status: 404 });
  const { filename, body } = await orRespond(async () => await jellyIcs(user, id, new URL(request.url).origin), { request, user, ip: context.ip });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
