import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/guard.server";

export function loader({ request }: LoaderFunctionArgs) {
  return redirect(getUser(request) ? "/jams" : "/login");
}
