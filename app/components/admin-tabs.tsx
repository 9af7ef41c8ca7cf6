import { NavLink } from "@remix-run/react";

/** The admin pages, as tabs at the top of each (the header links only the first, People). */
export const ADMIN_PAGES = [
  { to: "/admin/people", label: "People" },
  { to: "/admin/settings", label: "Settings" },
  { to: "/admin/mail", label: "Mail" },
] as const;

export function AdminTabs() {
  return (
    <nav className="tabs admin-tabs" aria-label="Admin">
      {ADMIN_PAGES.map((p) => (
        <NavLink key={p.to} to={p.to} end={p.to !== "/admin/mail"}>
          {p.label}
        </NavLink>
      ))}
    </nav>
  );
}
