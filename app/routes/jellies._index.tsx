import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JellyList } from "~/components/jellies";
import { formatNumber } from "~/domain/numbers";
import { orRespond } from "~/http/respond.server";
import type { JelliesTab } from "~/services/lookups/jellies.server";
import { jelliesPage } from "~/services/pages/jellies.server";
import { LearningNav } from "~/components/learning-nav";

export const meta: MetaFunction = () => [{ title: "Jellies · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(
    async () => await jelliesPage(user, { tab: url.searchParams.get("tab"), page: url.searchParams.get("page"), theme: url.searchParams.get("theme") }),
    { request, user, ip: context.ip },
  );
}

const TABS: { tab: JelliesTab; label: string }[] = [
  { tab: "upcoming", label: "Upcoming" },
  { tab: "mine", label: "Mine" },
  { tab: "past", label: "Past" },
];

function tabHref(tab: JelliesTab, page = 1, themeId?: number) {
  const search = new URLSearchParams();
  if (themeId) search.set("theme", String(themeId));
  if (tab !== "upcoming") search.set("tab", tab);
  if (page > 1) search.set("page", String(page));
  const s = search.toString();
  return s ? `/jellies?${s}` : "/jellies";
}

const EMPTY: Record<JelliesTab, { title: string; body: string }> = {
  upcoming: { title: "No jellies coming up", body: "A jelly is an informal meetup about something you care about. Propose the first one." },
  mine: { title: "None of yours yet", body: "The jellies you host or RSVP to show up here." },
  past: { title: "No past jellies", body: "Jellies that have ended show up here, with their notes and ideas." },
};

/** The jellies list: upcoming (soonest first), mine, past; a page at a time. */
export default function Jellies() {
  const { tab, jellies, window, theme } = useLoaderData<typeof loader>();
  return (
    <>
      <LearningNav />
      <div className="page-head">
        <div>
          <h1>Jellies</h1>
          {theme ? (
            <p>
              About the theme <Link to={`/jams/${theme.jamSlug}/synthesis`}>{theme.label}</Link> · <Link to="/jellies">All jellies</Link>
            </p>
          ) : (
            <p>Informal meetups: an hour with people who care about the same thing.</p>
          )}
        </div>
        <div className="row">
          <Link to={theme ? `/jellies/new?theme=${theme.id}` : "/jellies/new"} className="btn">
            Propose a jelly
          </Link>
          <Link to="/me?tab=data#calendar" className="btn btn--secondary">
            Calendar feed
          </Link>
        </div>
      </div>
      <nav className="tabs" aria-label="Jellies">
        {TABS.map((t) => (
          <Link key={t.tab} to={tabHref(t.tab, 1, theme?.id)} aria-current={t.tab === tab ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <section className="section stack" aria-label={TABS.find((t) => t.tab === tab)!.label}>
        {window.total > 0 ? (
          <p className="small muted">
            {window.pages === 1
              ? `${formatNumber(window.total)} ${window.total === 1 ? "jelly" : "jellies"}`
              : `Showing ${formatNumber(window.from)}–${formatNumber(window.to)} of ${formatNumber(window.total)} jellies`}
          </p>
        ) : null}
        <JellyList
          jellies={jellies}
          empty={{
            ...EMPTY[tab],
            action: (
              <Link to="/jellies/new" className="btn">
                Propose a jelly
              </Link>
            ),
          }}
        />
        {window.pages > 1 ? (
          <nav className="pager" aria-label="Pages">
            {window.page > 1 ? (
              <Link className="btn btn--secondary" to={tabHref(tab, window.page - 1, theme?.id)}>
                Previous
              </Link>
            ) : null}
            <span className="small muted">
              Page {window.page} of {window.pages}
            </span>
            {window.page < window.pages ? (
              <Link className="btn btn--secondary" to={tabHref(tab, window.page + 1, theme?.id)}>
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
