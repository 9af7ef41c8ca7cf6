import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { FormError, TextField } from "~/components/form";
import { EmptyState, TableWrap } from "~/components/ui";
import { ROLE_LABELS, ROLES } from "~/domain/permissions";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import type { FieldErrors } from "~/services/errors";
import { createDepartment, deactivatePerson, listDepartments, listPeople, reactivatePerson, updatePerson } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "People · Admin · Jamboree" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  const url = new URL(request.url);
  const page = orRespond(
    () =>
      listPeople(user, {
        q: url.searchParams.get("q") ?? undefined,
        after: url.searchParams.get("after") ?? undefined,
      }),
    { request, user, ip: context.ip }
  );
  return { ...page, departments: listDepartments(), me: user.id };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip, values };
  if (values.intent === "addDepartment") {
    const outcome = await orFormFailure(() => createDepartment(user, values), ctx);
    if (!outcome.ok) return outcome.response;
    return {
      saved: `Team “${outcome.result.name}” added.`,
      fieldErrors: {} as FieldErrors,
      formError: null,
      values: {} as Record<string, string>,
    };
  }
  if (values.intent === "deactivate" || values.intent === "reactivate") {
    const change = values.intent === "deactivate" ? deactivatePerson : reactivatePerson;
    const outcome = await orFormFailure(() => change(user, values, { ip: context.ip }), ctx);
    if (!outcome.ok) return outcome.response;
    const { name, active } = outcome.result;
    return {
      saved: active
        ? `${name} is active again and can sign in.`
        : `${name} is deactivated: signed out everywhere and unable to sign in. What they wrote stays.`,
      fieldErrors: {} as FieldErrors,
      formError: null,
      values: {} as Record<string, string>,
    };
  }
  if (values.intent !== "update") return unknownIntent();
  const outcome = await orFormFailure(() => updatePerson(user, values, { ip: context.ip }), ctx);
  if (!outcome.ok) return outcome.response;
  return {
    saved: "Changes saved.",
    fieldErrors: {} as FieldErrors,
    formError: null,
    values: {} as Record<string, string>,
  };
}

export default function AdminPeople() {
  const { people, nextAfter, q, departments, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const saved = result && "saved" in result ? result.saved : null;
  const failedUser = result?.values?.userId;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>People</h1>
          <p>
            Change a person’s role or team, or deactivate someone who should no longer sign in. Every change is recorded in the audit
            log.
          </p>
        </div>
      </div>
      {saved ? (
        <div className="alert alert--info" role="status">
          {saved}
        </div>
      ) : null}
      {result && !saved && result.values?.intent !== "addDepartment" ? <FormError message={result.formError} /> : null}
      <Form method="get" role="search" className="search section" style={{ marginTop: "var(--s-4)" }}>
        <label htmlFor="people-search" className="visually-hidden">
          Search people by name or email
        </label>
        <input
          id="people-search"
          className="input"
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search by name or email"
        />
        <button type="submit" className="btn btn--secondary">
          Search
        </button>
      </Form>
      {people.length === 0 ? (
        <div className="section">
          <EmptyState title="Nobody matches">
            <Link to="/admin/people">Show everyone</Link>
          </EmptyState>
        </div>
      ) : (
        <div className="section" style={{ marginTop: "var(--s-4)" }}>
          <TableWrap label="People">
            <table className="people-table">
              <caption className="visually-hidden">People</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Team</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <strong>{p.name}</strong>
                      {p.id === me ? " (you)" : ""}
                      {p.active ? null : <span className="badge badge--draft person-status">Deactivated</span>}
                      <div className="small muted">{p.email}</div>
                      {failedUser === String(p.id) && (result?.fieldErrors.role || result?.fieldErrors.departmentId) ? (
                        <div className="field__error" role="alert">
                          {[...(result.fieldErrors.role ?? []), ...(result.fieldErrors.departmentId ?? [])].join(" ")}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <select
                        form={`person-${p.id}`}
                        name="role"
                        className="select"
                        defaultValue={failedUser === String(p.id) ? (result?.values?.role ?? p.role) : p.role}
                        aria-label={`Role of ${p.name}`}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select
                        form={`person-${p.id}`}
                        name="departmentId"
                        className="select"
                        defaultValue={failedUser === String(p.id) ? (result?.values?.departmentId ?? "") : (p.departmentId ?? "")}
                        aria-label={`Team of ${p.name}`}
                      >
                        <option value="" disabled>
                          No team
                        </option>
                        {departments.map((d) => (
                          <option key={d.id} value={d.id}>
                            {d.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <div className="person-actions">
                        <Form method="post" id={`person-${p.id}`}>
                          <input type="hidden" name="intent" value="update" />
                          <input type="hidden" name="userId" value={p.id} />
                          <button type="submit" className="btn btn--small" disabled={busy} aria-label={`Save ${p.name}`}>
                            Save
                          </button>
                        </Form>
                        {p.id === me ? null : (
                          <Form method="post">
                            <input type="hidden" name="userId" value={p.id} />
                            <input type="hidden" name="intent" value={p.active ? "deactivate" : "reactivate"} />
                            <button
                              type="submit"
                              className="btn btn--small btn--secondary"
                              disabled={busy}
                              aria-label={`${p.active ? "Deactivate" : "Reactivate"} ${p.name}`}
                            >
                              {p.active ? "Deactivate" : "Reactivate"}
                            </button>
                          </Form>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {nextAfter ? (
          <Link
            className="btn btn--secondary"
            to={`?${new URLSearchParams({ ...(q ? { q } : {}), after: String(nextAfter) })}`}
          >
            Next page
          </Link>
        ) : null}
      </nav>
      <section className="section card stack" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams</h2>
        <p className="muted">{departments.map((d) => d.name).join(" · ") || "No teams yet."}</p>
        <Form method="post" className="row" noValidate>
          <input type="hidden" name="intent" value="addDepartment" />
          <TextField
            label="New team"
            name="name"
            errors={result?.values?.intent === "addDepartment" ? result.fieldErrors.name : undefined}
            defaultValue={result?.values?.intent === "addDepartment" ? result.values.name : undefined}
          />
          <button type="submit" className="btn btn--secondary" style={{ alignSelf: "flex-end" }}>
            Add team
          </button>
        </Form>
      </section>
    </>
  );
}
