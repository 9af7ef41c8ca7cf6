/**
 * What the directory's (SCIM 2.0) GET endpoints read: a person or a group, and the lists of
 * them, filtered (the filter turned into SQL here) and paged. The routes (app/routes/scim.v2.*)
 * authenticate the directory and turn results into SCIM responses.
 */
import { and, asc, count, isNull, or, sql, type SQL } from "drizzle-orm";
import { mapInOrder } from "~/domain/in-order";
import { invalidFilter } from "~/domain/scim/errors";
import { ENTERPRISE_USER, parseFilter, type AttrPath, type CompareOp, type Filter, type FilterValue } from "~/domain/scim/filter";
import type { PersonRecord } from "~/domain/scim/resources";
import { db } from "~db/client";
import { departments, users } from "~db/schema";
import {
  departmentMembers,
  liveDepartment,
  paging,
  readPerson,
  selectPeople,
  toDepartmentRecord,
  toRecord,
  userId,
  type ListQuery,
} from "~/services/lookups/scim.server";

/** A person as SCIM shows them (for the SCIM endpoint). */
export async function getPerson(id: string): Promise<PersonRecord> {
  return await readPerson(db(), id);
}

export async function listPeople(query: ListQuery): Promise<{ total: number; people: PersonRecord[]; startIndex: number }> {
  const { startIndex, count: size } = paging(query);
  const where = and(isNull(users.erasedAt), query.filter ? toSql(parseFilter(query.filter), USER_ATTRIBUTES) : undefined);
  const conn = db();
  const total = (await conn.select({ n: count() }).from(users).where(where).get())?.n ?? 0;
  const rows = size === 0 ? [] : await selectPeople(conn).where(where).orderBy(asc(users.id)).limit(size).offset(startIndex - 1).all();
  return { total, people: rows.map(toRecord), startIndex };
}

/**
 * A group as SCIM shows it: its members when asked for (else null), and always every member
 * (`allMembers`), which its version (ETag) is computed from whether or not they are shown.
 */
export async function getDepartment(id: string, withMembers: boolean) {
  const conn = db();
  const row = await liveDepartment(conn, id);
  const allMembers = await departmentMembers(conn, row.id);
  return { department: toDepartmentRecord(row), members: withMembers ? allMembers : null, allMembers };
}

/** A page of groups, filtered; each as getDepartment gives it. */
export async function listDepartments(query: ListQuery, withMembers: boolean) {
  const { startIndex, count: size } = paging(query);
  const where = and(isNull(departments.archivedAt), query.filter ? toSql(parseFilter(query.filter), GROUP_ATTRIBUTES) : undefined);
  const conn = db();
  const total = (await conn.select({ n: count() }).from(departments).where(where).get())?.n ?? 0;
  const rows = size === 0 ? [] : await conn.select().from(departments).where(where).orderBy(asc(departments.id)).limit(size).offset(startIndex - 1).all();
  return {
    total,
    startIndex,
    groups: await mapInOrder(rows, async (row) => {
      const allMembers = await departmentMembers(conn, row.id);
      return { department: toDepartmentRecord(row), members: withMembers ? allMembers : null, allMembers };
    }),
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
