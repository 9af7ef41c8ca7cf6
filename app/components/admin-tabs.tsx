import { NavLink } from "@remix-run/react";

/** The admin pages, as tabs at the top of each: People (and teams), and Settings (company set-up). */
export function AdminTabs() {
  return (
    <nav className="tabs admin-tabs" aria-label="Admin">
      <NavLink to="/admin/people" end>
        People
      </NavLink>
      <NavLink to="/admin/settings" end>
        Settings
      </NavLink>
    </nav>
  );
}
