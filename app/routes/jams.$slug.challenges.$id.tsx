import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { useState } from "react";
import { requireUser } from "~/auth/guard.server";
import { newClientKey } from "~/components/form";
import { IdeaCard } from "~/components/idea-card";
import { DotBudgetBar, VoteOnIdeasLink } from "~/components/vote-modes";
import { IdeaForm } from "~/components/idea-form";
import { LiveJam } from "~/components/live-jam";
import { useThrottledRevalidate } from "~/components/live";
import { AnnouncementList } from "~/components/announcements";
import { JamClock, JamCrumbs } from "~/components/jam-header";
import { Alert, EmptyState } from "~/components/ui";
import { SORTS, type IdeaSort } from "~/domain/idea-sort";
import { VOTE_MODE_HINTS, type VoteMode } from "~/domain/vote-modes";
import { phaseAllows, phaseRefusal } from "~/domain/phase";
import { orFormFailure, orRespond } from "~/http/respond.server";
import { discardFiles, readUploadForm } from "~/http/uploads.server";
import { prepareUploads } from "~/services/commands/attachments.server";
import { postIdea } from "~/services/commands/ideas.server";
import { challengeForRoute } from "~/services/lookups/ideas.server";
import { challengePage } from "~/services/pages/challenge.server";
import { livePosition } from "~/live/bus";
import { TemplateFilters } from "~/components/idea-template";
import { filterQuery } from "~/domain/templates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.challenge.title ?? "Challenge"} · ${data?.jam.title ?? ""} · Jamboree` },
];

const SORT_LABELS: Record<IdeaSort, string> = { newest: "Newest", top: "Top", trending: "Trending" };
/** "Top" ranks by each mode's own count; trending (recent support votes) is for support only. */
const TOP_LABELS: Record<VoteMode, string> = { support: "Top", stance: "Most agreed", dots: "Most dots" };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const url = new URL(request.url);
  // The filter form sends every filter, empty ones too: the address keeps only those in use.
  const empty = [...url.searchParams].filter(([k, v]) => /^f\d+(_min|_max)?$/.test(k) && v.trim() === "").map(([k]) => k);
  if (empty.length > 0) {
    for (const k of empty) url.searchParams.delete(k);
    throw redirect(`${url.pathname}${url.search}`);
  }
  const page = await orRespond(async () => await challengePage(user, { slug: params.slug ?? "", challengeId: params.id, search: url.searchParams }), {
    request,
    user,
    ip: context.ip,
  });
  return { ...page, liveFrom, clientKey: newClientKey(), now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // The form may carry files (attachments): received into temporary files, checked before the idea is posted.
  const form = await readUploadForm(request);
  const values = form.values;
  try {
    const { jam } = await orRespond(async () => await challengeForRoute(user, Number(params.id), params.slug ?? ""), { request, user, ip: context.ip });
    const outcome = await orFormFailure(
      async () => await postIdea(user, { ...values, challengeId: params.id }, { attachments: await prepareUploads(form.files, form.refusals) }),
      { request, user, ip: context.ip, values },
    );
    if (!outcome.ok) return outcome.response;
    return redirect(`/jams/${jam.slug}/ideas/${outcome.result.id}`);
  } finally {
    discardFiles(form.files);
  }
}

export default function ChallengePage() {
  const { jam, challenge, ideas, sort, q, nextCursor, isFirstPage, clientKey, now, announcements, dots, liveFrom } =
    useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const { pinned, reviews, template, canEditTemplate, attachmentLimits } = useLoaderData<typeof loader>();
  const filterKeep = filterQuery(template.filters);
  const filtering = template.filters.length > 0;
  // Hides, pins, tags and merges in this challenge show up without a reload.
  const refresh = useThrottledRevalidate(2000);
  const [newIdeas, setNewIdeas] = useState(0);
  const failure = useActionData<typeof action>();
  const canPost = phaseAllows(jam.phase, "postIdea");
  const canVote = phaseAllows(jam.phase, "vote");
  const base = `/jams/${jam.slug}/challenges/${challenge.id}`;
  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    // Sorts and pages keep the template filters.
    for (const [k, v] of Object.entries({ ...params, ...filterKeep })) if (v) search.set(k, v);
    const s = search.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        {challenge.title}
      </JamCrumbs>
      <LiveJam
        slug={jam.slug}
        from={liveFrom}
        challengeId={challenge.id}
        onEvent={(type, data) => {
          if (type === "idea.created" && data.challengeId === challenge.id) setNewIdeas((n) => n + 1);
          if (type === "idea.changed" && data.challengeId === challenge.id) refresh();
        }}
      />
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>{challenge.title}</h1>
          <p className="muted">{challenge.question}</p>
          {challenge.voteMode !== "support" ? <p className="small vote-mode-hint">{VOTE_MODE_HINTS[challenge.voteMode]}</p> : null}
          {reviews ? (
            <p className="row small challenge-reviews">
              {reviews.map((r) => (
                <Link key={r.id} to={`/jams/${jam.slug}/reviews/${r.id}`}>
                  Review: {r.title}
                  {r.closedAt !== null ? " (closed)" : ""}
                </Link>
              ))}
              <Link className="btn btn--secondary btn--small" to={`/jams/${jam.slug}/reviews/new?challenge=${challenge.id}`}>
                Open a review
              </Link>
              {canEditTemplate ? (
                <Link className="btn btn--secondary btn--small" to={`${base}/template`}>
                  Idea template
                </Link>
              ) : null}
            </p>
          ) : null}
          {challenge.voteMode === "stance" && canVote ? (
            <div>
              <VoteOnIdeasLink slug={jam.slug} challengeId={challenge.id} className="btn vote-on-ideas" />
            </div>
          ) : null}
        </div>
      </div>

      <AnnouncementList announcements={announcements} />
      {canPost ? (
        <section className="card">
          <IdeaForm
            clientKey={clientKey}
            failure={failure}
            similarUrl={`${base}/similar`}
            template={template.fields}
            attachmentLimits={attachmentLimits}
          />
        </section>
      ) : (
        <Alert kind={jam.phase === "ended" ? "warn" : "info"}>
          {phaseRefusal(jam.phase)} {jam.phase === "ended" ? "Ideas can no longer be posted or voted on." : ""}
        </Alert>
      )}

      {pinned.length > 0 ? (
        <section className="section stack pinned-ideas" aria-labelledby="pinned-heading">
          <h2 id="pinned-heading">Pinned by the facilitators</h2>
          {pinned.map((idea) => (
            <IdeaCard key={idea.id} list="pinned" idea={idea} slug={jam.slug} canVote={canVote} phaseMessage={phaseRefusal(jam.phase)} dots={dots} />
          ))}
        </section>
      ) : null}
      <section className="section stack" aria-labelledby="ideas-heading">
        <h2 id="ideas-heading">Ideas</h2>
        {dots ? <DotBudgetBar summary={dots} /> : null}
        {newIdeas > 0 ? (
          <button
            type="button"
            className="btn new-ideas"
            onClick={() => {
              setNewIdeas(0);
              navigate(query({ sort: "newest" }), { preventScrollReset: false });
            }}
          >
            {newIdeas === 1 ? "1 new idea" : `${newIdeas} new ideas`}: show
          </button>
        ) : null}
        <Form method="get" role="search" className="search" action={base}>
          <input type="hidden" name="sort" value={sort} />
          {Object.entries(filterKeep).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <label htmlFor="idea-search" className="visually-hidden">
            Search ideas in this challenge
          </label>
          <input
            id="idea-search"
            className="input"
            type="search"
            name="q"
            defaultValue={q}
            placeholder="Search ideas by any word"
          />
          <button type="submit" className="btn btn--secondary">
            Search
          </button>
        </Form>
        <nav className="tabs" aria-label="Sort ideas">
          {SORTS.filter((s) => s !== "trending" || challenge.voteMode === "support").map((s) => (
            <Link key={s} to={query({ sort: s, q: q || undefined })} aria-current={s === sort ? "page" : undefined}>
              {s === "top" ? TOP_LABELS[challenge.voteMode] : SORT_LABELS[s]}
            </Link>
          ))}
        </nav>
        {q ? (
          <p className="small muted" role="status">
            {ideas.length === 0 ? "No ideas match" : "Ideas matching"} “{q}”. <Link to={query({ sort })}>Clear search</Link>
          </p>
        ) : null}
        <TemplateFilters
          fields={template.fields}
          filters={template.filters}
          action={base}
          keep={{ sort, q: q || undefined }}
          clearHref={`${base}?${new URLSearchParams({ sort, ...(q ? { q } : {}) })}`}
        />
        {sort === "trending" ? <p className="small muted">Ideas with the most votes in the last 24 hours.</p> : null}
        {ideas.length === 0 ? (
          filtering ? (
            <EmptyState title="No ideas match">
              No idea answers what the filters ask.{" "}
              <Link to={`${base}?${new URLSearchParams({ sort, ...(q ? { q } : {}) })}`}>Clear the filters</Link>
            </EmptyState>
          ) : q ? (
            <EmptyState title="Nothing found">Try fewer or different words.</EmptyState>
          ) : sort === "trending" ? (
            <EmptyState title="Nothing trending yet">Ideas appear here once they get votes.</EmptyState>
          ) : (
            <EmptyState title="No ideas yet">{canPost ? "Be the first: share an idea above." : null}</EmptyState>
          )
        ) : (
          <div className="stack">
            {ideas.map((idea) => (
              <IdeaCard key={idea.id} idea={idea} slug={jam.slug} canVote={canVote} phaseMessage={phaseRefusal(jam.phase)} dots={dots} />
            ))}
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          {!isFirstPage ? (
            <Link className="btn btn--secondary" to={query({ sort, q: q || undefined })}>
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link className="btn btn--secondary" to={query({ sort, q: q || undefined, cursor: nextCursor })}>
              Next page
            </Link>
          ) : null}
        </nav>
      </section>
    </>
  );
}
