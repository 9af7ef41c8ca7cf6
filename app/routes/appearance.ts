import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { safeRedirect } from "~/auth/guard.server";
import { isTheme, themeCookie } from "~/domain/appearance";
import { formValues } from "~/http/respond.server";

/** Keeps the colour theme a person chose (anyone, signed in or not), then back to the page they were on. */
export async function action({ request }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  if (!isTheme(values.theme)) return Response.json({ formError: "Choose the system's theme, light or dark." }, { status: 400 });
  return redirect(safeRedirect(values.returnTo, "/jams"), { headers: { "Set-Cookie": themeCookie(values.theme) } });
}

export function loader() {
  return redirect("/jams");
}
