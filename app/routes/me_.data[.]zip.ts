import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { attachment } from "~/http/download.server";
import { orRespond } from "~/http/respond.server";
import { dataArchive } from "~/services/commands/data-export.server";
import { TooManyRequests } from "~/services/errors";

/** Asking for the archive is a POST: it is counted against a limit and audited (GET changes nothing). */
export function loader() {
  return redirect("/me?tab=data");
}

/** "Download your data": the signed-in person's own archive, a ZIP of JSON and CSV files. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  try {
    const file = await orRespond(async () => await dataArchive(user, { ip: context.ip }), { request, user, ip: context.ip });
    return attachment(file, "application/zip");
  } catch (error) {
    // Too soon again: back to the page, which says how long to wait (a plain form has no page of its own to show it on).
    if (error instanceof Response && error.status === 429) {
      return redirect(`/me?tab=data&wait=${error.headers.get("Retry-After") ?? "60"}`);
    }
    if (error instanceof TooManyRequests) return redirect(`/me?tab=data&wait=${error.retryAfterSeconds}`);
    throw error;
  }
}
