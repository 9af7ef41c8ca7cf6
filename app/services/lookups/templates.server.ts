import { and, eq, isNull, sql, asc, inArray, type SQL } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { mapInOrder } from "~/domain/in-order";
import { type FieldDef, type Answer, type AnswerView, answerText, showsOnCard, CARD_ANSWERS, fieldName, type FieldFilter } from "~/domain/templates";

import { ServiceError } from "~/services/errors";
import { ideaForViewer, writesIdea } from "~/services/lookups/coauthors.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleChallenge } from "~/services/lookups/visibility.server";
import { type Db, db } from "~db/client";
import { containsText } from "~db/like";
import { type TemplateField, templateFields, ideaFieldValues, ideaFieldRevisions, ideas, challenges } from "~db/schema";

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

/** Whether the answers to the fields in use differ from what is stored. */
export function answersChanged(stored: Map<number, string>, fields: FieldDef[], answers: Map<number, Answer>): boolean {
  return fields.some((f) => !f.retired && (stored.get(f.id) ?? null) !== (answers.get(f.id)?.value ?? null));
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

// ---------------------------------------------------------------- the template editor

/** A challenge the actor manages: visible to them (else not found) and theirs to change (else forbidden). */
export async function managedChallenge(conn: Db, actor: SessionUser, challengeId: number, jamSlug?: string) {
  const found = await findVisibleChallenge(conn, actor, challengeId, jamSlug);
  requireCapability(actor, "manageJams", TEMPLATE_MANAGERS_ONLY);
  return found;
}

export const TEMPLATE_MANAGERS_ONLY = "Only facilitators can change a challenge's idea template.";
