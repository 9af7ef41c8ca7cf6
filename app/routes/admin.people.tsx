import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { AdminTabs } from "~/components/admin-tabs";
import { FormError, TextField } from "~/components/form";
import { ImportForm, ImportPreview, ImportReport } from "~/components/people-import";
import { IMPORT_LIMITS } from "~/domain/people-import";
import { Alert, EmptyState, TableWrap } from "~/components/ui";
import { ROLE_LABELS, ROLES } from "~/domain/permissions";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import type { FieldErrors } from "~/services/errors";
import { applyImport, discardImport, previewImport } from "~/services/commands/people-import.server";
import { peopleAdminPage } from "~/services/pages/people-admin.server";
import { createDepartment, deactivatePerson, reactivatePerson, updatePerson } from "~/services/commands/accounts.server";

export const meta: MetaFunction = () => [{ title: "People · Admin · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = await orRespond(
    async () =>
      await peopleAdminPage(user, { q: url.searchParams.get("q"), after: url.searchParams.get("after"), importId: url.searchParams.get("import") }),
    { request, user, ip: context.ip },
  );
  const hidden = Number(url.searchParams.get("hidden"));
  const erased =
    url.searchParams.get("erased") === "1"
      ? "The account is erased: its name and e-mail address are gone and it is signed out everywhere. What was kept shows as by Former participant."
      : Number.isInteger(hidden) && url.searchParams.has("hidden")
        ? hidden === 0
          ? "Nothing of theirs was left to hide."
          : `Hidden: ${hidden} of their ideas and comments, as a moderator hides them.`
        : null;
  return { ...page, me: user.id, importChanged: url.searchParams.has("changed"), erased };
}

/** The CSV an import form sent: the file when one was chosen, else the pasted text. */
async function importSource(form: FormData): Promise<{ csv: string; fileName: string | null } | { tooLarge: true }> {
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > IMPORT_LIMITS.bytes) return { tooLarge: true };
    return { csv: await file.text(), fileName: file.name.slice(0, 255) || null };
  }
  const text = form.get("csv");
  return { csv: typeof text === "string" ? text : "", fileName: null };
}

const importAt = (id: string, extra = "") => `/admin/people?import=${id}${extra}#import`;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const values = formValues(form);
  const ctx = { request, user, ip: context.ip, values };
  if (values.intent === "previewImport") {
    const source = await importSource(form);
    if ("tooLarge" in source) {
      const message = `The file is larger than ${IMPORT_LIMITS.bytes / 1024 / 1024} MB. Split it into smaller files and import them one after another.`;
      return data({ fieldErrors: { csv: [message] } as FieldErrors, formError: null, values: { intent: "previewImport" } as Record<string, string> }, { status: 400 });
    }
    const outcome = await orFormFailure(async () => await previewImport(user, source, { ip: context.ip }), ctx);
    if (!outcome.ok) return outcome.response;
    return redirect(importAt(outcome.result.id));
  }
  if (values.intent === "applyImport") {
    const outcome = await orFormFailure(async () => await applyImport(user, values, { ip: context.ip }), ctx);
    if (!outcome.ok) return outcome.response;
    return redirect(importAt(values.importId!, outcome.result.outcome === "changed" ? "&changed=1" : ""));
  }
  if (values.intent === "discardImport") {
    const outcome = await orFormFailure(async () => await discardImport(user, values), ctx);
    if (!outcome.ok) return outcome.response;
    return redirect("/admin/people#import");
  }
  if (values.intent === "addDepartment") {
    const outcome = await orFormFailure(async () => await createDepartment(user, values), ctx);
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
    const outcome = await orFormFailure(async () => await change(user, values, { ip: context.ip }), ctx);
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
  const outcome = await orFormFailure(async () => await updatePerson(user, values, { ip: context.ip }), ctx);
  if (!outcome.ok) return outcome.response;
  return {
    saved: "Changes saved.",
    fieldErrors: {} as FieldErrors,
    formError: null,
    values: {} as Record<string, string>,
  };
}

const IMPORT_INTENTS = new Set(["previewImport", "applyImport", "discardImport"]);

export default function AdminPeople() {
  const { people, nextAfter, q, departments, me, imported, importGone, importChanged, erased } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const saved = result && "saved" in result ? result.saved : erased;
  const failedUser = result?.values?.userId;
  const importFailure = result && !saved && IMPORT_INTENTS.has(result.values?.intent ?? "") ? result : null;
  // The import form: alone when no import is under way, under a preview whose rows need fixing.
  const importForm = (
    <ImportForm
      busy={busy}
      errors={importFailure?.fieldErrors.csv}
      formError={importFailure && importFailure.values.intent === "previewImport" ? importFailure.formError : null}
      defaultText={importFailure?.values.csv ?? imported?.csv ?? undefined}
    />
  );
  const importSection = (
    <section id="import" className="section card stack import-section" aria-labelledby="import-heading">
      {imported?.report ? (
        <>
          <h2 id="import-heading">Import applied</h2>
          <ImportReport state={imported} />
        </>
      ) : imported ? (
        <>
          <h2 id="import-heading">Preview of the import</h2>
          <ImportPreview
            state={imported}
            busy={busy}
            changed={importChanged}
            formError={importFailure && importFailure.values.intent !== "previewImport" ? importFailure.formError : null}
          />
          {imported.csv !== null ? (
            <>
              <h3>Fix the file and preview it again</h3>
              {importForm}
            </>
          ) : null}
        </>
      ) : (
        <>
          <h2 id="import-heading">Import people from a CSV file</h2>
          <p className="muted">
            For a company without directory sync: add people and departments, and update or deactivate people, from a spreadsheet. You see what
            would change before anything does.
          </p>
          {importGone ? <Alert kind="warn">That import is not here any more (imports are kept for 7 days): choose the file again.</Alert> : null}
          {importForm}
        </>
      )}
    </section>
  );
  return (
    <>
      <AdminTabs />
      <div className="page-head">
        <div>
          <h1>People</h1>
          <p>
            Change a person’s role or team, deactivate someone who should no longer sign in, or erase an account when its owner asks. Every
            change is recorded in the audit log.
          </p>
        </div>
        {imported ? null : (
          <a href="#import" className="btn btn--secondary">
            Import a CSV file
          </a>
        )}
      </div>
      {saved ? (
        <div className="alert alert--info" role="status">
          {saved}
        </div>
      ) : null}
      {result && !saved && result.values?.intent !== "addDepartment" && !importFailure ? <FormError message={result.formError} /> : null}
      {imported ? importSection : null}
      <Form method="get" role="search" className="search section" style={{ marginTop: "var(--s-4)" }}>
        <label htmlFor="people-search" className="visually-hidden">
          Search people by name or email
        </label>
        <input id="people-search" className="input" type="search" name="q" defaultValue={q} placeholder="Search by name or email" />
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
                      {p.erased ? (
                        <span className="badge badge--draft person-status">Erased</span>
                      ) : p.active ? null : (
                        <span className="badge badge--draft person-status">Deactivated</span>
                      )}
                      {p.email ? <div className="small muted">{p.email}</div> : null}
                      {failedUser === String(p.id) && (result?.fieldErrors.role || result?.fieldErrors.departmentId) ? (
                        <div className="field__error" role="alert">
                          {[...(result.fieldErrors.role ?? []), ...(result.fieldErrors.departmentId ?? [])].join(" ")}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {p.erased ? (
                        <span className="muted">—</span>
                      ) : (
                        <select
                          form={`person-${p.id}`}
                          name="role"
                          className="select"
                          defaultValue={failedUser === String(p.id) ? result?.values?.role ?? p.role : p.role}
                          aria-label={`Role of ${p.name}`}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      )}
                    </td>
                    <td>
                      {p.erased ? (
                        <span className="muted">—</span>
                      ) : (
                        <select
                          form={`person-${p.id}`}
                          name="departmentId"
                          className="select"
                          defaultValue={failedUser === String(p.id) ? result?.values?.departmentId ?? "" : p.departmentId ?? ""}
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
                      )}
                    </td>
                    <td>
                      <div className="person-actions">
                        {p.erased ? null : (
                          <Form method="post" id={`person-${p.id}`}>
                            <input type="hidden" name="intent" value="update" />
                            <input type="hidden" name="userId" value={p.id} />
                            <button type="submit" className="btn btn--small" disabled={busy} aria-label={`Save ${p.name}`}>
                              Save
                            </button>
                          </Form>
                        )}
                        {p.id === me || p.erased ? null : (
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
                        <Link
                          to={`/admin/people/${p.id}/erase`}
                          className="btn btn--small btn--ghost btn--ghost-danger"
                          aria-label={p.erased ? `Hide what erased account ${p.id} wrote` : `Erase ${p.name}’s account`}
                        >
                          {p.erased ? "Hide writing…" : "Erase…"}
                        </Link>
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
            to={`?${new URLSearchParams({
              ...(q ? { q } : {}),
              after: String(nextAfter),
            })}`}
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
      {imported ? null : importSection}
    </>
  );
}
