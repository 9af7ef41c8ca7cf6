/**
 * The CSV import of people on the admin People page: preview, then apply.
 *
 * Preview reads the file (app/domain/people-import.ts), plans the changes against the people as
 * they are, and keeps the file with the plan's digest (people_imports). Apply reads the kept file
 * again, plans again in the applying transaction, and applies only when that plan is the one
 * previewed (same digest): what is applied is exactly what the admin saw, and nothing the browser
 * sends can change it. When people changed in between (another admin, directory sync), the new
 * plan becomes the preview to look at instead. A bad row stops the import; applying twice applies
 * once; applying the same file again changes nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { planImport, readImport, summarise, type ImportPlan, type ImportSummary } from "~/domain/people-import";
import { db, transaction, type Db } from "~db/client";
import { departments, peopleImports, users } from "~db/schema";
import type { ChangedBy, RequestMeta } from "~/services/commands/accounts.server";
import { recordAudit } from "~/services/effects/audit.server";
import { changePersonIn, createPeopleIn, ensureDepartment, updatePeopleIn } from "~/services/commands/directory.server";
import { Invalid, NotFound, validate } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { mapInOrder } from "~/domain/in-order";

const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export const CSV_IMPORT = "CSV import";

async function currentState(tx: Db) {
  const people = (await tx
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      departmentId: users.departmentId,
      externalId: users.externalId,
      deactivatedAt: users.deactivatedAt,
      erasedAt: users.erasedAt,
    })
    .from(users)
    .all())
    .map((p) => ({ ...p, active: p.deactivatedAt === null, erased: p.erasedAt !== null }));
  const teams = await tx.select({ id: departments.id, name: departments.name }).from(departments).where(isNull(departments.archivedAt)).all();
  return { people, teams };
}

async function plan(tx: Db, text: string, actorId: number): Promise<ImportPlan> {
  return (await planWithPeople(tx, text, actorId)).planned;
}

/** The plan, with the people as it read them (by id), for applying it in the same transaction. */
async function planWithPeople(tx: Db, text: string, actorId: number) {
  const read = readImport(text);
  if (!read.ok) throw new Invalid({ csv: [read.message] });
  const { people, teams } = await currentState(tx);
  return { planned: planImport(read.rows, read.errors, people, teams, actorId), people: new Map(people.map((p) => [p.id, p])) };
}

const digestOf = (plan: ImportPlan) => createHash("sha256").update(JSON.stringify(plan)).digest("hex");

export const PreviewInput = z.object({
  csv: z.string({ error: "Choose a CSV file or paste its text." }).refine((t) => t.trim() !== "", "Choose a CSV file or paste its text."),
  fileName: z.string().max(255).nullable().optional(),
});

/** Plans an import and keeps it for applying; returns its id (for the page that shows the preview). */
export async function previewImport(actor: SessionUser, input: unknown, meta: RequestMeta): Promise<{ id: string }> {
  requireCapability(actor, "administerPeople");
  const { csv, fileName } = validate(PreviewInput, input);
  const now = meta.now ?? Date.now();
  // Planned outside the write transaction (a big file takes a moment); applying plans it again inside one.
  const planned = await plan(db(), csv, actor.id);
  return await transaction(async (tx) => {
    const id = randomBytes(16).toString("hex");
    await tx.delete(peopleImports).where(lt(peopleImports.createdAt, now - KEEP_MS)).run();
    await tx.insert(peopleImports)
      .values({ id, createdBy: actor.id, createdAt: now, fileName: fileName ?? null, csv, preview: JSON.stringify(summarise(planned)), planDigest: digestOf(planned) })
      .run();
    return { id };
  });
}

export interface ImportView {
  id: string;
  fileName: string | null;
  createdAt: number;
  preview: ImportSummary;
  /** The file's text, while it has errors to fix (to correct it in place); null otherwise. */
  csv: string | null;
  digest: string;
  appliedAt: number | null;
  report: ImportSummary | null;
  /** How many changes applying makes. */
  changes: number;
}

export const ApplyInput = z.object({
  importId: z.string().regex(/^[0-9a-f]{32}$/, "That import is not here any more: start again with the file."),
  digest: z.string().regex(/^[0-9a-f]{64}$/, "That preview is out of date: preview the file again."),
});

/**
 * Applies a previewed import in one transaction, when its plan is still the one previewed
 * (`digest`, as the preview page carries it, and as kept). Returns "applied" (also when it was
 * already: a second click applies nothing), or "changed" when people changed since the preview:
 * the import then shows the new plan to look at and apply.
 */
export async function applyImport(actor: SessionUser, input: unknown, meta: RequestMeta): Promise<{ outcome: "applied" | "changed" }> {
  requireCapability(actor, "administerPeople");
  const { importId, digest } = validate(ApplyInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const row = await tx
      .select()
      .from(peopleImports)
      .where(and(eq(peopleImports.id, importId), eq(peopleImports.createdBy, actor.id)))
      .get();
    if (!row) throw new NotFound("That import is not here any more: start again with the file.");
    if (row.appliedAt !== null) return { outcome: "applied" as const };
    if (digest !== row.planDigest) throw new Invalid({ form: ["That preview is out of date: look at the preview below, then apply it."] });
    const { planned, people } = await planWithPeople(tx, row.csv, actor.id);
    const currentDigest = digestOf(planned);
    if (currentDigest !== row.planDigest) {
      await tx.update(peopleImports).set({ preview: JSON.stringify(summarise(planned)), planDigest: currentDigest }).where(eq(peopleImports.id, row.id)).run();
      return { outcome: "changed" as const };
    }
    if (planned.errors.length > 0) throw new Invalid({ form: ["Fix the rows with errors in the file and preview it again: nothing is applied while any row is wrong."] });
    const by: ChangedBy = { actorId: actor.id, ip: meta.ip, at: now, detail: { via: CSV_IMPORT, import: row.id } };
    await apply(tx, planned, people, by);
    const report = summarise(planned);
    await tx.update(peopleImports).set({ appliedAt: now, report: JSON.stringify(report), csv: "" }).where(eq(peopleImports.id, row.id)).run();
    await recordAudit(tx, { action: "people_import_applied", actorId: actor.id, subject: `import:${row.id}`, ip: meta.ip, at: now, detail: { file: row.fileName, ...report.counts } });
    return { outcome: "applied" as const };
  });
}

type Person = Awaited<ReturnType<typeof currentState>>["people"][number];

async function apply(tx: Db, planned: ImportPlan, people: Map<number, Person>, by: ChangedBy) {
  // Departments by name (any case): made, or brought back from the archive, on first use.
  const departmentIds = new Map<string, number>();
  const departmentId = async (name: string | null) => {
    if (name === null) return null;
    const key = name.toLowerCase();
    if (!departmentIds.has(key)) departmentIds.set(key, (await ensureDepartment(tx, name, by)).id);
    return departmentIds.get(key)!;
  };
  // The plan was made in this transaction: every e-mail it found free is free (a clash would fail the insert, and roll back all).
  await createPeopleIn(
    tx,
    await mapInOrder(planned.creates, async (person) => ({
      email: person.email,
      name: person.name,
      externalId: person.externalId,
      role: person.role,
      departmentId: await departmentId(person.department),
      active: person.active,
    })),
    by,
  );
  // The plan was made in this transaction: each person is as it read them.
  await updatePeopleIn(
    tx,
    await mapInOrder(planned.updates, async (update) => {
      const person = people.get(update.personId)!;
      const before = { email: person.email, name: person.name, externalId: person.externalId, role: person.role, departmentId: person.departmentId };
      const after = { ...before };
      for (const change of update.changes) {
        if (change.field === "email") after.email = change.to!;
        else if (change.field === "name") after.name = change.to!;
        else if (change.field === "external_id") after.externalId = change.to;
        else if (change.field === "role") after.role = change.to as typeof after.role;
        else if (change.field === "department") after.departmentId = await departmentId(change.to);
      }
      return { id: person.id, before, after };
    }),
    by,
  );
  for (const person of planned.deactivations) await changePersonIn(tx, (await tx.select().from(users).where(eq(users.id, person.personId)).get())!, { active: false }, by);
  for (const person of planned.reactivations) await changePersonIn(tx, (await tx.select().from(users).where(eq(users.id, person.personId)).get())!, { active: true }, by);
}

/** Forgets an import the admin previewed and does not want (applied ones stay until they age out). */
export async function discardImport(actor: SessionUser, input: unknown) {
  requireCapability(actor, "administerPeople");
  const { importId } = validate(ApplyInput.pick({ importId: true }), input);
  await transaction(async (tx) =>
    await tx
      .delete(peopleImports)
      .where(and(eq(peopleImports.id, importId), eq(peopleImports.createdBy, actor.id), isNull(peopleImports.appliedAt)))
      .run(),
  );
}
