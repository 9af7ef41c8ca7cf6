import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { UpdateActionForm } from "~/components/action-forms";
import { ActionStatusBadge, DueDate } from "~/components/actions";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { UNPUBLISHED_THEME_LABEL } from "~/domain/actions";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { updateAction } from "~/services/commands/actions.server";
import { actionDetail } from "~/services/pages/actions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.action.title ?? "Action"} · Actions · Jamboree` }];

function actionId(raw: string | undefined) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such action.", { status: 404 });
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = actionId(params.id);
  const detail = await orRespond(async () => await actionDetail(user, id), { request, user, ip: context.ip });
  return { ...detail, now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = actionId(params.id);
  const values = formValues(await request.formData());
  if (values.intent !== "update") {
    return unknownIntent();
  }
  const outcome = await orFormFailure(async () => await updateAction(user, id, values, { ip: context.ip }), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  const told = outcome.result.notified;
  return {
    saved: told > 0 ? `Saved. ${plural(told, "person", "people")} whose ideas fed this action ${told === 1 ? "was" : "were"} notified.` : "Saved.",
  };
}

export default function ActionPage() {
  const { action: item, jam, owner, theme, createdByName, ideas, history, canManage, owners, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && "fieldErrors" in result ? result : undefined;
  const saved = result && "saved" in result ? result.saved : null;
  return (
    <>
      <div className="breadcrumbs">
        <Link to="/actions">Actions</Link> / <Link to={`/actions?jam=${encodeURIComponent(jam.slug)}`}>{jam.title}</Link>
      </div>
      <article className="card stack" aria-labelledby="action-title">
        <div className="row">
          <ActionStatusBadge status={item.status} />
          {theme ? (
            <span className="small muted">{theme.label === UNPUBLISHED_THEME_LABEL ? theme.label : `From the theme “${theme.label}”`}</span>
          ) : null}
        </div>
        <h1 id="action-title" style={{ overflowWrap: "anywhere" }}>
          {item.title}
        </h1>
        <dl className="action-facts">
          <div>
            <dt>Owner</dt>
            <dd>{owner.name}</dd>
          </div>
          <div>
            <dt>Due</dt>
            <dd>
              <DueDate dueDate={item.dueDate} status={item.status} now={now} />
            </dd>
          </div>
          <div>
            <dt>Jam</dt>
            <dd>
              <Link to={`/jams/${jam.slug}`}>{jam.title}</Link>
            </dd>
          </div>
          <div>
            <dt>Created by</dt>
            <dd>
              {createdByName}, <LocalTime at={item.createdAt} withTime={false} />
            </dd>
          </div>
        </dl>
        {item.status === "declined" && item.declineReason ? (
          <Alert kind="warn">
            <strong>Declined:</strong> {item.declineReason}
          </Alert>
        ) : null}
        {item.description ? <UserText text={item.description} /> : null}
      </article>

      {saved ? (
        <div className="section">
          <Alert>{saved}</Alert>
        </div>
      ) : null}

      {canManage ? (
        <section className="section card stack" aria-labelledby="update-heading">
          <h2 id="update-heading">Decide</h2>
          <p className="small muted">Each new status reaches the people whose ideas fed this action, once.</p>
          <UpdateActionForm key={`${item.status}-${item.updatedAt}`} action={item} owners={owners} failure={failure} />
        </section>
      ) : null}

      <section className="section stack" aria-labelledby="ideas-heading">
        <h2 id="ideas-heading">The ideas it grew from ({ideas.length})</h2>
        {ideas.length === 0 ? (
          <EmptyState title="No ideas linked">The ideas this action grew from are no longer visible.</EmptyState>
        ) : (
          <div className="card">
            <ul className="list-plain stack">
              {ideas.map((i) => (
                <li key={i.id}>
                  <Link to={`/jams/${i.jamSlug}/ideas/${i.id}`}>{i.title}</Link>
                  <span className="small muted">
                    {" · "}
                    {i.author ? i.author.name : "Anonymous"}
                    {i.isMine ? " (you)" : ""} · {plural(i.votes, "vote")}
                    {i.hidden ? " · hidden by a facilitator" : ""}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      {history.length > 0 ? (
        <section className="section stack" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <ol className="list-plain small">
            {history.map((h, n) => (
              <li key={n}>
                <LocalTime at={h.at} /> · {h.actor} {h.summary}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
