import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { Countdown, LocalTime } from "~/components/time";
import { EmptyState, PhaseBadge, plural } from "~/components/ui";
import type { JamSummary } from "~/services/commands/jams.server";
import { listJams } from "~/services/pages/jams.server";
import { shorten } from "~/domain/text";

export const meta: MetaFunction = () => [{ title: "Jams · Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { ...await listJams(user), now: Date.now() };
}

function JamCard({ jam, now, canManage }: { jam: JamSummary; now: number; canManage: boolean }) {
  const revalidator = useRevalidator();
  const refresh = () => revalidator.state === "idle" && revalidator.revalidate();
  return (
    // A facilitator's draft opens at its launch checklist: what it needs before it can be scheduled.
    <Link to={jam.phase === "draft" && canManage ? `/jams/${jam.slug}/launch` : `/jams/${jam.slug}`} className="card card--link stack">
      <div className="row">
        <PhaseBadge phase={jam.phase} />
        <span className="small muted">
          {plural(jam.challengeCount, "challenge")} · {plural(jam.ideaCount, "idea")}
        </span>
      </div>
      <h3>{jam.title}</h3>
      {jam.description ? <p className="muted small">{shorten(jam.description, 180)}</p> : null}
      <p className="small">
        {jam.phase === "live" ? (
          <>
            Ends in <Countdown to={jam.endsAt} now={now} onEnd={refresh} />
          </>
        ) : jam.phase === "scheduled" ? (
          <>
            Starts in <Countdown to={jam.startsAt} now={now} onEnd={refresh} />
          </>
        ) : jam.phase === "draft" ? (
          <>Draft, not visible to participants</>
        ) : (
          <>
            Ended <LocalTime at={jam.endsAt} withTime={false} />
          </>
        )}
      </p>
    </Link>
  );
}

function Section({ title, jams, now, empty, canManage }: { title: string; jams: JamSummary[]; now: number; empty: string; canManage: boolean }) {
  // An id has no spaces: aria-labelledby reads a space-separated list of ids.
  const headingId = `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-heading`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {jams.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <div className="grid grid--3">
          {jams.map((j) => (
            <JamCard key={j.id} jam={j} now={now} canManage={canManage} />
          ))}
        </div>
      )}
    </section>
  );
}

export default function Jams() {
  const { live, upcoming, past, canCreate, now } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Jams</h1>
          <p>Company-wide conversations, open for a limited time. Join one while it is live.</p>
          <p className="small">
            After a jam, its themes live on in <Link to="/communities">communities of practice</Link>, whose idea boxes never close.
          </p>
        </div>
        {canCreate ? (
          <Link to="/jams/new" className="btn">
            New jam
          </Link>
        ) : null}
      </div>
      <Section title="Live now" jams={live} now={now} canManage={canCreate} empty="No jam is live right now." />
      <Section title="Upcoming" jams={upcoming} now={now} canManage={canCreate} empty="Nothing scheduled yet." />
      <Section title="Past jams" jams={past} now={now} canManage={canCreate} empty="No jam has ended yet." />
    </>
  );
}
