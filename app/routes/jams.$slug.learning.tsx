import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { JamCrumbs } from "~/components/jam-header";
import { LocalTime } from "~/components/time";
import { EmptyState, Stat, TableWrap, plural } from "~/components/ui";
import { orRespond } from "~/http/respond.server";
import { jamLearningPage } from "~/services/pages/learning.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `What it left behind · ${data?.jam.title ?? "Jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await jamLearningPage(user, params.slug ?? ""), { request, user, ip: context.ip });
}

export default function JamLearning() {
  const { jam, ties, followUps } = useLoaderData<typeof loader>();
  const widest = Math.max(1, ...ties.byDepartments.map((row) => row.formed));
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        What it left behind
      </JamCrumbs>
      <div className="page-head">
        <div>
          <h1>What the jam left behind</h1>
          <p>
            A jam is a burst; what lasts is who now knows whom. These are the people from different departments who met over an idea in{" "}
            {jam.title}, and whether they kept talking after it {jam.ended ? "ended" : "ends"}.
          </p>
        </div>
        <div className="row">
          <Link to={`/jams/${jam.slug}/network`} className="btn btn--secondary">
            People network
          </Link>
          <Link to={`/jams/${jam.slug}/command`} className="btn btn--secondary">
            Command centre
          </Link>
        </div>
      </div>

      <section className="section stack" aria-labelledby="ties-heading">
        <h2 id="ties-heading">Ties across departments</h2>
        <div className="stats" aria-label="Ties across departments">
          <Stat label="New ties the jam formed" value={ties.formed} />
          <Stat label="Kept up after the jam" value={ties.keptUp} />
          {ties.lasted === null ? (
            <div className="stat">
              <div className="stat__value stat__value--pending">Not yet</div>
              <div className="stat__label">
                Still in touch 90 days on: known <LocalTime at={ties.lastingKnownAt} withTime={false} />
              </div>
            </div>
          ) : (
            <Stat label="Still in touch 90 days on" value={ties.lasted} />
          )}
          <Stat label="Pairs across departments who interacted" value={ties.crossDepartment} />
        </div>
        <p className="muted small">
          A tie is two people of different departments who commented on, replied to or supported each other's ideas. It is new when they had
          never done so before the jam; it is kept up when they did again after the jam ended, on anything. Anonymous ideas, hidden posts and
          draft jams count for nothing here.
        </p>
      </section>

      <section className="section stack" aria-labelledby="pairs-heading">
        <h2 id="pairs-heading">Which departments met</h2>
        {ties.byDepartments.length === 0 ? (
          <EmptyState title="No new ties across departments yet">
            When people from two departments comment on or support each other's ideas for the first time, the pair shows here.
          </EmptyState>
        ) : (
          <>
            <TableWrap label="New ties by pair of departments">
              <table className="learning-pairs">
                <caption className="visually-hidden">New ties by pair of departments</caption>
                <thead>
                  <tr>
                    <th scope="col">Departments</th>
                    <th scope="col">New ties</th>
                    <th scope="col">Kept up</th>
                  </tr>
                </thead>
                <tbody>
                  {ties.byDepartments.map((row) => (
                    <tr key={row.departments.join(" and ")}>
                      <th scope="row">
                        {row.departments[0]} <span className="muted">and</span> {row.departments[1]}
                      </th>
                      <td>
                        <div className="learning-pairs__count">
                          <span>{row.formed.toLocaleString("en")}</span>
                          <div className="meter" aria-hidden="true">
                            <div className="meter__bar" style={{ width: `${(100 * row.formed) / widest}%` }} />
                          </div>
                        </div>
                      </td>
                      <td>{row.formed === 0 ? "–" : `${row.keptUp.toLocaleString("en")} (${Math.round((100 * row.keptUp) / row.formed)}%)`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            {ties.departmentPairs > ties.byDepartments.length ? (
              <p className="muted small">
                The {ties.byDepartments.length} pairs with most new ties, of {plural(ties.departmentPairs, "pair")} of departments that met.
              </p>
            ) : null}
          </>
        )}
      </section>

      <section className="section stack" aria-labelledby="followed-heading">
        <h2 id="followed-heading">What followed from its themes</h2>
        <div className="stats" aria-label="What followed from its themes">
          <Stat label={followUps.communities.length === 1 ? "Community kept alive" : "Communities kept alive"} value={followUps.communities.length} />
          <Stat label={followUps.jellies === 1 ? "Jelly on its themes" : "Jellies on its themes"} value={followUps.jellies} />
          <Stat label="Questions asked from its themes" value={followUps.questions.asked} />
          <Stat label="Of them answered" value={followUps.questions.answered} />
        </div>
        <p className="muted small">
          {followUps.questions.asked === 0
            ? "Nobody has asked the people who know about its themes yet."
            : `${plural(followUps.questions.accepted, "answer")} accepted by the askers${
                followUps.questions.medianHoursToAnswer === null ? "" : `; a first answer came after ${followUps.questions.medianHoursToAnswer.toLocaleString("en")} hours (median)`
              }.`}{" "}
          {followUps.jellies > 0 ? `${plural(followUps.jellyCheckIns, "check-in")} at its jellies.` : null}
        </p>
        {followUps.communities.length > 0 ? (
          <ul className="list-plain stack">
            {followUps.communities.map((c) => (
              <li key={c.slug}>
                <Link to={`/communities/${c.slug}`}>{c.title}</Link>{" "}
                <span className="small muted">
                  · {plural(c.members, "member")}
                  {c.privacy === "members" ? " · members only" : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No community kept alive yet">
            On the jam's published themes, “Keep this theme alive” turns a theme into a community of practice.
          </EmptyState>
        )}
      </section>
    </>
  );
}
