import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { orRespond } from "~/http/respond.server";
import { similarIdeas } from "~/services/pages/idea.server";

/** Ideas like the text being typed (resource route: JSON, read by the idea form with a plain fetch). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const text = new URL(request.url).searchParams.get("text") ?? "";
  const ideas = await orRespond(async () => await similarIdeas(user, { challengeId: params.id, text }), { request, user, ip: context.ip });
  return Response.json({ ideas }, { headers: { "Cache-Control": "no-store" } });
}
