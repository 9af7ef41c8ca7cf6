import { eq, count, and, isNull } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { EraseAccountInput, isLastAdmin } from "~/services/lookups/accounts.server";
import { NotFound, validate } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { type Db, db } from "~db/client";
import { users, ideas, comments } from "~db/schema";

/** What the erase pages tell before anyone confirms: what goes, what stays, how much of each. */
export async function erasurePreview(tx: Db, personId: number) {
  const person = await tx.select({ id: users.id, name: users.name, email: users.email, role: users.role, erasedAt: users.erasedAt, passwordHash: users.passwordHash }).from(users).where(eq(users.id, personId)).get();
  if (!person) throw new NotFound("No such person.");
  const visibleIdeas = (await tx.select({ n: count() }).from(ideas).where(and(eq(ideas.authorId, personId), isNull(ideas.hiddenAt))).get())?.n ?? 0;
  const visibleComments = (await tx.select({ n: count() }).from(comments).where(and(eq(comments.authorId, personId), isNull(comments.hiddenAt))).get())?.n ?? 0;
  return {
    id: person.id,
    name: person.name,
    email: person.erasedAt === null ? person.email : null,
    erased: person.erasedAt !== null,
    /** Confirms with their password (else their e-mail: an account that signs in only through sign-on). */
    confirmsWithPassword: person.passwordHash !== "",
    isLastAdmin: person.erasedAt === null && await isLastAdmin(tx, person),
    visibleIdeas,
    visibleComments,
  };
}

/** The erase page of the signed-in person themself. */
export async function myErasurePreview(actor: SessionUser) {
  return await erasurePreview(db(), actor.id);
}

/** An admin's erase page for one person. */
export async function erasurePreviewForAdmin(actor: SessionUser, personId: unknown) {
  requireCapability(actor, "administerPeople");
  const { userId } = validate(EraseAccountInput.pick({ userId: true }), { userId: personId });
  return await erasurePreview(db(), userId);
}
