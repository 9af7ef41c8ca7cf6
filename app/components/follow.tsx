import { useFetcher, useLocation } from "@remix-run/react";

/**
 * A follow / unfollow toggle for a person or a theme. Posts to /follows (works
 * without JavaScript: the action redirects back here).
 */
export function FollowButton({
  targetType,
  targetId,
  following,
  label,
}: {
  targetType: "person" | "theme";
  targetId: number;
  following: boolean;
  /** What is followed, for the accessible name ("Follow Casey Colleague"). */
  label: string;
}) {
  const fetcher = useFetcher<{ formError?: string | null }>();
  const location = useLocation();
  const pending = fetcher.formData?.get("intent");
  const shown = pending ? pending === "follow" : following;
  return (
    <fetcher.Form method="post" action="/follows" className="follow-form">
      <input type="hidden" name="intent" value={shown ? "unfollow" : "follow"} />
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        className={`btn btn--small ${shown ? "btn--secondary" : ""}`}
        aria-pressed={shown}
        aria-label={`${shown ? "Following" : "Follow"} ${label}`}
      >
        {shown ? "Following" : "Follow"}
      </button>
      {fetcher.state === "idle" && fetcher.data?.formError ? (
        <span className="field__error small" role="alert">
          {fetcher.data.formError}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
