import { Form, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { ACTION_STATUS_LABELS, ACTION_STATUSES, dueDateInputValue, type ActionStatus } from "~/domain/actions";
import { FormError, SelectField, TextArea, TextField, type FormFailure } from "~/components/form";

interface Person {
  id: number;
  name: string;
  email: string;
}

function ownerOptions(owners: Person[]) {
  return owners.map((o) => ({ value: String(o.id), label: o.email ? `${o.name} (${o.email})` : o.name }));
}

const CREATE_STATUSES: ActionStatus[] = ["proposed", "approved", "in_progress"];

/** The "New action" form: what it grows from (a theme or an idea), title, owner, due date, status. */
export function NewActionForm({
  sources,
  selected,
  owners,
  failure,
}: {
  sources: { label: string; options: { value: string; label: string }[] }[];
  selected: string;
  owners: Person[];
  failure?: FormFailure;
}) {
  const id = useId();
  const busy = useNavigation().state === "submitting";
  const v = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  const sourceErrors = [...(errors.source ?? []), ...(errors.themeId ?? []), ...(errors.ideaId ?? [])];
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="create" />
      {failure ? <FormError message={failure.formError} /> : null}
      <div className="field">
        <label htmlFor={`${id}-source`}>Grows from</label>
        <select
          id={`${id}-source`}
          className="select"
          name="source"
          defaultValue={v.source ?? selected}
          aria-invalid={sourceErrors.length ? true : undefined}
          aria-describedby={`${id}-source-hint${sourceErrors.length ? ` ${id}-source-error` : ""}`}
        >
          <option value="">Choose a theme or an idea</option>
          {sources.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <div className="field__hint" id={`${id}-source-hint`}>
          Every idea in the theme is linked, and its author hears about each decision. To start from one idea, use
          “Create an action from this idea” on the idea’s page.
        </div>
        {sourceErrors.length ? (
          <div className="field__error" id={`${id}-source-error`} role="alert">
            {sourceErrors.join(" ")}
          </div>
        ) : null}
      </div>
      <TextField label="Title" name="title" maxLength={200} defaultValue={v.title} errors={errors.title} />
      <TextArea label="What will be done (optional)" name="description" maxLength={4000} rows={3} defaultValue={v.description} errors={errors.description} />
      <div className="grid grid--3">
        <SelectField
          label="Owner"
          name="ownerId"
          placeholder="Choose who owns it"
          options={ownerOptions(owners)}
          defaultValue={v.ownerId}
          errors={errors.ownerId}
        />
        <TextField label="Due date (optional)" name="dueDate" type="date" defaultValue={v.dueDate} errors={errors.dueDate} />
        <SelectField
          label="Status"
          name="status"
          options={CREATE_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))}
          defaultValue={v.status ?? "proposed"}
          errors={errors.status}
        />
      </div>
      <div>
        <button type="submit" className="btn" disabled={busy}>
          Create action
        </button>
      </div>
    </Form>
  );
}

/** Leaders' and facilitators' form on an action's page: status (a reason when declining), owner, due date, title. */
export function UpdateActionForm({
  action,
  owners,
  failure,
}: {
  action: { status: ActionStatus; declineReason: string | null; ownerId: number; dueDate: number | null; title: string; description: string };
  owners: Person[];
  failure?: FormFailure;
}) {
  const busy = useNavigation().state === "submitting";
  const v = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  const [status, setStatus] = useState<string>(v.status ?? action.status);
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="expectedStatus" value={action.status} />
      {failure ? <FormError message={failure.formError} /> : null}
      <div className="grid grid--3">
        <div className="field">
          <label htmlFor="action-status">Status</label>
          <select
            id="action-status"
            className="select"
            name="status"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            aria-invalid={errors.status?.length ? true : undefined}
          >
            {ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ACTION_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <SelectField label="Owner" name="ownerId" options={ownerOptions(owners)} defaultValue={v.ownerId ?? String(action.ownerId)} errors={errors.ownerId} />
        <TextField
          label="Due date (optional)"
          name="dueDate"
          type="date"
          defaultValue={v.dueDate ?? dueDateInputValue(action.dueDate)}
          errors={errors.dueDate}
        />
      </div>
      <TextArea
        label="Reason for declining"
        name="declineReason"
        rows={2}
        maxLength={1000}
        defaultValue={v.declineReason ?? action.declineReason ?? ""}
        errors={errors.declineReason}
        hint={status === "declined" ? "Required: the people whose ideas fed this action will read it." : "Only needed when the action is declined."}
      />
      <TextField label="Title" name="title" maxLength={200} defaultValue={v.title ?? action.title} errors={errors.title} />
      <TextArea label="What will be done" name="description" rows={3} maxLength={4000} defaultValue={v.description ?? action.description} errors={errors.description} />
      <div>
        <button type="submit" className="btn" disabled={busy}>
          Save changes
        </button>
      </div>
    </Form>
  );
}
