import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { formatNumber } from "~/domain/numbers";

/** What a rejected form gets back from its action (built by app/http/respond.server.ts): messages per field and what was typed. */
export interface FormFailure {
  fieldErrors: Record<string, string[]>;
  formError: string | null;
  values: Record<string, string>;
}

/** The failure in an action's or a fetcher's data, when that is what it holds. */
export function formFailureOf(data: unknown): FormFailure | undefined {
  return data && typeof data === "object" && "fieldErrors" in data ? (data as FormFailure) : undefined;
}

/**
 * A form's refusal, kept on screen until the form sends again. A live update reloads the
 * page's data, and a reload drops the action's answer: without this the message (and, in a
 * form keyed or reset by its data, what was typed) would vanish while the person reads it.
 * `sending` is true while this form's own submission is under way.
 */
export function useKeptFailure(failure: FormFailure | undefined, sending: boolean): FormFailure | undefined {
  const [kept, setKept] = useState(failure);
  useEffect(() => {
    if (failure) setKept(failure);
  }, [failure]);
  useEffect(() => {
    if (sending) setKept(undefined);
  }, [sending]);
  return failure ?? kept;
}

export interface FieldProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: ReactNode;
  defaultValue?: string;
  required?: boolean;
}

function Describe({ id, hint, errors }: { id: string; hint?: ReactNode; errors?: string[] }) {
  return (
    <>
      {hint ? (
        <div className="field__hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {errors && errors.length > 0 ? (
        <div className="field__error" id={`${id}-error`} role="alert">
          {errors.join(" ")}
        </div>
      ) : null}
    </>
  );
}

function describedBy(id: string, hint: unknown, errors?: string[]) {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField({
  label,
  name,
  errors,
  hint,
  defaultValue,
  required,
  type = "text",
  autoComplete,
  maxLength,
  placeholder,
  onChange,
}: FieldProps & { type?: string; autoComplete?: string; maxLength?: number; placeholder?: string; onChange?: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        name={name}
        type={type}
        defaultValue={defaultValue}
        required={required}
        autoComplete={autoComplete}
        placeholder={placeholder}
        onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined}
        data-maxlength={maxLength}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      />
      <Describe id={id} hint={hint} errors={errors} />
    </div>
  );
}

/**
 * A textarea with a live character count. The limit is shown, not enforced by
 * the browser, so an over-long text is kept and the server says what is wrong.
 */
export function TextArea({
  label,
  name,
  errors,
  hint,
  defaultValue = "",
  required,
  maxLength,
  rows = 5,
}: FieldProps & { maxLength?: number; rows?: number }) {
  const id = useId();
  const [length, setLength] = useState(defaultValue.length);
  // A form reset (after a post) empties the box without an input event: count again.
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const form = box.current?.form;
    if (!form) return;
    const recount = () => setTimeout(() => setLength(box.current?.value.length ?? 0));
    form.addEventListener("reset", recount);
    return () => form.removeEventListener("reset", recount);
  }, []);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        ref={box}
        id={id}
        className="textarea"
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        required={required}
        onChange={(e) => setLength(e.currentTarget.value.length)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      />
      {maxLength ? (
        <div className={`counter${length > maxLength ? " counter--over" : ""}`} aria-live="polite">
          {formatNumber(length)} / {formatNumber(maxLength)}
        </div>
      ) : null}
      <Describe id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  defaultValue,
  required,
  options,
  placeholder,
}: FieldProps & { options: { value: string; label: string }[]; placeholder?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="select"
        name={name}
        defaultValue={defaultValue ?? ""}
        required={required}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
      >
        {placeholder ? (
          <option value="" disabled>
            {placeholder}
          </option>
        ) : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Describe id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function CheckboxField({
  label,
  name,
  hint,
  defaultChecked,
}: {
  label: string;
  name: string;
  hint?: ReactNode;
  defaultChecked?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <div className="checkbox">
        <input id={id} type="checkbox" name={name} defaultChecked={defaultChecked} aria-describedby={hint ? `${id}-hint` : undefined} />
        <label htmlFor={id}>{label}</label>
      </div>
      <Describe id={id} hint={hint} />
    </div>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="alert alert--error" role="alert">
      {message}
    </div>
  );
}

/** A fresh key per rendered form: a double submit carries the same one and posts once. */
export function newClientKey(): string {
  return crypto.randomUUID();
}
