/**
 * A CSV import of people and departments, for companies without directory sync: the file read
 * into rows (header required, columns in any order, only `email` required), each row checked,
 * and the plan of what applying it would change, computed against the people as they are. Pure:
 * the service (app/services/commands/people-import.server.ts) reads the people and applies the plan.
 *
 * Rules, row by row:
 * - A row is matched to a person by `external_id` when given and known, else by e-mail. A row
 *   whose directory id and e-mail name two different people, or whose person already has another
 *   directory id, is an error.
 * - An empty cell leaves that field as it is; a new person needs a name.
 * - `department` names a department, made when there is none of that name (any case).
 * - `role` is participant, leader, facilitator or admin; `active` is true/false (yes/no, 1/0).
 * - Nobody is deactivated for being left out of the file: only `active` = false deactivates.
 * - The admin importing cannot change their own role or deactivate themself.
 * Any bad row stops the whole import: nothing is applied until the file is right.
 */
import { LIMITS } from "./limits";
import { parseCsv } from "./csv";
import { ROLE_LABELS, ROLES, type Role } from "./permissions";
import { textRefusal } from "./text";

export const IMPORT_LIMITS = { bytes: 5 * 1024 * 1024, rows: 50_000 } as const;
export const IMPORT_COLUMNS = ["email", "name", "department", "role", "external_id", "active"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** How many of each kind of change (and of errors) a preview or report lists; the counts are always whole. */
export const LISTED_PER_KIND = 200;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ImportRow {
  row: number;
  email: string;
  name?: string;
  department?: string;
  role?: Role;
  externalId?: string;
  active?: boolean;
}

export interface RowError {
  /** The row as a spreadsheet numbers it (the header is row 1); 0 for the file as a whole. */
  row: number;
  message: string;
}

export type ReadResult = { ok: true; rows: ImportRow[]; errors: RowError[] } | { ok: false; message: string };

/** "External ID", "external-id", "EXTERNAL_ID" all name external_id. */
function columnOf(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

const TRUE = new Set(["true", "yes", "y", "1", "active"]);
const FALSE = new Set(["false", "no", "n", "0", "inactive", "deactivated"]);

function roleOf(text: string): Role | null {
  const lower = text.toLowerCase();
  return ROLES.find((r) => r === lower || ROLE_LABELS[r].toLowerCase() === lower) ?? null;
}

/** Reads the text of a file into checked rows, or says why the file as a whole cannot be read. */
export function readImport(text: string): ReadResult {
  if (new TextEncoder().encode(text).byteLength > IMPORT_LIMITS.bytes) {
    return { ok: false, message: `The file is larger than ${IMPORT_LIMITS.bytes / 1024 / 1024} MB. Split it into smaller files and import them one after another.` };
  }
  const parsed = parseCsv(text, { maxRecords: IMPORT_LIMITS.rows + 1 });
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        parsed.reason === "too-many-rows"
          ? `The file has more than ${IMPORT_LIMITS.rows.toLocaleString("en")} people. Split it into smaller files and import them one after another.`
          : `The file is not valid CSV. ${parsed.message}`,
    };
  }
  const [header, ...records] = parsed.records;
  if (!header) return { ok: false, message: "The file is empty. It needs a header row (email,name,department,role,external_id,active) and a row per person." };
  const columns = header.cells.map(columnOf);
  const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `The header has ${unknown.length === 1 ? "a column" : "columns"} this import does not know: ${unknown.map((c) => `“${c || "(empty)"}”`).join(", ")}. Use ${IMPORT_COLUMNS.join(", ")}.`,
    };
  }
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated) return { ok: false, message: `The header names “${repeated}” twice.` };
  if (!columns.includes("email")) return { ok: false, message: "The header needs an “email” column (the first row of the file names the columns)." };
  if (records.length === 0) return { ok: false, message: "The file has a header but no people." };

  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seenEmail = new Map<string, number>();
  const seenExternal = new Map<string, number>();
  for (const record of records) {
    const problems: string[] = [];
    if (record.cells.length > columns.length) problems.push(`it has ${record.cells.length} cells but the header has ${columns.length} columns`);
    const cell = (column: ImportColumn) => {
      const index = columns.indexOf(column);
      return index === -1 ? "" : (record.cells[index] ?? "").trim();
    };
    const line = (column: ImportColumn, label: string, max: number) => {
      const value = cell(column);
      if (!value) return undefined;
      const refusal = textRefusal(value);
      if (refusal) problems.push(`${label}: ${refusal.charAt(0).toLowerCase()}${refusal.slice(1)}`);
      else if ([...value].length > max) problems.push(`${label} is longer than ${max} characters`);
      return value;
    };
    const email = cell("email").toLowerCase();
    if (!email) problems.push("the e-mail is empty");
    else if (email.length > 254 || !EMAIL.test(email)) problems.push(`“${cell("email")}” is not an e-mail address`);
    const name = line("name", "the name", LIMITS.personName);
    const department = line("department", "the department", 80);
    const externalId = line("external_id", "the external_id", 255);
    const roleText = cell("role");
    const role = roleText ? roleOf(roleText) : undefined;
    if (role === null) problems.push(`“${roleText}” is not a role (participant, leader, facilitator or admin)`);
    const activeText = cell("active").toLowerCase();
    const active = activeText === "" ? undefined : TRUE.has(activeText) ? true : FALSE.has(activeText) ? false : null;
    if (active === null) problems.push(`“${cell("active")}” in active is neither true nor false`);
    if (email && seenEmail.has(email)) problems.push(`${email} is also on row ${seenEmail.get(email)}`);
    if (externalId && seenExternal.has(externalId)) problems.push(`external_id ${externalId} is also on row ${seenExternal.get(externalId)}`);
    if (email && !seenEmail.has(email)) seenEmail.set(email, record.row);
    if (externalId && !seenExternal.has(externalId)) seenExternal.set(externalId, record.row);
    if (problems.length > 0) {
      errors.push({ row: record.row, message: sentence(problems) });
      continue;
    }
    rows.push({
      row: record.row,
      email,
      ...(name ? { name } : {}),
      ...(department ? { department } : {}),
      ...(role ? { role } : {}),
      ...(externalId ? { externalId } : {}),
      ...(active !== undefined ? { active: active! } : {}),
    });
  }
  return { ok: true, rows, errors };
}

/** Problems as one sentence: joined by semicolons, a capital first (unless it starts with an address), one full stop. */
function sentence(problems: string[]) {
  const text = problems.map((p) => p.replace(/\.$/, "")).join("; ");
  const first = text.split(" ")[0]!;
  return `${first.includes("@") ? text : `${text.charAt(0).toUpperCase()}${text.slice(1)}`}.`;
}

// ---------------------------------------------------------------------------------------------
// The plan

export interface CurrentPerson {
  id: number;
  email: string;
  name: string;
  role: Role;
  departmentId: number | null;
  externalId: string | null;
  active: boolean;
  erased: boolean;
}

export interface CurrentDepartment {
  id: number;
  name: string;
}

export type Field = "email" | "name" | "department" | "role" | "external_id";

export interface PlannedCreate {
  row: number;
  email: string;
  name: string;
  department: string | null;
  role: Role;
  externalId: string | null;
  active: boolean;
}

export interface PlannedUpdate {
  row: number;
  personId: number;
  /** The person's e-mail before the change (to name them). */
  email: string;
  changes: { field: Field; from: string | null; to: string | null }[];
}

export interface PlannedActivation {
  row: number;
  personId: number;
  email: string;
  name: string;
}

export interface ImportPlan {
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  deactivations: PlannedActivation[];
  reactivations: PlannedActivation[];
  /** Departments the import makes, by name as first written in the file. */
  newDepartments: string[];
  unchanged: number;
  errors: RowError[];
}

/**
 * What applying `rows` would change, given the people and departments as they are; `actorId` is
 * the admin importing. Deterministic: the same rows and the same people give the same plan.
 */
export function planImport(rows: ImportRow[], readErrors: RowError[], people: CurrentPerson[], departments: CurrentDepartment[], actorId: number): ImportPlan {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const byExternal = new Map(people.filter((p) => p.externalId).map((p) => [p.externalId!, p]));
  const departmentByName = new Map(departments.map((d) => [d.name.toLowerCase(), d]));
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const newDepartments = new Map<string, string>();
  const plan: ImportPlan = { creates: [], updates: [], deactivations: [], reactivations: [], newDepartments: [], unchanged: 0, errors: [...readErrors] };
  // E-mails taken by the people this file renames, so a swap inside one file is caught.
  const emailOwner = new Map(people.map((p) => [p.email, p.id]));
  const matched = new Map<number, number>();

  const departmentFor = (name: string | undefined) => {
    if (!name) return undefined;
    const known = departmentByName.get(name.toLowerCase());
    if (known) return known.name;
    if (!newDepartments.has(name.toLowerCase())) newDepartments.set(name.toLowerCase(), name);
    return newDepartments.get(name.toLowerCase())!;
  };

  for (const row of rows) {
    const viaExternal = row.externalId ? byExternal.get(row.externalId) : undefined;
    const viaEmail = byEmail.get(row.email);
    if (viaExternal && viaEmail && viaExternal.id !== viaEmail.id) {
      plan.errors.push({ row: row.row, message: `External_id ${row.externalId} belongs to ${viaExternal.email}, but ${row.email} is another person.` });
      continue;
    }
    const person = viaExternal ?? viaEmail;
    if (person && matched.has(person.id)) {
      plan.errors.push({ row: row.row, message: `${person.email} is also on row ${matched.get(person.id)}.` });
      continue;
    }
    if (person) matched.set(person.id, row.row);
    if (!person) {
      if (!row.name) {
        plan.errors.push({ row: row.row, message: `${row.email} is new: give their name.` });
        continue;
      }
      if (emailOwner.has(row.email)) {
        plan.errors.push({ row: row.row, message: `${row.email} is the e-mail another row gives a person already here.` });
        continue;
      }
      emailOwner.set(row.email, -row.row);
      plan.creates.push({
        row: row.row,
        email: row.email,
        name: row.name,
        department: departmentFor(row.department) ?? null,
        role: row.role ?? "participant",
        externalId: row.externalId ?? null,
        active: row.active ?? true,
      });
      continue;
    }
    if (person.erased) {
      plan.errors.push({ row: row.row, message: "This person's account was erased; it cannot be changed." });
      continue;
    }
    if (row.externalId && person.externalId && person.externalId !== row.externalId) {
      plan.errors.push({ row: row.row, message: `${person.email} already has external_id ${person.externalId}, not ${row.externalId}.` });
      continue;
    }
    if (person.id === actorId && row.role && row.role !== person.role) {
      plan.errors.push({ row: row.row, message: "This is you: you cannot change your own role; ask another admin." });
      continue;
    }
    if (person.id === actorId && row.active === false) {
      plan.errors.push({ row: row.row, message: "This is you: you cannot deactivate your own account; ask another admin." });
      continue;
    }
    const changes: PlannedUpdate["changes"] = [];
    if (row.email !== person.email) {
      const owner = emailOwner.get(row.email);
      if (owner !== undefined && owner !== person.id) {
        plan.errors.push({ row: row.row, message: `${row.email} is another person's e-mail.` });
        continue;
      }
      emailOwner.delete(person.email);
      emailOwner.set(row.email, person.id);
      changes.push({ field: "email", from: person.email, to: row.email });
    }
    if (row.name && row.name !== person.name) changes.push({ field: "name", from: person.name, to: row.name });
    const department = departmentFor(row.department);
    const currentDepartment = person.departmentId === null ? null : (departmentName.get(person.departmentId) ?? null);
    if (department && department !== currentDepartment) changes.push({ field: "department", from: currentDepartment, to: department });
    if (row.role && row.role !== person.role) changes.push({ field: "role", from: person.role, to: row.role });
    if (row.externalId && row.externalId !== person.externalId) changes.push({ field: "external_id", from: person.externalId, to: row.externalId });
    const activation = { row: row.row, personId: person.id, email: person.email, name: person.name };
    const activeChanges = row.active !== undefined && row.active !== person.active;
    if (changes.length > 0) plan.updates.push({ row: row.row, personId: person.id, email: person.email, changes });
    if (activeChanges) (row.active ? plan.reactivations : plan.deactivations).push(activation);
    if (changes.length === 0 && !activeChanges) plan.unchanged++;
  }
  plan.newDepartments = [...newDepartments.values()];
  plan.errors.sort((a, b) => a.row - b.row);
  return plan;
}

/** How many changes a plan makes. */
export function changeCount(plan: ImportPlan): number {
  return plan.creates.length + plan.updates.length + plan.deactivations.length + plan.reactivations.length + plan.newDepartments.length;
}

/** A plan as a preview or report keeps it: whole counts, and the first LISTED_PER_KIND of each list. */
export function summarise(plan: ImportPlan) {
  const cut = <T>(list: T[]) => list.slice(0, LISTED_PER_KIND);
  return {
    counts: {
      creates: plan.creates.length,
      updates: plan.updates.length,
      deactivations: plan.deactivations.length,
      reactivations: plan.reactivations.length,
      newDepartments: plan.newDepartments.length,
      unchanged: plan.unchanged,
      errors: plan.errors.length,
    },
    creates: cut(plan.creates),
    updates: cut(plan.updates),
    deactivations: cut(plan.deactivations),
    reactivations: cut(plan.reactivations),
    newDepartments: cut(plan.newDepartments),
    errors: cut(plan.errors),
  };
}

export type ImportSummary = ReturnType<typeof summarise>;
