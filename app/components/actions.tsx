import { Link } from "@remix-run/react";
import { ACTION_STATUS_LABELS, formatDueDate, isOverdue, type ActionStatus } from "~/domain/actions";

/** An action's status as a badge; the word is always there, colour only adds to it. */
export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  return <span className={`badge action-status action-status--${status}`}>{ACTION_STATUS_LABELS[status]}</span>;
}

/** A due date (a calendar day, the same for everyone), marked when it has passed on an open action. */
export function DueDate({ dueDate, status, now }: { dueDate: number | null; status: ActionStatus; now: number }) {
  if (dueDate === null) return <span className="muted">No due date</span>;
  const overdue = isOverdue({ dueDate, status }, now);
  return (
    <span className={overdue ? "action-due action-due--overdue" : "action-due"}>
      <time dateTime={new Date(dueDate).toISOString().slice(0, 10)}>{formatDueDate(dueDate)}</time>
      {overdue ? " (overdue)" : ""}
    </span>
  );
}

export interface ActionSummary {
  id: number;
  title: string;
  status: ActionStatus;
  dueDate: number | null;
  ownerName: string;
}

/** A compact list of actions (an idea's, a theme's), each linking to its page. */
export function ActionMiniList({ actions, now }: { actions: ActionSummary[]; now: number }) {
  return (
    <ul className="list-plain action-mini">
      {actions.map((a) => (
        <li key={a.id} className="row">
          <ActionStatusBadge status={a.status} />
          <Link to={`/actions/${a.id}`}>{a.title}</Link>
          <span className="small muted">
            Owner {a.ownerName} · <DueDate dueDate={a.dueDate} status={a.status} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * For the synthesis page: a theme's actions and, for leaders and facilitators,
 * a link that opens the "New action" form with the theme chosen.
 * Data: `actionsForThemes(themeIds)` in app/services/lookups/actions.server.ts.
 */
export function ThemeActions({
  themeId,
  themeLabel,
  actions,
  canCreate,
  now,
}: {
  themeId: number;
  themeLabel: string;
  actions: ActionSummary[];
  canCreate: boolean;
  now: number;
}) {
  if (actions.length === 0 && !canCreate) return null;
  return (
    <div className="stack theme-actions" style={{ gap: "var(--s-2)" }}>
      {actions.length > 0 ? <ActionMiniList actions={actions} now={now} /> : null}
      {canCreate ? (
        <Link className="btn btn--small" to={`/actions?themeId=${themeId}#new-action`} aria-label={`Create an action from the theme “${themeLabel}”`}>
          Create an action
        </Link>
      ) : null}
    </div>
  );
}
