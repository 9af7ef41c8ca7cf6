import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FieldChanges } from "~/components/idea-template";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { ChangeView, DiffView } from "~/components/idea-edits";
import { JamCrumbs } from "~/components/jam-header";
import { LocalTime } from "~/components/time";
import { Alert, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { FORMER_PARTICIPANT } from "~/domain/views";
import { orRespond } from "~/http/respond.server";
import type { VersionBy } from "~/services/pages/idea-history.server";
import { commentHistory, ideaHistory } from "~/services/pages/idea-history.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `History of “${data?.idea.title ?? "an idea"}” · Jamboree` }];

const commentParam = (url: string) => {
  const raw = new URL(url).searchParams.get("comment");
  return raw && /^\d{1,12}$/.test(raw) ? Number(raw) : null;
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ctx = { request, user, ip: context.ip };
  const ideaId = Number(params.id);
  const commentId = commentParam(request.url);
  const jamSlug = params.slug ?? "";
  if (commentId !== null) {
    return { kind: "comment" as const, ...await orRespond(async () => await commentHistory(user, { ideaId, commentId, jamSlug }), ctx) };
  }
  return { kind: "idea" as const, ...await orRespond(async () => await ideaHistory(user, { ideaId, jamSlug }), ctx) };
}

function By({ by }: { by: VersionBy }) {
  if (by.kind === "anonymous-author") return <>the author (anonymous)</>;
  if (by.kind === "former") return <>{FORMER_PARTICIPANT}</>;
  return <Link to={`/people/${by.id}`}>{by.name}</Link>;
}

const KIND_WORDS = { posted: "Posted", edited: "Edited", amendment: "Proposed change accepted" } as const;

export default function HistoryPage() {
  const data = useLoaderData<typeof loader>();
  const ideaHref = `/jams/${data.jam.slug}/ideas/${data.idea.id}`;
  return (
    <>
      <JamCrumbs slug={data.jam.slug} title={data.jam.title}>
        <Link to={ideaHref}>{data.idea.title}</Link>
      </JamCrumbs>
      <div className="page-head">
        <div>
          <h1>{data.kind === "comment" ? "History of a comment" : "History"}</h1>
          <p className="muted">
            {data.kind === "comment" ? (
              <>
                A comment on <Link to={`${ideaHref}#comment-${data.comment.id}`}>“{data.idea.title}”</Link>.{" "}
              </>
            ) : null}
            {plural(data.versions.length, "version")}, newest first. Each shows what changed against the one before it.
          </p>
        </div>
      </div>
      {(data.kind === "idea" ? data.idea.hidden : data.comment.hidden) ? (
        <Alert kind="warn">A moderator hid this {data.kind === "idea" ? "idea" : "comment"}: only its author and the facilitators see it.</Alert>
      ) : null}
      {data.kind === "idea" ? <IdeaEvents data={data} ideaHref={ideaHref} /> : null}
      <ol className="list-plain stack history" aria-label="Versions">
        {data.kind === "idea"
          ? data.versions.map((v) => (
              <li key={v.version} className="card stack history__version" id={`version-${v.version}`}>
                <div className="history__head">
                  <span className="badge">{`Version ${v.version}`}</span>
                  <strong>{KIND_WORDS[v.kind]}</strong>
                  <span className="muted small">
                    {v.kind === "amendment" ? "proposed by " : "by "}
                    <By by={v.by} />
                    {v.acceptedBy ? (
                      <>
                        , accepted by <By by={v.acceptedBy} />
                      </>
                    ) : null}{" "}
                    · <LocalTime at={v.at} />
                  </span>
                </div>
                {v.titleDiff || v.bodyDiff ? (
                  <>
                    <ChangeView titleDiff={v.titleDiff} bodyDiff={v.bodyDiff} />
                    <FieldChanges changes={v.fieldChanges} />
                  </>
                ) : (
                  <div className="stack">
                    <h2 className="history__title">{v.title}</h2>
                    {v.body ? <UserText text={v.body} /> : <p className="muted">No description.</p>}
                  </div>
                )}
              </li>
            ))
          : data.versions.map((v) => (
              <li key={v.version} className="card stack history__version" id={`version-${v.version}`}>
                <div className="history__head">
                  <span className="badge">{`Version ${v.version}`}</span>
                  <strong>{v.bodyDiff ? "Edited" : "Posted"}</strong>
                  <span className="muted small">
                    by <By by={v.by} /> · <LocalTime at={v.at} />
                  </span>
                </div>
                {v.bodyDiff ? <DiffView ops={v.bodyDiff} label="Change to the comment" /> : <UserText text={v.body} />}
              </li>
            ))}
      </ol>
      <p className="section">
        <Link to={ideaHref}>Back to the idea</Link>
      </p>
    </>
  );
}

type IdeaData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "idea" }>;

function IdeaEvents({ data, ideaHref }: { data: IdeaData; ideaHref: string }) {
  const slug = data.jam.slug;
  const events = [
    ...data.mergedIn.map((m, i) => ({
      key: `m${i}`,
      at: m.at,
      text: m.idea ? (
        <>
          <Link to={`/jams/${slug}/ideas/${m.idea.id}`}>“{m.idea.title}”</Link> was merged into this idea (its votes and comments moved here)
        </>
      ) : (
        <>A similar idea was merged into this one (its votes and comments moved here)</>
      ),
    })),
    ...data.builtOnThis.map((b) => ({
      key: `b${b.id}`,
      at: b.at,
      text: (
        <>
          <Link to={`/jams/${slug}/ideas/${b.id}`}>“{b.title}”</Link> was built on this idea
        </>
      ),
    })),
    ...data.attachments.map((a, i) => ({
      key: `a${i}`,
      at: a.at,
      text: (
        <>
          {a.label} “{a.name}” was {a.kind === "added" ? "attached" : "removed"}
        </>
      ),
    })),
    ...(data.mergedInto
      ? [
          {
            key: "into",
            at: data.mergedInto.at,
            text: (
              <>
                This idea was merged into <Link to={`/jams/${slug}/ideas/${data.mergedInto.id}`}>“{data.mergedInto.title}”</Link>
              </>
            ),
          },
        ]
      : []),
  ].sort((a, b) => b.at - a.at);
  if (events.length === 0 && !data.builtOn) return null;
  return (
    <section className="card stack" aria-labelledby="events-heading">
      <h2 id="events-heading">{data.attachments.length > 0 ? "Merges, build-ons and files" : "Merges and build-ons"}</h2>
      {data.builtOn ? (
        <p className="small">
          This idea was built on <Link to={`/jams/${slug}/ideas/${data.builtOn.id}`}>“{data.builtOn.title}”</Link>.
        </p>
      ) : null}
      {events.length > 0 ? (
        <ul className="list-plain stack history__events">
          {events.map((e) => (
            <li key={e.key} className="small">
              <LocalTime at={e.at} /> · {e.text}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="visually-hidden">
        <Link to={ideaHref}>Back to the idea</Link>
      </span>
    </section>
  );
}
