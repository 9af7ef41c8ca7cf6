import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUser } from "~/auth/guard.server";
import { clearedSessionCookie, readSessionToken } from "~/auth/session.server";
import { signOut } from "~/services/commands/accounts.server";

export function loader() {
  return redirect("/jams");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await signOut(readSessionToken(request), await getUser(request), { ip: context.ip });
  return redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}
