/**
 * Directory sync (SCIM 2.0, RFC 7643/7644): the company directory (Entra ID, Okta…) creates,
 * updates and deactivates people, and keeps departments as groups. Each command validates the
 * request with the readers in app/domain/scim, runs one transaction and audits every change as
 * "directory sync". The routes (app/routes/scim.v2.*) authenticate the directory and turn results
 * into SCIM responses; what the GET endpoints read is in pages/scim.server.ts.
 *
 * A person is in at most one department. Adding them to a group moves them there from any other;
 * removing them from a group they are no longer in changes nothing. So a person in two groups of
 * the directory ends up in the one whose membership reached Jamboree last. The enterprise
 * extension's `department` attribute also sets a department (by name, made when new), except for
 * a person in a group the directory manages: there the group wins.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { invalidValue, notFound, ScimError, uniqueness } from "~/domain/scim/errors";
import {
  readGroupPatch,
  readGroupResource,
  readOperations,
  readUserPatch,
  readUserResource,
  type UserChanges,
  type UserResourceInput,
} from "~/domain/scim/patch";
import type { DepartmentRecord, PersonRecord } from "~/domain/scim/resources";
import { transaction, type Db } from "~db/client";
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
import { departmentMembers, liveDepartment, readPerson, toDepartmentRecord, userId } from "~/services/lookups/scim.server";

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

/** Checks a request's If-Match against the group as it stands, inside the change's transaction (its members read there too). */
export type GroupIfMatch = (current: DepartmentRecord, members: Awaited<ReturnType<typeof departmentMembers>>) => void;

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
