import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requireUser } from "~/auth/guard.server";
import { JellyTime } from "~/components/jellies";
import { Alert } from "~/components/ui";
import { orRespond } from "~/http/respond.server";
import { checkInCodePage } from "~/services/pages/jellies.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Check-in code · ${data?.jelly.title ?? "Jelly"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such jelly.", { status: 404 });
  return await orRespond(async () => await checkInCodePage(user, id), { request, user, ip: context.ip });
}

/** The host's screen at the meetup: the code in large type while it is valid, and how many have checked in. */
export default function CheckInCode() {
  const { jelly, window, code, opensAt, checkedIn, going } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // The count of people checked in refreshes while the screen is up.
  useEffect(() => {
    if (window !== "open") return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, 15_000);
    return () => clearInterval(timer);
  }, [window, revalidator]);
  return (
    <div>
      <div className="breadcrumbs">
        <Link to="/jellies">Jellies</Link> / <Link to={`/jellies/${jelly.id}`}>{jelly.title}</Link> / Check-in code
      </div>
      <section className="card stack jelly-code" aria-labelledby="code-heading">
        <h1 id="code-heading">Check in to “{jelly.title}”</h1>
        {jelly.status === "cancelled" ? (
          <Alert kind="warn">This jelly was cancelled.</Alert>
        ) : window === "open" && code ? (
          <>
            <p>Open the jelly in Jamboree and type this code:</p>
            <p className="jelly-code__value" aria-label={`The code is ${code.split("").join(" ")}`} data-code={code}>
              {code}
            </p>
            <p className="small muted" aria-live="polite">
              {checkedIn} of {going} going checked in
            </p>
          </>
        ) : window === "early" ? (
          <Alert>
            The code appears from <JellyTime at={opensAt} zone={jelly.timeZone} />, 30 minutes before the start.
          </Alert>
        ) : (
          <Alert>Check-in has closed: {checkedIn} of {going} checked in.</Alert>
        )}
        <p className="small muted">
          <JellyTime at={jelly.startsAt} end={jelly.endsAt} zone={jelly.timeZone} />
        </p>
      </section>
    </div>
  );
}
