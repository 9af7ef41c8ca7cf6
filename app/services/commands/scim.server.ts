/**
 * Directory sync (SCIM 2.0, RFC 7643/7644): the company directory (Entra ID, Okta…) creates,
 * updates and deactivates people, and keeps departments as groups. Each command validates the
 * request with the readers in app/domain/scim, runs one transaction and audits every change as
 * "directory sync". The routes (app/routes/scim.v2.*) authenticate the directory and turn results
 * into SCIM responses.
 *
 * A person is in at most one department. Adding them to a group moves them there from any other;
 * removing them from a group they are no longer in changes nothing. So a person in two groups of
 * the directory ends up in the one whose membership reached Jamboree last. The enterprise
 * extension's `department` attribute also sets a department (by name, made when new), except for
 * a person in a group the directory manages: there the group wins.
 */
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { invalidFilter, invalidValue, notFound, ScimError, uniqueness } from "~/domain/scim/errors";
import { ENTERPRISE_USER, parseFilter, type AttrPath, type CompareOp, type Filter, type FilterValue } from "~/domain/scim/filter";
import {
  readGroupPatch,
  readGroupResource,
  readOperations,
  readUserPatch,
  readUserResource,
  type UserChanges,
  type UserResourceInput,
} from "~/domain/scim/patch";
import { DEFAULT_COUNT, MAX_COUNT, type DepartmentRecord, type PersonRecord } from "~/domain/scim/resources";
import { db, transaction, type Db } from "~db/client";
import { departments, users, type User } from "~db/schema";
import { LAST_ADMIN_MESSAGE, setPersonActiveIn, type ChangedBy } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import {
  changePersonIn,
  createPersonIn,
  DIRECTORY_SYNC,
  departmentByName,
  ensureDepartment,
  holderOf,
  livePerson,
  moveToDepartmentIn,
  type PersonChanges,
} from "~/services/commands/directory.server";
import { Invalid } from "~/services/errors";
import { mapInOrder } from "~/domain/in-order";

export interface SyncMeta {
  ip: string | null;
  now?: number;
}

function by(meta: SyncMeta): ChangedBy {
  return { actorId: null, actor: DIRECTORY_SYNC, ip: meta.ip, at: meta.now ?? Date.now() };
}

/** Runs a transaction in which a refusal of the accounts rules (the last admin) is a SCIM 400. */
async function syncTransaction<T>(work: (tx: Db) => T): Promise<T> {
  try {
    return await transaction(work);
  } catch (error) {
    if (error instanceof Invalid) throw invalidValue(error.fieldErrors.form?.[0] ?? LAST_ADMIN_MESSAGE);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ListQuery {
  filter: string | null;
  startIndex: string | null;
  count: string | null;
}

/** startIndex (1-based, below 1 read as 1) and count (0 to MAX_COUNT; default DEFAULT_COUNT), as RFC 7644 §3.4.2.4 reads them. */
export function paging(query: ListQuery) {
  const start = Number.parseInt(query.startIndex ?? "", 10);
  const size = Number.parseInt(query.count ?? "", 10);
  return {
    startIndex: Number.isFinite(start) && start >= 1 ? Math.min(start, 1_000_000_000) : 1,
    count: Number.isFinite(size) ? Math.max(0, Math.min(size, MAX_COUNT)) : DEFAULT_COUNT,
  };
}

const personColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  externalId: users.externalId,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  departmentId: departments.id,
  departmentName: departments.name,
};

type PersonRow = { [K in keyof typeof personColumns]: (typeof personColumns)[K]["_"]["data"] | null };

function toRecord(row: PersonRow): PersonRecord {
  return {
    id: row.id!,
    email: row.email!,
    name: row.name!,
    externalId: row.externalId,
    active: row.deactivatedAt === null,
    createdAt: row.createdAt!,
    updatedAt: row.updatedAt,
    department: row.departmentId !== null && row.departmentName !== null ? { id: row.departmentId, name: row.departmentName } : null,
  };
}

function selectPeople(conn: Db) {
  return conn.select(personColumns).from(users).leftJoin(departments, eq(departments.id, users.departmentId));
}

/** A user id as the path or a filter gives it: digits only, else no one. */
function userId(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/** A person as SCIM shows them (for the SCIM endpoint). */
export async function getPerson(id: string): Promise<PersonRecord> {
  return await readPerson(db(), id);
}

export async function readPerson(conn: Db, id: string): Promise<PersonRecord> {
  const numeric = userId(id);
  const row = numeric === null ? undefined : await selectPeople(conn).where(and(eq(users.id, numeric), isNull(users.erasedAt))).get();
  if (!row) throw notFound(`No User with id ${JSON.stringify(id)}.`);
  return toRecord(row);
}

export async function listPeople(query: ListQuery): Promise<{ total: number; people: PersonRecord[]; startIndex: number }> {
  const { startIndex, count: size } = paging(query);
  const where = and(isNull(users.erasedAt), query.filter ? toSql(parseFilter(query.filter), USER_ATTRIBUTES) : undefined);
  const conn = db();
  const total = (await conn.select({ n: count() }).from(users).where(where).get())?.n ?? 0;
  const rows = size === 0 ? [] : await selectPeople(conn).where(where).orderBy(asc(users.id)).limit(size).offset(startIndex - 1).all();
  return { total, people: rows.map(toRecord), startIndex };
}

function toDepartmentRecord(row: typeof departments.$inferSelect): DepartmentRecord {
  return { id: row.id, name: row.name, externalId: row.externalId, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** A department's members (for the SCIM endpoint). */
export async function membersOf(departmentId: number) {
  return await departmentMembers(db(), departmentId);
}

/** Checks a request's If-Match against the group as it stands, inside the change's transaction (its members read there too). */
export type GroupIfMatch = (current: DepartmentRecord, members: Awaited<ReturnType<typeof departmentMembers>>) => void;

export async function departmentMembers(conn: Db, departmentId: number) {
  return await conn
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.departmentId, departmentId), isNull(users.erasedAt)))
    .orderBy(asc(users.id))
    .all();
}

async function liveDepartment(conn: Db, id: string) {
  const numeric = userId(id);
  const row = numeric === null ? undefined : await conn.select().from(departments).where(and(eq(departments.id, numeric), isNull(departments.archivedAt))).get();
  if (!row) throw notFound(`No Group with id ${JSON.stringify(id)}.`);
  return row;
}

export async function getDepartment(id: string, withMembers: boolean) {
  const conn = db();
  const row = await liveDepartment(conn, id);
  return { department: toDepartmentRecord(row), members: withMembers ? await departmentMembers(conn, row.id) : null };
}

export async function listDepartments(query: ListQuery, withMembers: boolean) {
  const { startIndex, count: size } = paging(query);
  const where = and(isNull(departments.archivedAt), query.filter ? toSql(parseFilter(query.filter), GROUP_ATTRIBUTES) : undefined);
  const conn = db();
  const total = (await conn.select({ n: count() }).from(departments).where(where).get())?.n ?? 0;
  const rows = size === 0 ? [] : await conn.select().from(departments).where(where).orderBy(asc(departments.id)).limit(size).offset(startIndex - 1).all();
  return {
    total,
    startIndex,
    groups: await mapInOrder(rows, async (row) => ({ department: toDepartmentRecord(row), members: withMembers ? await departmentMembers(conn, row.id) : null })),
  };
}

// ---------------------------------------------------------------------------------------------
// Filters as SQL

/** How a column compares: `email` is stored lower-cased, so its equality uses the column (and its index) as it is. */
type Kind = "text" | "textCaseInsensitive" | "email" | "id" | "boolean" | "time";

type Resolved = { sql: SQL; kind: Kind } | { constant: FilterValue };

type Resolver = (path: AttrPath, within?: string) => Resolved | ((inner: SQL) => SQL) | null;

const DEPARTMENT_NAME = sql`(SELECT ${departments.name} FROM ${departments} WHERE ${departments.id} = ${users.departmentId})`;

const USER_ATTRIBUTES: Resolver = (path, within) => {
  if (within === "emails") {
    if (path.attr === "value") return { sql: sql`${users.email}`, kind: "email" };
    if (path.attr === "type") return { constant: "work" };
    if (path.attr === "primary") return { constant: true };
    return null;
  }
  if (within === "groups") {
    if (path.attr === "value") return { sql: sql`${users.departmentId}`, kind: "id" };
    if (path.attr === "display") return { sql: DEPARTMENT_NAME, kind: "textCaseInsensitive" };
    return null;
  }
  if (path.schema?.toLowerCase() === ENTERPRISE_USER.toLowerCase()) {
    return path.attr === "department" && !path.sub ? { sql: DEPARTMENT_NAME, kind: "textCaseInsensitive" } : null;
  }
  const key = path.sub ? `${path.attr}.${path.sub}` : path.attr;
  switch (key) {
    case "id":
      return { sql: sql`${users.id}`, kind: "id" };
    case "username":
    case "emails":
    case "emails.value":
      return { sql: sql`${users.email}`, kind: "email" };
    case "externalid":
      return { sql: sql`${users.externalId}`, kind: "text" };
    case "displayname":
    case "name.formatted":
      return { sql: sql`${users.name}`, kind: "textCaseInsensitive" };
    case "active":
      return { sql: sql`(${users.deactivatedAt} IS NULL)`, kind: "boolean" };
    case "meta.created":
      return { sql: sql`${users.createdAt}`, kind: "time" };
    case "meta.lastmodified":
      return { sql: sql`coalesce(${users.updatedAt}, ${users.createdAt})`, kind: "time" };
    case "groups":
    case "groups.value":
      return { sql: sql`${users.departmentId}`, kind: "id" };
    default:
      return null;
  }
};

const GROUP_ATTRIBUTES: Resolver = (path, within) => {
  if (within === "members") {
    if (path.attr === "value") return { sql: sql`m.id`, kind: "id" };
    if (path.attr === "display") return { sql: sql`m.name`, kind: "textCaseInsensitive" };
    if (path.attr === "type") return { constant: "User" };
    return null;
  }
  const key = path.sub ? `${path.attr}.${path.sub}` : path.attr;
  switch (key) {
    case "id":
      return { sql: sql`${departments.id}`, kind: "id" };
    case "displayname":
      return { sql: sql`${departments.name}`, kind: "textCaseInsensitive" };
    case "externalid":
      return { sql: sql`${departments.externalId}`, kind: "text" };
    case "meta.created":
      return { sql: sql`${departments.createdAt}`, kind: "time" };
    case "meta.lastmodified":
      return { sql: sql`coalesce(${departments.updatedAt}, ${departments.createdAt})`, kind: "time" };
    case "members":
    case "members.value":
      return (inner) => sql`EXISTS (SELECT 1 FROM ${users} m WHERE m.department_id = ${departments.id} AND m.erased_at IS NULL AND ${inner})`;
    default:
      return null;
  }
};

const SUPPORTED_HINT = "Filter Users on userName, emails.value, externalId, id, displayName, active or meta.lastModified, and Groups on displayName, externalId, id or members.value.";

function describe(path: AttrPath) {
  return [path.schema, [path.attr, path.sub].filter(Boolean).join(".")].filter(Boolean).join(":");
}

/** The SQL condition for a parsed filter; an attribute it cannot filter on is a 400 invalidFilter. */
function toSql(filter: Filter, resolve: Resolver, within?: string): SQL {
  switch (filter.kind) {
    case "and":
      return and(toSql(filter.left, resolve, within), toSql(filter.right, resolve, within))!;
    case "or":
      return or(toSql(filter.left, resolve, within), toSql(filter.right, resolve, within))!;
    case "not":
      return sql`NOT (${toSql(filter.filter, resolve, within)})`;
    case "valuePath": {
      if (within) throw invalidFilter("A filter in brackets cannot hold another one.");
      const key = filter.path.attr;
      const target = resolve(filter.path);
      if (typeof target === "function") {
        return target(toSql(filter.filter, resolve, key));
      }
      if (!["emails", "groups"].includes(key) || filter.path.sub) throw invalidFilter(`Cannot filter inside ${describe(filter.path)}. ${SUPPORTED_HINT}`);
      return toSql(filter.filter, resolve, key);
    }
    case "present":
    case "compare": {
      const target = resolve(filter.path, within);
      if (target === null) throw invalidFilter(`Cannot filter on ${describe(filter.path)}. ${SUPPORTED_HINT}`);
      if (typeof target === "function") {
        // `members pr` / `members eq "12"`: the group has any such member.
        const inner: Filter =
          filter.kind === "present" ? { kind: "present", path: { attr: "value" } } : { ...filter, path: { attr: "value" } };
        return target(toSql(inner, resolve, "members"));
      }
      if ("constant" in target) return constantMatch(filter, target.constant) ? sql`TRUE` : sql`FALSE`;
      return filter.kind === "present" ? sql`(${target.sql} IS NOT NULL AND ${target.sql} != '')` : compare(target.sql, target.kind, filter.op, filter.value, filter.path);
    }
  }
}

function constantMatch(filter: Filter, constant: FilterValue) {
  if (filter.kind === "present") return constant !== null;
  if (filter.kind !== "compare") return false;
  const a = typeof constant === "string" ? constant.toLowerCase() : constant;
  const b = typeof filter.value === "string" ? filter.value.toLowerCase() : filter.value;
  if (filter.op === "eq") return a === b;
  if (filter.op === "ne") return a !== b;
  return false;
}

const OPERATORS: Record<"eq" | "ne" | "gt" | "ge" | "lt" | "le", (l: SQL, r: SQL) => SQL> = {
  eq: (l, r) => sql`${l} = ${r}`,
  ne: (l, r) => sql`(${l} IS NULL OR ${l} != ${r})`,
  gt: (l, r) => sql`${l} > ${r}`,
  ge: (l, r) => sql`${l} >= ${r}`,
  lt: (l, r) => sql`${l} < ${r}`,
  le: (l, r) => sql`${l} <= ${r}`,
};

function like(column: SQL, pattern: string) {
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

function compare(column: SQL, kind: Kind, op: CompareOp, value: FilterValue, path: AttrPath): SQL {
  if (value === null) {
    if (op === "eq") return sql`${column} IS NULL`;
    if (op === "ne") return sql`${column} IS NOT NULL`;
    throw invalidFilter(`${describe(path)} ${op} null compares nothing.`);
  }
  switch (kind) {
    case "boolean": {
      const bool = typeof value === "boolean" ? value : typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : null;
      if (bool === null || (op !== "eq" && op !== "ne")) throw invalidFilter(`${describe(path)} takes eq or ne with true or false.`);
      return sql`${column} ${sql.raw(op === "eq" ? "=" : "!=")} ${sql.raw(bool ? "TRUE" : "FALSE")}`;
    }
    case "id": {
      const id = typeof value === "number" ? value : typeof value === "string" ? userId(value) : null;
      if (op !== "eq" && op !== "ne") throw invalidFilter(`${describe(path)} takes eq or ne.`);
      if (id === null || !Number.isSafeInteger(id)) return op === "eq" ? sql`FALSE` : sql`TRUE`;
      return OPERATORS[op](column, sql`${id}`);
    }
    case "time": {
      const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
      if (!Number.isFinite(at) || op === "co" || op === "sw" || op === "ew") {
        throw invalidFilter(`${describe(path)} compares with a date and time ("2024-05-01T00:00:00Z") by eq, ne, gt, ge, lt or le.`);
      }
      return OPERATORS[op](column, sql`${at}`);
    }
    case "text":
    case "email":
    case "textCaseInsensitive": {
      if (typeof value !== "string") throw invalidFilter(`${describe(path)} compares with a "quoted string".`);
      const folded = kind !== "text";
      const left = folded ? sql`lower(${column})` : column;
      const text = folded ? value.toLowerCase() : value;
      // co, sw and ew ignore case for every text (as SQLite's LIKE does for ASCII; PostgreSQL's
      // LIKE would not): both sides lower-cased.
      const escaped = value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      switch (op) {
        case "co":
          return like(sql`lower(${column})`, `%${escaped}%`);
        case "sw":
          return like(sql`lower(${column})`, `${escaped}%`);
        case "ew":
          return like(sql`lower(${column})`, `%${escaped}`);
        default:
          if (op === "eq" && kind === "email") return sql`${column} = ${text}`;
          return OPERATORS[op](left, sql`${text}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writing people

async function assertFree(tx: Db, field: "email" | "externalId", value: string | null | undefined, exceptId?: number) {
  if (!value) return;
  const holder = await holderOf(tx, field, value, exceptId);
  if (holder !== null) {
    throw uniqueness(field === "email" ? `A User with userName ${JSON.stringify(value)} already exists (id ${holder}).` : `A User with externalId ${JSON.stringify(value)} already exists (id ${holder}).`);
  }
}

/**
 * The department id the enterprise `department` attribute sets, or undefined to leave the person
 * where they are: in a group the directory manages, its membership wins over the attribute.
 */
async function departmentFromAttribute(tx: Db, person: Pick<User, "departmentId"> | null, name: string | null, changedBy: ChangedBy): Promise<number | null | undefined> {
  if (person?.departmentId != null) {
    const current = await tx.select({ directoryGroupAt: departments.directoryGroupAt }).from(departments).where(eq(departments.id, person.departmentId)).get();
    if (current?.directoryGroupAt != null) return undefined;
  }
  if (name === null) return null;
  return (await ensureDepartment(tx, name, changedBy)).id;
}

export async function createPerson(body: unknown, meta: SyncMeta): Promise<PersonRecord> {
  const input = readUserResource(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    await assertFree(tx, "email", input.userName);
    await assertFree(tx, "externalId", input.externalId);
    const departmentId = input.department ? await departmentFromAttribute(tx, null, input.department, changedBy) ?? null : null;
    const created = await createPersonIn(
      tx,
      { email: input.userName, name: input.name, externalId: input.externalId, role: "participant", departmentId, active: input.active ?? true },
      changedBy,
    );
    if (!created) await assertFree(tx, "email", input.userName); // taken under a race: the same 409
    return await readPerson(tx, String(created!.id));
  });
}

async function applyChanges(tx: Db, person: User, input: Partial<UserResourceInput> & Pick<UserChanges, "department">, changedBy: ChangedBy) {
  await assertFree(tx, "email", input.userName, person.id);
  await assertFree(tx, "externalId", input.externalId, person.id);
  const changes: PersonChanges = {
    ...(input.userName !== undefined ? { email: input.userName } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
  };
  if (input.department !== undefined) {
    const departmentId = await departmentFromAttribute(tx, person, input.department, changedBy);
    if (departmentId !== undefined) changes.departmentId = departmentId;
  }
  await changePersonIn(tx, person, changes, changedBy);
  // Last, so a refusal (the last admin) leaves nothing of the request written.
  if (input.active !== undefined) await setPersonActiveIn(tx, person.id, input.active, changedBy);
}

async function personToChange(tx: Db, id: string): Promise<User> {
  const numeric = userId(id);
  const person = numeric === null ? undefined : await livePerson(tx, numeric);
  if (!person) throw notFound(`No User with id ${JSON.stringify(id)}.`);
  return person;
}

/** PUT: the resource as given. A PUT that leaves out `active` or the enterprise department leaves those as they are. */
export async function replacePerson(id: string, body: unknown, meta: SyncMeta, ifMatch?: (current: PersonRecord) => void): Promise<PersonRecord> {
  const input = readUserResource(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    const person = await personToChange(tx, id);
    ifMatch?.(await readPerson(tx, id));
    await applyChanges(tx, person, input, changedBy);
    return await readPerson(tx, id);
  });
}

export async function patchPerson(id: string, body: unknown, meta: SyncMeta, ifMatch?: (current: PersonRecord) => void): Promise<PersonRecord> {
  const operations = readOperations(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    const person = await personToChange(tx, id);
    ifMatch?.(await readPerson(tx, id));
    const changes = readUserPatch(operations, person.name);
    await applyChanges(tx, person, changes, changedBy);
    return await readPerson(tx, id);
  });
}

/** DELETE: the person is deactivated (what they wrote stays); the resource stays, with active false. */
export async function deletePerson(id: string, meta: SyncMeta, ifMatch?: (current: PersonRecord) => void) {
  const changedBy = by(meta);
  await syncTransaction(async (tx) => {
    const person = await personToChange(tx, id);
    ifMatch?.(await readPerson(tx, id));
    await setPersonActiveIn(tx, person.id, false, changedBy);
  });
}

// ---------------------------------------------------------------------------------------------
// Writing groups

async function assertNameFree(tx: Db, name: string, exceptId?: number) {
  const holder = await departmentByName(tx, name);
  if (holder && holder.archivedAt === null && holder.id !== exceptId) {
    throw uniqueness(`A Group with displayName ${JSON.stringify(holder.name)} already exists (id ${holder.id}).`);
  }
}

async function assertGroupExternalIdFree(tx: Db, externalId: string | null | undefined, exceptId?: number) {
  if (!externalId) return;
  const holder = await tx.select({ id: departments.id }).from(departments).where(eq(departments.externalId, externalId)).get();
  if (holder && holder.id !== exceptId) throw uniqueness(`A Group with externalId ${JSON.stringify(externalId)} already exists (id ${holder.id}).`);
}

/** Member ids that are people (not erased); any other is a 400. */
async function peopleFor(tx: Db, ids: Iterable<string>): Promise<Map<number, User>> {
  const numeric: number[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const n = userId(id);
    if (n === null) unknown.push(id);
    else numeric.push(n);
  }
  const found = new Map<number, User>();
  for (let i = 0; i < numeric.length; i += 500) {
    const chunk = numeric.slice(i, i + 500);
    for (const row of await tx.select().from(users).where(and(inArray(users.id, chunk), isNull(users.erasedAt))).all()) found.set(row.id, row);
  }
  for (const n of numeric) if (!found.has(n)) unknown.push(String(n));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).map((id) => JSON.stringify(id)).join(", ");
    throw invalidValue(`No User with id ${shown}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ""}.`);
  }
  return found;
}

/** Sets the group's members to `wanted`: those added move here from any other department; those removed have none. */
async function setMembers(tx: Db, departmentId: number, wanted: Set<string>, changedBy: ChangedBy) {
  const current = new Set((await departmentMembers(tx, departmentId)).map((m) => String(m.id)));
  const added = [...wanted].filter((id) => !current.has(id));
  const removed = [...current].filter((id) => !wanted.has(id));
  const people = await peopleFor(tx, added);
  for (const person of people.values()) await moveToDepartmentIn(tx, person.id, person.departmentId, departmentId, changedBy);
  for (const id of removed) await moveToDepartmentIn(tx, Number(id), departmentId, null, changedBy);
  return added.length + removed.length;
}

async function markDirectoryGroup(tx: Db, departmentId: number, at: number, set: Partial<typeof departments.$inferInsert> = {}) {
  await tx.update(departments)
    .set({ ...set, updatedAt: at, directoryGroupAt: sql`coalesce(${departments.directoryGroupAt}, ${at})` })
    .where(eq(departments.id, departmentId))
    .run();
}

export async function createGroup(body: unknown, meta: SyncMeta) {
  const input = readGroupResource(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    await assertNameFree(tx, input.displayName);
    await assertGroupExternalIdFree(tx, input.externalId);
    const department = await ensureDepartment(tx, input.displayName, changedBy, { directoryGroup: true, externalId: input.externalId });
    if (input.members) await setMembers(tx, department.id, new Set(input.members), changedBy);
    return { department: toDepartmentRecord(await liveDepartment(tx, String(department.id))), members: await departmentMembers(tx, department.id) };
  });
}

async function rename(tx: Db, department: typeof departments.$inferSelect, name: string, changedBy: ChangedBy) {
  if (name === department.name) return;
  await assertNameFree(tx, name, department.id);
  await tx.update(departments).set({ name, updatedAt: changedBy.at }).where(eq(departments.id, department.id)).run();
  await recordAudit(
    tx, { action: "department_renamed", actorId: null, subject: `department:${department.id}`, ip: changedBy.ip, at: changedBy.at, detail: { from: department.name, to: name, actor: DIRECTORY_SYNC } },
  );
}

async function setGroupExternalId(tx: Db, department: typeof departments.$inferSelect, externalId: string | null) {
  if (externalId === department.externalId) return;
  await assertGroupExternalIdFree(tx, externalId, department.id);
  await tx.update(departments).set({ externalId }).where(eq(departments.id, department.id)).run();
}

/** PUT: name and directory id as given; members as listed when the request lists them (left as they are when it does not). */
export async function replaceGroup(id: string, body: unknown, meta: SyncMeta, ifMatch?: GroupIfMatch) {
  const input = readGroupResource(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    const department = await liveDepartment(tx, id);
    ifMatch?.(toDepartmentRecord(department), await departmentMembers(tx, department.id));
    await rename(tx, department, input.displayName, changedBy);
    await setGroupExternalId(tx, department, input.externalId);
    if (input.members) await setMembers(tx, department.id, new Set(input.members), changedBy);
    await markDirectoryGroup(tx, department.id, changedBy.at);
    return { department: toDepartmentRecord(await liveDepartment(tx, id)), members: await departmentMembers(tx, department.id) };
  });
}

export async function patchGroup(id: string, body: unknown, meta: SyncMeta, ifMatch?: GroupIfMatch) {
  const operations = readOperations(body);
  const changedBy = by(meta);
  return await syncTransaction(async (tx) => {
    const department = await liveDepartment(tx, id);
    ifMatch?.(toDepartmentRecord(department), await departmentMembers(tx, department.id));
    const members = (await departmentMembers(tx, department.id)).map((m) => String(m.id));
    const changes = readGroupPatch(operations, { displayName: department.name, externalId: department.externalId, members });
    if (changes.displayName !== undefined) await rename(tx, department, changes.displayName, changedBy);
    if (changes.externalId !== undefined) await setGroupExternalId(tx, department, changes.externalId);
    await setMembers(tx, department.id, changes.members, changedBy);
    await markDirectoryGroup(tx, department.id, changedBy.at);
  });
}

/**
 * DELETE: the department's members leave it (they have none until the directory puts them in
 * another), and it is archived: gone from the groups and the team lists, kept for the history
 * that names it (department boards of past jams). A group of the same name made later brings it back.
 */
export async function deleteGroup(id: string, meta: SyncMeta, ifMatch?: GroupIfMatch) {
  const changedBy = by(meta);
  await syncTransaction(async (tx) => {
    const department = await liveDepartment(tx, id);
    ifMatch?.(toDepartmentRecord(department), await departmentMembers(tx, department.id));
    await setMembers(tx, department.id, new Set(), changedBy);
    await tx.update(departments)
      .set({ archivedAt: changedBy.at, externalId: null, directoryGroupAt: null, updatedAt: changedBy.at })
      .where(eq(departments.id, department.id))
      .run();
    await recordAudit(
      tx, { action: "department_archived", actorId: null, subject: `department:${department.id}`, ip: changedBy.ip, at: changedBy.at, detail: { name: department.name, actor: DIRECTORY_SYNC } },
    );
  });
}

export { ScimError };
