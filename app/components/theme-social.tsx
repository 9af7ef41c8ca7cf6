import { Link } from "@remix-run/react";
import { FollowButton } from "~/components/follow";

/** On a theme card: follow the theme, and the people to ask about it. */
export function ThemeSocial({
  themeId,
  label,
  following,
  goTo,
  canProposeJelly = false,
  upcomingJellies = 0,
}: {
  themeId: number;
  label: string;
  following: boolean;
  goTo: { id: number; name: string | null; department: string | null }[];
  /** A published theme: anyone may propose an informal meetup (a jelly) about it. */
  canProposeJelly?: boolean;
  /** Jellies still to come that grew from this theme. */
  upcomingJellies?: number;
}) {
  return (
    <div className="row go-to">
      <FollowButton targetType="theme" targetId={themeId} following={following} label={`the theme “${label}”`} />
      {canProposeJelly ? (
        <Link to={`/jellies/new?theme=${themeId}`} className="btn btn--secondary btn--small" aria-label={`Propose a jelly about “${label}”`}>
          Propose a jelly
        </Link>
      ) : null}
      {canProposeJelly && upcomingJellies > 0 ? (
        <Link to={`/jellies?theme=${themeId}`} className="small">
          {upcomingJellies === 1 ? "1 jelly coming up" : `${upcomingJellies} jellies coming up`}
        </Link>
      ) : null}
      {goTo.length > 0 ? (
        <span>
          Go-to people:{" "}
          {goTo.map((p, i) => (
            <span key={`${p.id}-${i}`}>
              {i > 0 ? ", " : ""}
              {p.name ? <Link to={`/people/${p.id}`}>{p.name}</Link> : "a participant"}
              {p.department ? <span className="muted"> ({p.department})</span> : null}
            </span>
          ))}
        </span>
      ) : null}
      <Link to={`/questions/new?theme=${themeId}`} className="btn btn--secondary btn--small">
        Ask {goTo.length > 0 ? "them" : "a question"}
      </Link>
    </div>
  );
}
