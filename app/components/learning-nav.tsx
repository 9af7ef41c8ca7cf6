import { NavLink } from "@remix-run/react";

/** The three places of the learning network, one header entry ("Learn") between them. */
export const LEARNING_PLACES = [
  { to: "/communities", label: "Communities" },
  { to: "/questions", label: "Questions" },
  { to: "/jellies", label: "Jellies" },
] as const;

/** Whether a path belongs to the learning network (the header's "Learn" is then the current entry). */
export function isLearningPath(pathname: string) {
  return LEARNING_PLACES.some((p) => pathname === p.to || pathname.startsWith(`${p.to}/`));
}

/** Switches between communities, questions and jellies, at the top of each of their lists. */
export function LearningNav() {
  return (
    <nav className="learning-nav" aria-label="Learn from each other">
      {LEARNING_PLACES.map((p) => (
        <NavLink key={p.to} to={p.to} end>
          {p.label}
        </NavLink>
      ))}
    </nav>
  );
}
