import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { FollowButton } from "~/components/follow";
import { EmptyState, plural, TableWrap } from "~/components/ui";
import { orRespond } from "~/http/respond.server";
import { myNetworkPage } from "~/services/network-pages.server";

export const meta: MetaFunction = () => [{ title: "My network · Jamboree" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  return orRespond(() => myNetworkPage(user), { request, user, ip: context.ip });
}

function Counts({ c }: { c: { comments: number; replies: number; supports: number; merges: number } }) {
  const parts = [
    c.comments ? plural(c.comments, "comment") : null,
    c.replies ? plural(c.replies, "reply", "replies") : null,
    c.supports ? plural(c.supports, "vote") : null,
    c.merges ? plural(c.merges, "merge") : null,
  ].filter(Boolean);
  return <>{parts.length > 0 ? parts.join(", ") : "—"}</>;
}

export default function MyNetwork() {
  const { network, tieCount, follows, meet } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My network</h1>
          <p>The people you have worked with through ideas, comments and votes. Only you see this page.</p>
        </div>
        <div className="row">
          <a className="btn btn--secondary" href="/network/me.csv" download>
            Download my network (CSV)
          </a>
          <Link className="btn btn--secondary" to="/people/search">
            Find people
          </Link>
        </div>
      </div>

      <section aria-labelledby="meet-heading" className="stack">
        <h2 id="meet-heading">People you should meet</h2>
        {meet.length === 0 ? (
          <EmptyState title="No suggestions yet">
            Comment on ideas and contribute to themes: people from other departments on the same topics appear here.
          </EmptyState>
        ) : (
          <ul className="list-plain grid grid--3">
            {meet.map((p) => (
              <li key={p.id} className="card stack">
                <div>
                  <Link to={`/people/${p.id}`}>{p.name}</Link>
                  <div className="small muted">{p.department}</div>
                </div>
                <p className="small">
                  {p.sharedThemes.length > 0 ? `Also contributed to ${p.sharedThemes.slice(0, 2).map((t) => `“${t}”`).join(" and ")}` : ""}
                  {p.sharedThemes.length > 0 && p.sharedIdeas > 0 ? "; " : ""}
                  {p.sharedIdeas > 0 ? `commented on ${plural(p.sharedIdeas, "idea")} you commented on` : ""}.
                </p>
                <div className="row">
                  <FollowButton targetType="person" targetId={p.id} following={follows.people.some((f) => f.id === p.id)} label={p.name} />
                  <Link to={`/jellies/new?with=${p.id}`} className="btn btn--secondary btn--small" aria-label={`Propose a jelly to meet ${p.name}`}>
                    Propose a jelly
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ties-heading" className="stack section">
        <h2 id="ties-heading">Whom you interacted with</h2>
        {tieCount > network.length ? (
          <p className="muted small">
            The {network.length.toLocaleString("en")} strongest of {tieCount.toLocaleString("en")} people; the CSV download has them all.
          </p>
        ) : null}
        {network.length === 0 ? (
          <EmptyState title="No interactions yet">Vote for and comment on colleagues’ ideas to build your network.</EmptyState>
        ) : (
          <TableWrap label="Your interactions">
            <table>
              <caption className="visually-hidden">People you interacted with, and how</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Department</th>
                  <th scope="col">You gave</th>
                  <th scope="col">You received</th>
                  <th scope="col" className="num">
                    Interactions
                  </th>
                </tr>
              </thead>
              <tbody>
                {network.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/people/${t.id}`}>{t.name}</Link>
                    </td>
                    <td>{t.department ?? "—"}</td>
                    <td>
                      <Counts c={t.given} />
                    </td>
                    <td>
                      <Counts c={t.received} />
                    </td>
                    <td className="num">{t.interactions.toLocaleString("en")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section aria-labelledby="following-heading" className="stack section">
        <h2 id="following-heading">You follow</h2>
        {follows.people.length === 0 && follows.themes.length === 0 ? (
          <EmptyState title="You follow nobody yet">Follow people from their profile, and themes from a jam’s synthesis.</EmptyState>
        ) : (
          <ul className="list-plain stack">
            {follows.people.map((p) => (
              <li key={`p${p.id}`} className="row">
                <Link to={`/people/${p.id}`}>{p.name}</Link>
                <span className="small muted">{p.department ?? "No team"}</span>
                <FollowButton targetType="person" targetId={p.id} following label={p.name} />
              </li>
            ))}
            {follows.themes.map((t) => (
              <li key={`t${t.id}`} className="row">
                <span>
                  Theme <Link to={`/jams/${t.jamSlug}/synthesis`}>“{t.label}”</Link>
                </span>
                <span className="small muted">{t.jamTitle}</span>
                <FollowButton targetType="theme" targetId={t.id} following label={`the theme “${t.label}”`} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
