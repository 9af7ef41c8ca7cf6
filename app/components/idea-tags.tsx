/** A facilitator's pin and tag on an idea, as badges with words (never colour alone). */
export function IdeaTags({ idea }: { idea: { tag?: "emerging" | "best" | null; isPinned?: boolean } }) {
  if (!idea.tag && !idea.isPinned) return null;
  return (
    <span className="idea-tags">
      {idea.isPinned ? (
        <span className="badge badge--pinned">
          <span aria-hidden="true">📌</span> Pinned
        </span>
      ) : null}
      {idea.tag === "best" ? (
        <span className="badge badge--best">
          <span aria-hidden="true">★</span> Best
        </span>
      ) : idea.tag === "emerging" ? (
        <span className="badge badge--emerging">
          <span aria-hidden="true">↗</span> Emerging
        </span>
      ) : null}
    </span>
  );
}
