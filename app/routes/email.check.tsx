import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getUser } from "~/auth/guard.server";
import { confirmEmail } from "~/services/commands/email-check.server";
import { checkLinkState } from "~/services/pages/email-check.server";

export const meta: MetaFunction = () => [{ title: "Confirm your address · Jamboree" }, { name: "robots", content: "noindex" }];

/** The page an address-check link opens: one button (opening it checks nothing: mail scanners follow links). */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t");
  return { token, link: await checkLinkState(token), signedIn: await getUser(request) !== null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") !== "confirm") return { link: { state: "invalid" as const } };
  return { link: await confirmEmail(new URL(request.url).searchParams.get("t"), { ip: context.ip }) };
}

export default function EmailCheck() {
  const page = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const link = done?.link ?? page.link;
  const next = page.signedIn ? { to: "/jams", label: "Go to the jams" } : { to: "/login", label: "Sign in" };
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="check-title">
        {link.state === "ok" ? (
          <>
            <h1 id="check-title">Confirm your address</h1>
            <p>
              Is <strong>{link.email}</strong> your e-mail address? Confirming it lets Jamboree send you invitations to jams and news of
              your ideas.
            </p>
            <Form method="post" action={`/email/check?t=${encodeURIComponent(page.token ?? "")}`}>
              <input type="hidden" name="intent" value="confirm" />
              <button type="submit" className="btn" disabled={busy}>
                {busy ? "Confirming…" : "Yes, confirm my address"}
              </button>
            </Form>
          </>
        ) : link.state === "done" ? (
          <>
            <h1 id="check-title">Address confirmed</h1>
            <p role="status">
              <strong>{link.email}</strong> is confirmed. Choose what e-mail you get in your{" "}
              <Link to="/notifications/settings">settings</Link>.
            </p>
            <p>
              <Link to={next.to} className="btn">
                {next.label}
              </Link>
            </p>
          </>
        ) : (
          <>
            <h1 id="check-title">{link.state === "expired" ? "This link has expired" : "This link does not work"}</h1>
            <p role="alert">
              {link.state === "expired"
                ? "Address-check links work for 7 days."
                : "This link is not valid: it may have been cut short or changed, or it was for an address the account no longer has."}{" "}
              Sign in and use “Send it again” on My activity for a new one.
            </p>
            <p>
              <Link to={page.signedIn ? "/me" : "/login?redirectTo=%2Fme"} className="btn">
                {page.signedIn ? "Go to My activity" : "Sign in"}
              </Link>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
