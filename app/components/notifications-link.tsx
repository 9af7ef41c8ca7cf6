import { NavLink } from "@remix-run/react";

/** The header's bell: a link to /notifications that says how many are unread. */
export function NotificationsLink({ unread }: { unread: number }) {
  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <NavLink to="/notifications" className="notif-link" aria-label={label} title={label}>
      <svg className="notif-link__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 3A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.4l-1.7-3V9a6 6 0 0 0-6-6Zm-2.5 15.5a2.5 2.5 0 0 0 5 0h-5Z"
          fill="currentColor"
        />
      </svg>
      {unread > 0 ? (
        <span className="notif-link__count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
