/**
 * Idea templates in the pages: the fields in the idea form (and the edit form), the answers on a
 * card and on the idea page, the changes in the history, and the challenge page's filters.
 */
import { Form, Link } from "@remix-run/react";
import { useId } from "react";
import {
  fieldHint,
  fieldName,
  filterParams,
  TEMPLATE_LIMITS,
  type AnswerView,
  type FieldDef,
  type FieldFilter,
} from "~/domain/templates";
import { formatNumber } from "~/domain/numbers";

function describedBy(id: string, hint: string, errors?: string[]) {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function Required({ required }: { required: boolean }) {
  return required ? (
    <span className="template-required">
      {" "}
      <span aria-hidden="true">*</span>
      <span className="visually-hidden">(required)</span>
    </span>
  ) : (
    <span className="template-optional"> (optional)</span>
  );
}

function Messages({ id, hint, errors }: { id: string; hint: string; errors?: string[] }) {
  return (
    <>
      {hint ? (
        <div className="field__hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {errors?.length ? (
        <div className="field__error" id={`${id}-error`} role="alert">
          {errors.join(" ")}
        </div>
      ) : null}
    </>
  );
}

/** One field's input, of the kind the field takes; `value` is what was typed or stored. */
function FieldInput({ field, value, errors }: { field: FieldDef; value: string; errors?: string[] }) {
  const id = useId();
  const name = fieldName(field.id);
  const hint = fieldHint(field);
  const invalid = errors?.length ? true : undefined;
  const common = { id, name, "aria-invalid": invalid, "aria-describedby": describedBy(id, hint, errors), "aria-required": field.required || undefined };
  if (field.kind === "yes_no") {
    return (
      <fieldset className="field template-field template-yesno" aria-describedby={common["aria-describedby"]} aria-invalid={invalid}>
        <legend>
          {field.label}
          <Required required={field.required} />
        </legend>
        <div className="row template-yesno__options">
          {[
            ["yes", "Yes"],
            ["no", "No"],
            ...(field.required ? [] : [["", "Not said"]]),
          ].map(([v, label]) => (
            <label key={v} className="checkbox">
              <input type="radio" name={name} value={v} defaultChecked={value === v} />
              {label}
            </label>
          ))}
        </div>
        <Messages id={id} hint={hint} errors={errors} />
      </fieldset>
    );
  }
  return (
    <div className="field template-field">
      <label htmlFor={id}>
        {field.label}
        <Required required={field.required} />
      </label>
      {field.kind === "long_text" ? (
        <textarea {...common} className="textarea" rows={4} defaultValue={value} />
      ) : field.kind === "choice" ? (
        <select {...common} className="select" defaultValue={field.options.includes(value) || value === "" ? value : ""}>
          <option value="">{field.required ? "Choose one…" : "No answer"}</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : field.kind === "number" ? (
        <div className="template-number">
          <input {...common} className="input" type="text" inputMode="decimal" autoComplete="off" defaultValue={value} />
          {field.unit ? <span className="template-number__unit">{field.unit}</span> : null}
        </div>
      ) : (
        <input
          {...common}
          className="input"
          type={field.kind === "link" ? "url" : "text"}
          inputMode={field.kind === "link" ? "url" : undefined}
          autoComplete="off"
          placeholder={field.kind === "link" ? "https://" : undefined}
          defaultValue={value}
        />
      )}
      <Messages id={id} hint={hint} errors={errors} />
    </div>
  );
}

/**
 * The challenge's fields in the idea form, in order. `values` is what was typed (after a refusal)
 * or stored (an edit); `errors` the form's field errors, keyed by the inputs' names.
 */
export function TemplateFieldInputs({
  fields,
  values,
  errors,
}: {
  fields: FieldDef[];
  values?: Record<string, string>;
  errors?: Record<string, string[]>;
}) {
  if (fields.length === 0) return null;
  return (
    <div className="stack template-fields">
      {fields.map((f) => (
        <FieldInput key={f.id} field={f} value={values?.[fieldName(f.id)] ?? ""} errors={errors?.[fieldName(f.id)]} />
      ))}
    </div>
  );
}

/** A card's few short answers, compact. */
export function CardAnswers({ answers }: { answers?: AnswerView[] }) {
  if (!answers || answers.length === 0) return null;
  return (
    <ul className="card-answers" aria-label="Answers">
      {answers.map((a) => (
        <li key={a.fieldId} className="card-answers__item">
          <span className="card-answers__label">{a.label}:</span> {a.text}
        </li>
      ))}
    </ul>
  );
}

/** Every answer, on the idea page. Links are http(s) only (checked when stored), opened without the page's context. */
export function IdeaAnswers({ answers }: { answers: AnswerView[] }) {
  if (answers.length === 0) return null;
  return (
    <dl className="idea-answers">
      {answers.map((a) => (
        <div key={a.fieldId} className="idea-answers__row">
          <dt>{a.label}</dt>
          <dd>
            {a.href ? (
              <a href={a.href} rel="noopener noreferrer nofollow" target="_blank">
                {a.text}
              </a>
            ) : (
              <span className="idea-answers__text">{a.text}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** What changed in the answers at one version (the history). */
export function FieldChanges({ changes }: { changes: { label: string; before: string | null; after: string | null }[] }) {
  if (changes.length === 0) return null;
  return (
    <div className="field-changes">
      <h3 className="small">Changed answers</h3>
      <ul className="list-plain field-changes__list">
        {changes.map((c) => (
          <li key={c.label} className="small">
            <strong>{c.label}</strong>:{" "}
            {c.before !== null ? (
              <del className="diff__del">
                <span className="visually-hidden">removed: </span>
                {c.before}
              </del>
            ) : (
              <span className="muted">no answer</span>
            )}{" "}
            →{" "}
            {c.after !== null ? (
              <ins className="diff__ins">
                <span className="visually-hidden">added: </span>
                {c.after}
              </ins>
            ) : (
              <span className="muted">no answer</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Filters on the challenge page, one GET form (shareable in the address, the back button works,
 * no JavaScript needed): choice and yes/no equal, numbers at least / at most, text contains.
 * `keep` are the other parameters to keep (sort, search).
 */
export function TemplateFilters({
  fields,
  filters,
  action,
  keep,
  clearHref,
}: {
  fields: FieldDef[];
  filters: FieldFilter[];
  action: string;
  keep: Record<string, string | undefined>;
  clearHref: string;
}) {
  if (fields.length === 0) return null;
  const current = (id: number, op: FieldFilter["op"]) => filters.find((f) => f.fieldId === id && f.op === op)?.value ?? "";
  return (
    <details className="template-filters" open={filters.length > 0 || undefined}>
      <summary>
        Filter by answers{filters.length > 0 ? ` (${filters.length} on)` : ""}
      </summary>
      <Form method="get" action={action} className="template-filters__form">
        {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
        <div className="template-filters__grid">
          {fields.map((f) => {
            const names = filterParams(f.id);
            const id = `filter-${f.id}`;
            if (f.kind === "number") {
              return (
                <fieldset key={f.id} className="field template-filters__range">
                  <legend>
                    {f.label}
                    {f.unit ? ` (${f.unit})` : ""}
                  </legend>
                  <div className="row">
                    <label className="template-filters__bound">
                      <span>At least</span>
                      <input className="input" name={names.min} inputMode="decimal" defaultValue={current(f.id, "min")} autoComplete="off" />
                    </label>
                    <label className="template-filters__bound">
                      <span>At most</span>
                      <input className="input" name={names.max} inputMode="decimal" defaultValue={current(f.id, "max")} autoComplete="off" />
                    </label>
                  </div>
                </fieldset>
              );
            }
            if (f.kind === "choice" || f.kind === "yes_no") {
              const options = f.kind === "choice" ? f.options.map((o) => [o, o]) : [["yes", "Yes"], ["no", "No"]];
              return (
                <div key={f.id} className="field">
                  <label htmlFor={id}>{f.label}</label>
                  <select id={id} className="select" name={names.value} defaultValue={current(f.id, "eq")}>
                    <option value="">Any</option>
                    {options.map(([v, label]) => (
                      <option key={v} value={v}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              );
            }
            return (
              <div key={f.id} className="field">
                <label htmlFor={id}>{f.label} contains</label>
                <input id={id} className="input" name={names.value} defaultValue={current(f.id, "contains")} maxLength={100} autoComplete="off" />
              </div>
            );
          })}
        </div>
        <div className="row">
          <button type="submit" className="btn btn--secondary">
            Apply filters
          </button>
          {filters.length > 0 ? <Link to={clearHref}>Clear filters</Link> : null}
        </div>
        {filters.length >= TEMPLATE_LIMITS.filters ? (
          <p className="small muted">At most {formatNumber(TEMPLATE_LIMITS.filters)} filters apply at once.</p>
        ) : null}
      </Form>
    </details>
  );
}
