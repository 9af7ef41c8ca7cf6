import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { IdeaForm } from "~/components/idea-form";
import { JamClock } from "~/components/jam-header";
import { UserText } from "~/components/user-text";
import { Alert, EmptyState, Stat, plural } from "~/components/ui";
import { phaseAllows, phaseRefusal } from "~/domain/phase";
import { VOTE_MODE_HINTS } from "~/domain/vote-modes";
import { orRespond } from "~/http/respond.server";
import { jamPreview } from "~/services/pages/launch.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Preview: ${data?.jam.title ?? "jam"} · Jamboree` }];

/**
 * The jam as a participant will see it, for its facilitators. Read only: its forms are
 * switched off, any post to it is refused (405), and it opens no live stream.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const raw = new URL(request.url).searchParams.get("challenge");
  const challengeId = raw === null ? null : /^\d{1,12}$/.test(raw) ? Number(raw) : -1;
  return await orRespond(async () => await jamPreview(user, params.slug ?? "", challengeId), { request, user, ip: context.ip });
}

export function action() {
  throw new Response("The preview takes no posts: nothing is posted from a preview.", { status: 405, headers: { Allow: "GET, HEAD" } });
}

type Preview = ReturnType<typeof useLoaderData<typeof loader>>;

function JamHomePreview({ data, base }: { data: Preview; base: string }) {
  const { jam, challenges, stats, now } = data;
  return (
    <>
      <div className="breadcrumbs">
        <span>Jams</span> / {jam.title}
      </div>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>{jam.title}</h1>
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
              <Link key={c.id} to={`${base}?challenge=${c.id}`} className="card card--link stack">
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
          <EmptyState title="No ideas yet" />
        </section>
        <section aria-labelledby="newest-heading">
          <h2 id="newest-heading">Newest ideas</h2>
          <EmptyState title={jam.phase === "live" ? "Be the first to post an idea" : "No ideas yet"} />
        </section>
      </div>
    </>
  );
}

function ChallengePreview({ data, base }: { data: Preview; base: string }) {
  const { jam, now } = data;
  const challenge = data.challenge!;
  const opens = phaseAllows(jam.phase, "postIdea");
  return (
    <>
      <div className="breadcrumbs">
        <span>Jams</span> / <Link to={base}>{jam.title}</Link> / {challenge.title}
      </div>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>{challenge.title}</h1>
          {challenge.question ? <p className="muted">{challenge.question}</p> : <p className="muted"><em>No question yet.</em></p>}
          {challenge.voteMode !== "support" ? <p className="small vote-mode-hint">{VOTE_MODE_HINTS[challenge.voteMode]}</p> : null}
        </div>
      </div>
      <div className="stack">
        {opens ? null : <Alert kind="info">{phaseRefusal(jam.phase)} Once it opens, participants share ideas with this form.</Alert>}
        {/* The form as participants get it, switched off: no field can be typed in and nothing can be sent. */}
        <fieldset disabled className="card preview-form" aria-label="The idea form (switched off in the preview)">
          <IdeaForm clientKey="preview" similarUrl={`${base}?challenge=${challenge.id}`} />
        </fieldset>
      </div>
      <section className="section stack" aria-labelledby="ideas-heading">
        <h2 id="ideas-heading">Ideas</h2>
        <EmptyState title={opens ? "Be the first to post an idea" : "No ideas yet"} />
      </section>
    </>
  );
}

export default function JamPreview() {
  const data = useLoaderData<typeof loader>();
  const base = `/jams/${data.jam.slug}/preview`;
  return (
    <>
      <div className="preview-banner" role="note" aria-label="Preview">
        <p>
          <strong>Preview</strong>: what participants will see{data.jam.isDraft ? " once the jam is scheduled" : ""}. Nothing can be posted from
          here.
        </p>
        <Link to={`/jams/${data.jam.slug}/launch`} className="btn btn--small btn--secondary">
          Back to the launch checklist
        </Link>
      </div>
      <div className="preview">{data.challenge ? <ChallengePreview data={data} base={base} /> : <JamHomePreview data={data} base={base} />}</div>
    </>
  );
}
