import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { IdeaCard } from "~/components/idea-card";
import { JamClock } from "~/components/jam-header";
import { UserText } from "~/components/user-text";
import { EmptyState, Stat, plural } from "~/components/ui";
import { phaseAllows, phaseRefusal } from "~/domain/phase";
import { orRespond } from "~/http/respond.server";
import { jamHome } from "~/services/jams.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.jam.title ?? "Jam"} · Jamboree` }];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  return { ...orRespond(() => jamHome(user, params.slug ?? ""), { request, user, ip: context.ip }), now: Date.now() };
}

export default function JamHome() {
  const { jam, challenges, stats, newest, top, canManage, now } = useLoaderData<typeof loader>();
  const canVote = phaseAllows(jam.phase, "vote");
  const ideaList = (list: string, ideas: typeof newest, empty: string) =>
    ideas.length === 0 ? (
      <EmptyState title={empty} />
    ) : (
      <div className="stack">
        {ideas.map((idea) => (
          <IdeaCard
            key={idea.id}
            list={list}
            idea={idea}
            slug={jam.slug}
            canVote={canVote}
            phaseMessage={phaseRefusal(jam.phase)}
          />
        ))}
      </div>
    );
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jams">Jams</Link> / {jam.title}
      </div>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>{jam.title}</h1>
        </div>
        <div className="row">
          <Link to={`/jams/${jam.slug}/leaderboard`} className="btn btn--secondary">
            Leaderboard
          </Link>
          {canManage ? (
            <Link to={`/jams/${jam.slug}/edit`} className="btn btn--secondary">
              Edit jam
            </Link>
          ) : null}
        </div>
      </div>
      {jam.description ? <UserText text={jam.description} className="muted" /> : null}

      <div className="stats section" style={{ marginTop: "var(--s-5)" }}>
        <Stat label="Ideas" value={stats.ideas} />
        <Stat label="Contributors" value={stats.contributors} />
        <Stat label="Comments" value={stats.comments} />
        <Stat label="Votes" value={stats.votes} />
      </div>

      <section className="section" aria-labelledby="challenges-heading">
        <h2 id="challenges-heading">Challenges</h2>
        {challenges.length === 0 ? (
          <EmptyState title="No challenges yet" />
        ) : (
          <div className="grid grid--3">
            {challenges.map((c) => (
              <Link key={c.id} to={`/jams/${jam.slug}/challenges/${c.id}`} className="card card--link stack">
                <h3>{c.title}</h3>
                <p className="muted">{c.question}</p>
                <span className="badge badge--brand">{plural(c.ideaCount, "idea")}</span>
              </Link>
            ))}
          </div>
        )}
      </section>

      <div className="grid grid--2 section">
        <section aria-labelledby="top-heading">
          <h2 id="top-heading">Top ideas</h2>
          {ideaList("top", top, "No ideas yet")}
        </section>
        <section aria-labelledby="newest-heading">
          <h2 id="newest-heading">Newest ideas</h2>
          {ideaList("newest", newest, jam.phase === "live" ? "Be the first to post an idea" : "No ideas yet")}
        </section>
      </div>
    </>
  );
}
