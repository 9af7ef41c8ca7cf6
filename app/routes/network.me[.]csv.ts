import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { attachment } from "~/http/download.server";
import { orRespond } from "~/http/respond.server";
import { personalNetworkCsv } from "~/services/lookups/network.server";

/** The signed-in person's own network as CSV (GET, reads only). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const body = await orRespond(async () => await personalNetworkCsv(user), { request, user, ip: context.ip });
  return attachment({ filename: "my-network.csv", body }, "text/csv");
}
