/**
 * Writes that keep people and departments in step with the company directory, shared by directory
 * sync (SCIM, app/services/commands/scim.server.ts) and the CSV import (app/services/commands/people-import.server.ts).
 * Every function runs inside the caller's transaction and audits each real change, naming who made
 * it (`ChangedBy`: an admin, or "directory sync").
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Role } from "~/domain/permissions";
import { preparedQuery, type Db } from "~db/client";
import { auditLog, departments, users, type User } from "~db/schema";
import { auditDetail, setPersonActiveIn, type ChangedBy } from "~/services/commands/accounts.server";
import { recordAudit, type AuditAction } from "~/services/effects/audit.server";

export const DIRECTORY_SYNC = "directory sync";

export type Department = typeof departments.$inferSelect;

/** A department by name, whatever its case (archived ones too). */
export async function departmentByName(tx: Db, name: string): Promise<Department | undefined> {
  return await tx
    .select()
    .from(departments)
    .where(sql`lower(${departments.name}) = lower(${name})`)
    .get();
}

/**
 * The department called `name` (any case), made when there is none; an archived one of that name
 * is brought back. `directoryGroup` marks it as a group the directory manages.
 */
export async function ensureDepartment(tx: Db, name: string, by: ChangedBy, options: { directoryGroup?: boolean; externalId?: string | null } = {}): Promise<Department> {
  const existing = await departmentByName(tx, name);
  if (existing && existing.archivedAt === null) return existing;
  if (existing) {
    const restored = (await tx
      .update(departments)
      .set({
        archivedAt: null,
        updatedAt: by.at,
        ...(options.directoryGroup ? { directoryGroupAt: by.at } : {}),
        ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
      })
      .where(eq(departments.id, existing.id))
      .returning()
      .get())!;
    await recordAudit(
      tx, { action: "department_created", actorId: by.actorId, subject: `department:${existing.id}`, ip: by.ip, at: by.at, detail: auditDetail(by, { name: restored.name, restored: true }) },
    );
    return restored;
  }
  const created = await tx
    .insert(departments)
    .values({
      name,
      createdAt: by.at,
      externalId: options.externalId ?? null,
      directoryGroupAt: options.directoryGroup ? by.at : null,
    })
    .returning()
    .get();
  await recordAudit(
    tx, { action: "department_created", actorId: by.actorId, subject: `department:${created.id}`, ip: by.ip, at: by.at, detail: auditDetail(by, { name }) },
  );
  return created;
}

export interface NewPerson {
  email: string;
  name: string;
  externalId: string | null;
  role: Role;
  departmentId: number | null;
  active: boolean;
}

/**
 * A person the directory (or an import) brings in. They have no password: they sign in through
 * the company's sign-on, and their e-mail counts as verified (the directory vouches for it).
 * Returns null when the e-mail is taken (the caller checked; this holds under a race too).
 */
export async function createPersonIn(tx: Db, person: NewPerson, by: ChangedBy): Promise<User | null> {
  const created = await tx
    .insert(users)
    .values({
      email: person.email,
      name: person.name,
      passwordHash: "",
      role: person.role,
      departmentId: person.departmentId,
      externalId: person.externalId,
      emailVerifiedAt: by.at,
      deactivatedAt: person.active ? null : by.at,
      createdAt: by.at,
    })
    .onConflictDoNothing({ target: users.email })
    .returning()
    .get();
  if (!created) return null;
  await recordAudit(
    tx, {
      action: "person_created",
      actorId: by.actorId,
      subject: `user:${created.id}`,
      ip: by.ip,
      at: by.at,
      detail: auditDetail(by, { email: person.email, role: person.role, departmentId: person.departmentId, active: person.active }),
    },
  );
  return created;
}

const insertPerson = preparedQuery((conn) =>
  conn
    .insert(users)
    .values({
      email: sql.placeholder("email"),
      name: sql.placeholder("name"),
      passwordHash: "",
      role: sql.placeholder("role"),
      departmentId: sql.placeholder("departmentId"),
      externalId: sql.placeholder("externalId"),
      emailVerifiedAt: sql.placeholder("at"),
      deactivatedAt: sql.placeholder("deactivatedAt"),
      createdAt: sql.placeholder("at"),
    })
    .returning({ id: users.id })
    .prepare(),
);

const insertAudit = preparedQuery((conn) =>
  conn
    .insert(auditLog)
    .values({
      at: sql.placeholder("at"),
      action: sql.placeholder("action"),
      actorId: sql.placeholder("actorId"),
      subject: sql.placeholder("subject"),
      ip: sql.placeholder("ip"),
      detail: sql.placeholder("detail"),
    })
    .prepare(),
);

/**
 * Many people at once (an import), as createPersonIn makes each, with statements prepared once:
 * the caller has checked that every e-mail is free in this transaction (a clash fails the insert
 * and so the whole transaction). Returns how many were made.
 */
export async function createPeopleIn(tx: Db, people: NewPerson[], by: ChangedBy): Promise<number> {
  const insert = insertPerson(tx);
  const audit = insertAudit(tx);
  for (const person of people) {
    const row = (await insert.get({
      email: person.email,
      name: person.name,
      role: person.role,
      departmentId: person.departmentId,
      externalId: person.externalId,
      at: by.at,
      deactivatedAt: person.active ? null : by.at,
    }))!;
    const detail = auditDetail(by, { email: person.email, role: person.role, departmentId: person.departmentId, active: person.active });
    await audit.run({ at: by.at, action: "person_created", actorId: by.actorId, subject: `user:${row.id}`, ip: by.ip, detail: detail ? JSON.stringify(detail) : null });
  }
  return people.length;
}

const updatePerson = preparedQuery((conn) =>
  conn
    .update(users)
    .set({
      email: sql`${sql.placeholder("email")}`,
      name: sql`${sql.placeholder("name")}`,
      externalId: sql`${sql.placeholder("externalId")}`,
      role: sql`${sql.placeholder("role")}`,
      departmentId: sql`${sql.placeholder("departmentId")}`,
      updatedAt: sql`${sql.placeholder("at")}`,
    })
    .where(eq(users.id, sql.placeholder("id")))
    .prepare(),
);

type PersonFields = Pick<User, "email" | "name" | "externalId" | "role" | "departmentId">;

/**
 * Many people's fields at once (an import), audited as changePersonIn audits them, with statements
 * prepared once. `before` is each person as read in this transaction; `after` what they become.
 */
export async function updatePeopleIn(tx: Db, changes: { id: number; before: PersonFields; after: PersonFields }[], by: ChangedBy) {
  const update = updatePerson(tx);
  const audit = insertAudit(tx);
  const write = async (action: AuditAction, id: number, extra: Record<string, unknown>) => {
    const detail = auditDetail(by, extra);
    await audit.run({ at: by.at, action, actorId: by.actorId, subject: `user:${id}`, ip: by.ip, detail: detail ? JSON.stringify(detail) : null });
  };
  for (const { id, before, after } of changes) {
    await update.run({ ...after, at: by.at, id });
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ["email", "name", "externalId"] as const) if (before[key] !== after[key]) diff[key] = { from: before[key], to: after[key] };
    if (Object.keys(diff).length > 0) await write("person_updated", id, { changes: diff });
    if (before.role !== after.role) await write("role_changed", id, { from: before.role, to: after.role });
    if (before.departmentId !== after.departmentId) await write("department_changed", id, { from: before.departmentId, to: after.departmentId });
  }
}

export interface PersonChanges {
  email?: string;
  name?: string;
  externalId?: string | null;
  role?: Role;
  departmentId?: number | null;
  active?: boolean;
}

/**
 * Changes what differs of `person` (a row read in this transaction). The caller has checked that
 * a new e-mail or directory id is no one else's. Name, e-mail and directory id are audited
 * together ("person_updated"); role, department and active state each as they are elsewhere.
 * Returns the names of the fields that changed.
 */
export async function changePersonIn(tx: Db, person: User, changes: PersonChanges, by: ChangedBy): Promise<string[]> {
  const changed: string[] = [];
  const fields: Partial<Pick<User, "email" | "name" | "externalId">> = {};
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  if (changes.email !== undefined && changes.email !== person.email) fields.email = changes.email;
  if (changes.name !== undefined && changes.name !== person.name) fields.name = changes.name;
  if (changes.externalId !== undefined && changes.externalId !== person.externalId) fields.externalId = changes.externalId;
  for (const [key, value] of Object.entries(fields)) diff[key] = { from: person[key as keyof typeof fields], to: value };
  if (Object.keys(fields).length > 0) {
    await tx.update(users).set({ ...fields, updatedAt: by.at }).where(eq(users.id, person.id)).run();
    await recordAudit(tx, { action: "person_updated", actorId: by.actorId, subject: `user:${person.id}`, ip: by.ip, at: by.at, detail: auditDetail(by, { changes: diff }) });
    changed.push(...Object.keys(fields));
  }
  if (changes.role !== undefined && changes.role !== person.role) {
    await tx.update(users).set({ role: changes.role, updatedAt: by.at }).where(eq(users.id, person.id)).run();
    await recordAudit(
      tx, { action: "role_changed", actorId: by.actorId, subject: `user:${person.id}`, ip: by.ip, at: by.at, detail: auditDetail(by, { from: person.role, to: changes.role }) },
    );
    changed.push("role");
  }
  if (changes.departmentId !== undefined && changes.departmentId !== person.departmentId) {
    await moveToDepartmentIn(tx, person.id, person.departmentId, changes.departmentId, by);
    changed.push("department");
  }
  if (changes.active !== undefined && await setPersonActiveIn(tx, person.id, changes.active, by)) changed.push("active");
  return changed;
}

/** Moves a person from `from` to `to` (either may be null), audited. */
export async function moveToDepartmentIn(tx: Db, personId: number, from: number | null, to: number | null, by: ChangedBy) {
  await tx.update(users).set({ departmentId: to, updatedAt: by.at }).where(eq(users.id, personId)).run();
  await recordAudit(
    tx, { action: "department_changed", actorId: by.actorId, subject: `user:${personId}`, ip: by.ip, at: by.at, detail: auditDetail(by, { from, to }) },
  );
}

/** Who else holds `email` or `externalId` (a person other than `exceptId`), to refuse a duplicate before writing. */
export async function holderOf(tx: Db, field: "email" | "externalId", value: string, exceptId?: number) {
  const column = field === "email" ? users.email : users.externalId;
  const row = await tx.select({ id: users.id }).from(users).where(eq(column, value)).get();
  return row && row.id !== exceptId ? row.id : null;
}

/** A person who may be changed through the directory (an erased account is gone for it). */
export async function livePerson(tx: Db, id: number): Promise<User | undefined> {
  return await tx.select().from(users).where(and(eq(users.id, id), isNull(users.erasedAt))).get();
}
