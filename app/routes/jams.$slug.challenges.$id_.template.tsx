import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { requireUser } from "~/auth/guard.server";
import { CheckboxField, FormError, SelectField, TextArea, TextField, type FormFailure } from "~/components/form";
import { EmptyState, plural } from "~/components/ui";
import { JamCrumbs } from "~/components/jam-header";
import { fieldHint, FIELD_KIND_LABELS, FIELD_KINDS, TEMPLATE_LIMITS, type FieldDef } from "~/domain/templates";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import {
  addTemplateField,
  moveTemplateField,
  removeTemplateField,
  restoreTemplateField,
  updateTemplateField,
} from "~/services/commands/templates.server";
import { templateEditorPage } from "~/services/pages/template-editor.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Idea template · ${data?.challenge.title ?? "Challenge"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(async () => await templateEditorPage(user, { challengeId: Number(params.id), jamSlug: params.slug ?? "" }), { request, user, ip: context.ip });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  // The challenge must be this jam's, and the viewer one who manages it.
  const page = await orRespond(async () => await templateEditorPage(user, { challengeId: Number(params.id), jamSlug: params.slug ?? "" }), ctx);
  const input = { ...values, challengeId: page.challenge.id };
  const meta = { ip: context.ip };
  const commands = {
    add: async () => await addTemplateField(user, input, meta),
    update: async () => await updateTemplateField(user, input, meta),
    move: async () => await moveTemplateField(user, input, meta),
    remove: async () => await removeTemplateField(user, input, meta),
    restore: async () => await restoreTemplateField(user, input, meta),
  } as const;
  const intent = values.intent as keyof typeof commands;
  if (!Object.hasOwn(commands, intent)) return unknownIntent();
  const outcome = await orFormFailure(commands[intent], { ...ctx, values });
  if (!outcome.ok) return outcome.response;
  return redirect(`/jams/${page.jam.slug}/challenges/${page.challenge.id}/template#field-${outcome.result.fieldId}`);
}

/** The inputs describing a field (add and edit): kind-specific ones show while that kind is chosen (CSS, so without JavaScript too). */
function FieldSettings({ field, typed, errors }: { field?: FieldDef; typed?: Record<string, string>; errors: Record<string, string[]> }) {
  const value = (k: string, stored: string) => typed?.[k] ?? stored;
  return (
    <div className="stack template-settings">
      <div className="template-settings__row">
        <TextField
          label="Label"
          name="label"
          defaultValue={value("label", field?.label ?? "")}
          errors={errors.label}
          hint={`What the field asks, up to ${TEMPLATE_LIMITS.label} characters.`}
        />
        <SelectField
          label="Kind of answer"
          name="kind"
          defaultValue={value("kind", field?.kind ?? "short_text")}
          errors={errors.kind}
          options={FIELD_KINDS.map((k) => ({ value: k, label: FIELD_KIND_LABELS[k] }))}
        />
      </div>
      <TextField label="Help text (optional)" name="help" defaultValue={value("help", field?.help ?? "")} errors={errors.help} hint="Shown under the label." />
      <div className="template-settings__choice">
        <TextArea
          label="Options, one a line"
          name="options"
          rows={4}
          defaultValue={value("options", field?.options.join("\n") ?? "")}
          errors={errors.options}
          hint={`For a choice: 2 to ${TEMPLATE_LIMITS.options} options.`}
        />
      </div>
      <div className="template-settings__number">
        <TextField label="Lowest value (optional)" name="min" defaultValue={value("min", field?.min?.toString() ?? "")} errors={errors.min} />
        <TextField label="Highest value (optional)" name="max" defaultValue={value("max", field?.max?.toString() ?? "")} errors={errors.max} />
        <TextField label="Unit (optional)" name="unit" defaultValue={value("unit", field?.unit ?? "")} errors={errors.unit} hint="For example €, days, people." />
      </div>
      <CheckboxField
        label="Required"
        name="required"
        defaultChecked={typed ? typed.required === "on" : (field?.required ?? false)}
        hint="New ideas and edits must answer it; ideas posted before stay as they are."
      />
    </div>
  );
}

function failureFor(failure: FormFailure | undefined, intent: string, fieldId?: number) {
  if (!failure || failure.values.intent !== intent) return undefined;
  if (fieldId !== undefined && failure.values.fieldId !== String(fieldId)) return undefined;
  return failure;
}

type EditorField = ReturnType<typeof useLoaderData<typeof loader>>["fields"][number];

function FieldCard({ field, index, count, failure }: { field: EditorField; index: number; count: number; failure?: FormFailure }) {
  const edit = failureFor(failure, "update", field.id);
  const other = failure && failure.values.fieldId === String(field.id) && !edit ? failure : undefined;
  const headingId = useId();
  return (
    <li className="card stack template-field-card" id={`field-${field.id}`} aria-labelledby={headingId}>
      <div className="template-field-card__head">
        <div className="stack" style={{ gap: "var(--s-1)" }}>
          <h3 id={headingId} className="template-field-card__title">
            {field.label}
            {field.required ? <span className="badge badge--brand">Required</span> : null}
            {field.retired ? <span className="badge">Removed</span> : null}
          </h3>
          <p className="small muted">
            {FIELD_KIND_LABELS[field.kind]}
            {field.kind === "choice" ? `: ${field.options.join(" · ")}` : ""}
            {" · "}
            {plural(field.answers, "answer")}
          </p>
          {fieldHint(field) ? <p className="small">{fieldHint(field)}</p> : null}
        </div>
        {!field.retired ? (
          <div className="row template-field-card__move">
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="fieldId" value={field.id} />
              <input type="hidden" name="direction" value="up" />
              <button type="submit" className="btn btn--ghost btn--small" disabled={index === 0}>
                ↑<span className="visually-hidden"> Move “{field.label}” up</span>
              </button>
            </Form>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="fieldId" value={field.id} />
              <input type="hidden" name="direction" value="down" />
              <button type="submit" className="btn btn--ghost btn--small" disabled={index === count - 1}>
                ↓<span className="visually-hidden"> Move “{field.label}” down</span>
              </button>
            </Form>
          </div>
        ) : null}
      </div>
      <FormError message={other?.formError} />
      {field.retired ? (
        <div className="row">
          <p className="small muted">Its {plural(field.answers, "answer")} are kept: in the CSV export and in the ideas’ history.</p>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="restore" />
            <input type="hidden" name="fieldId" value={field.id} />
            <button type="submit" className="btn btn--secondary btn--small">
              Restore
            </button>
          </Form>
        </div>
      ) : (
        <div className="row template-field-card__tools">
          <details className="edit-box" open={edit ? true : undefined}>
            <summary className="btn btn--ghost btn--small">Edit</summary>
            <Form method="post" className="stack edit-box__form" noValidate preventScrollReset>
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="fieldId" value={field.id} />
              <FormError message={edit?.formError} />
              <FieldSettings field={field} typed={edit?.values} errors={edit?.fieldErrors ?? {}} />
              <div>
                <button type="submit" className="btn btn--small">
                  Save field
                </button>
              </div>
            </Form>
          </details>
          <details className="edit-box">
            <summary className="btn btn--ghost btn--small">Remove…</summary>
            <Form method="post" className="stack edit-box__form" preventScrollReset>
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="fieldId" value={field.id} />
              <p className="small">
                {field.answers > 0
                  ? `${plural(field.answers, "idea")} answered it: the field leaves the form, cards and filters, and its answers are kept (CSV export, history). You can restore it.`
                  : "No idea answered it yet: it is deleted."}
              </p>
              <div>
                <button type="submit" className="btn btn--danger btn--small">
                  Remove “{field.label}”
                </button>
              </div>
            </Form>
          </details>
        </div>
      )}
    </li>
  );
}

export default function TemplateEditor() {
  const { jam, challenge, fields, ideaCount } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const add = failureFor(failure, "add");
  const inUse = fields.filter((f) => !f.retired);
  const retired = fields.filter((f) => f.retired);
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        <Link to={`/jams/${jam.slug}/challenges/${challenge.id}`}>{challenge.title}</Link> / Idea template
      </JamCrumbs>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <h1>Idea template</h1>
          <p className="muted">
            What every idea in “{challenge.title}” should say besides its title and description: the fields show in the idea form, on the cards,
            in the CSV export and as filters on the challenge page.
          </p>
          {ideaCount > 0 ? (
            <p className="small">
              {plural(ideaCount, "idea")} already posted. Changing the template never loses an answer: a removed field is kept with its answers, and a
              field made required binds new ideas and edits only.
            </p>
          ) : null}
        </div>
      </div>
      <section className="section stack" aria-labelledby="fields-heading">
        <h2 id="fields-heading">Fields</h2>
        {inUse.length === 0 ? (
          <EmptyState title="No fields yet">Ideas have a title and a description. Add a field below to ask for more.</EmptyState>
        ) : (
          <ol className="list-plain stack">
            {inUse.map((f, i) => (
              <FieldCard key={f.id} field={f} index={i} count={inUse.length} failure={failure} />
            ))}
          </ol>
        )}
      </section>
      <section className="section card stack" aria-labelledby="add-heading" id="add-field">
        <h2 id="add-heading">Add a field</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="add" />
          <FormError message={add?.formError} />
          <FieldSettings typed={add?.values} errors={add?.fieldErrors ?? {}} key={add ? "refused" : `fresh-${fields.length}`} />
          <div>
            <button type="submit" className="btn" disabled={busy || inUse.length >= TEMPLATE_LIMITS.fields}>
              Add field
            </button>
          </div>
        </Form>
      </section>
      {retired.length > 0 ? (
        <section className="section stack" aria-labelledby="retired-heading">
          <h2 id="retired-heading">Removed fields</h2>
          <ol className="list-plain stack">
            {retired.map((f, i) => (
              <FieldCard key={f.id} field={f} index={i} count={retired.length} failure={failure} />
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
