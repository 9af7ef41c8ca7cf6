import { NavLink } from "@remix-run/react";

/** The admin pages, as tabs at the top of each (the header links only the first, People). */
export const ADMIN_PAGES = [
  { to: "/admin/people", label: "People" },
  { to: "/admin/mail", label: "Mail" },
] as const;

export function AdminNav() {
  return (
    <nav className="tabs admin-nav" aria-label="Admin">
      {ADMIN_PAGES.map((p) => (
        <NavLink key={p.to} to={p.to}>
          {p.label}
        </NavLink>
      ))}
    </nav>
  );
}
