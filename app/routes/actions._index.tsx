import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { NewActionForm } from "~/components/action-forms";
import { ActionStatusBadge, DueDate } from "~/components/actions";
import { EmptyState, TableWrap } from "~/components/ui";
import { ACTION_STATUS_LABELS, ACTION_STATUSES, UNPUBLISHED_THEME_LABEL } from "~/domain/actions";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { createAction, sourceFields } from "~/services/commands/actions.server";
import { actionsPage } from "~/services/pages/actions.server";

export const meta: MetaFunction = () => [{ title: "Actions · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const page = await orRespond(async () => await actionsPage(user, query), { request, user, ip: context.ip });
  return { ...page, now: Date.now() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const outcome = await orFormFailure(
    async () => await createAction(user, { ...values, ...sourceFields(values.source) }, { ip: context.ip }),
    { request, user, ip: context.ip, values },
  );
  if (!outcome.ok) return outcome.response;
  return redirect(`/actions/${outcome.result.id}`);
}

export default function ActionsPage() {
  const { actions, nextCursor, filters, options, form, now } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const filtering = Boolean(filters.status || filters.jam || filters.ownerId || filters.q);
  const more = new URLSearchParams(
    Object.entries({ ...filters, cursor: nextCursor ?? "" }).filter(([, v]) => v !== ""),
  ).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Follow-up actions</h1>
          <p>What leaders decided to do about the ideas people shared, who owns it and how far it has got.</p>
        </div>
        {form ? (
          <a className="btn" href="#new-action">
            New action
          </a>
        ) : null}
      </div>

      <Form method="get" role="search" aria-label="Filter actions" className="card action-filters">
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" className="select" name="status" defaultValue={filters.status}>
            <option value="">Any status</option>
            {ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ACTION_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-jam">Jam</label>
          <select id="filter-jam" className="select" name="jam" defaultValue={filters.jam}>
            <option value="">Any jam</option>
            {options.jams.map((j) => (
              <option key={j.slug} value={j.slug}>
                {j.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-owner">Owner</label>
          <select id="filter-owner" className="select" name="ownerId" defaultValue={filters.ownerId}>
            <option value="">Anyone</option>
            {options.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-q">Search</label>
          <input id="filter-q" className="input" type="search" name="q" defaultValue={filters.q} placeholder="Words in the title" />
        </div>
        <div className="action-filters__buttons">
          <button type="submit" className="btn btn--secondary">
            Filter
          </button>
          {filtering ? <Link to="/actions">Clear</Link> : null}
        </div>
      </Form>

      <div className="section">
        {actions.length === 0 ? (
          <EmptyState title={filtering ? "No action matches" : "No actions yet"}>
            {filtering
              ? "Try another status, jam or owner."
              : "When leaders turn themes from a jam's synthesis into actions, they appear here, and the people whose ideas fed them are told."}
          </EmptyState>
        ) : (
          <TableWrap label="Actions">
            <table className="actions-table">
              <caption className="visually-hidden">Follow-up actions</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Status</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Due</th>
                  <th scope="col">Jam and theme</th>
                  <th scope="col">Ideas</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/actions/${a.id}`}>
                        <strong>{a.title}</strong>
                      </Link>
                    </td>
                    <td>
                      <ActionStatusBadge status={a.status} />
                    </td>
                    <td>{a.owner.name}</td>
                    <td>
                      <DueDate dueDate={a.dueDate} status={a.status} now={now} />
                    </td>
                    <td className="small">
                      <Link to={`/jams/${a.jam.slug}`}>{a.jam.title}</Link>
                      {a.themeLabel ? (
                        <div className="muted">{a.themeLabel === UNPUBLISHED_THEME_LABEL ? a.themeLabel : `Theme: ${a.themeLabel}`}</div>
                      ) : null}
                    </td>
                    <td>{a.ideaCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <nav className="pager" aria-label="Pages">
          {filters.cursor || nextCursor ? (
            <Link className="btn btn--secondary" to={`?${new URLSearchParams(Object.entries(filters).filter(([k, v]) => k !== "cursor" && v !== ""))}`}>
              Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link className="btn btn--secondary" to={`?${more}`}>
              Older actions
            </Link>
          ) : null}
        </nav>
      </div>

      {form ? (
        <section id="new-action" className="section card stack" aria-labelledby="new-action-heading">
          <h2 id="new-action-heading">New action</h2>
          {form.sources.length === 0 ? (
            <p className="muted">
              Actions grow from the themes of a jam’s synthesis, or from one idea (“Create an action from this idea” on its page). No jam
              has a synthesis yet.
            </p>
          ) : null}
          {form.sources.length > 0 ? (
            <NewActionForm sources={form.sources} selected={form.selected} owners={form.owners} failure={failure} />
          ) : null}
        </section>
      ) : null}
    </>
  );
}
