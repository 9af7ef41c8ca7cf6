import { Link } from "@remix-run/react";
import { ActionMiniList, type ActionSummary } from "~/components/actions";

/**
 * "Actions this idea fed" on an idea's page: what the leaders decided, with
 * status badges, and for leaders and facilitators a way to start one from it.
 * Renders nothing for an idea with no actions, unless the viewer can create one.
 */
export function IdeaActions({
  ideaId,
  panel,
  now,
}: {
  ideaId: number;
  panel: { actions: ActionSummary[]; canCreate: boolean };
  now: number;
}) {
  if (panel.actions.length === 0 && !panel.canCreate) return null;
  return (
    <section className="section card stack" aria-labelledby="idea-actions-heading">
      <h2 id="idea-actions-heading">Actions this idea fed</h2>
      {panel.actions.length > 0 ? (
        <ActionMiniList actions={panel.actions} now={now} />
      ) : (
        <p className="muted">No follow-up action has grown from this idea yet.</p>
      )}
      {panel.canCreate ? (
        <p>
          <Link className="btn btn--secondary btn--small" to={`/actions?ideaId=${ideaId}#new-action`}>
            Create an action from this idea
          </Link>
        </p>
      ) : null}
    </section>
  );
}
