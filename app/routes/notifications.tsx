import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { LocalTime } from "~/components/time";
import { EmptyState } from "~/components/ui";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { listNotifications, markRead } from "~/services/notifications.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Jamboree" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  const cursor = new URL(request.url).searchParams.get("cursor");
  return orRespond(() => listNotifications(user, cursor), { request, user, ip: context.ip });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "markAll" && values.intent !== "markOne") {
    return unknownIntent();
  }
  const outcome = await orFormFailure(() => markRead(user, values.intent === "markAll" ? "all" : [values.id ?? ""]), {
    request,
    user,
    ip: context.ip,
    values,
  });
  if (!outcome.ok) return outcome.response;
  return { marked: outcome.result };
}

export default function NotificationsPage() {
  const { notifications, nextCursor, unread } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>{unread > 0 ? `${unread} unread.` : "You are all caught up."}</p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="markAll" />
            <button type="submit" className="btn btn--secondary" disabled={busy}>
              Mark all as read
            </button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <EmptyState title="No notifications yet">
          When leaders act on an idea of yours, you hear about it here.
        </EmptyState>
      ) : (
        <ul className="list-plain notif-list" aria-label="Notifications">
          {notifications.map((n) => (
            <li key={n.id} className={`card notif${n.isRead ? "" : " notif--unread"}`}>
              <div className="notif__body">
                {n.isRead ? null : <span className="visually-hidden">Unread: </span>}
                {n.link ? <Link to={n.link}>{n.body}</Link> : n.body}
                <div className="small muted">
                  <LocalTime at={n.createdAt} />
                </div>
              </div>
              {n.isRead ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="markOne" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="btn btn--ghost btn--small" disabled={busy} aria-label={`Mark as read: ${n.body}`}>
                    Mark read
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <nav className="pager" aria-label="Pages">
          <Link className="btn btn--secondary" to={`?cursor=${nextCursor}`}>
            Older notifications
          </Link>
        </nav>
      ) : null}
    </>
  );
}
