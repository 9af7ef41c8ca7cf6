import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getUser } from "~/auth/guard.server";
import { unsubscribe } from "~/services/commands/mail-preferences.server";
import { unsubscribePreview } from "~/services/pages/mail-preferences.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Jamboree" }, { name: "robots", content: "noindex" }];

/** The page a message's unsubscribe link opens: what it would stop, and one button. Opening it changes nothing. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("t");
  const preview = await unsubscribePreview(token);
  return { token: preview ? token : null, what: preview?.what ?? null, signedIn: await getUser(request) !== null };
}

/**
 * The unsubscribe itself: RFC 8058's one-click POST (`List-Unsubscribe=One-Click`, sent by mail
 * clients without a session or an Origin header; see app/auth/origin.ts) or the page's button,
 * which posts the same. The token in the address says whose and what.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("List-Unsubscribe") !== "One-Click") {
    return data({ ok: false as const, error: "This is not an unsubscribe request." }, { status: 400 });
  }
  const result = await unsubscribe(new URL(request.url).searchParams.get("t"), { ip: context.ip });
  if (!result) return data({ ok: false as const, error: "This unsubscribe link is not valid: it may have been cut short or changed." }, { status: 400 });
  return { ok: true as const, what: result.what };
}

export default function Unsubscribe() {
  const { token, what, signedIn } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow" style={{ margin: "0 auto" }}>
      <section className="card auth-card stack" aria-labelledby="unsubscribe-title">
        {done?.ok ? (
          <>
            <h1 id="unsubscribe-title">You are unsubscribed</h1>
            <p role="status">You will get no more {done.what}.</p>
            <p className="small muted">
              Changed your mind? Choose what you get in your{" "}
              <Link to={signedIn ? "/notifications/settings" : "/login?redirectTo=%2Fnotifications%2Fsettings"}>e-mail settings</Link>.
            </p>
          </>
        ) : token && what ? (
          <>
            <h1 id="unsubscribe-title">Unsubscribe</h1>
            <p>
              Stop getting <strong>{what}</strong> from Jamboree?
            </p>
            {done && !done.ok ? (
              <div className="alert alert--error" role="alert">
                {done.error}
              </div>
            ) : null}
            <Form method="post" action={`/mail/unsubscribe?t=${encodeURIComponent(token)}`}>
              <input type="hidden" name="List-Unsubscribe" value="One-Click" />
              <button type="submit" className="btn" disabled={busy}>
                {busy ? "Unsubscribing…" : "Unsubscribe"}
              </button>
            </Form>
            <p className="small muted">
              Password resets and address checks still reach you when you ask for them. You can choose how you get each kind of
              e-mail in your <Link to="/notifications/settings">e-mail settings</Link>.
            </p>
          </>
        ) : (
          <>
            <h1 id="unsubscribe-title">This link does not work</h1>
            <p role="alert">
              This unsubscribe link is not valid: it may have been cut short or changed. Copy the whole link from the e-mail, or choose
              what you get in your <Link to="/notifications/settings">e-mail settings</Link>.
            </p>
          </>
        )}
      </section>
    </div>
  );
}
