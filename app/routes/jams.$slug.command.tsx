import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUser } from "~/auth/guard.server";
import { ContributionsChart, DepartmentBreakdown } from "~/components/command-charts";
import { FormError, TextArea, TextField, formFailureOf } from "~/components/form";
import { JamClock, JamCrumbs } from "~/components/jam-header";
import { useThrottledRevalidate } from "~/components/live";
import { LiveJam } from "~/components/live-jam";
import { LocalTime } from "~/components/time";
import { EmptyState, Stat, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { commandCentre } from "~/services/pages/command-centre.server";
import { postHandoffNote } from "~/services/commands/handoff-notes.server";
import { resolveFlag } from "~/services/commands/moderation.server";
import { livePosition } from "~/live/bus";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Command centre · ${data?.jam.title ?? "Jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const centre = await orRespond(async () => await commandCentre(user, params.slug ?? ""), { request, user, ip: context.ip });
  return { ...centre, liveFrom, now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  const meta = { ip: context.ip };
  if (values.intent === "resolve-flag") {
    const outcome = await orFormFailure(async () => await resolveFlag(user, values, meta), ctx);
    return outcome.ok ? { ok: true as const, intent: values.intent } : outcome.response;
  }
  if (values.intent === "note") {
    const outcome = await orFormFailure(async () => await postHandoffNote(user, params.slug ?? "", values, meta), ctx);
    return outcome.ok ? { ok: true as const, intent: values.intent } : outcome.response;
  }
  return unknownIntent();
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

const LIVE_TYPES = new Set(["idea.created", "idea.changed", "comment.created", "vote.changed", "moderation.changed"]);
/** "Active now" and the chart move with the clock even when nothing happens. */
const CLOCK_REFRESH_MS = 30_000;

export default function CommandCentre() {
  const centre = useLoaderData<typeof loader>();
  const { jam } = centre;
  const refresh = useThrottledRevalidate(3000);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    const timer = setInterval(() => revalidate.current(), CLOCK_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <LiveJam
        slug={jam.slug}
        from={centre.liveFrom}
        onEvent={(type) => {
          if (LIVE_TYPES.has(type)) refresh();
        }}
      />
      <JamCrumbs slug={jam.slug} title={jam.title}>
        Command centre
      </JamCrumbs>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={centre.now} />
          <h1>Command centre</h1>
          <p className="muted small" style={{ margin: 0 }}>
            Updates live. {centre.canModerate ? "" : "Leaders watch here; facilitators resolve flags."}
          </p>
        </div>
        <div className="row">
          <Link to={`/jams/${jam.slug}/learning`} className="btn btn--secondary">
            What it left behind
          </Link>
        </div>
      </div>

      <div className="stats" aria-label="Now">
        <Stat label="Active in the last 5 minutes" value={centre.activePeople} />
        <Stat label="Ideas and comments, last hour" value={centre.lastHour} />
        <Stat label="Open flags" value={centre.flags.reduce((n, f) => n + f.reports.length, 0)} />
        <Stat label="Unanswered ideas shown" value={centre.unanswered.length} />
      </div>

      <div className="grid grid--2 section">
        <section className="card stack" aria-labelledby="pulse-heading">
          <h2 id="pulse-heading">Contributions per minute</h2>
          <ContributionsChart buckets={centre.perMinute} />
        </section>
        <section className="card stack" aria-labelledby="departments-heading">
          <h2 id="departments-heading">By department, last hour</h2>
          <DepartmentBreakdown rows={centre.departments} />
        </section>
      </div>

      <section className="section stack" aria-labelledby="flags-heading">
        <h2 id="flags-heading">Flag queue ({plural(centre.flags.length, "item")})</h2>
        {centre.flags.length === 0 ? (
          <EmptyState title="No open flags">Flags people raise on ideas and comments appear here.</EmptyState>
        ) : (
          <ul className="list-plain flag-queue">
            {centre.flags.map((item) => (
              <FlagItem key={`${item.targetType}:${item.targetId}`} item={item} slug={jam.slug} canModerate={centre.canModerate} />
            ))}
          </ul>
        )}
      </section>

      <div className="grid grid--2 section">
        <section className="stack" aria-labelledby="rising-heading">
          <h2 id="rising-heading">Rising ideas</h2>
          <p className="small muted" style={{ margin: 0 }}>
            Most support votes in the last 30 minutes.
          </p>
          {centre.rising.length === 0 ? (
            <EmptyState title="Nothing rising yet" />
          ) : (
            <ol className="stack rank-list">
              {centre.rising.map((idea) => (
                <li key={idea.id}>
                  <Link to={`/jams/${jam.slug}/ideas/${idea.id}`}>{idea.title}</Link>
                  <div className="small muted">
                    {idea.challengeTitle} · {plural(idea.recentVotes, "vote")} in 30 minutes · {plural(idea.voteCount, "vote")} in all
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="stack" aria-labelledby="unanswered-heading">
          <h2 id="unanswered-heading">Unanswered ideas</h2>
          <p className="small muted" style={{ margin: 0 }}>
            No comments yet, oldest first: a reply from a facilitator keeps people coming back.
          </p>
          {centre.unanswered.length === 0 ? (
            <EmptyState title="Every idea has a reply" />
          ) : (
            <ol className="stack rank-list">
              {centre.unanswered.map((idea) => (
                <li key={idea.id}>
                  <Link to={`/jams/${jam.slug}/ideas/${idea.id}`}>{idea.title}</Link>
                  <div className="small muted">
                    {idea.challengeTitle} · posted <LocalTime at={idea.createdAt} />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>

      <section className="section stack" aria-labelledby="themes-heading">
        <h2 id="themes-heading">Emerging themes</h2>
        {centre.emergingThemes && centre.emergingThemes.themes.length > 0 ? (
          <>
            <ol className="small">
              {centre.emergingThemes.themes.map((t) => (
                <li key={t.id}>
                  {t.label} ({t.size} {t.size === 1 ? "idea" : "ideas"})
                </li>
              ))}
            </ol>
            <p className="small muted">
              From synthesis #{centre.emergingThemes.number}, <LocalTime at={centre.emergingThemes.createdAt} />.{" "}
              <Link to={`/jams/${jam.slug}/synthesis`}>Open the synthesis or run it again</Link>
            </p>
          </>
        ) : (
          <p className="muted">
            No synthesis yet. <Link to={`/jams/${jam.slug}/synthesis`}>Run one</Link> to see the themes emerging.
          </p>
        )}
      </section>

      <section className="section stack" aria-labelledby="handoff-heading">
        <h2 id="handoff-heading">Hand-off notes</h2>
        {centre.canModerate ? <HandoffForm slug={jam.slug} /> : null}
        {centre.notes.length === 0 ? (
          <EmptyState title="No notes yet">Leave one for the facilitators on the next shift.</EmptyState>
        ) : (
          <ul className="list-plain">
            {centre.notes.map((note) => (
              <li key={note.id} className="card">
                <UserText text={note.body} />
                <div className="small muted">
                  {note.author} · <LocalTime at={note.createdAt} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function FlagItem({ item, slug, canModerate }: { item: Loaded["flags"][number]; slug: string; canModerate: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const failure = formFailureOf(fetcher.data);
  const href = `/jams/${slug}/ideas/${item.ideaId}${item.targetType === "comment" ? `#comment-${item.targetId}` : ""}`;
  const headingId = `flag-${item.targetType}-${item.targetId}`;
  return (
    <li className="card stack" aria-labelledby={headingId}>
      <div>
        <span className="badge">{item.targetType === "idea" ? "Idea" : "Comment"}</span>{" "}
        {item.targetHidden ? <span className="badge badge--draft">Already hidden</span> : null}
        <h3 id={headingId} style={{ display: "inline", marginLeft: "var(--s-2)" }}>
          <Link to={href}>{item.targetType === "idea" ? item.title : `Comment on “${item.title}”`}</Link>
        </h3>
      </div>
      {item.excerpt ? <p className="small user-text flag-excerpt">{item.excerpt}</p> : null}
      <ul className="small">
        {item.reports.map((r, i) => (
          <li key={i}>
            “{r.reason}” · {r.reporter} · <LocalTime at={r.at} />
          </li>
        ))}
      </ul>
      {canModerate ? (
        <fetcher.Form method="post" action={`/jams/${slug}/command`} className="stack" noValidate aria-label={`Resolve flags on ${item.title}`}>
          <input type="hidden" name="intent" value="resolve-flag" />
          <input type="hidden" name="flagId" value={item.flagId} />
          <FormError message={failure && !failure.fieldErrors.reason ? failure.formError : null} />
          <TextField
            label="Reason shown to the author, if you hide it"
            name="reason"
            defaultValue={failure?.values.reason}
            errors={failure?.fieldErrors.reason}
            maxLength={300}
          />
          <div className="row">
            <button type="submit" name="resolution" value="hide" className="btn btn--danger btn--small" disabled={fetcher.state !== "idle"}>
              Hide {item.targetType}
            </button>
            <button type="submit" name="resolution" value="dismiss" className="btn btn--secondary btn--small" disabled={fetcher.state !== "idle"}>
              Dismiss {item.reports.length === 1 ? "flag" : "flags"}
            </button>
          </div>
        </fetcher.Form>
      ) : null}
    </li>
  );
}

function HandoffForm({ slug }: { slug: string }) {
  const fetcher = useFetcher<typeof action>();
  const form = useRef<HTMLFormElement>(null);
  const failure = formFailureOf(fetcher.data);
  const posted = fetcher.state === "idle" && fetcher.data && "ok" in fetcher.data;
  useEffect(() => {
    if (posted) form.current?.reset();
  }, [posted, fetcher.data]);
  return (
    <fetcher.Form ref={form} method="post" action={`/jams/${slug}/command`} className="card stack" noValidate aria-label="Leave a hand-off note">
      <input type="hidden" name="intent" value="note" />
      <FormError message={failure && !failure.fieldErrors.body ? failure.formError : null} />
      <TextArea
        label="Note for the next shift"
        name="body"
        rows={2}
        maxLength={1000}
        defaultValue={failure?.values.body}
        errors={failure?.fieldErrors.body}
      />
      <div>
        <button type="submit" className="btn btn--secondary" disabled={fetcher.state !== "idle"}>
          Leave note
        </button>
      </div>
    </fetcher.Form>
  );
}
