import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser, safeRedirect } from "~/auth/guard.server";
import { acknowledgeBadges } from "~/services/commands/game-status.server";

export function loader() {
  return redirect("/jams");
}

/** The badge toast was shown: mark the person's new levels as seen. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await acknowledgeBadges(user);
  const form = await request.formData();
  const back = form.get("redirectTo");
  return back ? redirect(safeRedirect(back)) : { ok: true };
}
