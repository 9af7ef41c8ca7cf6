/**
 * Idea templates, the pure part: what a field is, the zod schema that checks an idea's answers
 * against its challenge's template, how an answer reads, and the challenge page's filters.
 */
import { z } from "zod";
import { formatNumber } from "./numbers";
import { readableText } from "./text";

export const FIELD_KINDS = ["short_text", "long_text", "number", "choice", "yes_no", "link"] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const FIELD_KIND_LABELS: Record<FieldKind, string> = {
  short_text: "Short text",
  long_text: "Long text",
  number: "Number",
  choice: "Choice",
  yes_no: "Yes / no",
  link: "Link",
};

export const TEMPLATE_LIMITS = {
  /** Fields in use on one challenge (retired ones not counted). */
  fields: 20,
  label: 80,
  help: 300,
  options: 20,
  option: 80,
  unit: 20,
  shortText: 200,
  longText: 4000,
  link: 2000,
  /** Filters applied at once on the challenge page. */
  filters: 4,
} as const;

/** A field as the form, the card and the checks see it. */
export interface FieldDef {
  id: number;
  label: string;
  help: string;
  kind: FieldKind;
  required: boolean;
  options: string[];
  min: number | null;
  max: number | null;
  unit: string;
  retired: boolean;
}

/** One stored answer: the text as shown and, for a number, the number. */
export interface Answer {
  value: string;
  number: number | null;
}

export interface AnswerView {
  fieldId: number;
  label: string;
  kind: FieldDef["kind"];
  text: string;
  /** A link answer's address (http or https, checked when it was stored). */
  href: string | null;
}

/** The form's name for a field's input. */
export function fieldName(id: number): string {
  return `field_${id}`;
}

const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const GROUPED_NUMBER_TEXT = /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** A number as people type it ("1200", "1,200.5", "-3"), or null when it is not one. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/\s+/g, "");
  if (!NUMBER_TEXT.test(t) && !GROUPED_NUMBER_TEXT.test(t)) return null;
  const n = Number(t.replace(/,/g, ""));
  return Number.isFinite(n) && Math.abs(n) < 1e15 ? n : null;
}

/** Whether a link may be stored and shown as a link: http or https only (never javascript:, data:...). */
export function isWebLink(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function rangeText(field: Pick<FieldDef, "min" | "max" | "unit">): string {
  const u = field.unit ? ` ${field.unit}` : "";
  if (field.min !== null && field.max !== null) return `between ${formatNumber(field.min)} and ${formatNumber(field.max)}${u}`;
  if (field.min !== null) return `at least ${formatNumber(field.min)}${u}`;
  if (field.max !== null) return `at most ${formatNumber(field.max)}${u}`;
  return "";
}

/** What a field asks for, under its label (the facilitator's help, then the number's range). */
export function fieldHint(field: FieldDef): string {
  const range = field.kind === "number" ? rangeText(field) : "";
  const parts = [field.help, range ? `A number ${range}.` : "", field.kind === "link" ? "A web address (https://…)." : ""].filter(Boolean);
  return parts.join(" ");
}

/** The check for one field's answer: "" (or missing) is no answer; the result is null or the answer. */
function answerSchema(field: FieldDef, mustFill: boolean) {
  const empty = `“${field.label}” is required.`;
  const text = z.preprocess((v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : "\u0000"), z.string());
  return text.transform((raw, ctx): Answer | null => {
    const value = field.kind === "long_text" ? raw.trim() : raw.trim();
    if (value === "") {
      if (mustFill) ctx.addIssue({ code: "custom", message: empty });
      return null;
    }
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return null;
    };
    switch (field.kind) {
      case "short_text":
      case "long_text": {
        const max = field.kind === "short_text" ? TEMPLATE_LIMITS.shortText : TEMPLATE_LIMITS.longText;
        if (value.length > max) return fail(`Keep “${field.label}” to ${formatNumber(max)} characters or fewer.`);
        const checked = readableText(z.string(), { multiline: field.kind === "long_text" }).safeParse(value);
        if (!checked.success) return fail(checked.error.issues[0]!.message);
        return { value, number: null };
      }
      case "number": {
        if (value.length > 40) return fail(`“${field.label}” must be a number, like 1200 or 3.5.`);
        const n = parseNumber(value);
        if (n === null) return fail(`“${field.label}” must be a number, like 1200 or 3.5.`);
        if ((field.min !== null && n < field.min) || (field.max !== null && n > field.max)) {
          return fail(`“${field.label}” must be ${rangeText(field)}.`);
        }
        return { value: String(n), number: n };
      }
      case "choice":
        if (!field.options.includes(value)) return fail(`Pick one of the options for “${field.label}”.`);
        return { value, number: null };
      case "yes_no":
        if (value !== "yes" && value !== "no") return fail(`Answer “${field.label}” with yes or no.`);
        return { value, number: null };
      case "link":
        if (value.length > TEMPLATE_LIMITS.link) return fail(`Keep the link in “${field.label}” to ${formatNumber(TEMPLATE_LIMITS.link)} characters or fewer.`);
        if (!isWebLink(value)) return fail(`“${field.label}” must be a web address starting with https:// or http://.`);
        return { value, number: null };
    }
  });
}

/**
 * The zod schema for an idea's answers to its challenge's fields in use (retired ones are not
 * asked): keys are the form's names (`field_<id>`), so a refusal lands beside its input. Only
 * these keys are read: a value for any other field (another challenge's, a retired one) is
 * ignored. `requireRequired` is false only where required fields are not enforced.
 */
export function answersSchema(fields: FieldDef[], { requireRequired = true } = {}) {
  const shape: Record<string, ReturnType<typeof answerSchema>> = {};
  for (const f of fields) if (!f.retired) shape[fieldName(f.id)] = answerSchema(f, requireRequired && f.required);
  return z.object(shape);
}

/** The answers the schema gave, by field id (no answer: not in the map). */
export function answersById(fields: FieldDef[], parsed: Record<string, Answer | null>): Map<number, Answer> {
  const out = new Map<number, Answer>();
  for (const f of fields) {
    const a = parsed[fieldName(f.id)];
    if (a) out.set(f.id, a);
  }
  return out;
}

/** An answer as a person reads it: "Yes", "1,200 €", the option or the text. */
export function answerText(field: Pick<FieldDef, "kind" | "unit">, value: string): string {
  if (field.kind === "yes_no") return value === "yes" ? "Yes" : value === "no" ? "No" : value;
  if (field.kind === "number") {
    const n = Number(value);
    const shown = Number.isFinite(n) ? formatNumber(n) : value;
    return field.unit ? `${shown} ${field.unit}` : shown;
  }
  return value;
}

/** Fields whose answers fit on a card: short ones. */
export function showsOnCard(field: Pick<FieldDef, "kind">): boolean {
  return field.kind === "number" || field.kind === "choice" || field.kind === "yes_no" || field.kind === "short_text";
}

/** At most this many answers on a card. */
export const CARD_ANSWERS = 3;

// ---------------------------------------------------------------- filters

export type FilterOp = "eq" | "contains" | "min" | "max";

export interface FieldFilter {
  fieldId: number;
  op: FilterOp;
  value: string;
  number: number | null;
}

/** The URL parameter names of a field's filter: `f<id>` (equals or contains), `f<id>_min`, `f<id>_max`. */
export function filterParams(id: number) {
  return { value: `f${id}`, min: `f${id}_min`, max: `f${id}_max` };
}

/**
 * The filters in a challenge page's address, for fields in use: choice and yes/no equal a value
 * (one of the options), numbers are at least / at most, text and links contain the words. What
 * does not parse is dropped; at most TEMPLATE_LIMITS.filters apply.
 */
export function parseFilters(fields: FieldDef[], params: URLSearchParams | Record<string, string | undefined>): FieldFilter[] {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    return typeof v === "string" ? v.trim() : "";
  };
  const out: FieldFilter[] = [];
  for (const f of fields) {
    if (f.retired) continue;
    const names = filterParams(f.id);
    if (f.kind === "number") {
      for (const op of ["min", "max"] as const) {
        const n = parseNumber(get(names[op]).slice(0, 40));
        if (n !== null) out.push({ fieldId: f.id, op, value: String(n), number: n });
      }
      continue;
    }
    const v = get(names.value);
    if (!v) continue;
    if (f.kind === "choice" && f.options.includes(v)) out.push({ fieldId: f.id, op: "eq", value: v, number: null });
    else if (f.kind === "yes_no" && (v === "yes" || v === "no")) out.push({ fieldId: f.id, op: "eq", value: v, number: null });
    else if (f.kind === "short_text" || f.kind === "long_text" || f.kind === "link") {
      out.push({ fieldId: f.id, op: "contains", value: v.slice(0, 100), number: null });
    }
  }
  return out.slice(0, TEMPLATE_LIMITS.filters);
}

/** The filters back as URL parameters (for links that keep them: sorts, pages). */
export function filterQuery(filters: FieldFilter[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filters) {
    const names = filterParams(f.fieldId);
    out[f.op === "min" ? names.min : f.op === "max" ? names.max : names.value] = f.value;
  }
  return out;
}
