import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser, safeRedirect } from "~/auth/guard.server";
import { formValues, orFormFailure } from "~/http/respond.server";
import { follow, unfollow } from "~/services/commands/follows.server";

/** Follow or unfollow a person or a theme (POST only), then back to the page it came from. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  // A resource route: a real Response keeps its status when the post comes from a plain form.
  if (values.intent !== "follow" && values.intent !== "unfollow") return Response.json({ formError: "Unknown action." }, { status: 400 });
  const outcome = await orFormFailure(
    async () => (values.intent === "unfollow" ? await unfollow(user, values) : await follow(user, values)),
    { request, user, ip: context.ip, values },
  );
  return outcome.ok ? redirect(safeRedirect(values.returnTo, "/network/me")) : outcome.response;
}

export function loader() {
  return redirect("/network/me");
}
