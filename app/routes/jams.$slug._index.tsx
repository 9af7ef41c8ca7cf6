import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { AnnouncementList } from "~/components/announcements";
import { FormError, SelectField, TextArea } from "~/components/form";
import { useThrottledRevalidate } from "~/components/live";
import { LiveJam } from "~/components/live-jam";
import { requireUser } from "~/auth/guard.server";
import { IdeaCard } from "~/components/idea-card";
import { JamClock } from "~/components/jam-header";
import { UserText } from "~/components/user-text";
import { Alert, EmptyState, Stat, plural } from "~/components/ui";
import { phaseAllows, phaseRefusal } from "~/domain/phase";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { postAnnouncement } from "~/services/commands/announcements.server";
import { jamHomePage } from "~/services/pages/jams.server";
import { ActionMiniList } from "~/components/actions";
import { livePosition } from "~/live/bus";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.jam.title ?? "Jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const page = await orRespond(async () => await jamHomePage(user, params.slug ?? ""), { request, user, ip: context.ip });
  // A community's idea box has no jam home: its crumbs lead to the community's page.
  if (page.community !== null) throw redirect(`/communities/${page.community}`);
  return { ...page, liveFrom, now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(async () => await postAnnouncement(user, params.slug ?? "", values), {
    request,
    user,
    ip: context.ip,
    values,
  });
  if (!outcome.ok) return outcome.response;
  return {
    posted: outcome.result.id,
    fieldErrors: {} as Record<string, string[]>,
    formError: null,
    values: {} as Record<string, string>,
  };
}

function AnnouncementForm({ challenges }: { challenges: { id: number; title: string }[] }) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const form = useRef<HTMLFormElement>(null);
  const posted = result && "posted" in result ? result.posted : null;
  useEffect(() => {
    if (posted) form.current?.reset();
  }, [posted]);
  const failure = result && !("posted" in result) ? result : undefined;
  return (
    <Form method="post" ref={form} className="card stack" noValidate aria-labelledby="announce-heading">
      <h2 id="announce-heading">Post an announcement</h2>
      <FormError message={failure?.formError} />
      <TextArea label="Announcement" name="body" rows={2} maxLength={500} defaultValue={failure?.values.body} errors={failure?.fieldErrors.body} />
      <SelectField
        label="For"
        name="challengeId"
        defaultValue={failure?.values.challengeId ?? ""}
        options={[{ value: "", label: "The whole jam" }, ...challenges.map((c) => ({ value: String(c.id), label: c.title }))]}
        errors={failure?.fieldErrors.challengeId}
      />
      <div>
        <button type="submit" className="btn btn--secondary" disabled={busy}>
          Announce
        </button>
      </div>
    </Form>
  );
}

/** An ended jam's results: the published themes and what is being done about them. */
function Results({
  slug,
  results,
  canManage,
  now,
}: {
  slug: string;
  results: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["results"]>;
  canManage: boolean;
  now: number;
}) {
  const done = results.actions.filter((a) => a.status === "done").length;
  return (
    <section className="card stack section results" aria-labelledby="results-heading">
      <h2 id="results-heading">What this jam found</h2>
      {results.themes.length === 0 ? (
        <EmptyState
          title="The results are on their way"
          action={
            canManage ? (
              <Link to={`/jams/${slug}/synthesis`} className="btn">
                Open the synthesis
              </Link>
            ) : undefined
          }
        >
          {canManage
            ? "Run and publish the synthesis to share the themes with everyone."
            : "The facilitators are grouping the ideas into themes; they appear here once published."}
        </EmptyState>
      ) : (
        <>
          <ol className="results__themes">
            {results.themes.map((t) => (
              <li key={t.id}>
                <Link to={`/jams/${slug}/synthesis#theme-${t.id}`} className="results__theme">
                  {t.label}
                </Link>{" "}
                <span className="small muted">
                  {plural(t.size, "idea")} · {plural(t.support, "vote")}
                </span>
              </li>
            ))}
          </ol>
          {results.themeCount > results.themes.length ? (
            <p className="small muted">and {plural(results.themeCount - results.themes.length, "more theme")}.</p>
          ) : null}
          <div>
            <Link to={`/jams/${slug}/synthesis`} className="btn">
              Read the synthesis
            </Link>
          </div>
        </>
      )}
      <h3>Follow-up actions</h3>
      {results.actions.length === 0 ? (
        <p className="small muted">No actions yet.</p>
      ) : (
        <>
          <p className="small">
            {plural(results.actions.length, "action")}, {done} done.
          </p>
          <ActionMiniList actions={results.actions.slice(0, 5)} now={now} />
          <Link to="/actions" className="small">
            All actions
          </Link>
        </>
      )}
    </section>
  );
}

export default function JamHome() {
  const { jam, challenges, stats, newest, top, canManage, now, announcements, results } = useLoaderData<typeof loader>();
  const refresh = useThrottledRevalidate(2000);
  const { canWatch, liveFrom } = useLoaderData<typeof loader>();
  const canVote = phaseAllows(jam.phase, "vote");
  const ideaList = (list: string, ideas: typeof newest, empty: string) =>
    ideas.length === 0 ? (
      <EmptyState title={empty} />
    ) : (
      <div className="stack">
        {ideas.map((idea) => (
          <IdeaCard key={idea.id} list={list} idea={idea} slug={jam.slug} canVote={canVote} phaseMessage={phaseRefusal(jam.phase)} />
        ))}
      </div>
    );
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/jams">Jams</Link> / {jam.title}
      </div>
      <LiveJam
        slug={jam.slug}
        from={liveFrom}
        onEvent={(type) => {
          if (type !== "points.changed" && type !== "moderation.changed") refresh();
        }}
      />
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>{jam.title}</h1>
        </div>
        <div className="row">
          <Link to={`/jams/${jam.slug}/leaderboard`} className="btn btn--secondary">
            Leaderboard
          </Link>
          <Link to={`/jams/${jam.slug}/synthesis`} className="btn btn--secondary">
            Themes
          </Link>
          {canWatch ? (
            <Link to={`/jams/${jam.slug}/command`} className="btn btn--secondary">
              Command centre
            </Link>
          ) : null}
          {canWatch ? (
            <Link to={`/jams/${jam.slug}/network`} className="btn btn--secondary">
              Network
            </Link>
          ) : null}
          {canManage && (jam.phase === "draft" || jam.phase === "scheduled") ? (
            <Link to={`/jams/${jam.slug}/launch`} className="btn btn--secondary">
              Launch checklist
            </Link>
          ) : null}
          {canManage ? (
            <Link to={`/jams/${jam.slug}/edit`} className="btn btn--secondary">
              Edit jam
            </Link>
          ) : null}
        </div>
      </div>
      {jam.phase === "draft" ? (
        <Alert kind="warn">
          This jam is a draft: participants do not see it.{" "}
          {canManage ? (
            <>
              Its <Link to={`/jams/${jam.slug}/launch`}>launch checklist</Link> says what it needs before you schedule it.
            </>
          ) : null}
        </Alert>
      ) : null}
      {jam.description ? <UserText text={jam.description} className="muted" /> : null}
      {results ? <Results slug={jam.slug} results={results} canManage={canManage} now={now} /> : null}
      <div className="section">
        <AnnouncementList announcements={announcements} />
        {canManage && jam.phase !== "ended" ? <AnnouncementForm challenges={challenges} /> : null}
      </div>

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
