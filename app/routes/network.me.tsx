import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { FollowButton } from "~/components/follow";
import { CommunitiesToJoinSection, LearnedFromMeSection, LearnedFromSection, MyCommunitiesSection, NotInterested, StartHere, SuggestAgain } from "~/components/my-network";
import { Alert, EmptyState, plural, Stat, TableWrap } from "~/components/ui";
import { LocalTime } from "~/components/time";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { joinCommunity } from "~/services/commands/communities.server";
import { dismissSuggestion, restoreDismissed } from "~/services/commands/suggestions.server";
import { myNetworkPage } from "~/services/pages/network.server";

export const meta: MetaFunction = () => [{ title: "My network · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await myNetworkPage(user), { request, user, ip: context.ip });
}

/** Join a suggested community, "not interested" (a community or a person), or suggest the dismissed ones again. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  const run = async (work: () => unknown, to: string) => {
    const outcome = await orFormFailure(work, ctx);
    return outcome.ok ? redirect(to) : outcome.response;
  };
  switch (values.intent) {
    case "join":
      return run(async () => await joinCommunity(user, { communityId: values.communityId }, { ip: context.ip }), "/network/me#my-communities-heading");
    case "dismiss":
      return run(async () => await dismissSuggestion(user, { kind: values.kind, targetId: values.targetId }), values.kind === "person" ? "/network/me#meet-heading" : "/network/me#to-join-heading");
    case "restore":
      return run(async () => await restoreDismissed(user, { kind: values.kind }), values.kind === "person" ? "/network/me#meet-heading" : "/network/me#to-join-heading");
    default:
      return unknownIntent();
  }
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
  const { learnedFrom, learnedFromMe, communities, toJoin, network, tieCount, follows, meet, meetDismissed, year } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const isNew = learnedFrom.total === 0 && learnedFromMe.total === 0 && communities.length === 0 && tieCount === 0 && follows.people.length === 0 && follows.themes.length === 0;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My network</h1>
          <p>The people you learn from and work with, your communities, and whom to meet next. Only you see this page.</p>
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

      {failure && "formError" in failure && failure.formError ? <Alert kind="error">{failure.formError}</Alert> : null}
      {isNew ? <StartHere /> : null}

      <div className="learned-layout">
        <LearnedFromSection learned={learnedFrom.people} shownOf={learnedFrom.total} />
        <LearnedFromMeSection people={learnedFromMe.people} total={learnedFromMe.total} />
      </div>

      <MyCommunitiesSection communities={communities} />
      <CommunitiesToJoinSection suggestions={toJoin.suggestions} dismissed={toJoin.dismissed} />

      <section aria-labelledby="meet-heading" className="stack section">
        <div>
          <h2 id="meet-heading">People you should meet</h2>
          <p className="muted small">Colleagues of other departments on the same themes and threads as you. Propose a jelly to meet one of them.</p>
        </div>
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
                  <NotInterested kind="person" targetId={p.id} label={`Not interested in meeting ${p.name}`} />
                </div>
              </li>
            ))}
          </ul>
        )}
        <SuggestAgain kind="person" dismissed={meetDismissed} />
      </section>

      <div className="section">
        <YearAcrossDepartments year={year} />
      </div>

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

type Year = ReturnType<typeof useLoaderData<typeof loader>>["year"];

/** The ties to other departments formed in the last year: a person's own "year in review". */
function YearAcrossDepartments({ year }: { year: Year }) {
  const widest = Math.max(1, ...year.byDepartment.map((d) => d.formed));
  return (
    <section aria-labelledby="year-heading" className="stack">
      <h2 id="year-heading">Your year across departments</h2>
      <p className="muted small">
        From <LocalTime at={year.from} withTime={false} /> to <LocalTime at={year.to} withTime={false} />: people of other departments whose ideas you
        commented on, replied to or supported, or who did so for yours, for the first time.
      </p>
      {year.formed === 0 ? (
        <EmptyState title="No new colleagues from other departments this year">
          Comment on or support an idea from another department, in a jam or a challenge: the people you meet that way show here.
        </EmptyState>
      ) : (
        <>
          <div className="stats" aria-label="Your year across departments">
            <Stat label={year.formed === 1 ? "New colleague from another department" : "New colleagues from other departments"} value={year.formed} />
            <Stat label="Still in touch a month or more later" value={year.keptUp} />
            <Stat label={year.byDepartment.length === 1 ? "Department reached" : "Departments reached"} value={year.byDepartment.length} />
          </div>
          <ul className="list-plain year-departments">
            {year.byDepartment.map((d) => (
              <li key={d.department}>
                <span>{d.department}</span>
                <div className="meter" aria-hidden="true">
                  <div className="meter__bar" style={{ width: `${(100 * d.formed) / widest}%` }} />
                </div>
                <span className="small muted">{plural(d.formed, "person", "people")}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {year.notYetMet.length > 0 ? (
        <p className="small">
          Not met yet: {year.notYetMet.join(", ")}. <Link to="/people/search">Find someone there</Link>.
        </p>
      ) : null}
    </section>
  );
}
