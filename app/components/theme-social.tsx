import { Link } from "@remix-run/react";
import { FollowButton } from "./follow";

/** On a theme card: follow the theme, and the people to ask about it. */
export function ThemeSocial({
  themeId,
  label,
  following,
  goTo,
}: {
  themeId: number;
  label: string;
  following: boolean;
  goTo: { id: number; name: string | null; department: string | null }[];
}) {
  return (
    <div className="row go-to">
      <FollowButton targetType="theme" targetId={themeId} following={following} label={`the theme “${label}”`} />
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
