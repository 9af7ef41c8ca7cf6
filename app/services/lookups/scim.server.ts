/**
 * Directory sync (SCIM 2.0) reads that its commands and its endpoints share: a person or a
 * department as SCIM shows them, a department's members, and the paging RFC 7644 §3.4.2.4 reads.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { notFound } from "~/domain/scim/errors";
import { DEFAULT_COUNT, MAX_COUNT, type DepartmentRecord, type PersonRecord } from "~/domain/scim/resources";
import type { Db } from "~db/client";
import { departments, users } from "~db/schema";

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

export function toRecord(row: PersonRow): PersonRecord {
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

export function selectPeople(conn: Db) {
  return conn.select(personColumns).from(users).leftJoin(departments, eq(departments.id, users.departmentId));
}

/** A user id as the path or a filter gives it: digits only, else no one. */
export function userId(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export async function readPerson(conn: Db, id: string): Promise<PersonRecord> {
  const numeric = userId(id);
  const row = numeric === null ? undefined : await selectPeople(conn).where(and(eq(users.id, numeric), isNull(users.erasedAt))).get();
  if (!row) throw notFound(`No User with id ${JSON.stringify(id)}.`);
  return toRecord(row);
}

export function toDepartmentRecord(row: typeof departments.$inferSelect): DepartmentRecord {
  return { id: row.id, name: row.name, externalId: row.externalId, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export async function departmentMembers(conn: Db, departmentId: number) {
  return await conn
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.departmentId, departmentId), isNull(users.erasedAt)))
    .orderBy(asc(users.id))
    .all();
}

export async function liveDepartment(conn: Db, id: string) {
  const numeric = userId(id);
  const row = numeric === null ? undefined : await conn.select().from(departments).where(and(eq(departments.id, numeric), isNull(departments.archivedAt))).get();
  if (!row) throw notFound(`No Group with id ${JSON.stringify(id)}.`);
  return row;
}