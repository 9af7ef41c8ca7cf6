import { Form, Link } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { IMPORT_COLUMNS, IMPORT_LIMITS, type ImportSummary } from "~/domain/people-import";
import { ROLE_LABELS, type Role } from "~/domain/permissions";
import { FormError } from "~/components/form";
import { Alert, plural, Stat, TableWrap } from "~/components/ui";

/** An import as the People page shows it: its preview, or once applied, its report. */
export interface ImportState {
  id: string;
  fileName: string | null;
  preview: ImportSummary;
  csv: string | null;
  digest: string;
  appliedAt: number | null;
  report: ImportSummary | null;
  changes: number;
}

const FIELD_LABELS: Record<string, string> = {
  email: "E-mail",
  name: "Name",
  department: "Department",
  role: "Role",
  external_id: "Directory id",
};

function roleLabel(value: string | null) {
  return value && value in ROLE_LABELS ? ROLE_LABELS[value as Role] : (value ?? "—");
}

function shown(value: string | null, field: string) {
  if (field === "role") return roleLabel(value);
  return value ?? "—";
}

/** "and 1,234 more" under a list cut to its first rows. */
function More({ total, listed }: { total: number; listed: number }) {
  return total > listed ? <p className="small muted">…and {plural(total - listed, "more row")} not listed here.</p> : null;
}

function Block({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const id = useId();
  if (count === 0) return null;
  return (
    <section className="import-block" aria-labelledby={id}>
      <h3 id={id}>
        {title} <span className="tab-count">{count.toLocaleString("en")}</span>
      </h3>
      {children}
    </section>
  );
}

/** What an import does (preview) or did (report), kind by kind. */
function Changes({ summary, tense }: { summary: ImportSummary; tense: "will" | "did" }) {
  const c = summary.counts;
  return (
    <>
      <div className="stats import-stats">
        <Stat label={tense === "will" ? (c.creates === 1 ? "new person" : "new people") : c.creates === 1 ? "person added" : "people added"} value={c.creates} />
        <Stat label={tense === "will" ? "to update" : "updated"} value={c.updates} />
        <Stat label={tense === "will" ? "to deactivate" : "deactivated"} value={c.deactivations} />
        <Stat label={tense === "will" ? "to reactivate" : "reactivated"} value={c.reactivations} />
        <Stat label={c.newDepartments === 1 ? "new department" : "new departments"} value={c.newDepartments} />
        <Stat label="unchanged" value={c.unchanged} />
      </div>
      <Block title={tense === "will" ? "New people" : "People added"} count={c.creates}>
        <TableWrap label={tense === "will" ? "New people" : "People added"}>
          <table className="import-table" role="table">
            <caption className="visually-hidden">{tense === "will" ? "New people" : "People added"}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Row</th>
                <th scope="col" role="columnheader">Person</th>
                <th scope="col" role="columnheader">Department</th>
                <th scope="col" role="columnheader">Role</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {summary.creates.map((p) => (
                <tr role="row" key={p.row}>
                  <td role="cell" className="import-row" data-label="Row">
                    {p.row}
                  </td>
                  <td role="cell">
                    <strong>{p.name}</strong>
                    {p.active ? null : <span className="badge badge--draft person-status">Deactivated</span>}
                    <div className="small muted">{p.email}</div>
                  </td>
                  <td role="cell" data-label="Department">
                    {p.department ?? "—"}
                  </td>
                  <td role="cell" data-label="Role">
                    {roleLabel(p.role)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <More total={c.creates} listed={summary.creates.length} />
      </Block>
      <Block title={tense === "will" ? "Changes to people" : "People updated"} count={c.updates}>
        <TableWrap label={tense === "will" ? "Changes to people" : "People updated"}>
          <table className="import-table" role="table">
            <caption className="visually-hidden">{tense === "will" ? "Changes to people" : "People updated"}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Row</th>
                <th scope="col" role="columnheader">Person</th>
                <th scope="col" role="columnheader">What</th>
                <th scope="col" role="columnheader">From</th>
                <th scope="col" role="columnheader">To</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {summary.updates.flatMap((u) =>
                u.changes.map((change, i) => (
                  <tr role="row" key={`${u.row}-${change.field}`} className={i === 0 ? "import-first" : "import-more"}>
                    <td role="cell" className="import-row" data-label="Row">
                      {i === 0 ? u.row : <span className="visually-hidden">{u.row}</span>}
                    </td>
                    <td role="cell" className="import-person">
                      {i === 0 ? u.email : <span className="visually-hidden">{u.email}</span>}
                    </td>
                    <td role="cell" className="import-field">
                      {FIELD_LABELS[change.field] ?? change.field}
                    </td>
                    <td role="cell" className="import-from" data-label="From">
                      {shown(change.from, change.field)}
                    </td>
                    <td role="cell" className="import-to" data-label="To">
                      {shown(change.to, change.field)}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </TableWrap>
        <More total={c.updates} listed={summary.updates.length} />
      </Block>
      <Block title={tense === "will" ? "To deactivate" : "Deactivated"} count={c.deactivations}>
        <ul className="import-people">
          {summary.deactivations.map((p) => (
            <li key={p.row}>
              <span className="import-row">Row {p.row}</span> <strong>{p.name}</strong> <span className="muted">{p.email}</span>
            </li>
          ))}
        </ul>
        <More total={c.deactivations} listed={summary.deactivations.length} />
      </Block>
      <Block title={tense === "will" ? "To reactivate" : "Reactivated"} count={c.reactivations}>
        <ul className="import-people">
          {summary.reactivations.map((p) => (
            <li key={p.row}>
              <span className="import-row">Row {p.row}</span> <strong>{p.name}</strong> <span className="muted">{p.email}</span>
            </li>
          ))}
        </ul>
        <More total={c.reactivations} listed={summary.reactivations.length} />
      </Block>
      <Block title="New departments" count={c.newDepartments}>
        <ul className="import-departments">
          {summary.newDepartments.map((name) => (
            <li key={name} className="badge badge--brand">
              {name}
            </li>
          ))}
        </ul>
        <More total={c.newDepartments} listed={summary.newDepartments.length} />
      </Block>
    </>
  );
}

function RowErrors({ summary }: { summary: ImportSummary }) {
  const n = summary.counts.errors;
  return (
    <>
      <Alert kind="error">
        {n === 1 ? "One row has a problem." : `${n.toLocaleString("en")} rows have problems.`} Nothing is applied while any row is wrong: fix the file and
        preview it again.
      </Alert>
      <TableWrap label="Rows with problems">
        <table className="import-table import-errors" role="table">
          <caption className="visually-hidden">Rows with problems</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Row</th>
              <th scope="col" role="columnheader">Problem</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {summary.errors.map((e) => (
              <tr role="row" key={`${e.row}-${e.message}`}>
                <td role="cell" className="import-row" data-label="Row">
                  {e.row}
                </td>
                <td role="cell">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <More total={n} listed={summary.errors.length} />
    </>
  );
}

export interface ImportFormProps {
  errors?: string[];
  formError?: string | null;
  defaultText?: string;
  busy: boolean;
}

/** The file (or pasted text) to preview. */
export function ImportForm({ errors, formError, defaultText, busy }: ImportFormProps) {
  const id = useId();
  return (
    <Form method="post" encType="multipart/form-data" className="stack import-form" noValidate>
      <input type="hidden" name="intent" value="previewImport" />
      <FormError message={formError ?? null} />
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input id={`${id}-file`} className="input import-file" type="file" name="file" accept=".csv,text/csv,text/plain" aria-describedby={`${id}-columns`} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Or paste the CSV text</label>
        <textarea
          id={`${id}-text`}
          className="textarea import-text"
          name="csv"
          rows={6}
          spellCheck={false}
          defaultValue={defaultText}
          placeholder={"email,name,department,role\nann.lee@example.com,Ann Lee,Sales,participant"}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={[`${id}-columns`, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ")}
        />
        {errors?.length ? (
          <div className="field__error" id={`${id}-error`} role="alert">
            {errors.join(" ")}
          </div>
        ) : null}
      </div>
      <div className="field__hint" id={`${id}-columns`}>
        A header row names the columns, in any order: <code>{IMPORT_COLUMNS.join(",")}</code>. Only <code>email</code> is required; an empty cell leaves
        that field as it is. Role is participant, leader, facilitator or admin; active is true or false. Up to{" "}
        {(IMPORT_LIMITS.bytes / 1024 / 1024).toLocaleString("en")} MB and {IMPORT_LIMITS.rows.toLocaleString("en")} people.
      </div>
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          Preview the import
        </button>
        <span className="small muted">Nothing changes until you apply the preview.</span>
      </div>
    </Form>
  );
}

/** A previewed import: what applying it will do, and the buttons to apply or discard it. */
export function ImportPreview({ state, busy, changed, formError }: { state: ImportState; busy: boolean; changed: boolean; formError?: string | null }) {
  const { preview } = state;
  const hasErrors = preview.counts.errors > 0;
  return (
    <div className="stack">
      <p className="muted">
        {state.fileName ? (
          <>
            From <strong>{state.fileName}</strong>.{" "}
          </>
        ) : (
          "From the pasted text. "
        )}
        Nothing has changed yet.
      </p>
      {changed ? <Alert kind="warn">People changed since this file was previewed. This is what applying it does now: look it over, then apply.</Alert> : null}
      <FormError message={formError ?? null} />
      {hasErrors ? <RowErrors summary={preview} /> : null}
      <Changes summary={preview} tense="will" />
      {!hasErrors && state.changes === 0 ? <Alert kind="info">Nothing to change: everyone in the file is already as it says.</Alert> : null}
      {!hasErrors && preview.counts.deactivations > 0 ? (
        <Alert kind="warn">
          {plural(preview.counts.deactivations, "person", "people")} will be deactivated: signed out at once and unable to sign in. What they wrote stays.
        </Alert>
      ) : null}
      <div className="row import-actions">
        {!hasErrors && state.changes > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="applyImport" />
            <input type="hidden" name="importId" value={state.id} />
            <input type="hidden" name="digest" value={state.digest} />
            <button type="submit" className="btn" disabled={busy}>
              Apply {plural(state.changes, "change")}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="discardImport" />
          <input type="hidden" name="importId" value={state.id} />
          <button type="submit" className="btn btn--secondary" disabled={busy}>
            {hasErrors ? "Discard this preview" : state.changes === 0 ? "Done" : "Discard without applying"}
          </button>
        </Form>
      </div>
    </div>
  );
}

/** An applied import: what it changed. */
export function ImportReport({ state }: { state: ImportState }) {
  const report = state.report!;
  const total = report.counts.creates + report.counts.updates + report.counts.deactivations + report.counts.reactivations + report.counts.newDepartments;
  return (
    <div className="stack">
      <Alert kind="info">
        {total === 0
          ? "Applied: nothing needed changing."
          : `Applied: ${plural(total, "change")}, each recorded in the audit log.`}{" "}
        {state.fileName ? <>From {state.fileName}.</> : null}
      </Alert>
      <Changes summary={report} tense="did" />
      <div className="row">
        <Link to="/admin/people#import" className="btn btn--secondary">
          Import another file
        </Link>
      </div>
    </div>
  );
}
