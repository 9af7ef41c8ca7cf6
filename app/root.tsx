import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { getUser } from "~/auth/guard.server";
import { BadgeToasts, PointsPill } from "~/components/game-feedback";
import { useNonce } from "~/components/nonce";
import { can } from "~/domain/permissions";
import { gameStatus } from "~/services/pages/game-status.server";
import { unreadCount } from "./services/pages/notifications.server";
import { passwordSignInAllowed } from "./services/lookups/sign-on.server";
import { NotificationsLink } from "~/components/notifications-link";
import { ThemeToggle } from "~/components/theme-toggle";
import { isLearningPath } from "~/components/learning-nav";
import { themeFromCookie } from "~/domain/appearance";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Jamboree" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    theme: themeFromCookie(request.headers.get("cookie")),
    user: user ? { id: user.id, name: user.name, isAdmin: can(user.role, "administerPeople") } : null,
    game: user ? await gameStatus(user) : null,
    unread: user ? await unreadCount(user) : 0,
    // Signing up is for password accounts: with passwords off, accounts come from the company's sign-on.
    signUpOpen: user ? false : await passwordSignInAllowed(),
  };
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const game = data?.game;
  const location = useLocation();
  // The phone menu: closed after every navigation and with Escape. Without JavaScript it is always open.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.key]);
  return (
    <header className="site-header" onKeyDown={(e) => e.key === "Escape" && setMenuOpen(false)}>
      <div className="site-header__inner">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" className="brand__mark" width={28} height={28} />
          Jamboree
        </Link>
        {user ? (
          <>
            <div className="header-tools">
              <ThemeToggle theme={data?.theme ?? "system"} />
              <NotificationsLink unread={data?.unread ?? 0} />
              {game ? <PointsPill userId={user.id} points={game.points} /> : null}
              <button
                type="button"
                className="btn btn--secondary btn--small menu-button"
                aria-expanded={menuOpen}
                aria-controls="site-menu"
                onClick={() => setMenuOpen((open) => !open)}
              >
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
                  <path d="M4 6h16M4 12h16M4 18h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
                </svg>
                <span className="menu-button__label">Menu</span>
              </button>
            </div>
            <div id="site-menu" className={`site-menu${menuOpen ? " is-open" : ""}`}>
              <nav className="nav" aria-label="Main">
                <NavLink to="/jams">Jams</NavLink>
                <NavLink to="/leaderboard">Leaderboard</NavLink>
                <NavLink to="/actions">Actions</NavLink>
                {/* Communities, questions and jellies: one entry, current on any of them. */}
                <Link to="/communities" aria-current={isLearningPath(location.pathname) ? "page" : undefined}>
                  Learn
                </Link>
                <NavLink to="/me">My activity</NavLink>
                {user.isAdmin ? <NavLink to="/admin/people">People</NavLink> : null}
              </nav>
              <div className="nav__user">
                <NavLink to={`/people/${user.id}`} className="nav__me" title="Your profile">
                  {user.name}
                </NavLink>
                {/* On a phone the theme switch lives here, in the menu (the header row has no room). */}
                <ThemeToggle theme={data?.theme ?? "system"} />
                <Form method="post" action="/logout">
                  <button type="submit" className="btn btn--secondary btn--small">
                    Sign out
                  </button>
                </Form>
              </div>
            </div>
          </>
        ) : (
          <nav className="nav" aria-label="Main">
            <div className="nav__user">
              <ThemeToggle theme={data?.theme ?? "system"} />
              <NavLink to="/login">Sign in</NavLink>
              {data?.signUpOpen ? (
                <Link to="/signup" className="btn btn--small">
                  Create account
                </Link>
              ) : null}
            </div>
          </nav>
        )}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // The chosen theme is drawn from the first byte (no flash); the system's when none was chosen.
  const theme = useRouteLoaderData<typeof loader>("root")?.theme ?? "system";
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme} suppressHydrationWarning>
      <head>
        <meta charSet="utf-8" />
        {/* Before the first paint: with JavaScript the phone menu starts closed (without, it stays open). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: 'document.documentElement.classList.add("js")' }} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Header />
        <main id="main" className="page">
          {children}
        </main>
        <GameToasts />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function GameToasts() {
  const data = useRouteLoaderData<typeof loader>("root");
  return data?.game ? <BadgeToasts badges={data.game.unseenBadges} /> : null;
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const signedIn = Boolean(useRouteLoaderData<typeof loader>("root")?.user);
  const known = isRouteErrorResponse(error);
  const title = !known
    ? "Something went wrong"
    : error.status === 404
      ? "We could not find that page"
      : error.status === 403
        ? "You do not have access to this page"
        : error.status === 429
          ? "Slow down a little"
          : `Something went wrong (${error.status})`;
  // What the server chose to say (never a stack trace: an unexpected error says only that it was logged).
  const message = known
    ? typeof error.data === "string" && error.data
      ? error.data
      : error.statusText
    : "The problem has been logged. Please try again in a moment.";
  return (
    <section className="empty error-page" aria-labelledby="error-title">
      <p className="error-page__code" aria-hidden="true">
        {known ? error.status : 500}
      </p>
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      <div className="row" style={{ justifyContent: "center" }}>
        <Link to="/jams" className="btn">
          Back to jams
        </Link>
        {signedIn ? (
          <Link to="/me" className="btn btn--secondary">
            My activity
          </Link>
        ) : (
          <Link to="/login" className="btn btn--secondary">
            Sign in
          </Link>
        )}
      </div>
    </section>
  );
}
