import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { LocalTime } from "~/components/time";
import { EmptyState } from "~/components/ui";
import { NOTICE_KIND_LABELS } from "~/domain/notifications";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { markRead } from "~/services/commands/notifications.server";
import { listNotifications } from "~/services/pages/notifications.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(async () => ({ ...await listNotifications(user, url.searchParams.get("cursor")), older: url.searchParams.has("cursor") }), {
    request,
    user,
    ip: context.ip,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "markAll" && values.intent !== "markOne") {
    return unknownIntent();
  }
  const outcome = await orFormFailure(async () => await markRead(user, values.intent === "markAll" ? "all" : [values.id ?? ""]), {
    request,
    user,
    ip: context.ip,
    values,
  });
  if (!outcome.ok) return outcome.response;
  return { marked: outcome.result };
}

export default function NotificationsPage() {
  const { notifications, nextCursor, unread, older } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p>
            {unread > 0 ? `${unread} unread.` : "You are all caught up."} <Link to="/notifications/settings">Choose what to be told</Link>
          </p>
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
        <EmptyState title={older ? "No older notifications" : "No notifications yet"}>
          {older ? (
            <Link to="/notifications">Back to the newest</Link>
          ) : (
            "When someone replies to you, supports or comments on your idea, or a jam you took part in has results, you hear about it here."
          )}
        </EmptyState>
      ) : (
        <ul className="list-plain notif-list" aria-label="Notifications">
          {notifications.map((n) => (
            <li key={n.id} className={`card notif${n.isRead ? "" : " notif--unread"}`}>
              <div className="notif__meta small">
                <span className="notif__kind">{NOTICE_KIND_LABELS[n.kind]}</span>
                {n.isRead ? null : <span className="notif__new">New</span>}
                <span className="muted">
                  <LocalTime at={n.createdAt} />
                </span>
                {n.isRead ? null : (
                  <Form method="post" className="notif__mark">
                    <input type="hidden" name="intent" value="markOne" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="btn btn--ghost btn--small" disabled={busy} aria-label={`Mark as read: ${n.body}`}>
                      Mark read
                    </button>
                  </Form>
                )}
              </div>
              <p className="notif__text">
                {n.isRead ? null : <span className="visually-hidden">Unread: </span>}
                {n.link ? <Link to={n.link}>{n.body}</Link> : n.body}
              </p>
            </li>
          ))}
        </ul>
      )}
      {nextCursor || older ? (
        <nav className="pager" aria-label="Pages">
          {older ? (
            <Link className="btn btn--ghost" to="/notifications">
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link className="btn btn--secondary" to={`?cursor=${nextCursor}`}>
              Older notifications
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
