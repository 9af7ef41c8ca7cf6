import { or, gt, sql, eq, and, asc } from "drizzle-orm";
import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import type { ImportView } from "~/services/commands/people-import.server";
import type { ImportSummary } from "~/domain/people-import";
import { NotFound, validate } from "~/services/errors";
import { listDepartments } from "~/services/lookups/departments.server";
import { requireCapability } from "~/services/lookups/guards.server";
import { db } from "~db/client";
import { containsText } from "~db/like";
import { users, departments, peopleImports } from "~db/schema";

export const PeopleQuery = z.object({
  q: z.string().trim().max(100).optional().default(""),
  after: z.coerce.number().int().nonnegative().optional(),
});

const PEOPLE_PAGE = 25;

/** Admins list people with search (name or email), paginated by cursor on name + id. */
export async function listPeople(actor: SessionUser, input: unknown) {
  requireCapability(actor, "administerPeople");
  const { q, after } = validate(PeopleQuery, input);
  const filters = [];
  if (q) filters.push(or(containsText(users.name, q), containsText(users.email, q)));
  if (after) filters.push(gt(users.id, after));
  const rows = await db()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      departmentId: users.departmentId,
      departmentName: departments.name,
      active: sql<boolean>`${users.deactivatedAt} IS NULL`.mapWith(Boolean),
      erased: sql<boolean>`${users.erasedAt} IS NOT NULL`.mapWith(Boolean),
    })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .where(and(...filters))
    .orderBy(asc(users.id))
    .limit(PEOPLE_PAGE + 1)
    .all();
  // An erased account's placeholder address is no one's: it is never shown.
  const page = rows.slice(0, PEOPLE_PAGE).map((p) => (p.erased ? { ...p, email: "" } : p));
  return { people: page, nextAfter: rows.length > PEOPLE_PAGE ? page[page.length - 1]!.id : null, q };
}

/** An import the admin made, as its preview or, once applied, its report. Others' imports are not found. */
export async function importView(actor: SessionUser, id: string): Promise<ImportView> {
  requireCapability(actor, "administerPeople");
  const row = await db()
    .select()
    .from(peopleImports)
    .where(and(eq(peopleImports.id, id), eq(peopleImports.createdBy, actor.id)))
    .get();
  if (!row) throw new NotFound("That import is not here any more: start again with the file.");
  const preview = JSON.parse(row.preview) as ImportSummary;
  const c = preview.counts;
  return {
    id: row.id,
    fileName: row.fileName,
    createdAt: row.createdAt,
    preview,
    csv: row.appliedAt === null && c.errors > 0 ? row.csv : null,
    digest: row.planDigest,
    appliedAt: row.appliedAt,
    report: row.report ? (JSON.parse(row.report) as ImportSummary) : null,
    changes: c.creates + c.updates + c.deactivations + c.reactivations + c.newDepartments,
  };
}

/**
 * Everything /admin/people shows, in one call: a page of people (search, cursor), the
 * departments, and the import previewed or applied (`importId`), or that it is gone.
 */
export async function peopleAdminPage(actor: SessionUser, input: { q: string | null; after: string | null; importId: string | null }) {
  const page = await listPeople(actor, { q: input.q ?? undefined, after: input.after ?? undefined });
  let imported: ImportView | null = null;
  let importGone = false;
  if (input.importId) {
    try {
      imported = await importView(actor, input.importId);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      importGone = true;
    }
  }
  return { ...page, departments: await listDepartments(), imported, importGone };
}
