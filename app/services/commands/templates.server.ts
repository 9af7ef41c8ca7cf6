/**
 * Idea templates: a challenge's extra fields, kept by whoever manages the challenge (facilitators
 * and admins), the answers ideas give (checked against the template when an idea is posted or
 * edited), and what the pages, the CSV export, the filters and the history read of them.
 *
 * A field removed after ideas answered it is retired, never deleted: its answers stay (CSV,
 * history). A field made required binds new posts and edits only; ideas already posted stay as
 * they are.
 */
import { and, eq, isNull, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import {
  answersById,
  answersSchema,
  FIELD_KINDS,
  parseNumber,
  TEMPLATE_LIMITS,
  type Answer,
  type FieldDef,
} from "~/domain/templates";

import { readableText } from "~/domain/text";
import { transaction, type Db } from "~db/client";
import { ideaFieldRevisions, ideaFieldValues, ideas, templateFields, type TemplateField } from "~db/schema";
import { recordAudit } from "~/services/effects/audit.server";
import { Conflict, Invalid, NotFound, validate, type FieldErrors } from "~/services/errors";
import { forEachInOrder } from "~/domain/in-order";
import { storedAnswers, fieldsOf, managedChallenge } from "~/services/lookups/templates.server";

// ---------------------------------------------------------------- answers

/**
 * Validates an idea's own fields (title, body...) with `schema` and its answers with the template
 * together, so one refusal lists every problem. Throws Invalid; returns the data and the answers.
 */
export function validateWithAnswers<S extends z.ZodType>(schema: S, input: unknown, fields: FieldDef[]): { data: z.output<S>; answers: Map<number, Answer> } {
  const errors: FieldErrors = {};
  let data: z.output<S> | undefined;
  try {
    data = validate(schema, input);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    Object.assign(errors, error.fieldErrors);
  }
  let answers = new Map<number, Answer>();
  try {
    const source = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
    answers = answersById(fields, validate(answersSchema(fields), source) as Record<string, Answer | null>);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    Object.assign(errors, error.fieldErrors);
  }
  if (Object.keys(errors).length > 0 || data === undefined) throw new Invalid(errors);
  return { data, answers };
}

/**
 * Makes an idea's answers to the fields in use what `answers` holds (in the caller's
 * transaction): answered fields written, emptied ones removed. Retired fields' answers stay.
 */
export async function writeAnswers(tx: Db, ideaId: number, fields: FieldDef[], answers: Map<number, Answer>) {
  for (const f of fields) {
    if (f.retired) continue;
    const a = answers.get(f.id);
    if (!a) {
      await tx.delete(ideaFieldValues).where(and(eq(ideaFieldValues.ideaId, ideaId), eq(ideaFieldValues.fieldId, f.id))).run();
      continue;
    }
    await tx.insert(ideaFieldValues)
      .values({ ideaId, fieldId: f.id, value: a.value, numberValue: a.number })
      .onConflictDoUpdate({ target: [ideaFieldValues.ideaId, ideaFieldValues.fieldId], set: { value: a.value, numberValue: a.number } })
      .run();
  }
}

/**
 * An edit's answers, in the caller's transaction after the idea moved from `fromVersion` to
 * `toVersion`: the answers as they were are kept as the old version's (unless it has them
 * already), the new ones written and kept as the new version's, for the history.
 */
export async function writeEditedAnswers(tx: Db, idea: { id: number }, stored: Map<number, string>, fields: FieldDef[], answers: Map<number, Answer>, versions: { from: number; to: number }) {
  const before = Object.fromEntries(stored);
  await tx.insert(ideaFieldRevisions).values({ ideaId: idea.id, version: versions.from, answers: JSON.stringify(before) }).onConflictDoNothing().run();
  await writeAnswers(tx, idea.id, fields, answers);
  const after = (await storedAnswers(tx, [idea.id])).get(idea.id) ?? new Map();
  await tx.insert(ideaFieldRevisions).values({ ideaId: idea.id, version: versions.to, answers: JSON.stringify(Object.fromEntries(after)) }).onConflictDoNothing().run();
}

const optionalNumber = (what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = (v ?? "").trim();
      if (t === "") return null;
      const n = t.length <= 40 ? parseNumber(t) : null;
      if (n === null) ctx.addIssue({ code: "custom", message: `The ${what} must be a number, like 0 or 1200.` });
      return n;
    });

const FieldInput = z
  .object({
    challengeId: z.coerce.number().int().positive(),
    label: readableText(
      z
        .string({ error: "Give the field a label." })
        .trim()
        .min(1, "Give the field a label.")
        .max(TEMPLATE_LIMITS.label, `Keep the label to ${TEMPLATE_LIMITS.label} characters or fewer.`),
    ),
    help: readableText(z.string().trim().max(TEMPLATE_LIMITS.help, `Keep the help text to ${TEMPLATE_LIMITS.help} characters or fewer.`))
      .optional()
      .default(""),
    kind: z.enum(FIELD_KINDS, { error: "Pick what kind of answer the field takes." }),
    required: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
    options: z
      .string()
      .max(TEMPLATE_LIMITS.options * (TEMPLATE_LIMITS.option + 2) + 200, "Too many options.")
      .optional()
      .default(""),
    min: optionalNumber("lowest value"),
    max: optionalNumber("highest value"),
    unit: readableText(z.string().trim().max(TEMPLATE_LIMITS.unit, `Keep the unit to ${TEMPLATE_LIMITS.unit} characters or fewer.`))
      .optional()
      .default(""),
  })
  .transform((f, ctx) => {
    const options = [...new Set(f.options.split(/\r?\n/).map((o) => o.trim()).filter(Boolean))];
    if (f.kind === "choice") {
      if (options.length < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "Give at least two options, one a line." });
      if (options.length > TEMPLATE_LIMITS.options) ctx.addIssue({ code: "custom", path: ["options"], message: `At most ${TEMPLATE_LIMITS.options} options.` });
      const long = options.find((o) => o.length > TEMPLATE_LIMITS.option);
      if (long) ctx.addIssue({ code: "custom", path: ["options"], message: `Keep each option to ${TEMPLATE_LIMITS.option} characters or fewer.` });
      const unreadable = options.find((o) => readableText(z.string()).safeParse(o).success === false);
      if (unreadable) ctx.addIssue({ code: "custom", path: ["options"], message: "Remove the control characters from the options." });
    }
    if (f.kind === "number" && f.min !== null && f.max !== null && f.min > f.max) {
      ctx.addIssue({ code: "custom", path: ["max"], message: "The highest value must not be below the lowest." });
    }
    const number = f.kind === "number";
    return {
      challengeId: f.challengeId,
      label: f.label,
      help: f.help,
      kind: f.kind,
      required: f.required,
      options: f.kind === "choice" ? options : [],
      min: number ? f.min : null,
      max: number ? f.max : null,
      unit: number ? f.unit : "",
    };
  });

const FieldRef = z.object({
  challengeId: z.coerce.number().int().positive(),
  fieldId: z.coerce.number().int().positive(),
});

interface Meta {
  now?: number;
  ip?: string | null;
}

async function fieldOfChallenge(tx: Db, challengeId: number, fieldId: number): Promise<TemplateField> {
  const row = await tx.select().from(templateFields).where(and(eq(templateFields.id, fieldId), eq(templateFields.challengeId, challengeId))).get();
  if (!row) throw new NotFound("No such field.");
  return row;
}

async function audit(tx: Db, actor: SessionUser, challengeId: number, change: string, field: { id: number; label: string }, meta: Meta, now: number, extra: Record<string, unknown> = {}) {
  await recordAudit(tx, {
    action: "template_changed",
    actorId: actor.id,
    subject: `challenge:${challengeId}`,
    ip: meta.ip ?? null,
    detail: { change, fieldId: field.id, label: field.label, ...extra },
    at: now,
  });
}

/** Adds a field at the end of the challenge's template. */
export async function addTemplateField(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(FieldInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { challenge } = await managedChallenge(tx, actor, data.challengeId);
    const inUse = (await tx.select({ n: sql<number>`count(*)` }).from(templateFields).where(and(eq(templateFields.challengeId, challenge.id), isNull(templateFields.retiredAt))).get())?.n ?? 0;
    if (inUse >= TEMPLATE_LIMITS.fields) throw new Conflict(`A template has at most ${TEMPLATE_LIMITS.fields} fields: remove one first.`);
    const last = (await tx.select({ p: max(templateFields.position) }).from(templateFields).where(eq(templateFields.challengeId, challenge.id)).get())?.p ?? 0;
    const row = await tx
      .insert(templateFields)
      .values({
        challengeId: challenge.id,
        position: last + 1,
        label: data.label,
        help: data.help,
        kind: data.kind,
        required: data.required,
        options: JSON.stringify(data.options),
        min: data.min,
        max: data.max,
        unit: data.unit,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    await audit(tx, actor, challenge.id, "added", row, meta, now, { kind: row.kind, required: row.required });
    return { fieldId: row.id };
  });
}

/**
 * Changes a field's label, help, required flag, options or range. Its kind changes only while no
 * idea answered it (answers of one kind are not answers of another): add a new field instead.
 */
export async function updateTemplateField(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const ref = validate(FieldRef, input);
  const data = validate(FieldInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { challenge } = await managedChallenge(tx, actor, ref.challengeId);
    const field = await fieldOfChallenge(tx, challenge.id, ref.fieldId);
    if (field.retiredAt !== null) throw new Conflict("This field was removed: restore it before changing it.");
    if (data.kind !== field.kind) {
      const answered = (await tx.select({ n: sql<number>`count(*)` }).from(ideaFieldValues).where(eq(ideaFieldValues.fieldId, field.id)).get())?.n ?? 0;
      if (answered > 0) throw new Invalid({ kind: ["Ideas have answered this field: its kind cannot change. Add a new field instead."] });
    }
    await tx.update(templateFields)
      .set({
        label: data.label,
        help: data.help,
        kind: data.kind,
        required: data.required,
        options: JSON.stringify(data.options),
        min: data.min,
        max: data.max,
        unit: data.unit,
        updatedAt: now,
      })
      .where(eq(templateFields.id, field.id))
      .run();
    const changed: string[] = (["label", "help", "kind", "required", "unit", "min", "max"] as const).filter((k) => field[k] !== data[k]);
    if (field.options !== JSON.stringify(data.options)) changed.push("options");
    if (changed.length > 0) await audit(tx, actor, challenge.id, "edited", { id: field.id, label: data.label }, meta, now, { changed });
    return { fieldId: field.id, changed: changed.length > 0 };
  });
}

const MoveInput = FieldRef.extend({ direction: z.enum(["up", "down"]) });

/** Moves a field one place up or down among the fields in use. */
export async function moveTemplateField(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(MoveInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { challenge } = await managedChallenge(tx, actor, data.challengeId);
    const field = await fieldOfChallenge(tx, challenge.id, data.fieldId);
    const order = await fieldsOf(tx, challenge.id);
    const at = order.findIndex((f) => f.id === field.id);
    const other = at < 0 ? undefined : order[data.direction === "up" ? at - 1 : at + 1];
    if (!other) return { fieldId: field.id, moved: false };
    // Positions are rewritten as 1..n in the new order, so ties or gaps left by retired fields never matter.
    const next = order.map((f) => f.id);
    const j = next.indexOf(other.id);
    [next[at], next[j]] = [next[j]!, next[at]!];
    await forEachInOrder(next, async (id, i) => await tx.update(templateFields).set({ position: i + 1, updatedAt: now }).where(eq(templateFields.id, id)).run());
    await audit(tx, actor, challenge.id, data.direction === "up" ? "moved up" : "moved down", field, meta, now);
    return { fieldId: field.id, moved: true };
  });
}

/**
 * Removes a field. One that no idea answered is deleted; one with answers is retired: it leaves
 * the form, cards and filters, and its answers stay (CSV, history), so nothing typed is lost.
 */
export async function removeTemplateField(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(FieldRef, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { challenge } = await managedChallenge(tx, actor, data.challengeId);
    const field = await fieldOfChallenge(tx, challenge.id, data.fieldId);
    if (field.retiredAt !== null) return { fieldId: field.id, outcome: "retired" as const, changed: false };
    const answered = (await tx.select({ n: sql<number>`count(*)` }).from(ideaFieldValues).where(eq(ideaFieldValues.fieldId, field.id)).get())?.n ?? 0;
    const history = (await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${ideaFieldRevisions} r JOIN ${ideas} i ON i.id = r.idea_id WHERE i.challenge_id = ${challenge.id}`))?.n ?? 0;
    if (answered === 0 && history === 0) {
      await tx.delete(templateFields).where(eq(templateFields.id, field.id)).run();
      await audit(tx, actor, challenge.id, "removed", field, meta, now);
      return { fieldId: field.id, outcome: "deleted" as const, changed: true };
    }
    await tx.update(templateFields).set({ retiredAt: now, updatedAt: now }).where(and(eq(templateFields.id, field.id), isNull(templateFields.retiredAt))).run();
    await audit(tx, actor, challenge.id, "retired", field, meta, now, { answers: answered });
    return { fieldId: field.id, outcome: "retired" as const, changed: true };
  });
}

/** Brings a retired field back into the form, at the end, with the answers it kept. */
export async function restoreTemplateField(actor: SessionUser, input: unknown, meta: Meta = {}) {
  const data = validate(FieldRef, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const { challenge } = await managedChallenge(tx, actor, data.challengeId);
    const field = await fieldOfChallenge(tx, challenge.id, data.fieldId);
    if (field.retiredAt === null) return { fieldId: field.id, changed: false };
    const inUse = (await tx.select({ n: sql<number>`count(*)` }).from(templateFields).where(and(eq(templateFields.challengeId, challenge.id), isNull(templateFields.retiredAt))).get())?.n ?? 0;
    if (inUse >= TEMPLATE_LIMITS.fields) throw new Conflict(`A template has at most ${TEMPLATE_LIMITS.fields} fields: remove one first.`);
    const last = (await tx.select({ p: max(templateFields.position) }).from(templateFields).where(eq(templateFields.challengeId, challenge.id)).get())?.p ?? 0;
    await tx.update(templateFields).set({ retiredAt: null, position: last + 1, updatedAt: now }).where(eq(templateFields.id, field.id)).run();
    await audit(tx, actor, challenge.id, "restored", field, meta, now);
    return { fieldId: field.id, changed: true };
  });
}
