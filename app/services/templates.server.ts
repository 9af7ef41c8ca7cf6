/**
 * Idea templates: a challenge's extra fields, kept by whoever manages the challenge (facilitators
 * and admins), the answers ideas give (checked against the template when an idea is posted or
 * edited), and what the pages, the CSV export, the filters and the history read of them.
 *
 * A field removed after ideas answered it is retired, never deleted: its answers stay (CSV,
 * history). A field made required binds new posts and edits only; ideas already posted stay as
 * they are.
 */
import { and, asc, eq, inArray, isNull, max, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import {
  answersById,
  answersSchema,
  answerText,
  CARD_ANSWERS,
  fieldName,
  FIELD_KINDS,
  parseNumber,
  showsOnCard,
  TEMPLATE_LIMITS,
  type Answer,
  type AnswerView,
  type FieldDef,
  type FieldFilter,
} from "~/domain/templates";

export type { AnswerView };
import { readableText } from "~/domain/text";
import { db, transaction, type Db } from "~db/client";
import { containsText } from "~db/like";
import { challenges, ideaFieldRevisions, ideaFieldValues, ideas, templateFields, type TemplateField } from "~db/schema";
import { recordAudit } from "./audit.server";
import { Conflict, Invalid, NotFound, ServiceError, validate, type FieldErrors } from "./errors";
import { requireCapability } from "./lookups/guards.server";
import { findVisibleChallenge } from "./lookups/visibility.server";
import { ideaForViewer, writesIdea } from "./coauthors.server";
import { forEachInOrder, mapInOrder } from "~/domain/in-order";

export const TEMPLATE_MANAGERS_ONLY = "Only facilitators can change a challenge's idea template.";

function toDef(row: TemplateField): FieldDef {
  let options: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.options);
    if (Array.isArray(parsed)) options = parsed.filter((o): o is string => typeof o === "string");
  } catch {
    options = [];
  }
  return {
    id: row.id,
    label: row.label,
    help: row.help,
    kind: row.kind,
    required: row.required,
    options,
    min: row.min,
    max: row.max,
    unit: row.unit,
    retired: row.retiredAt !== null,
  };
}

/** A challenge's fields in order: the ones in use, and with `withRetired` the retired ones after them. */
export async function fieldsOf(conn: Db, challengeId: number, options: { withRetired?: boolean } = {}): Promise<FieldDef[]> {
  return (await conn
    .select()
    .from(templateFields)
    .where(and(eq(templateFields.challengeId, challengeId), options.withRetired ? undefined : isNull(templateFields.retiredAt)))
    .orderBy(sql`${templateFields.retiredAt} IS NOT NULL`, asc(templateFields.position), asc(templateFields.id))
    .all())
    .map(toDef);
}

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

/** The fields an idea posted to this challenge must answer; nothing for a challenge the actor may not see (the post is refused as not found later). */
export async function fieldsForPost(conn: Db, actor: SessionUser, challengeId: unknown): Promise<FieldDef[]> {
  const id = Number(challengeId);
  if (!Number.isSafeInteger(id) || id <= 0) return [];
  try {
    await findVisibleChallenge(conn, actor, id);
  } catch (error) {
    if (error instanceof ServiceError) return [];
    throw error;
  }
  return await fieldsOf(conn, id);
}

/** The fields an edit of this idea answers: its challenge's in use; nothing when the actor may not see the idea (the edit is refused later). */
export async function fieldsForEdit(conn: Db, actor: SessionUser, ideaId: unknown): Promise<FieldDef[]> {
  const id = Number(ideaId);
  if (!Number.isSafeInteger(id) || id <= 0) return [];
  try {
    const { idea } = await ideaForViewer(conn, actor, id);
    return await writesIdea(conn, idea, actor.id) ? await fieldsOf(conn, idea.challengeId) : [];
  } catch (error) {
    if (error instanceof ServiceError) return [];
    throw error;
  }
}

/** Every stored answer of these ideas (retired fields' too), by idea then field. */
export async function storedAnswers(conn: Db, ideaIds: number[]): Promise<Map<number, Map<number, string>>> {
  const out = new Map<number, Map<number, string>>();
  if (ideaIds.length === 0) return out;
  for (let i = 0; i < ideaIds.length; i += 500) {
    const rows = await conn
      .select({ ideaId: ideaFieldValues.ideaId, fieldId: ideaFieldValues.fieldId, value: ideaFieldValues.value })
      .from(ideaFieldValues)
      .where(inArray(ideaFieldValues.ideaId, ideaIds.slice(i, i + 500)))
      .all();
    for (const r of rows) {
      let m = out.get(r.ideaId);
      if (!m) out.set(r.ideaId, (m = new Map()));
      m.set(r.fieldId, r.value);
    }
  }
  return out;
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

/** Whether the answers to the fields in use differ from what is stored. */
export function answersChanged(stored: Map<number, string>, fields: FieldDef[], answers: Map<number, Answer>): boolean {
  return fields.some((f) => !f.retired && (stored.get(f.id) ?? null) !== (answers.get(f.id)?.value ?? null));
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

function view(field: FieldDef, value: string): AnswerView {
  return { fieldId: field.id, label: field.label, kind: field.kind, text: answerText(field, value), href: field.kind === "link" ? value : null };
}

/** The short answers a card shows, for a page of ideas (one query for the fields, one for the answers). */
export async function cardAnswers(conn: Db, rows: { id: number; challengeId: number }[]): Promise<Map<number, AnswerView[]>> {
  const out = new Map<number, AnswerView[]>();
  if (rows.length === 0) return out;
  const challengeIds = [...new Set(rows.map((r) => r.challengeId))];
  const fields = (await conn
    .select()
    .from(templateFields)
    .where(and(inArray(templateFields.challengeId, challengeIds), isNull(templateFields.retiredAt)))
    .orderBy(asc(templateFields.position), asc(templateFields.id))
    .all())
    .map((r) => ({ ...toDef(r), challengeId: r.challengeId }))
    .filter(showsOnCard);
  if (fields.length === 0) return out;
  const stored = await storedAnswers(conn, rows.map((r) => r.id));
  for (const r of rows) {
    const mine = stored.get(r.id);
    if (!mine) continue;
    const shown: AnswerView[] = [];
    for (const f of fields) {
      if (f.challengeId !== r.challengeId) continue;
      const v = mine.get(f.id);
      if (v !== undefined) shown.push(view(f, f.kind === "short_text" && v.length > 60 ? `${v.slice(0, 59)}…` : v));
      if (shown.length === CARD_ANSWERS) break;
    }
    if (shown.length > 0) out.set(r.id, shown);
  }
  return out;
}

/**
 * The idea page's part for the template: every answer to a field in use (for reading), and the
 * fields with the current answers (for the edit form). The caller found the idea for the viewer.
 */
export async function ideaAnswersIn(conn: Db, idea: { id: number; challengeId: number }) {
  const fields = await fieldsOf(conn, idea.challengeId);
  const stored = (await storedAnswers(conn, [idea.id])).get(idea.id) ?? new Map<number, string>();
  return {
    fields,
    answers: fields.flatMap((f) => (stored.has(f.id) ? [view(f, stored.get(f.id)!)] : [])),
    values: Object.fromEntries(fields.flatMap((f) => (stored.has(f.id) ? [[fieldName(f.id), stored.get(f.id)!]] : []))) as Record<string, string>,
  };
}

/** What changed in an idea's answers at each version that has them (for its history), by version. */
export async function answerChangesByVersion(conn: Db, idea: { id: number; challengeId: number }) {
  const snapshots = await conn.select().from(ideaFieldRevisions).where(eq(ideaFieldRevisions.ideaId, idea.id)).orderBy(asc(ideaFieldRevisions.version)).all();
  const out = new Map<number, { label: string; before: string | null; after: string | null }[]>();
  if (snapshots.length < 2) return out;
  const fields = new Map((await fieldsOf(conn, idea.challengeId, { withRetired: true })).map((f) => [f.id, f]));
  const parse = (s: string): Record<string, string> => {
    try {
      return JSON.parse(s) as Record<string, string>;
    } catch {
      return {};
    }
  };
  for (let i = 1; i < snapshots.length; i++) {
    const before = parse(snapshots[i - 1]!.answers);
    const after = parse(snapshots[i]!.answers);
    const changes: { label: string; before: string | null; after: string | null }[] = [];
    for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[id] === after[id]) continue;
      const f = fields.get(Number(id));
      if (!f) continue;
      changes.push({
        label: f.retired ? `${f.label} (retired)` : f.label,
        before: before[id] === undefined ? null : answerText(f, before[id]!),
        after: after[id] === undefined ? null : answerText(f, after[id]!),
      });
    }
    if (changes.length > 0) out.set(snapshots[i]!.version, changes);
  }
  return out;
}

// ---------------------------------------------------------------- filters and the CSV

/** The part of a filter's condition on the answers table (one field; a number's bounds together). */
function answerWhere(group: FieldFilter[]): SQL {
  const v = ideaFieldValues;
  const parts: SQL[] = [sql`${v.fieldId} = ${group[0]!.fieldId}`];
  for (const f of group) {
    if (f.op === "eq") parts.push(sql`${v.value} = ${f.value}`);
    else if (f.op === "min") parts.push(sql`${v.numberValue} >= ${f.number}`);
    else if (f.op === "max") parts.push(sql`${v.numberValue} <= ${f.number}`);
    else parts.push(containsText(v.value, f.value));
  }
  return sql.join(parts, sql` AND `);
}

/** Above this many matching answers a filter is checked idea by idea as the page is read, not listed first. */
const LISTED_AT_MOST = 2000;

/**
 * The SQL conditions for the challenge page's filters, on an idea id (`ideas.id`, or the votes'
 * idea id for trending), one per field. Each is read the cheaper way for how many answers match,
 * counted on the answers' index up to a bound: few matches are listed first and the page is read
 * from them (an index range, then the ideas by id); many are checked per idea as the page's own
 * index range is read, which finds a page after a few dozen ideas (an EXISTS on the answers'
 * primary key). `listOnly` (the trending sort, read from votes) always lists.
 */
export async function filterConditions(conn: Db, filters: FieldFilter[], options: { ideaId?: SQL; listOnly?: boolean } = {}): Promise<SQL[]> {
  const ideaId = options.ideaId ?? sql`${ideas.id}`;
  const byField = new Map<number, FieldFilter[]>();
  for (const f of filters) byField.set(f.fieldId, [...(byField.get(f.fieldId) ?? []), f]);
  const v = ideaFieldValues;
  return await mapInOrder([...byField.values()], async (group) => {
    const where = answerWhere(group);
    const many =
      !options.listOnly &&
      ((await conn.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${v} WHERE ${where} LIMIT ${LISTED_AT_MOST + 1}) AS sub`))?.n ?? 0) > LISTED_AT_MOST;
    return many
      ? sql`EXISTS (SELECT 1 FROM ${v} WHERE ${v.ideaId} = ${ideaId} AND ${where})`
      : sql`${ideaId} IN (SELECT ${v.ideaId} FROM ${v} WHERE ${where})`;
  });
}

/** The columns the jam's ideas CSV adds: every field of its challenges, retired ones too (labelled). */
export async function csvFieldColumns(conn: Db, jamId: number) {
  const rows = await conn
    .select({ field: templateFields, challenge: challenges.title })
    .from(templateFields)
    .innerJoin(challenges, eq(challenges.id, templateFields.challengeId))
    .where(eq(challenges.jamId, jamId))
    .orderBy(asc(challenges.position), asc(challenges.id), sql`${templateFields.retiredAt} IS NOT NULL`, asc(templateFields.position), asc(templateFields.id))
    .all();
  const fields = rows.map((r) => ({ ...toDef(r.field), challenge: r.challenge }));
  return {
    header: fields.map((f) => `${f.challenge}: ${f.label}${f.retired ? " (retired)" : ""}`),
    /** The cells for a page of ideas, in the header's order. */
    async cells(ideaIds: number[]) {
      const stored = fields.length > 0 ? await storedAnswers(conn, ideaIds) : new Map<number, Map<number, string>>();
      return (ideaId: number) => fields.map((f) => stored.get(ideaId)?.get(f.id) ?? "");
    },
  };
}

// ---------------------------------------------------------------- the template editor

/** A challenge the actor manages: visible to them (else not found) and theirs to change (else forbidden). */
async function managedChallenge(conn: Db, actor: SessionUser, challengeId: number, jamSlug?: string) {
  const found = await findVisibleChallenge(conn, actor, challengeId, jamSlug);
  requireCapability(actor, "manageJams", TEMPLATE_MANAGERS_ONLY);
  return found;
}

/** The template editor page: the challenge, its fields (retired last) and how many ideas answered each. */
export async function templateEditorPage(viewer: SessionUser, input: { challengeId: number; jamSlug: string }) {
  const conn = db();
  const { challenge, jam } = await managedChallenge(conn, viewer, input.challengeId, input.jamSlug);
  const fields = await fieldsOf(conn, challenge.id, { withRetired: true });
  const counts = new Map(
    fields.length === 0
      ? []
      : (await conn
          .select({ fieldId: ideaFieldValues.fieldId, n: sql<number>`count(*)` })
          .from(ideaFieldValues)
          .where(inArray(ideaFieldValues.fieldId, fields.map((f) => f.id)))
          .groupBy(ideaFieldValues.fieldId)
          .all())
          .map((r) => [r.fieldId, r.n]),
  );
  const ideaCount = (await conn.select({ n: sql<number>`count(*)` }).from(ideas).where(eq(ideas.challengeId, challenge.id)).get())?.n ?? 0;
  return {
    jam: { slug: jam.slug, title: jam.title },
    challenge: { id: challenge.id, title: challenge.title },
    ideaCount,
    fields: fields.map((f) => ({ ...f, answers: counts.get(f.id) ?? 0 })),
  };
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

/** Whether the viewer may change this challenge's template (for the challenge page's link). */
export function canManageTemplate(viewer: Pick<SessionUser, "role">): boolean {
  try {
    requireCapability(viewer, "manageJams");
    return true;
  } catch {
    return false;
  }
}

/** The idea page's part for the idea template (a page service beside ideaDetail): its answers, and the fields with the stored answers for the edit form. */
export async function ideaTemplatePanel(viewer: SessionUser, ideaId: number) {
  const conn = db();
  const { idea } = await ideaForViewer(conn, viewer, ideaId);
  return await ideaAnswersIn(conn, idea);
}
