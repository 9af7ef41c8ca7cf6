import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/guard.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect(await getUser(request) ? "/jams" : "/login");
}
