import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/guard.server";

export function loader({ request, context }: LoaderFunctionArgs) {
  return redirect(getUser(request, context) ? "/jams" : "/login");
}
