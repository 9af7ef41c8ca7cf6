import { Link, useRevalidator } from "@remix-run/react";
import type { JamPhase } from "~/domain/phase";
import { Countdown, LocalTime } from "~/components/time";
import { PhaseBadge } from "~/components/ui";

/** The jam's title, phase and clock; when the clock runs out the page reloads its data. */
export function JamClock({ phase, startsAt, endsAt, now }: { phase: JamPhase; startsAt: number; endsAt: number; now: number }) {
  const revalidator = useRevalidator();
  const refresh = () => revalidator.state === "idle" && revalidator.revalidate();
  return (
    <div className="row small">
      <PhaseBadge phase={phase} />
      {phase === "live" ? (
        <span>
          Ends in <Countdown to={endsAt} now={now} onEnd={refresh} />
        </span>
      ) : phase === "scheduled" ? (
        <span>
          Starts in <Countdown to={startsAt} now={now} onEnd={refresh} />
        </span>
      ) : phase === "ended" ? (
        <span>
          Ended <LocalTime at={endsAt} />
        </span>
      ) : (
        <span>Draft</span>
      )}
    </div>
  );
}

export function JamCrumbs({ slug, title, children }: { slug: string; title: string; children?: React.ReactNode }) {
  return (
    <div className="breadcrumbs">
      <Link to="/jams">Jams</Link> / <Link to={`/jams/${slug}`}>{title}</Link>
      {children ? <> / {children}</> : null}
    </div>
  );
}
